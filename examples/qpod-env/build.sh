#!/bin/sh
# The environment's build: runs in the environment's container (listed in binaries, and inside
# the repository), after zookeeper is up. It writes the plugin plugin-host watches.
set -e
cd "$(dirname "$0")"
mkdir -p "${BUILD_DIR:-build}" www
echo "plugin built at $(date -u +%H:%M:%S) by uid $(id -u) in $(pwd)" > "${BUILD_DIR:-build}/plugin.so"
cp "${BUILD_DIR:-build}/plugin.so" www/plugin.txt
echo "built ${BUILD_DIR:-build}/plugin.so"
