#pragma once
// The qpod binary in the background, for commands that run until stopped (`logs -f`, attached
// `up`): fork + execv (no shell), stdout and stderr into a file the test polls, and a signal
// to end it. The destructor kills what is left, so a failing test never leaves it running.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace qpod::it {

class BackgroundQpod {
 public:
  // Runs `qpod -p PROJECT ARGS...` in `dir`; output goes to dir/NAME.out.
  BackgroundQpod(const std::filesystem::path& dir, const std::string& project,
                 std::vector<std::string> args, const std::string& name = "bg")
      : log_(dir / (name + ".out")) {
    args.insert(args.begin(), {QPOD_BINARY, "-p", project});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string log = log_.string(), cwd = dir.string();
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);  // its own group: a signal to it is not one to the test runner
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      int null = open("/dev/null", O_RDONLY);
      dup2(null, 0);
      if (chdir(cwd.c_str()) != 0) _exit(126);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~BackgroundQpod() {
    if (pid_ > 0 && !code_) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::string output() const {
    std::ifstream in(log_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Polls the output for `text`, up to `seconds`; false when it never came.
  bool wait_output(const std::string& text, int seconds = 60) const {
    for (int i = 0; i < seconds * 10; ++i) {
      if (output().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  void signal(int sig) const { kill(pid_, sig); }
  // The exit code once it ended (-1 = not within `seconds`; -2 = killed by a signal).
  int wait(int seconds = 120) {
    for (int i = 0; i < seconds * 10 && !code_; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_)
        code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -2;
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return code_ ? *code_ : -1;
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::optional<int> code_;
};

}  // namespace qpod::it
