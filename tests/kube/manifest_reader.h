#pragma once
// kube generate's Manifest for the kube tests: a project loaded from YAML (every service
// selected), generated, and its documents read back with yaml-cpp.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "kube/files.h"
#include "kube/generate.h"
#include "tests/support/load_project.h"
#include "tests/support/temp_dir.h"

namespace qpod::testing {

struct KubeManifest {
  kube::Manifest m;
  std::vector<YAML::Node> docs;
  // The document of this kind and name, nullptr when there is none.
  const YAML::Node* find(const std::string& kind, const std::string& name) const {
    for (const auto& d : docs)
      if (d["kind"].as<std::string>() == kind && d["metadata"]["name"].as<std::string>() == name)
        return &d;
    return nullptr;
  }
  // The same; the test fails when there is none.
  YAML::Node doc(const std::string& kind, const std::string& name) const {
    const auto* d = find(kind, name);
    if (!d) FAIL("no " << kind << " " << name << " in\n" << m.yaml);
    return *d;
  }
  bool warned(const std::string& part) const {
    for (const auto& w : m.warnings)
      if (w.find(part) != std::string::npos) return true;
    return false;
  }
};

// `yaml` as dir/compose.yaml, project "kubetest", generated with `opts`.
inline KubeManifest generate_kube(const TempDir& dir, const std::string& yaml,
                                  const kube::KubeOptions& opts) {
  auto l = load_project_yaml(dir, yaml, "kubetest");
  auto files = kube::read_file_objects(l.project, service_names(l.project));
  REQUIRE(files.ok());
  auto m = kube::generate(l.project, l.graph, *files, opts);
  REQUIRE(m.ok());
  return {*m, YAML::LoadAll(m->yaml)};
}

}  // namespace qpod::testing
