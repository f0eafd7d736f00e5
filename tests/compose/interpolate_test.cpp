#include "compose/interpolate.h"

#include <catch2/catch.hpp>
#include <memory>

#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

const Variables kEnv = {{"A", "a"}, {"EMPTY", ""}, {"B", "b"}, {"TAG", "1.2"}, {"N", "3"}};

// The substituted text, or the formatted error.
std::string interp(std::string_view text, const Variables& env = kEnv) {
  const Mark mark{std::make_shared<const std::string>("compose.yaml"), 3, 12};
  auto r = interpolate_string(text, env, mark, "services.web.image");
  return r ? r.value() : format(r.errors());
}

}  // namespace

TEST_CASE("interpolate: plain and braced references") {
  CHECK(interp("no dollar") == "no dollar");
  CHECK(interp("$A") == "a");
  CHECK(interp("${A}") == "a");
  CHECK(interp("x${A}y$B.z") == "xayb.z");
  CHECK(interp("$A$B") == "ab");
  CHECK(interp("${UNSET}") == "");
  CHECK(interp("$UNSET-x") == "-x");
  CHECK(interp("${a}") == "");  // names are case-sensitive
}

TEST_CASE("interpolate: defaults, required and alternatives") {
  CHECK(interp("${UNSET:-def}") == "def");
  CHECK(interp("${EMPTY:-def}") == "def");
  CHECK(interp("${A:-def}") == "a");
  CHECK(interp("${UNSET-def}") == "def");
  CHECK(interp("${EMPTY-def}") == "");
  CHECK(interp("${A-def}") == "a");
  CHECK(interp("${A:?boom}") == "a");
  CHECK(interp("${EMPTY?boom}") == "");
  CHECK(interp("${A:+alt}") == "alt");
  CHECK(interp("${EMPTY:+alt}") == "");
  CHECK(interp("${UNSET:+alt}") == "");
  CHECK(interp("${EMPTY+alt}") == "alt");
  CHECK(interp("${UNSET+alt}") == "");
  CHECK(interp("${UNSET:-}") == "");
  CHECK(interp("${UNSET:-a b:c}") == "a b:c");
}

TEST_CASE("interpolate: nesting") {
  CHECK(interp("${UNSET:-${B:-x}}") == "b");
  CHECK(interp("${UNSET:-${UNSET2:-x}}") == "x");
  CHECK(interp("${A:+${B}}") == "b");
  CHECK(interp("${A:+[${B}/${TAG}]}") == "[b/1.2]");
  CHECK(interp("${UNSET:-$B}") == "b");
  CHECK(interp("${UNSET:-{x}}") == "{x}");  // the first "}" closes: then "}" is literal text
}

TEST_CASE("interpolate: $$ and a $ that starts no reference are literal") {
  CHECK(interp("$$") == "$");
  CHECK(interp("$$A") == "$A");
  CHECK(interp("$${A}") == "${A}");
  CHECK(interp("$$$A") == "$a");
  CHECK(interp("cost: 5$") == "cost: 5$");
  CHECK(interp("$1 $ $-") == "$1 $ $-");
  CHECK(interp("${UNSET:-$$}") == "$");
}

TEST_CASE("interpolate: errors name the position, the key path and what was expected") {
  CHECK(interp("${TAG2:?tag is needed}") ==
        "compose.yaml:3:12: services.web.image: required variable TAG2 is missing a value: "
        "tag is needed\n");
  CHECK(interp("${EMPTY:?}") ==
        "compose.yaml:3:12: services.web.image: required variable EMPTY is missing a value\n");
  CHECK(interp("${UNSET?set $A please}") ==
        "compose.yaml:3:12: services.web.image: required variable UNSET is missing a value: "
        "set a please\n");
  CHECK(interp("x ${A") ==
        "compose.yaml:3:12: services.web.image: invalid interpolation \"${A\": expected a "
        "closing \"}\" (write $$ for a literal $)\n");
  CHECK(interp("${}") ==
        "compose.yaml:3:12: services.web.image: invalid interpolation \"${}\": expected a "
        "variable name ([A-Za-z_][A-Za-z0-9_]*) after \"${\"\n");
  CHECK(interp("${1a}") ==
        "compose.yaml:3:12: services.web.image: invalid interpolation \"${1a}\": expected a "
        "variable name ([A-Za-z_][A-Za-z0-9_]*) after \"${\"\n");
  CHECK(interp("${A B}") ==
        "compose.yaml:3:12: services.web.image: invalid interpolation \"${A B}\": expected "
        "\"}\" or one of \":-\", \"-\", \":?\", \"?\", \":+\", \"+\" after \"${A\"\n");
  // A syntax error inside a default is found even when the default is not used.
  CHECK(interp("${A:-${}}") ==
        "compose.yaml:3:12: services.web.image: invalid interpolation \"${}\": expected a "
        "variable name ([A-Za-z_][A-Za-z0-9_]*) after \"${\"\n");
  // A required variable inside an unused default is not checked.
  CHECK(interp("${A:-${UNSET:?no}}") == "a");
  CHECK(interp("${UNSET:-${UNSET2:?no}}") ==
        "compose.yaml:3:12: services.web.image: required variable UNSET2 is missing a value: no\n");
}

TEST_CASE("interpolate: a tree keeps keys and quoting, and reports every error") {
  auto parsed = parse_yaml(R"(services:
  web:
    image: "busybox:${TAG}"
    deploy:
      replicas: ${N}
    labels:
      $A: "${B}"
    command: ["echo", "$$HOME", "${MISSING:?set it}"]
    user: ${USER_ID:?}
x-meta:
  owner: ${A}
)",
                           "compose.yaml");
  REQUIRE(parsed.ok());
  Node root = std::move(parsed).value();
  Diagnostics ds = interpolate(root, kEnv);
  CHECK(format(ds) ==
        "compose.yaml:8:33: services.web.command[2]: required variable MISSING is missing a "
        "value: set it\n"
        "compose.yaml:9:11: services.web.user: required variable USER_ID is missing a value\n");
  const Node& web = *root.find("services")->find("web");
  CHECK(web.find("image")->str() == "busybox:1.2");
  CHECK(web.find("image")->quoted);
  const Node& replicas = *web.find("deploy")->find("replicas");
  CHECK_FALSE(replicas.quoted);
  CHECK(replicas.as_int() == 3);
  CHECK(web.find("labels")->keys[0].name == "$A");
  CHECK(web.find("labels")->items[0].str() == "b");
  CHECK(web.find("command")->items[1].str() == "$HOME");
  CHECK(root.find("x-meta")->find("owner")->str() == "a");
}

TEST_CASE("interpolate: an unset variable gives one warning per variable") {
  auto parsed = parse_yaml("a: ${NOPE}\nb: x${NOPE}\nc: ${NOPE:-d}\n", "compose.yaml");
  REQUIRE(parsed.ok());
  Node root = std::move(parsed).value();
  Diagnostics ds = interpolate(root, kEnv);
  CHECK_FALSE(has_errors(ds));
  CHECK(format(ds) ==
        "compose.yaml:1:4: warning: a: variable NOPE is not set, defaulting to a blank string\n");
  CHECK(root.find("a")->str() == "");
  CHECK(root.find("b")->str() == "x");
  CHECK(root.find("c")->str() == "d");
}
