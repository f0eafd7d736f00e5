#include "engine/plan.h"

namespace qpod::engine {

const char* to_string(ActionKind k) {
  switch (k) {
    case ActionKind::CreateNetwork:
      return "create-network";
    case ActionKind::CreateVolume:
      return "create-volume";
    case ActionKind::CreatePod:
      return "create-pod";
    case ActionKind::RemovePod:
      return "remove-pod";
    case ActionKind::CreateContainer:
      return "create";
    case ActionKind::Run:
      return "run";
    case ActionKind::Start:
      return "start";
    case ActionKind::Stop:
      return "stop";
    case ActionKind::Restart:
      return "restart";
    case ActionKind::Remove:
      return "remove";
    case ActionKind::WaitHealthy:
      return "wait-healthy";
    case ActionKind::WaitCompleted:
      return "wait-completed";
    case ActionKind::RemoveVolume:
      return "remove-volume";
    case ActionKind::RemoveNetwork:
      return "remove-network";
    case ActionKind::Kill:
      return "kill";
    case ActionKind::Pause:
      return "pause";
    case ActionKind::Unpause:
      return "unpause";
    case ActionKind::RemoveKeepVolumes:
      return "remove-keep-volumes";
    case ActionKind::Build:
      return "build";
    case ActionKind::Pull:
      return "pull";
    case ActionKind::RemoveImage:
      return "remove-image";
    case ActionKind::WaitRunning:
      return "wait-running";
    case ActionKind::ProviderUp:
      return "provider-up";
    case ActionKind::ProviderDown:
      return "provider-down";
    case ActionKind::ProviderStop:
      return "provider-stop";
  }
  return "?";
}

std::string to_string(const Plan& plan) {
  std::string s;
  for (std::size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    s += "#" + std::to_string(i + 1) + " " + to_string(a.kind);
    if (!a.service.empty()) s += " " + a.service;
    if (a.number != 1) s += "-" + std::to_string(a.number);
    if (!a.reason.empty()) s += " (" + a.reason + ")";
    if (!a.signal.empty()) s += " (" + a.signal + ")";
    for (std::size_t j = 0; j < a.after.size(); ++j)
      s += (j == 0 ? " after #" : " #") + std::to_string(a.after[j] + 1);
    s += "\n";
  }
  return s;
}

}  // namespace qpod::engine
