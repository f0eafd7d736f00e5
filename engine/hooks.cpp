#include "engine/hooks.h"

#include <chrono>
#include <thread>

#include "base/text.h"
#include "podman/failure_line.h"
#include "podman/podman_argv.h"

namespace qpod::engine {

Status run_hooks(podman::Runtime& rt, const compose::Service& s, const std::string& container,
                 bool post_start) {
  const auto& list = post_start ? s.post_start : s.pre_stop;
  const char* key = post_start ? "post_start" : "pre_stop";
  for (std::size_t i = 0; i < list.size(); ++i) {
    podman::RunResult r = rt.run(podman::container_exec_hook(container, list[i]));
    if (r.ok()) continue;
    std::string out = podman::failure_line(r);
    return Diagnostic{"", 0, 0, "",
                      std::string(key) + "[" + std::to_string(i) + "] hook (" +
                          join(list[i].command, " ") + ") in " + container + " failed (exit " +
                          std::to_string(r.exit_code) + ")" + (out.empty() ? "" : ": " + out)};
  }
  return std::monostate{};
}

Status post_start_once_running(podman::Runtime& rt, const compose::Service& s,
                               const std::string& container, const std::atomic<bool>& ended,
                               Progress& progress) {
  if (s.post_start.empty()) return std::monostate{};
  for (;;) {
    bool over = ended.load();  // read before the look: a last look after the run is over
    podman::RunResult r = rt.run(podman::container_state(container));
    if (r.ok() && trim(r.out).starts_with("running")) return run_hooks(rt, s, container, true);
    if (over) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  progress.warning("service " + s.name + ": the post_start hooks did not run: " + container +
                   " was not seen running before it ended");
  return std::monostate{};
}

}  // namespace qpod::engine
