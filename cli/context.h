#pragma once
// What every command shares: the global flags and the loaded project.
#include <optional>
#include <string>

#include "compose/loader.h"

namespace CLI {
class App;
}

namespace qpod::cli {

struct Context {
  compose::LoadOptions load;
  std::string ansi = "auto";  // never | always | auto
  std::string log_level = "warn";
  int exit_code = 0;

  // Loads the project; on failure prints every diagnostic to stderr and returns nullopt.
  std::optional<compose::Project> load_project();
};

void add_config(CLI::App& app, Context& ctx);
void add_up(CLI::App& app, Context& ctx);
void add_down(CLI::App& app, Context& ctx);
void add_ps(CLI::App& app, Context& ctx);
void add_doctor(CLI::App& app, Context& ctx);

}  // namespace qpod::cli
