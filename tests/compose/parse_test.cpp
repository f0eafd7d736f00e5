#include <catch2/catch.hpp>

#include "compose/emit.h"
#include "compose/parse.h"

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
)", "c.yaml");
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
