#!/bin/sh
# The cost of one trivial command (`true`) in a QPOD environment, four ways, N times each:
#   podman run --rm      a fresh container per command (QPOD's way)
#   podman exec          into a kept-running container (the environment container)
#   qpod exec-env        (default: podman exec into <project>-env, after one observe)
#   qpod exec-env, QPOD_ENV_MODE=run (podman run --rm per command, after one observe)
# and then qpod's own cost on the exec path, measured with podman replaced by /bin/true.
# Prints the median and the mean per command in ms. Usage: bench/exec_env_bench.sh [QPOD] [N]
set -eu
QPOD=${1:-build/qpod}
N=${2:-10}
IMAGE=localhost/qpod-busybox:latest
case $QPOD in /*) ;; *) QPOD=$(pwd)/$QPOD ;; esac
REPO=$(mktemp -d /tmp/qpod-exec-bench-XXXXXX)
PROJECT=qpod-exec-bench-$$
KEEP=$PROJECT-bare
cleanup() {
  podman rm -f -t 0 "$KEEP" >/dev/null 2>&1 || true
  "$QPOD" -p "$PROJECT" down -t 0 >/dev/null 2>&1 || true
  rm -rf "$REPO"
}
trap cleanup EXIT INT TERM
mkdir -p "$REPO/.qpod"
git -C "$REPO" init -q
printf '{"name": "bench", "image": "%s", "binaries": [{"name": "true"}]}\n' "$IMAGE" \
  > "$REPO/.qpod/template.json"
cd "$REPO"

now_ms() { date +%s%N | cut -c1-13; }
# time_it LABEL COMMAND...: N runs after one warm-up; prints "LABEL median mean" in ms.
time_it() {
  label=$1; shift
  "$@" >/dev/null
  times=""
  i=0
  while [ $i -lt "$N" ]; do
    t0=$(now_ms); "$@" >/dev/null; t1=$(now_ms)
    times="$times $((t1 - t0))"
    i=$((i + 1))
  done
  echo "$times" | tr ' ' '\n' | grep . | sort -n | awk -v l="$label" \
    '{a[NR]=$1; s+=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2;
      printf "%-34s median %6.0f ms   mean %6.0f ms\n", l, m, s/NR}'
}

podman run -d --name "$KEEP" --init --entrypoint /run/podman-init "$IMAGE" -P >/dev/null
echo "exec-env bench: N=$N, $(podman --version), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
time_it "podman run --rm IMAGE true" podman run --rm "$IMAGE" true
time_it "podman exec KEPT true" podman exec "$KEEP" true
time_it "qpod exec-env -- true (exec)" "$QPOD" -p "$PROJECT" exec-env -- true
time_it "qpod exec-env -- true (run)" env QPOD_ENV_MODE=run "$QPOD" -p "$PROJECT" exec-env -- true
time_it "podman exec ENV true (qpod's argv)" podman exec -i --user "$(id -u):$(id -g)" \
  --workdir "$REPO" "$PROJECT-env" true
time_it "podman ps (one observe's call)" podman ps -a --filter "label=io.qpod.project=$PROJECT" \
  --format json

# qpod's own cost on the exec path, free of podman's noise: the environment is up and its ready
# stamp holds, so qpod calls no podman before the final exec; QPOD_PODMAN=/bin/true makes that
# exec cost what /bin/true costs. Mean of M runs each, minus the same exec of /bin/true alone.
M=$((N * 5))
mean_us() {
  t0=$(date +%s%N); i=0
  while [ $i -lt "$M" ]; do "$@" >/dev/null; i=$((i + 1)); done
  t1=$(date +%s%N); echo $(((t1 - t0) / M / 1000))
}
"$QPOD" -p "$PROJECT" exec-env -- true  # the stamp of the exec way (the run way wrote its own)
with_qpod=$(mean_us env QPOD_PODMAN=/bin/true "$QPOD" -p "$PROJECT" exec-env -- true)
bare=$(mean_us env /bin/true exec -i "$PROJECT-env" true)
awk -v q="$with_qpod" -v b="$bare" -v m="$M" 'BEGIN {
  printf "qpod exec-env, podman = /bin/true   mean %6.1f ms   (%d runs)\n", q / 1000, m
  printf "env /bin/true alone                 mean %6.1f ms\n", b / 1000
  printf "qpod adds                                %6.1f ms to podman exec\n", (q - b) / 1000 }'
