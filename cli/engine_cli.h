#pragma once
// What the engine commands share: the project (or just its name), the project lock, podman,
// progress output and Ctrl-C. Every command that acts on containers runs through
// run_engine_command, so that wiring exists once.
#include <atomic>
#include <functional>
#include <iostream>
#include <optional>

#include "cli/context.h"
#include "compose/model.h"
#include "engine/operations.h"
#include "engine/progress.h"
#include "podman/podman_cli.h"

namespace qpod::cli {

// "no such service: wbe (did you mean web?)".
std::string no_such_service(const compose::Project& p, const std::string& name);

// The loaded project; when loading fails but -p was given, a project with only that name
// (down and ps work by label, without the compose file).
std::optional<compose::Project> project_or_name(Context& ctx);

// The project lock's note while another qpod command holds it (engine::ProjectLock's on_wait).
void say_waiting(const std::string& project);

// Installs a SIGINT/SIGTERM handler that sets the returned flag (the executor polls it).
const std::atomic<bool>* cancel_on_signal();
// Set by the second signal (attached `up`: the first stops gracefully, the second kills).
const std::atomic<bool>* force_on_second_signal();
// Colours and in-place progress: --ansi always, or auto and stdout is a terminal and NO_COLOR
// is not set.
bool use_ansi(const Context& ctx);

// Everything an engine command needs, set up by run_engine_command.
struct EngineSession {
  compose::Project& project;
  podman::Runtime& rt;
  engine::Progress& progress;
  engine::RunOptions& run;  // with run.cancel set
  std::ostream& out;        // plans (--dry-run) and command output
  bool ansi = false;        // use_ansi(ctx): colours, progress rewritten in place
};

enum class ProjectNeed {
  File,          // the compose file must load (up, start, run...)
  NameIsEnough,  // with -p, a project known only by its labels will do (down, stop, ps...)
};

struct EngineCommandOptions {
  ProjectNeed need = ProjectNeed::File;
  bool lock = true;  // commands that change the project take its lock; read-only ones don't
  // Services named on the command line: each must exist in the project (exit 1 otherwise).
  std::vector<std::string> services;
};

// Loads the project, checks the named services, takes the lock, sets up podman, progress and
// Ctrl-C, then calls `body`; returns its exit code (or 1 when set-up fails).
int run_engine_command(Context& ctx, engine::RunOptions& run, const EngineCommandOptions& o,
                       const std::function<int(EngineSession&)>& body);

}  // namespace qpod::cli
