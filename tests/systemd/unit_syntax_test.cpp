// systemd unit syntax: each Exec word reads back as the value it was made from (systemd's own
// reading is checked in verify_systemd_test.cpp), and no value becomes a directive.
#include "systemd/unit_syntax.h"

#include <catch2/catch.hpp>
#include <string>

using namespace qpod::systemd;

TEST_CASE("systemd exec words: plain values stay bare, others are quoted") {
  CHECK(exec_word("run") == "run");
  CHECK(exec_word("--name=web-1") == "--name=web-1");
  CHECK(exec_word("localhost/qpod-busybox:latest") == "localhost/qpod-busybox:latest");
  CHECK(exec_word("") == "\"\"");        // an empty argument stays an argument
  CHECK(exec_word("a b") == "\"a b\"");  // one argument, not two
  CHECK(exec_word(";") == "\";\"");      // a bare ; would end the command
  CHECK(exec_word("#x") == "\"#x\"");    // a continuation line starting with # is a comment
  CHECK(exec_word("it's") == "\"it's\"");
}

TEST_CASE("systemd exec words: specifiers, variables, quotes and control characters escaped") {
  CHECK(exec_word("50%") == "\"50%%\"");
  CHECK(exec_word("%n") == "\"%%n\"");
  CHECK(exec_word("$HOME") == "\"$$HOME\"");
  CHECK(exec_word("${X}") == "\"$${X}\"");
  CHECK(exec_word("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(exec_word("C:\\dir\\") == "\"C:\\\\dir\\\\\"");
  CHECK(exec_word("two\nlines") == "\"two\\nlines\"");
  CHECK(exec_word("a\tb\rc") == "\"a\\tb\\rc\"");
  CHECK(exec_word(std::string("bell\x07")) == "\"bell\\x07\"");
  CHECK(exec_word("del\x7f") == "\"del\\x7f\"");
  CHECK(exec_word("caf\xc3\xa9 ok") == "\"caf\xc3\xa9 ok\"");  // UTF-8 passes as is
  CHECK_FALSE(exec_word(std::string("nul\0byte", 8)).has_value());
}

TEST_CASE("systemd exec lines: an option per continuation line, a user value never a new line") {
  auto line = exec_line("/usr/bin/podman", {literal("run"), specified("--cidfile=%t/%n.ctr-id"),
                                            literal("a\nExecStartPre=/bin/false"), literal("%t"),
                                            literal("--env"), literal("-x")});
  REQUIRE(line);
  CHECK(*line ==
        "/usr/bin/podman run \\\n\t--cidfile=%t/%n.ctr-id \"a\\nExecStartPre=/bin/false\" "
        "\"%%t\" \\\n\t--env \\\n\t-x");
  // Every physical line but the last ends with the continuation backslash: nothing can start a
  // directive of its own.
  std::string rest = *line;
  std::size_t lines = 0;
  for (std::size_t nl; (nl = rest.find('\n')) != std::string::npos; rest = rest.substr(nl + 1)) {
    CHECK(rest.substr(0, nl).back() == '\\');
    ++lines;
  }
  CHECK(lines == 3);
  CHECK_FALSE(exec_line("/usr/bin/podman", {literal(std::string("\0", 1))}).has_value());
}

TEST_CASE("systemd plain values: one line, no specifier") {
  CHECK(plain_value("web 100%") == "web 100%%");
  CHECK(plain_value("a\nb\\") == "a b ");
}

TEST_CASE("systemd unit names: what qpod writes is a plain unit name") {
  CHECK(valid_unit_name("container-ci-env-db-1.service"));
  CHECK(valid_unit_name("pod-my_project.service"));
  CHECK_FALSE(valid_unit_name("container-a b.service"));
  CHECK_FALSE(valid_unit_name("container-x@y.service"));  // a template instance
  CHECK_FALSE(valid_unit_name("a/b.service"));
  CHECK_FALSE(valid_unit_name(std::string(300, 'a') + ".service"));
  CHECK_FALSE(valid_unit_name(""));
}
