#!/usr/bin/env bash
# Times qpod against raw podman and podman-compose on N busybox services (independent, and a
# chain where each depends on the previous one) or on one service with `scale: N` (its N
# containers): `up -d` from nothing, a no-op `up -d`, `ps`, `down`. Prints medians (seconds)
# and ratios. Not a test: no time is checked.
#   bench/up_bench.sh [N...]          (default: 1 10 30)
#   QPOD=build/qpod REPEAT=3 PC_TIMEOUT=60 TOPOLOGIES="independent chain scale" PODMAN_COMPOSE=1 \
#     bench/up_bench.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
QPOD=$(realpath "${QPOD:-$here/build/qpod}")
REPEAT=${REPEAT:-3}
PC_TIMEOUT=${PC_TIMEOUT:-60}  # seconds for one podman-compose up
IMAGE=localhost/qpod-busybox:latest
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(1 10 30)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

[[ -x $QPOD ]] || { echo "no qpod binary at $QPOD (build first)"; exit 1; }
podman image exists $IMAGE || { echo "missing $IMAGE: run scripts/build-test-images"; exit 1; }
have_pc=0; [[ ${PODMAN_COMPOSE:-1} == 1 ]] && command -v podman-compose >/dev/null && have_pc=1

now() { date +%s%N; }
# time_of CMD...: seconds, 3 decimals
time_of() { local s e; s=$(now); "$@" >/dev/null 2>&1 || echo "FAILED: $*" >&2; e=$(now); \
  awk -v d=$((e - s)) 'BEGIN { printf "%.3f", d / 1e9 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

write_compose() {  # N topology dir
  local n=$1 topo=$2 dir=$3 i
  mkdir -p "$dir"
  if [[ $topo == scale ]]; then
    printf 'services:\n  s01:\n    image: %s\n    init: true\n    command: ["sleep", "600"]\n    scale: %d\n' \
      "$IMAGE" "$n" > "$dir/compose.yaml"
    return
  fi
  { echo "services:"
    for ((i = 1; i <= n; i++)); do
      printf '  s%02d:\n    image: %s\n    init: true\n    command: ["sleep", "600"]\n' "$i" "$IMAGE"
      if [[ $topo == chain && $i -gt 1 ]]; then
        printf '    depends_on:\n      s%02d:\n        condition: service_started\n' $((i - 1))
      fi
    done; } > "$dir/compose.yaml"
}

raw_up() {  # pod n parallel
  local pod=$1 n=$2 par=$3
  podman pod create --name "$pod" >/dev/null
  seq -f '%02g' 1 "$n" | xargs -P "$par" -I{} podman run -d --pod "$pod" --init \
    --name "$pod-s{}-1" "$IMAGE" sleep 600 >/dev/null
}
raw_down() { podman pod rm -f -t 0 "$1" >/dev/null; }

printf '# %s, load %s, podman %s, qpod %s\n' "$(date -u +%FT%TZ)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(podman version --format '{{.Client.Version}}')" "$QPOD"
printf '%-12s %4s %8s %8s %8s %8s %9s %9s %9s %9s %8s %8s\n' topology N qpod_up noop_up ps down \
  raw_ser raw_par4 pc_up pc_down up/ser up/par4
for topo in ${TOPOLOGIES:-independent chain}; do
  for n in "${sizes[@]}"; do
    dir=$work/$topo-$n; write_compose "$n" "$topo" "$dir"
    proj=qpod-bench-$topo-$n
    declare -a up=() noop=() ps=() down=() ser=() par=() pcu=() pcd=() rps=() rdown=()
    pc_timed_out=0
    for ((r = 0; r < REPEAT; r++)); do
      up+=("$(cd "$dir" && time_of "$QPOD" -p "$proj" up -d)")
      noop+=("$(cd "$dir" && time_of "$QPOD" -p "$proj" up -d)")
      ps+=("$(cd "$dir" && time_of "$QPOD" -p "$proj" ps)")
      down+=("$(cd "$dir" && time_of "$QPOD" -p "$proj" down -t 0)")
      ser+=("$(time_of raw_up "$proj-raw" "$n" 1)")
      # raw ps / down: what qpod's ps and down compare with (a label query; pod rm -f)
      rps+=("$(time_of podman ps -a --filter "pod=$proj-raw")")
      rdown+=("$(time_of raw_down "$proj-raw")")
      if [[ $topo != chain ]]; then
        par+=("$(time_of raw_up "$proj-raw" "$n" 4)"); raw_down "$proj-raw"
      fi
      if ((have_pc)) && [[ $pc_timed_out == 0 ]]; then
        t=$(cd "$dir" && time_of timeout "$PC_TIMEOUT" podman-compose -p "$proj-pc" up -d)
        if awk -v t="$t" -v m="$PC_TIMEOUT" 'BEGIN { exit !(t >= m) }'; then
          # podman-compose 1.0.3 resolves long chains in exponential time (its `down` too):
          # clean up by its label instead.
          pc_timed_out=1
          podman ps -aq --filter "label=io.podman.compose.project=$proj-pc" |
            xargs -r podman rm -f -t 0 >/dev/null
          podman pod rm -f "pod_$proj-pc" >/dev/null 2>&1 || true
        else
          pcu+=("$t")
          pcd+=("$(cd "$dir" && time_of podman-compose -p "$proj-pc" down -t 0)")
        fi
      fi
    done
    m_up=$(median "${up[@]}"); m_ser=$(median "${ser[@]}")
    m_par=-; [[ ${#par[@]} -gt 0 ]] && m_par=$(median "${par[@]}")
    m_pcu=-; m_pcd=-; ((have_pc)) && { m_pcu=$(median "${pcu[@]}"); m_pcd=$(median "${pcd[@]}"); }
    ((pc_timed_out)) && { m_pcu=">$PC_TIMEOUT"; m_pcd=-; }
    [[ -n $m_pcu ]] || m_pcu=-
    printf '%-12s %4s %8s %8s %8s %8s %9s %9s %9s %9s %8s %8s\n' "$topo" "$n" "$m_up" \
      "$(median "${noop[@]}")" "$(median "${ps[@]}")" "$(median "${down[@]}")" "$m_ser" "$m_par" \
      "$m_pcu" "$m_pcd" "$(ratio "$m_up" "$m_ser")" \
      "$([[ $m_par == - ]] && echo - || ratio "$m_up" "$m_par")"
    printf '%-12s %4s raw ps %s, raw down %s: qpod ps / raw = %s, qpod down / raw = %s\n' "" "" \
      "$(median "${rps[@]}")" "$(median "${rdown[@]}")" \
      "$(ratio "$(median "${ps[@]}")" "$(median "${rps[@]}")")" \
      "$(ratio "$(median "${down[@]}")" "$(median "${rdown[@]}")")"
    if ((have_pc)); then
      printf '%-12s %4s qpod up / podman-compose up = %s, qpod down / podman-compose down = %s\n' \
        "" "" "$(ratio "$m_up" "$m_pcu")" "$(ratio "$(median "${down[@]}")" "$m_pcd")"
    fi
  done
done
