#pragma once
// What every command shares: the global flags and the loaded project.
#include <optional>
#include <string>

#include "compose/loader.h"
#include "graph/service_graph.h"

namespace CLI {
class App;
}

namespace qpod::cli {

struct Context {
  compose::LoadOptions load;
  std::string ansi = "auto";  // never | always | auto
  std::string log_level = "warn";
  int exit_code = 0;

  std::optional<graph::ServiceGraph> graph;  // set by load_project()

  // Loads the project and builds its dependency graph (a cycle is an error); on failure prints
  // every diagnostic to stderr, sets exit_code 1 and returns nullopt. Warnings go to stderr too.
  std::optional<compose::Project> load_project();
  // `-f -`: reads stdin (at most 8 MiB) into load.stdin_text, once; false, with the error
  // printed and exit_code 1, when it cannot.
  bool read_stdin_file();
};

// NO_COLOR is set and not empty (no-color.org): --ansi auto means never; --ansi always wins.
bool no_color();

void add_config(CLI::App& app, Context& ctx);
void add_env_commands(CLI::App& app, Context& ctx);  // init, shims, hook, exec-env (cmd_env.cpp)
void add_up(CLI::App& app, Context& ctx);
void add_scale(CLI::App& app, Context& ctx);  // scale SERVICE=N... (cmd_scale.cpp)
void add_down(CLI::App& app, Context& ctx);
void add_ps(CLI::App& app, Context& ctx);
void add_doctor(CLI::App& app, Context& ctx);
void add_lifecycle_commands(CLI::App& app, Context& ctx);  // start, stop, restart
void add_build(CLI::App& app, Context& ctx);
void add_pull(CLI::App& app, Context& ctx);
void add_logs(CLI::App& app, Context& ctx);
void add_container_commands(CLI::App& app, Context& ctx);  // kill, rm, pause, unpause
void add_query_commands(CLI::App& app, Context& ctx);      // top, port, images, ls, wait
void add_watch(CLI::App& app, Context& ctx);
void add_exec(CLI::App& app, Context& ctx);
void add_run(CLI::App& app, Context& ctx);
void add_service(CLI::App& app, Context& ctx);        // service list|start|stop|restart|logs
void add_help_commands(CLI::App& app, Context& ctx);  // help [COMMAND], version (cmd_help.cpp)
void add_kube(CLI::App& app, Context& ctx);           // kube generate|play|down (cmd_kube.cpp)
void add_create(CLI::App& app, Context& ctx);
void add_systemd(CLI::App& app, Context& ctx);  // systemd generate (cmd_systemd.cpp)
// cp, attach, stats, events, volumes (cmd_container_io.cpp)
void add_container_io_commands(CLI::App& app, Context& ctx);
// completion bash|zsh|fish, and the hidden manpage (cmd_completion.cpp)
void add_completion_commands(CLI::App& app, Context& ctx);

}  // namespace qpod::cli
