// depends_on inside one Pod: which containers wait, for what, and the wrapper that does it
// (see pod_gates.h). Pure: the images' argv come in as data.
#include "kube/pod_gates.h"

#include <algorithm>
#include <cstdint>

#include "podman/podman_argv.h"

namespace qpod::kube {

// $0 is "qpod-gate"; options come in pairs before "--", the argv after it. Settings are read
// first; the waits then run in the order given.
const char* const kGateScript =
    R"sh(g=/run/qpod-gates name='' health='' every=30 tries=3 limit=30 mode=exec hpid=''
say() { echo "qpod-gate: $*" >&2; }
k=''
for a; do
  if [ -z "$k" ]; then
    if [ "$a" = -- ]; then break; fi
    k=$a
    continue
  fi
  case $k in
    name) name=$a ;; mode) mode=$a ;; health) health=$a ;; every) every=$a ;;
    tries) tries=$a ;; timeout) limit=$a ;;
  esac
  k=''
done
# podman gives the folder to one of the containers' users: that one's wrapper opens it to all,
# and the others retry their writes until it has. Markers go to a folder of this Pod's uid
# (QPOD_GATE_POD, from the Pod's metadata.uid), in case the volume outlived an older Pod; the
# other Pods' folders are removed.
chmod 1777 "$g" 2>/dev/null || :
case ${QPOD_GATE_POD-} in
  '' | *[!A-Za-z0-9-]*) ;;
  *) for d in "$g"/*/; do
       if [ -d "$d" ] && [ "$d" != "$g/$QPOD_GATE_POD/" ]; then rm -rf "$d" 2>/dev/null; fi
     done
     g=$g/$QPOD_GATE_POD ;;
esac
put() {
  until { { mkdir -p "$g" && chmod 1777 "$g" || [ -w "$g" ]; } &&
    printf '%s\n' "${2-}" > "$g/.$1.new"; } 2>/dev/null; do sleep 1; done
  mv -f "$g/.$1.new" "$g/$1"
}
code() { c=''; { read -r c < "$g/$1.exit"; } 2>/dev/null || :; }
# A healthcheck test, cut off after $limit seconds where the image has `timeout`.
check() {
  if command -v timeout >/dev/null 2>&1; then timeout "$limit" sh -c "$1"
  else sh -c "$1"; fi >/dev/null 2>&1
}
# A wait that fails fails this service too, for its own dependants.
fail() {
  say "$*"
  if [ -n "$name" ]; then put "$name.unhealthy"; put "$name.exit" 1; fi
  exit 1
}
if [ -n "$name" ]; then
  code "$name"
  # A one-shot that ended in this Pod is not run again when the Pod's restartPolicy restarts
  # it, as compose would not: after it completed (once, retry), or after it failed when it has
  # no restart policy of its own (once; retry is on-failure's). It stays up, idle, until stopped.
  idle=''
  if [ "$mode" = once ] || [ "$mode" = retry ]; then
    if [ "$c" = 0 ]; then idle="$name completed successfully in this Pod already"
    elif [ "$mode" = once ] && [ -n "$c" ]; then idle="$name exited ($c) in this Pod already"
    fi
  fi
  if [ -n "$idle" ]; then
    say "$idle: not run again"
    trap 'kill "$z" 2>/dev/null; exit 0' TERM INT HUP
    while :; do
      sleep 3600 &
      z=$!
      wait "$z"
    done
  fi
  rm -f "$g/$name.started" "$g/$name.healthy" "$g/$name.unhealthy" "$g/$name.exit"
fi
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
  case $1 in
    name | mode | health | every | tries | timeout) ;;
    started) say "waiting for $2 to start"
      until [ -e "$g/$2.started" ]; do
        if [ -e "$g/$2.exit" ]; then fail "$2 failed before it started"; fi
        sleep 1
      done ;;
    # As compose: an exited dependency fails the wait, even one that was healthy.
    healthy) say "waiting for $2 to be healthy"
      until [ -e "$g/$2.healthy" ] && [ ! -e "$g/$2.exit" ]; do
        if [ -e "$g/$2.exit" ]; then code "$2"; fail "dependency failed to start: $2 exited ($c)"; fi
        if [ -e "$g/$2.unhealthy" ]; then fail "dependency failed to start: $2 is unhealthy"; fi
        sleep 1
      done ;;
    test) say "waiting for a dependency's healthcheck to pass"
      until check "$2"; do sleep 1; done ;;
    completed) say "waiting for $2 to complete"
      until [ -e "$g/$2.exit" ]; do sleep 1; done
      code "$2"
      if [ "$c" != 0 ]; then fail "$2 did not complete successfully: exit $c"; fi ;;
    *) say "unknown option $1"; exit 2 ;;
  esac
  shift 2
done
shift
if [ -n "$name" ]; then put "$name.started"; fi
if [ -n "$health" ]; then
  (
    n=0
    while :; do
      if check "$health"; then put "$name.healthy"; exit 0; fi
      n=$((n + 1))
      if [ "$n" -ge "$tries" ]; then put "$name.unhealthy"; fi
      sleep "$every"
    done
  ) &
  hpid=$!
fi
if [ "$mode" = exec ]; then exec "$@"; fi
# run, once, retry: the argv runs as this shell's child, which passes signals on and records the exit
# code for dependants (compose fails them when a dependency exits). stdin stays the container's.
if { command exec 3<&0; } 2>/dev/null; then
  "$@" <&3 3<&- &
  pid=$!
  exec 3<&-
else  # no stdin at all
  "$@" &
  pid=$!
fi
for s in TERM INT HUP QUIT USR1 USR2; do trap "kill -$s \"\$pid\" 2>/dev/null" "$s"; done
wait "$pid"
rc=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; rc=$?; done
if [ -n "$hpid" ]; then kill "$hpid" 2>/dev/null; fi
put "$name.exit" "$rc"
exit "$rc"
)sh";

namespace {

std::int64_t seconds_up(std::optional<compose::Duration> d, std::int64_t fallback) {
  if (!d) return fallback;
  const auto ns = d->count();
  return std::max<std::int64_t>(1, (ns + 999'999'999) / 1'000'000'000);
}

bool has_health(const compose::Service& s) {
  return s.healthcheck && !s.healthcheck->disable && !s.healthcheck->test.empty() &&
         s.healthcheck->test[0] != "NONE";
}

// Compose restarts the service after it exits 0 (a one-shot runs again).
bool restarts(const std::string& policy) {
  return policy == "always" || policy == "unless-stopped";
}

// A one-shot's wrapper mode: compose runs it again after a failure only under on-failure.
const char* one_shot_mode(const std::string& policy) {
  return policy.rfind("on-failure", 0) == 0 ? "retry" : "once";
}

// What a dependency's wrapper must leave for its dependants.
struct Provides {
  bool started = false, healthy = false, exit = false;
};

}  // namespace

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string health_shell(const compose::Healthcheck& h) {
  std::string out;
  const bool shell = !h.test.empty() && h.test[0] == "CMD-SHELL";
  for (std::size_t i = 1; i < h.test.size(); ++i)
    out += (i > 1 ? " " : "") + (shell ? h.test[i] : shell_quote(h.test[i]));
  return out;
}

std::vector<std::string> known_argv(const compose::Project& p, const compose::Service& s,
                                    const std::map<std::string, ImageArgv>& images) {
  std::vector<std::string> argv;
  if (s.entrypoint) {  // Compose: an entrypoint drops the image's Cmd too
    argv = *s.entrypoint;
    if (s.command) argv.insert(argv.end(), s.command->begin(), s.command->end());
    return argv;
  }
  auto it = images.find(podman::image_of(p, s));
  if (it == images.end()) return {};
  argv = it->second.entrypoint;
  const auto& cmd = s.command ? *s.command : it->second.cmd;
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  return argv;
}

GatePlan plan_gates(const compose::Project& p, const std::set<std::string>& services,
                    const std::set<std::string>& init,
                    const std::map<std::string, ImageArgv>& images) {
  GatePlan out;
  std::map<std::string, std::vector<std::string>> argv, waits;
  for (const auto& name : services) argv[name] = known_argv(p, p.services.at(name), images);
  std::map<std::string, Provides> provides;
  for (const auto& name : services) {
    const auto& s = p.services.at(name);
    for (const auto& [dep, d] : s.depends_on) {
      if (!services.count(dep) || init.count(dep)) continue;  // not here, or run before
      const std::string head =
          "service " + name + ": depends_on " + dep + " (" + d.condition + "): ";
      if (argv[name].empty()) {
        out.warnings.push_back(head + "the command of " + name +
                               " is its image's, which was not read (podman image inspect), so "
                               "it cannot wait: the containers of a Pod start together");
        continue;
      }
      const bool dep_known = !argv[dep].empty();
      const std::string unknown = "the command of " + dep +
                                  " is its image's, which was not read (podman image inspect), so ";
      const auto& ds = p.services.at(dep);
      if (d.condition == "service_completed_successfully") {
        if (!dep_known) {
          out.warnings.push_back(head + unknown + "nothing records its exit: " + name +
                                 " starts with the Pod, without this order");
          continue;
        }
        provides[dep].exit = true;
        waits[name].insert(waits[name].end(), {std::string("completed"), dep});
      } else if (d.condition == "service_healthy" && has_health(ds)) {
        if (dep_known) {
          provides[dep].healthy = true;
          waits[name].insert(waits[name].end(), {std::string("healthy"), dep});
        } else {
          out.warnings.push_back(head + unknown + name + " runs the healthcheck of " + dep +
                                 " itself (the same network, but its own files and tools)");
          waits[name].insert(waits[name].end(),
                             {std::string("test"), health_shell(*ds.healthcheck)});
        }
      } else {
        if (d.condition == "service_healthy")
          out.warnings.push_back(head + dep + " has no healthcheck: " + name +
                                 " waits for it to start");
        if (!dep_known) {
          out.warnings.push_back(head + unknown + name +
                                 " starts with the Pod, without this order");
          continue;
        }
        provides[dep].started = true;
        waits[name].insert(waits[name].end(), {std::string("started"), dep});
      }
    }
  }
  for (const auto& name : services) {
    auto pit = provides.find(name);
    auto wit = waits.find(name);
    if (pit == provides.end() && wit == waits.end()) continue;
    std::vector<std::string> cmd{"sh", "-c", kGateScript, "qpod-gate"};
    if (pit != provides.end()) cmd.insert(cmd.end(), {std::string("name"), name});
    if (wit != waits.end()) cmd.insert(cmd.end(), wit->second.begin(), wit->second.end());
    if (pit != provides.end() && pit->second.healthy) {
      const auto& h = *p.services.at(name).healthcheck;
      const std::int64_t every = seconds_up(h.interval, 30);
      const std::int64_t grace = h.start_period ? seconds_up(h.start_period, 0) : 0;
      const std::int64_t tries = std::max(1, h.retries.value_or(3)) + (grace + every - 1) / every;
      const std::vector<std::string> health{
          "health", health_shell(h),       "every",   std::to_string(every),
          "tries",  std::to_string(tries), "timeout", std::to_string(seconds_up(h.timeout, 30))};
      cmd.insert(cmd.end(), health.begin(), health.end());
    }
    if (pit != provides.end() && (pit->second.exit || pit->second.healthy)) {
      const std::string& policy = p.services.at(name).restart;
      cmd.insert(cmd.end(),
                 {"mode", pit->second.exit && !restarts(policy) ? one_shot_mode(policy) : "run"});
    }
    cmd.push_back("--");
    cmd.insert(cmd.end(), argv[name].begin(), argv[name].end());
    out.command[name] = std::move(cmd);
  }
  return out;
}

}  // namespace qpod::kube
