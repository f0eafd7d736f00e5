#!/usr/bin/env bash
# From a file write to the restarted container: a QPOD environment (a git repository whose
# template's `web` service watches src/) runs under `qpod watch`; each run writes src/main.c
# and waits for web's State.StartedAt to change. The container's own cost is that of a bare
# `podman restart` of the same container (from the call to its StartedAt). Prints each run and
# the medians (ms); qpod's share is the difference (target: under 1000 ms). Not a test.
#   bench/watch_restart_bench.sh            QPOD=build/qpod REPEAT=7 bench/watch_restart_bench.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
QPOD=$(realpath "${QPOD:-$here/build/qpod}")
REPEAT=${REPEAT:-7}
IMAGE=localhost/qpod-busybox:latest
proj=qpod-bench-watch-$$
work=$(mktemp -d)
[[ -x $QPOD ]] || { echo "no qpod binary at $QPOD (build first)"; exit 1; }
podman image exists $IMAGE || { echo "missing $IMAGE: run scripts/build-test-images"; exit 1; }

watch_pid=
cleanup() {
  [[ -n $watch_pid ]] && kill -INT "$watch_pid" 2>/dev/null && wait "$watch_pid" || true
  (cd "$work/repo" && "$QPOD" -p "$proj" down -t 0 >/dev/null 2>&1) || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }
started() { podman inspect --format '{{.State.StartedAt.UnixNano}}' "$proj-web-1"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# wait_new OLD: polls (10 ms) until StartedAt differs from OLD; prints the new one.
wait_new() {
  local s
  for ((i = 0; i < 3000; i++)); do
    s=$(started); [[ $s != "$1" ]] && { echo "$s"; return; }
    sleep 0.01
  done
  echo "timed out waiting for a restart" >&2; exit 1
}

mkdir -p "$work/repo/.qpod" "$work/repo/src"
cd "$work/repo"
git init -q
printf '{"name": "bench", "image": "%s", "services": {"web": {"init": true,
  "stop_grace_period": "1s", "command": ["sleep", "600"], "watch": ["src/"]}}}\n' "$IMAGE" \
  > .qpod/template.json
echo 0 > src/main.c
"$QPOD" -p "$proj" watch > "$work/watch.out" 2> "$work/watch.err" &
watch_pid=$!
for ((i = 0; i < 600; i++)); do grep -q "Watch enabled" "$work/watch.out" && break; sleep 0.1; done
grep -q "Watch enabled" "$work/watch.out" || { cat "$work/watch.err"; exit 1; }

printf '# %s, load %s, podman %s, qpod %s\n' "$(date -u +%FT%TZ)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(podman version --format '{{.Client.Version}}')" "$QPOD"
printf '%4s %10s %12s\n' run watch_ms restart_ms
declare -a w=() b=()
for ((r = 1; r <= REPEAT; r++)); do
  old=$(started); t=$(now); echo "$r" > src/main.c
  new=$(wait_new "$old"); w+=($(((new - t) / 1000000)))
  sleep 1  # let the watch settle before the bare restart
  old=$(started); t=$(now); podman restart "$proj-web-1" >/dev/null
  new=$(wait_new "$old"); b+=($(((new - t) / 1000000)))
  printf '%4d %10d %12d\n' "$r" "${w[-1]}" "${b[-1]}"
  sleep 1
done
mw=$(median "${w[@]}"); mb=$(median "${b[@]}")
printf 'median: write→restarted %d ms, bare podman restart %d ms, qpod watch adds %d ms\n' \
  "$mw" "$mb" $((mw - mb))
restarts=$(grep -c "Restarting service web" "$work/watch.out" || true)
echo "qpod printed $restarts restarts for $REPEAT writes"
