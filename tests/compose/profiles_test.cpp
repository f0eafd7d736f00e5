#include "compose/profiles.h"

#include <catch2/catch.hpp>

#include "compose/emit.h"
#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

// The spec's example (15-profiles.md), with depends_on already in its long form as after
// normalization.
const char* kSpecExample = R"(
services:
  foo:
    image: foo
  bar:
    image: bar
    profiles: [test]
  baz:
    image: baz
    depends_on: {bar: {condition: service_started, required: true}}
    profiles: [test]
  zot:
    image: zot
    depends_on: {bar: {condition: service_started, required: true}}
    profiles: [debug]
  off:
    image: off
    profiles: []
)";

Node yaml(const char* text) {
  auto r = parse_yaml(text, "compose.yaml");
  REQUIRE(r.ok());
  return std::move(r).value();
}

// "active | disabled" service names after selecting `profiles`.
std::string split(const std::vector<std::string>& profiles) {
  Node root = yaml(kSpecExample);
  Node disabled = Node::mapping();
  auto errors = apply_profiles(root, profiles, disabled);
  REQUIRE(errors.empty());
  std::string out;
  for (const auto& k : root.find("services")->keys) out += k.name + " ";
  out += "|";
  for (const auto& k : disabled.keys) out += " " + k.name;
  return out;
}

}  // namespace

TEST_CASE("profiles: services without profiles are always active") {
  CHECK(split({}) == "foo off | bar baz zot");
}

TEST_CASE("profiles: a service is active when one of its profiles is selected") {
  CHECK(split({"test"}) == "foo bar baz off | zot");
  CHECK(split({"debug", "test"}) == "foo bar baz zot off |");
  CHECK(split({"*"}) == "foo bar baz zot off |");
  CHECK(split({"other"}) == "foo off | bar baz zot");
}

// Chosen behaviour, as docker compose: an active service's dependency whose profile is not
// selected is not enabled here; it stays in `disabled`, where validation finds and reports it.
TEST_CASE("profiles: a dependency on a disabled service stays disabled, without an error here") {
  CHECK(split({"debug"}) == "foo zot off | bar baz");
}

TEST_CASE("profiles: disabled services keep their definition and position") {
  Node root = yaml(kSpecExample);
  Node disabled = Node::mapping();
  REQUIRE(apply_profiles(root, {}, disabled).empty());
  CHECK(to_yaml(disabled.items[0]) == "image: bar\nprofiles:\n  - test\n");
  CHECK(disabled.keys[0].mark.line == 5);
}

TEST_CASE("profiles: profiles that are not a list are an error") {
  Node root = yaml("services:\n  a:\n    profiles: debug\n");
  Node disabled = Node::mapping();
  auto errors = apply_profiles(root, {"debug"}, disabled);
  REQUIRE(errors.size() == 1);
  CHECK(format(errors[0]) ==
        "compose.yaml:3:15: services.a.profiles: expected a list of profile names, not a string "
        "(\"debug\")");
  CHECK(root.find("services")->find("a") != nullptr);
}
