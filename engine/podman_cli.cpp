#include "engine/podman_cli.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/process.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <istream>

namespace qpod::engine {
namespace bp = boost::process;
namespace asio = boost::asio;

namespace {

std::string find_podman() {
  if (const char* env = std::getenv("QPOD_PODMAN"); env && *env) return env;
  auto path = bp::search_path("podman");
  return path.empty() ? std::string() : path.string();
}

RunResult not_found(const std::string& binary, const std::string& why) {
  std::string name = binary.empty() ? "podman" : binary;
  return {127, {}, "cannot run " + name + ": " + why + " (is podman installed and in PATH?)"};
}

class Timer {
 public:
  long long ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Reads `pipe` line by line until EOF, handing each line to `sink`.
void read_lines(asio::streambuf& buf, bp::async_pipe& pipe, bool is_err, const LineSink& sink) {
  asio::async_read_until(pipe, buf, '\n', [&buf, &pipe, is_err, &sink](
                                              const boost::system::error_code& ec, std::size_t) {
    std::istream in(&buf);
    std::string line;
    if (!ec) {
      std::getline(in, line);
      sink(line, is_err);
      read_lines(buf, pipe, is_err, sink);
      return;
    }
    // EOF: whatever is left without a final newline is the last line.
    if (std::getline(in, line) && !line.empty()) sink(line, is_err);
  });
}

}  // namespace

PodmanCli::PodmanCli() : binary_(find_podman()) {}

RunResult PodmanCli::run(const std::vector<std::string>& argv) {
  if (binary_.empty()) return not_found(binary_, "not found");
  spdlog::trace("podman {}", join_argv(argv));
  Timer timer;
  RunResult r;
  try {
    asio::io_context ios;
    std::future<std::string> out, err;
    bp::child child(binary_, bp::args(argv), bp::std_in.close(), bp::std_out > out,
                    bp::std_err > err, ios);
    ios.run();  // returns when both pipes reached EOF
    child.wait();
    r.exit_code = child.exit_code();
    r.out = out.get();
    r.err = err.get();
  } catch (const std::exception& e) {
    return not_found(binary_, e.what());
  }
  spdlog::trace("podman {} -> {} ({} ms)", argv.empty() ? "" : argv[0], r.exit_code, timer.ms());
  return r;
}

RunResult PodmanCli::stream(const std::vector<std::string>& argv, const LineSink& sink) {
  if (binary_.empty()) return not_found(binary_, "not found");
  spdlog::trace("podman {}", join_argv(argv));
  RunResult r;
  try {
    asio::io_context ios;
    bp::async_pipe out(ios), err(ios);
    asio::streambuf out_buf, err_buf;
    bp::child child(binary_, bp::args(argv), bp::std_in.close(), bp::std_out > out,
                    bp::std_err > err, ios);
    read_lines(out_buf, out, false, sink);
    read_lines(err_buf, err, true, sink);
    ios.run();
    child.wait();
    r.exit_code = child.exit_code();
  } catch (const std::exception& e) {
    return not_found(binary_, e.what());
  }
  return r;
}

}  // namespace qpod::engine
