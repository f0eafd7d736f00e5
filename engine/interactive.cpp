#include "engine/interactive.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

namespace qpod::engine {
namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

sigset_t handled_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kForwarded) sigaddset(&set, s);
  sigaddset(&set, SIGCHLD);
  return set;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

int run_interactive(const std::string& binary, const std::vector<std::string>& argv,
                    const InteractiveOptions& o) {
  if (argv.empty()) return 127;
  // The signals wait in a set, read by sigtimedwait below: no handler runs in between, and
  // none is lost between fork and the wait.
  const sigset_t set = handled_set();
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &set, &old_mask);

  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);

  const pid_t pid = fork();
  if (pid < 0) {
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    std::cerr << "qpod: cannot start " << binary << ": " << std::strerror(errno) << "\n";
    return 127;
  }
  if (pid == 0) {
    if (o.own_process_group) setpgid(0, 0);
    for (int s : kForwarded) std::signal(s, SIG_DFL);
    std::signal(SIGCHLD, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, nullptr);
    if (binary.find('/') != std::string::npos)
      execv(binary.c_str(), cargv.data());
    else
      execvp(binary.c_str(), cargv.data());
    std::fprintf(stderr, "qpod: cannot run %s: %s\n", binary.c_str(), std::strerror(errno));
    _exit(127);
  }
  if (o.own_process_group) setpgid(pid, pid);  // both sides: no race with the child's exec
  // Started with the signals blocked: it inherits the mask. It must not wait for SIGCHLD
  // (sigtimedwait below takes it): podman::run_process waits for its children by pid.
  std::atomic<bool> ended = false;
  std::thread alongside;
  if (o.alongside) alongside = std::thread([&] { o.alongside(ended); });

  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      status = 1 << 8;
      break;
    }
    siginfo_t info;
    timespec tick{0, 200'000'000};  // a SIGCHLD sent before we waited is caught by waitpid
    const int sig = sigtimedwait(&set, &info, &tick);
    if (sig <= 0 || sig == SIGCHLD) continue;
    // From the terminal (si_code SI_KERNEL) to a child in our own group: it has it already.
    const bool from_terminal = info.si_code == SI_KERNEL;
    if (from_terminal && !o.own_process_group) continue;
    if (o.forward_to_child) kill(pid, sig);
    if (o.on_signal) o.on_signal(sig);
  }
  ended = true;
  if (alongside.joinable()) alongside.join();
  // Drop what is still pending (a Ctrl-C the child already handled must not kill qpod now).
  timespec zero{0, 0};
  siginfo_t info;
  while (sigtimedwait(&set, &info, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return exit_code_of(status);
}

InteractiveOptions podman_exec_options(const std::string& marker, bool own_process_group) {
  InteractiveOptions io;
  io.own_process_group = own_process_group;
  io.forward_to_child = false;  // podman exec would exit, leaving the process running
  io.on_signal = [marker](int sig) {
    if (!marker.empty()) signal_processes_with_env(marker, sig);
  };
  return io;
}

int signal_processes_with_env(const std::string& entry, int sig) {
  int count = 0;
  if (entry.find('=') == std::string::npos) return 0;
  DIR* proc = opendir("/proc");
  if (!proc) return 0;
  const pid_t self = getpid();
  while (dirent* e = readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0' || pid == self) continue;
    const std::string path = std::string("/proc/") + e->d_name + "/environ";
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    std::string env;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) env.append(buf, static_cast<std::size_t>(n));
    close(fd);
    std::size_t pos = 0;
    while (pos < env.size()) {
      const std::size_t z = env.find('\0', pos);
      const std::size_t len = (z == std::string::npos ? env.size() : z) - pos;
      if (len == entry.size() && env.compare(pos, len, entry) == 0) {
        if (kill(static_cast<pid_t>(pid), sig) == 0) ++count;
        break;
      }
      if (z == std::string::npos) break;
      pos = z + 1;
    }
  }
  closedir(proc);
  return count;
}

}  // namespace qpod::engine
