#include "podman/process.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <chrono>
#include <istream>

namespace qpod::podman {
namespace bp = boost::process;
namespace asio = boost::asio;

namespace {

// In the child, between fork and exec: every descriptor above stderr closes on exec. Without
// this, a child forked by another executor thread inherits this call's pipe ends; `podman
// start` leaves conmon running with them, and this call's read never sees EOF.
// (bp::limit_handles would do it, but in Boost 1.74 it also closes the async pipes.)
const auto only_own_pipes = bp::extend::on_exec_setup([](auto&) {
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  for (int fd = 3; fd < 65536; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);  // kernels before 5.11
});

RunResult cannot_start(const std::string& binary, const std::string& why) {
  return {127, {}, "cannot run " + binary + ": " + why};
}

// Reads `pipe` line by line until EOF, handing each line to `sink`.
void read_lines(asio::streambuf& buf, bp::async_pipe& pipe, bool is_err, const LineSink& sink) {
  asio::async_read_until(
      pipe, buf, '\n',
      [&buf, &pipe, is_err, &sink](const boost::system::error_code& ec, std::size_t) {
        std::istream in(&buf);
        std::string line;
        if (!ec) {
          std::getline(in, line);
          sink(line, is_err);
          read_lines(buf, pipe, is_err, sink);
          return;
        }
        // EOF: what is left without a final newline is the last line.
        if (std::getline(in, line) && !line.empty()) sink(line, is_err);
      });
}

}  // namespace

std::string find_in_path(const std::string& name) {
  auto path = bp::search_path(name);
  return path.empty() ? std::string() : path.string();
}

RunResult run_process(const std::string& binary, const std::vector<std::string>& argv,
                      const std::string& cwd) {
  RunResult r;
  try {
    // Pipes read through asio, the child waited for by its pid: nothing here waits for
    // SIGCHLD (Boost's future outputs would), which another thread may take with sigtimedwait
    // (run_interactive while `run` polls the one-off's state for its post_start hooks).
    asio::io_context ios;
    bp::async_pipe out(ios), err(ios);
    bp::child child(binary, bp::args(argv), bp::start_dir(cwd.empty() ? "." : cwd),
                    bp::std_in.close(), bp::std_out > out, bp::std_err > err, only_own_pipes);
    auto ignore = [](const boost::system::error_code&, std::size_t) {};  // EOF ends each read
    asio::async_read(out, asio::dynamic_buffer(r.out), ignore);
    asio::async_read(err, asio::dynamic_buffer(r.err), ignore);
    ios.run();  // returns when both pipes reached EOF
    child.wait();
    r.exit_code = child.exit_code();
  } catch (const std::exception& e) {
    return cannot_start(binary, e.what());
  }
  return r;
}

RunResult stream_process(const std::string& binary, const std::vector<std::string>& argv,
                         const LineSink& sink, const std::atomic<bool>* stop,
                         const std::map<std::string, std::string>* env) {
  RunResult r;
  try {
    asio::io_context ios;
    bp::async_pipe out(ios), err(ios);
    asio::streambuf out_buf, err_buf;
    bp::environment child_env = boost::this_process::environment();
    if (env) {
      child_env.clear();
      for (const auto& [key, value] : *env) child_env[key] = value;
    }
    bp::child child(binary, bp::args(argv), bp::std_in.close(), bp::std_out > out,
                    bp::std_err > err, child_env, ios, only_own_pipes);
    read_lines(out_buf, out, false, sink);
    read_lines(err_buf, err, true, sink);
    if (!stop) {
      ios.run();
    } else {
      // Polls `stop` between output: a follower (`logs -f`) may be silent for hours.
      // After the kill, a grandchild that inherited the pipes could hold them open: give up
      // reading after a second.
      for (int after_kill = 0; !ios.stopped();) {
        ios.run_for(std::chrono::milliseconds(100));
        if (!stop->load()) continue;
        if (child.running()) child.terminate();
        if (++after_kill > 10) ios.stop();
      }
    }
    child.wait();
    r.exit_code = child.exit_code();
  } catch (const std::exception& e) {
    return cannot_start(binary, e.what());
  }
  return r;
}

}  // namespace qpod::podman
