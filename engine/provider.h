#pragma once
// Provider services (Compose's extension protocol, docker/compose docs/extension.md): a service
// with `provider:` has no container; the program `provider.type` from PATH manages it, run as
// `TYPE compose --project-name=P up|down|stop --OPT=V... SERVICE`. Its stdout is JSON lines
// {"type": info|error|setenv|rawsetenv|debug, "message": "..."}; `setenv K=V` reaches the
// services that depend on it as SERVICE_K=V (SERVICE upper-cased), `rawsetenv` as K=V.
// Runs go through the podman::Runtime seam (find_program, stream_program), so tests use a fake.
#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "engine/plan.h"
#include "engine/progress.h"
#include "podman/runtime.h"

namespace qpod::engine {

// `TYPE compose metadata`: the options each command takes. Unknown (none, or neither a
// description nor parameters): every option goes to every command. `stop` is called only when
// the metadata has it (opt-in).
struct ProviderMetadata {
  bool known = false;
  bool has_stop = false;
  std::map<std::string, std::map<std::string, bool>> parameters;  // command -> name -> required
};
ProviderMetadata parse_provider_metadata(const std::string& out);

// `compose --project-name=P COMMAND --OPT=V... SERVICE`, the program's arguments. With known
// metadata only the options the command declares go; a required one missing is an error.
Result<std::vector<std::string>> provider_argv(const compose::Project& p, const compose::Service& s,
                                               const std::string& command,
                                               const ProviderMetadata& m);

// One line of a provider's output; nullopt when it is not {"type": ..., "message": ...}.
struct ProviderMessage {
  std::string type, message;
};
std::optional<ProviderMessage> parse_provider_line(const std::string& line);

// What a provider's `up` handed its dependants.
struct ProviderVariables {
  std::map<std::string, std::string> prefixed, raw;  // setenv (without the prefix), rawsetenv
};

// Runs COMMAND (up, down, stop) of provider service `s`: info lines become progress, debug
// lines the debug log, an error line or a non-zero exit fails. `stop` runs only when the
// metadata declares it. `cancel` set kills the program. The program (and its `compose
// metadata`) runs with the project's environment, p.environment: the variables interpolation
// used, .env included, as docker compose runs it.
// Its variables (none but for `up`), or why it failed.
Result<ProviderVariables> run_provider(podman::Runtime& rt, const compose::Project& p,
                                       const compose::Service& s, const std::string& command,
                                       Progress& progress,
                                       const std::atomic<bool>* cancel = nullptr);

// The variables each service depending on `provider` gets, merged into `into` (service ->
// KEY -> VALUE). A rawsetenv key that overrides a value the service has is a warning.
void provide_variables(const compose::Project& p, const std::string& provider,
                       const ProviderVariables& v,
                       std::map<std::string, std::map<std::string, std::string>>& into,
                       std::vector<std::string>& warnings);

// up's first step: the provider-up actions of `plan` that wait for nothing but other
// provider-ups, as a plan of their own (indices renumbered). Once they ran, `up` plans again
// with their variables known (UpOptions::providers_done, provided), so a dependant whose
// variables changed is recreated. Providers that wait for containers stay in the plan.
Plan leading_providers(const Plan& plan);

// "service db: provider program awesomecloud not found in PATH ..." for each provider action
// of `plan` whose program is missing: `up` refuses before it creates anything.
Diagnostics missing_providers(podman::Runtime& rt, const compose::Project& p, const Plan& plan);

}  // namespace qpod::engine
