#pragma once
// Runs a program the way a user would, for end-to-end tests: fork + execve with an argv array
// (no shell), in a folder, with an empty environment plus what the test gives, stdin from
// /dev/null; returns the exit code and what it printed.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace qpod::testing {

namespace fs = std::filesystem;

// In a forked child: execve `exe` as `argv0` with `args`, and `env` plus PATH; never returns.
[[noreturn]] inline void exec_child(const std::string& exe, const std::string& argv0,
                                    std::vector<std::string>& args, std::vector<std::string> env) {
  std::vector<char*> argv{const_cast<char*>(argv0.c_str())};
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  env.push_back("PATH=/usr/bin:/bin");
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  execve(exe.c_str(), argv.data(), envp.data());
  _exit(127);
}

struct Run {
  int code;  // -1 when a signal ended it
  std::string out, err;
  int signal = 0;  // the signal that ended it, if one did
};

// Resource limits for the child (0: the parent's): hostile input must not take unbounded memory
// or time, so tests run such input under limits it would exceed, and check it was not killed.
struct Bounds {
  rlim_t memory_bytes = 0;  // RLIMIT_AS: an allocation past it fails (bad_alloc)
  rlim_t cpu_seconds = 0;   // RLIMIT_CPU: SIGXCPU past it
};

// Runs `exe` (argv[0] = `name`) with `args` in `dir`, with an empty environment plus `env`.
// `stdin_file`: what the child reads (a file, /dev/zero...).
inline Run run(const fs::path& dir, const std::string& exe, const std::string& name,
               std::vector<std::string> args, std::vector<std::string> env = {}, Bounds bounds = {},
               const std::string& stdin_file = "/dev/null") {
  const fs::path out = dir / ".out", err = dir / ".err";
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(127);
    if (!freopen(stdin_file.c_str(), "r", stdin)) _exit(127);
    const rlimit memory{bounds.memory_bytes, bounds.memory_bytes};
    if (bounds.memory_bytes > 0 && setrlimit(RLIMIT_AS, &memory) != 0) _exit(127);
    const rlimit cpu{bounds.cpu_seconds, bounds.cpu_seconds};
    if (bounds.cpu_seconds > 0 && setrlimit(RLIMIT_CPU, &cpu) != 0) _exit(127);
    exec_child(exe, name, args, std::move(env));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err),
          WIFSIGNALED(status) ? WTERMSIG(status) : 0};
}

// As run(), but stdin, stdout and stderr are one pseudo-terminal (the child's controlling
// terminal), as in a user's shell; `out` is all it printed there (newlines as "\r\n").
inline Run run_in_terminal(const fs::path& dir, const std::string& exe,
                           std::vector<std::string> args, std::vector<std::string> env = {}) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return {-1, "", "no pty"};
  const std::string slave = ptsname(master);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    close(master);
    if (setsid() < 0 || chdir(dir.c_str()) != 0) _exit(127);
    const int fd = open(slave.c_str(), O_RDWR);  // the first terminal opened becomes ours
    if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(127);
    if (fd > 2) close(fd);
    exec_child(exe, exe, args, std::move(env));
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(master, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;  // EIO: every holder of the terminal closed it
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, ""};
}

// The built qpod binary, argv[0] "qpod"'s full path.
inline Run run_qpod(const fs::path& dir, std::vector<std::string> args,
                    std::vector<std::string> env = {}, Bounds bounds = {}) {
  return run(dir, QPOD_BINARY, QPOD_BINARY, std::move(args), std::move(env), bounds);
}

// As run_qpod, reading `stdin_file` as its stdin (`-f -`).
inline Run run_qpod_with_stdin(const fs::path& dir, std::vector<std::string> args,
                               const std::string& stdin_file, Bounds bounds = {}) {
  return run(dir, QPOD_BINARY, QPOD_BINARY, std::move(args), {}, bounds, stdin_file);
}

}  // namespace qpod::testing
