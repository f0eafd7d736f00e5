#pragma once
// Shared by the tests of normalize, one file per Compose key (tests/compose/keys/<key>_test.cpp,
// as compose-go's loader tests): run() normalizes inline YAML and returns the tree and the
// formatted errors; TempDir is a project folder with files in it.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "compose/emit.h"
#include "compose/normalize.h"
#include "compose/parse.h"

namespace qpod::normalize_fixture {

using compose::Node;
using compose::NormalizeContext;
using compose::Variables;

inline const Variables kEnv{{"HOME", "/home/u"}, {"FROM_ENV", "x"}};

inline NormalizeContext context(std::string dir = "/proj") {
  NormalizeContext ctx;
  ctx.project_name = "demo";
  ctx.project_dir = std::move(dir);
  ctx.env = &kEnv;
  return ctx;
}

struct Normalized {
  Node root;
  std::string errors;  // formatted, one per line, without the last newline
  // YAML of services.web.<key> (or of the whole tree for an empty key).
  std::string yaml(const char* key = "") const {
    if (!*key) return compose::to_yaml(root);
    const Node* n = root.find("services")->find("web")->find(key);
    return n ? compose::to_yaml(*n) : "(none)\n";
  }
};

inline Normalized run(std::string_view text, const NormalizeContext& ctx = context()) {
  auto parsed = compose::parse_yaml(text, "c.yaml");
  REQUIRE(parsed.ok());
  Normalized out{std::move(parsed).value(), ""};
  out.errors = format(compose::normalize(out.root, ctx));
  if (!out.errors.empty()) out.errors.pop_back();  // the last newline
  return out;
}

// A temporary project directory with some files in it.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("qpod-normalize-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
  std::string str() const { return path.string(); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

}  // namespace qpod::normalize_fixture
