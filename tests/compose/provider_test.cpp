// provider: services (Compose's extension protocol) through the whole loader: accepted without
// an image, options bound as lists of strings, no default network, names checked.
#include <catch2/catch.hpp>

#include "compose/emit.h"
#include "compose/loader.h"
#include "tests/support/temp_dir.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

Result<Project> load(const qpod::testing::TempDir& dir, const std::string& text) {
  LoadOptions o;
  o.files = {dir.write("compose.yaml", text)};
  o.project_name = "prov";
  o.process_env = Variables{};
  return load_project(o);
}

}  // namespace

TEST_CASE("provider: a service with only a provider loads, its options as lists of strings",
          "[compose][provider]") {
  qpod::testing::TempDir dir;
  auto p = load(dir, R"(services:
  app:
    image: busybox
    depends_on: [database]
  database:
    provider:
      type: awesomecloud
      options:
        type: mysql
        size: 256
        tls: true
        zone: [eu-1, 2]
)");
  REQUIRE(p.ok());
  const Service& db = p.value().services.at("database");
  REQUIRE(db.provider);
  CHECK(db.provider->type == "awesomecloud");
  using Options = std::map<std::string, std::vector<std::string>>;
  CHECK(
      db.provider->options ==
      Options{{"size", {"256"}}, {"tls", {"true"}}, {"type", {"mysql"}}, {"zone", {"eu-1", "2"}}});
  CHECK(db.image.empty());
  // No container, so no network (compose-go leaves a provider's service out of `default`).
  CHECK(db.networks.empty());
  CHECK_FALSE(db.node.find("networks"));
  CHECK(p.value().services.at("app").networks.count("default") == 1);
  CHECK_FALSE(p.value().services.at("app").provider);
  // `config` prints the lists, and the JSON form passes the schema's options shape.
  std::string json = to_json_text(p.value().node, -1);
  CHECK(json.find(R"("size":["256"])") != std::string::npos);
}

TEST_CASE("provider: the type must be a program name and option names plain words",
          "[compose][provider]") {
  qpod::testing::TempDir dir;
  auto p = load(dir, R"(services:
  db:
    provider:
      type: -x
      options:
        "a=b": 1
        ok_name-2: 2
)");
  REQUIRE_FALSE(p.ok());
  std::string errors = format(p.errors());
  CHECK(errors.find("compose.yaml:4:13: services.db.provider.type: invalid provider type \"-x\"") !=
        std::string::npos);
  CHECK(errors.find("compose.yaml:6:9: services.db.provider.options.a=b: invalid provider option "
                    "name \"a=b\"") != std::string::npos);
  CHECK(errors.find("ok_name-2") == std::string::npos);
}

TEST_CASE("provider: a service with neither image, build nor provider is still refused",
          "[compose][provider]") {
  qpod::testing::TempDir dir;
  auto p = load(dir, "services:\n  web:\n    command: [echo, hi]\n");
  REQUIRE_FALSE(p.ok());
  CHECK(format(p.errors()).find("has neither an image nor a build section") != std::string::npos);
}
