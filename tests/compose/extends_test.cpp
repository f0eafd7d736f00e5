#include "compose/extends.h"

#include <catch2/catch.hpp>
#include <map>

#include "compose/emit.h"
#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

Node yaml(const char* text, const std::string& file = "/p/compose.yaml") {
  auto r = parse_yaml(text, file);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// Other files, served from memory; records which paths were asked for.
struct Files {
  std::map<std::string, std::string> texts;
  std::vector<std::string> asked;

  FileLoader loader() {
    return [this](const std::string& path) -> Result<Node> {
      asked.push_back(path);
      auto it = texts.find(path);
      if (it == texts.end()) return Diagnostic{path, 0, 0, "", "cannot read file", false};
      return parse_yaml(it->second, path);
    };
  }
};

std::string service_yaml(const Node& root, const char* name) {
  return to_yaml(*root.find("services")->find(name));
}

std::string expect(const char* text) { return to_yaml(yaml(text, "expected.yaml")); }

}  // namespace

TEST_CASE("extends: a service of the same file is the base, the local one overrides") {
  Node root = yaml(R"(
services:
  common:
    image: busybox
    environment:
      TZ: utc
      PORT: 80
  cli:
    extends:
      service: common
    environment: [PORT=8080]
  short:
    extends: common
    volumes: ["cli-volume:/var/lib/backup/data:ro"]
)");
  Files files;
  CHECK(resolve_extends(root, "/p", files.loader()).empty());
  CHECK(service_yaml(root, "cli") ==
        expect("image: busybox\nenvironment: {TZ: utc, PORT: \"8080\"}\n"));
  CHECK(service_yaml(root, "short") ==
        expect("image: busybox\nenvironment: {TZ: utc, PORT: 80}\n"
               "volumes: [\"cli-volume:/var/lib/backup/data:ro\"]\n"));
  CHECK(service_yaml(root, "common") ==
        expect("image: busybox\nenvironment: {TZ: utc, PORT: 80}\n"));
  CHECK(files.asked.empty());
}

TEST_CASE("extends: chains resolve whatever the order, the service keeps its own position") {
  Node root = yaml(R"(
services:
  cli:
    extends:
      service: common
  common:
    image: busybox
    extends:
      service: base
  base:
    image: alpine
    user: root
)");
  Files files;
  CHECK(resolve_extends(root, "/p", files.loader()).empty());
  CHECK(service_yaml(root, "cli") == expect("image: busybox\nuser: root\n"));
  CHECK(service_yaml(root, "common") == expect("image: busybox\nuser: root\n"));
  CHECK(root.find("services")->find("cli")->mark.line == 4);  // its own mapping, not common's (7)
}

TEST_CASE("extends: services of other files, relative to the file that names them") {
  Node root = yaml(R"(
services:
  web:
    extends: {file: common.yaml, service: app}
    ports: ["8080:80"]
  worker:
    extends: {file: ./common.yaml, service: app}
    command: [work]
)");
  Files files;
  files.texts["/p/common.yaml"] = R"(
services:
  app:
    extends: {file: lib/base.yaml, service: base}
    ports: ["80"]
    command: [serve]
)";
  files.texts["/p/lib/base.yaml"] = "services:\n  base:\n    image: app:1\n";
  CHECK(resolve_extends(root, "/p", files.loader()).empty());
  CHECK(service_yaml(root, "web") ==
        expect("image: app:1\nports: [\"80\", \"8080:80\"]\ncommand: [serve]\n"));
  CHECK(service_yaml(root, "worker") == expect("image: app:1\nports: [\"80\"]\ncommand: [work]\n"));
  CHECK(files.asked == std::vector<std::string>{"/p/common.yaml", "/p/lib/base.yaml"});
}

TEST_CASE("extends: a cycle is an error naming the chain, reported once") {
  Node root = yaml(R"(
services:
  a:
    extends: b
  b:
    extends:
      service: a
  c:
    extends: c
  d:
    extends: a
)");
  Files files;
  auto errors = resolve_extends(root, "/p", files.loader());
  REQUIRE(errors.size() == 2);
  CHECK(format(errors[0]) == "/p/compose.yaml:6:5: services.b.extends: extends cycle: a -> b -> a");
  CHECK(format(errors[1]) == "/p/compose.yaml:9:5: services.c.extends: extends cycle: c -> c");
}

TEST_CASE("extends: a cycle through another file names the files") {
  Node root = yaml(R"(
services:
  web:
    extends: {file: other.yaml, service: x}
)");
  Files files;
  files.texts["/p/other.yaml"] = R"(
services:
  x:
    extends: {file: compose.yaml, service: web}
)";
  auto errors = resolve_extends(root, "/p", files.loader());
  REQUIRE(errors.size() == 1);
  CHECK(format(errors[0]) ==
        "/p/other.yaml:4:5: services.x.extends: extends cycle: web -> x (/p/other.yaml) -> web");
}

TEST_CASE("extends: unknown services and files are errors at the extends key") {
  Node root = yaml(R"(
services:
  a:
    extends: nope
  b:
    extends: {file: common.yaml, service: nope}
  c:
    extends: {file: missing.yaml, service: x}
  d:
    extends: {file: missing.yaml, service: y}
  e:
    extends: {file: common.yaml}
)");
  Files files;
  files.texts["/p/common.yaml"] = "services:\n  app:\n    image: app\n";
  auto errors = resolve_extends(root, "/p", files.loader());
  REQUIRE(errors.size() == 6);
  CHECK(format(errors[0]) == "/p/compose.yaml:4:5: services.a.extends: service \"nope\" not found");
  CHECK(format(errors[1]) ==
        "/p/compose.yaml:6:5: services.b.extends: service \"nope\" not found in /p/common.yaml");
  CHECK(format(errors[2]) ==
        "/p/compose.yaml:8:5: services.c.extends: cannot load file \"missing.yaml\"");
  CHECK(format(errors[3]) == "/p/missing.yaml: cannot read file");
  CHECK(format(errors[4]) ==
        "/p/compose.yaml:10:5: services.d.extends: cannot load file \"missing.yaml\"");
  CHECK(format(errors[5]) ==
        "/p/compose.yaml:12:5: services.e.extends: expected a service name or a mapping with "
        "\"service\" and an optional \"file\", not a mapping");
}

TEST_CASE("extends: the key is gone afterwards and resolved services are left alone") {
  Node root = yaml(R"(
services:
  base:
    image: x
  web:
    extends: base
)");
  Files files;
  REQUIRE(resolve_extends(root, "/p", files.loader()).empty());
  CHECK(root.find("services")->find("web")->find("extends") == nullptr);
  CHECK(root == yaml("services:\n  base:\n    image: x\n  web:\n    image: x\n"));
}
