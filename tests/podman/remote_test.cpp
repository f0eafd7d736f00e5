// Remote podman: --url, --connection and --identity before every podman command, and
// CONTAINER_HOST left to podman (it reads it itself) through the environment qpod passes on.
#include "podman/remote.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "podman/podman_cli.h"

namespace podman = qpod::podman;
using namespace qpod::podman;

namespace {

// Sets an environment variable for one scope, and puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// The process's remote options for one scope (podman::PodmanCli takes them when constructed).
class ScopedRemote {
 public:
  explicit ScopedRemote(const podman::RemoteOptions& o) : old_(podman::remote_options()) {
    podman::set_remote_options(o);
  }
  ~ScopedRemote() { podman::set_remote_options(old_); }

 private:
  podman::RemoteOptions old_;
};

}  // namespace

TEST_CASE("remote: global args are --opt=value words, in a fixed order", "[remote]") {
  CHECK(podman::global_args({}).empty());
  podman::RemoteOptions o;
  o.identity = "/home/u/.ssh/id_ed25519";
  o.connection = "-staging";  // a value that looks like a flag stays the option's value
  o.url = "ssh://core@build.example:2222/run/user/1000/podman/podman.sock";
  CHECK(podman::global_args(o) ==
        std::vector<std::string>{
            "--url=ssh://core@build.example:2222/run/user/1000/podman/podman.sock",
            "--connection=-staging", "--identity=/home/u/.ssh/id_ed25519"});
}

TEST_CASE("remote: podman is remote by an option or by CONTAINER_HOST or CONTAINER_CONNECTION",
          "[remote]") {
  CHECK_FALSE(podman::is_remote({}, nullptr, nullptr));
  CHECK_FALSE(podman::is_remote({}, "", ""));  // set but empty: podman stays local too
  CHECK(podman::is_remote({}, "ssh://u@h/run/podman/podman.sock", nullptr));
  CHECK(podman::is_remote({}, nullptr, "staging"));
  podman::RemoteOptions url;
  url.url = "unix:///run/podman/podman.sock";
  CHECK(podman::is_remote(url, nullptr, nullptr));
  podman::RemoteOptions conn;
  conn.connection = "staging";
  CHECK(podman::is_remote(conn, nullptr, nullptr));
  podman::RemoteOptions identity_only;  // an identity alone does not say where
  identity_only.identity = "/k";
  CHECK_FALSE(podman::is_remote(identity_only, nullptr, nullptr));

  ScopedEnv host("CONTAINER_HOST", "ssh://u@h/run/podman/podman.sock");
  ScopedEnv connection("CONTAINER_CONNECTION", nullptr);
  ScopedRemote none({});
  CHECK(podman::podman_is_remote());
}

TEST_CASE("remote: every podman::PodmanCli command gets the global options after the binary",
          "[remote]") {
  // /bin/echo stands in for podman: it prints the argv it was given.
  ScopedEnv podman("QPOD_PODMAN", "/bin/echo");
  podman::RemoteOptions o;
  o.url = "ssh://core@build.example/run/user/1000/podman/podman.sock";
  o.connection = "staging";
  ScopedRemote remote(o);
  podman::PodmanCli cli;
  CHECK(cli.run({"ps", "-a"}).out ==
        "--url=ssh://core@build.example/run/user/1000/podman/podman.sock --connection=staging "
        "ps -a\n");
  std::vector<std::string> lines;
  cli.stream({"logs", "-f", "web"}, [&](const std::string& line, bool) { lines.push_back(line); });
  CHECK(lines ==
        std::vector<std::string>{"--url=ssh://core@build.example/run/user/1000/podman/podman.sock "
                                 "--connection=staging logs -f web"});
  CHECK(cli.command_line({"exec", "-i", "web", "sh"}) ==
        std::vector<std::string>{"/bin/echo",
                                 "--url=ssh://core@build.example/run/user/1000/podman/podman.sock",
                                 "--connection=staging", "exec", "-i", "web", "sh"});
  // Remote: this machine's ulimits say nothing of podman's, so none are handed out.
  CHECK(cli.host_facts().default_ulimits.empty());

  ScopedRemote local({});
  podman::PodmanCli plain;
  CHECK(plain.run({"ps", "-a"}).out == "ps -a\n");
  CHECK(plain.command_line({"ps"}) == std::vector<std::string>{"/bin/echo", "ps"});
}

TEST_CASE("remote: CONTAINER_HOST reaches podman through the environment, unchanged", "[remote]") {
  // podman 4.x reads CONTAINER_HOST itself and goes remote; qpod adds no --url for it.
  ScopedEnv podman("QPOD_PODMAN", "/usr/bin/env");
  ScopedEnv host("CONTAINER_HOST", "ssh://core@build.example/run/user/1000/podman/podman.sock");
  ScopedRemote none({});
  podman::PodmanCli cli;
  auto r = cli.run({});
  CHECK(r.ok());
  const std::string entry =
      "CONTAINER_HOST=ssh://core@build.example/run/user/1000/podman/podman.sock\n";
  const bool passed_on =
      r.out.find("\n" + entry) != std::string::npos || r.out.rfind(entry, 0) == 0;
  CHECK(passed_on);
  CHECK(cli.command_line({"ps"}) == std::vector<std::string>{"/usr/bin/env", "ps"});
  CHECK(cli.host_facts().default_ulimits.empty());
}
