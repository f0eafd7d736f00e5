# Shared helpers for scripts/*: sourced, not run. Every step prints what it does; any failure stops
# the script with a message naming the command that failed (set -e plus an ERR trap).
set -Eeuo pipefail

QPOD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QPOD_BUILD_DIR=${QPOD_BUILD_DIR:-$QPOD_ROOT/build}

if [[ -t 2 ]]; then
  _bold=$'\033[1m' _red=$'\033[31m' _off=$'\033[0m'
else
  _bold='' _red='' _off=''
fi
log() { printf '%s==> %s%s\n' "$_bold" "$*" "$_off" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() {
  printf '%serror:%s %s\n' "$_red" "$_off" "$*" >&2
  exit 1
}
# Prints a command, then runs it.
run() {
  printf '    $ %s\n' "$*" >&2
  "$@"
}
_on_error() {  # exit code, command, line
  printf '%serror:%s %s:%s: `%s` failed (exit %s)\n' "$_red" "$_off" "$(basename "$0")" "$3" \
    "${2%%$'\n'*}" "$1" >&2
}
trap '_on_error $? "$BASH_COMMAND" $LINENO' ERR

# Root for apt-get and /etc; `sudo` when we are not root.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    run "$@"
  elif command -v sudo >/dev/null; then
    run sudo "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

need_podman() {
  command -v podman >/dev/null || die "podman is not installed: run scripts/setup first"
}
