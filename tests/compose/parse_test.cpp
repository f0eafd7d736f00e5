#include "compose/parse.h"

#include <catch2/catch.hpp>

#include "compose/emit.h"
#include "compose/parse_engines.h"

using namespace qpod;
using namespace qpod::compose;

TEST_CASE("parse keeps positions, quoting and key order") {
  auto r = parse_yaml("services:\n  web:\n    image: \"1.0\"\n    scale: 2\n", "c.yaml");
  REQUIRE(r.ok());
  const Node* web = r->find("services")->find("web");
  REQUIRE(web);
  CHECK(web->keys[0].name == "image");
  CHECK(web->find("image")->is_string());
  CHECK(web->find("image")->mark.line == 3);
  CHECK(web->find("image")->mark.col == 12);
  CHECK(web->find("scale")->as_int() == 2);
  CHECK(*web->find("image")->mark.file == "c.yaml");
}

TEST_CASE("parse resolves anchors, aliases and merge keys, local keys win") {
  auto r = parse_yaml(R"(x-base: &base
  image: busybox
  restart: always
services:
  a:
    <<: *base
    restart: "no"
)",
                      "c.yaml");
  REQUIRE(r.ok());
  const Node* a = r->find("services")->find("a");
  CHECK(a->find("image")->str() == "busybox");
  CHECK(a->find("restart")->str() == "no");
  CHECK(a->find("<<") == nullptr);
}

TEST_CASE("parse rejects duplicate keys with their position") {
  auto r = parse_yaml("services:\n  a: {}\n  a: {}\n", "c.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(format(r.errors()[0]) == "c.yaml:3:3: services.a: duplicate key \"a\"");
}

TEST_CASE("parse reports YAML syntax errors with a position") {
  auto r = parse_yaml("services:\n  a: [1, 2\n", "c.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors()[0].line > 0);
  CHECK(r.errors()[0].message.rfind("invalid YAML", 0) == 0);
}

TEST_CASE("parse keeps !reset and !override tags") {
  auto r = parse_yaml("a: !reset []\nb: !override {x: 1}\n", "c.yaml");
  REQUIRE(r.ok());
  CHECK(r->find("a")->tag == "!reset");
  CHECK(r->find("b")->tag == "!override");
}

TEST_CASE("emit quotes strings that would read back as other types") {
  Node m = Node::mapping();
  m.set("a", Node::string("true"));
  m.set("b", Node::string("8080:80"));
  m.set("c", Node::number(3));
  m.set("d", Node::string("yes"));
  CHECK(to_yaml(m) == "a: \"true\"\nb: \"8080:80\"\nc: 3\nd: \"yes\"\n");
  CHECK(to_json_text(m, -1) == "{\"a\":\"true\",\"b\":\"8080:80\",\"c\":3,\"d\":\"yes\"}\n");
}

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string first_error(std::string_view text) {
  auto r = parse_yaml(text, "c.yaml");
  return r.ok() ? "(parsed)" : format(r.errors()[0]);
}

}  // namespace

TEST_CASE("parse reads 256 levels of nesting and stops at the 257th, whatever the reader") {
  CHECK(parse_yaml("a: " + repeat("[", 255) + repeat("]", 255) + "\n", "c.yaml").ok());
  // The key path is cut after 100 characters.
  const std::string error = "c.yaml:1:259: a" + repeat("[0]", 33) +
                            "...: nesting deeper than 256 levels of mappings and lists";
  CHECK(first_error("a: " + repeat("[", 256) + repeat("]", 256) + "\n") == error);
  // A lone \r takes the yaml-cpp path too (libyaml_may_differ): the same limit, the same place.
  CHECK(first_error("a: " + repeat("[", 256) + repeat("]", 256) + "\rb: 1\n") == error);
  CHECK(detail::parse_with_yaml_cpp("a: " + repeat("[", 256) + repeat("]", 256) + "\n", "c.yaml")
            .errors()
            .front()
            .message == "nesting deeper than 256 levels of mappings and lists");
}

TEST_CASE("parse allows aliases as go-yaml does and refuses a YAML bomb at the alias") {
  // 300 services merging one base of 20 keys: 12,300 nodes copied for ~1,500 written, fine.
  std::string text = "x-base: &base\n";
  for (int i = 0; i < 20; ++i) text += "  k" + std::to_string(i) + ": v\n";
  text += "services:\n";
  for (int i = 0; i < 300; ++i) text += "  s" + std::to_string(i) + ": {<<: *base, image: x}\n";
  CHECK(parse_yaml(text, "c.yaml").ok());

  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c)
    bomb += std::string(1, c) + ": &" + c + " [" +
            repeat(std::string("*") + char(c - 1) + ", ", 9) + "*" + char(c - 1) + "]\n";
  // Anchoring c would make 2,453 copies of 2,470 nodes: over 99%.
  CHECK(first_error(bomb) ==
        "c.yaml:3:4: c: excessive aliasing (a YAML bomb?): anchors and aliases would make this "
        "document 2470 nodes, 2453 of them copies");
}

TEST_CASE("parse reports libyaml's errors: syntax with its context, text that is not UTF-8") {
  CHECK(first_error("services:\n  a: [1, 2\n") ==
        "c.yaml:3:1: invalid YAML: did not find expected ',' or ']' while parsing a flow "
        "sequence at 2:6");
  CHECK(first_error("a: 1\nb: \"caf\xe9\"\n") ==
        "c.yaml:2:9: invalid YAML: invalid trailing UTF-8 octet 0x22: YAML text must be UTF-8 (or "
        "UTF-16)");
  CHECK(
      first_error(", - x:\n") ==
      "c.yaml:1:1: invalid YAML: did not find expected node content while parsing a block node at "
      "1:1");
}
