#include "compose/include.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "compose/emit.h"
#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

Node yaml(const std::string& text, const std::string& file = "/p/compose.yaml") {
  auto r = parse_yaml(text, file);
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string expect(const char* text) { return to_yaml(yaml(text, "expected.yaml")); }

// Included projects served from memory (first file of each request); their own `include` is
// resolved the way the loader does it, through resolve_includes again.
struct Projects {
  std::map<std::string, std::string> texts;
  std::vector<IncludeRequest> asked;

  IncludeLoader loader() {
    return [this](const IncludeRequest& req) -> Result<Node> {
      asked.push_back(req);
      auto it = texts.find(req.files.front());
      if (it == texts.end())
        return Diagnostic{req.files.front(), 0, 0, "", "cannot read file", false};
      auto tree = parse_yaml(it->second, it->first);
      if (!tree) return tree;
      auto errors = resolve_includes(*tree, req.project_directory, loader());
      if (!errors.empty()) return errors;
      return tree;
    };
  }
};

}  // namespace

TEST_CASE("include: a path, the included resources join the root and `include` goes") {
  Node root = yaml(R"(
include:
  - sub/compose.yaml
services:
  web:
    depends_on: [db]
)");
  Projects p;
  p.texts["/p/sub/compose.yaml"] = R"(
services:
  db:
    image: postgres
networks:
  back: {}
volumes:
  data: {}
x-ignored: 1
)";
  CHECK(resolve_includes(root, "/p", p.loader()).empty());
  CHECK(to_yaml(root) == expect(R"(
services:
  web:
    depends_on: [db]
  db:
    image: postgres
networks:
  back: {}
volumes:
  data: {}
)"));
  REQUIRE(p.asked.size() == 1);
  CHECK(p.asked[0].files == std::vector<std::string>{"/p/sub/compose.yaml"});
  CHECK(p.asked[0].project_directory == "/p/sub");
  CHECK(p.asked[0].env_files.empty());
}

TEST_CASE("include: the long syntax with lists, a project directory and env files") {
  Node root = yaml(R"(
include:
  - path: [../commons/compose.yaml, ./override.yaml]
    project_directory: ..
    env_file: [../another/.env, dev.env]
  - path: /abs/compose.yaml
    env_file: x.env
)");
  Projects p;
  p.texts["/commons/compose.yaml"] = "services:\n  a:\n    image: a\n";
  p.texts["/abs/compose.yaml"] = "services:\n  b:\n    image: b\n";
  CHECK(resolve_includes(root, "/p", p.loader()).empty());
  REQUIRE(p.asked.size() == 2);
  CHECK(p.asked[0].files == std::vector<std::string>{"/commons/compose.yaml", "/p/override.yaml"});
  CHECK(p.asked[0].project_directory == "/");
  CHECK(p.asked[0].env_files == std::vector<std::string>{"/another/.env", "/p/dev.env"});
  CHECK(p.asked[1].project_directory == "/abs");
  CHECK(p.asked[1].env_files == std::vector<std::string>{"/p/x.env"});
  CHECK(to_yaml(root) == expect("services:\n  a:\n    image: a\n  b:\n    image: b\n"));
}

TEST_CASE("include: the project directory's .env is the default env file") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("qpod-include-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / ".env") << "A=1\n";
  Node root = yaml("include: [sub/compose.yaml]\n", (dir / "compose.yaml").string());
  Projects p;
  resolve_includes(root, dir.string(), p.loader());
  fs::remove_all(dir);
  REQUIRE(p.asked.size() == 1);
  CHECK(p.asked[0].env_files == std::vector<std::string>{(dir / "sub" / ".env").string()});
}

TEST_CASE("include: a name defined twice is an error naming both positions") {
  Node root = yaml(R"(
include:
  - a.yaml
  - b.yaml
services:
  web:
    image: mine
)");
  Projects p;
  p.texts["/p/a.yaml"] = R"(
services:
  web:
    image: theirs
  db:
    image: postgres
networks:
  shared: {}
)";
  p.texts["/p/b.yaml"] = R"(
networks:
  shared: {}
services:
  db:
    image: mysql
)";
  auto errors = resolve_includes(root, "/p", p.loader());
  REQUIRE(errors.size() == 2);
  CHECK(format(errors[0]) ==
        "/p/compose.yaml:6:3: services.web: also defined by included file /p/a.yaml:3:3");
  CHECK(format(errors[1]) ==
        "/p/b.yaml:5:3: services.db: also defined by included file /p/a.yaml:5:3");
  CHECK(root.find("networks")->keys.size() == 1);  // the same definition twice is fine
}

TEST_CASE("include: malformed entries and files that do not load") {
  Node root = yaml(R"(
include:
  - [a.yaml]
  - project_directory: x
  - path: [ok.yaml, [nested]]
  - missing.yaml
)");
  Projects p;
  auto errors = resolve_includes(root, "/p", p.loader());
  REQUIRE(errors.size() == 5);
  CHECK(format(errors[0]) ==
        "/p/compose.yaml:3:5: include[0]: expected a file path or a mapping with \"path\", not a "
        "list");
  CHECK(format(errors[1]) ==
        "/p/compose.yaml:4:5: include[1]: expected \"path\": the Compose file(s) to include");
  CHECK(format(errors[2]) ==
        "/p/compose.yaml:5:21: include[2].path[1]: expected a path, not a list");
  CHECK(format(errors[3]) == "/p/compose.yaml:6:5: include[3]: cannot include \"/p/missing.yaml\"");
  CHECK(format(errors[4]) == "/p/missing.yaml: cannot read file");
  CHECK(root.find("include") == nullptr);
}

TEST_CASE("include: a cycle is an error naming the files") {
  Node root = yaml("include: [a.yaml]\n");
  Projects p;
  p.texts["/p/a.yaml"] = "include:\n  - compose.yaml\n";
  auto errors = resolve_includes(root, "/p", p.loader());
  REQUIRE(errors.size() == 2);
  CHECK(format(errors[0]) == "/p/compose.yaml:1:11: include[0]: cannot include \"/p/a.yaml\"");
  CHECK(
      format(errors[1]) ==
      "/p/a.yaml:2:5: include[0]: include cycle: /p/compose.yaml -> /p/a.yaml -> /p/compose.yaml");
}
