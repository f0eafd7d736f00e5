// qpod kube play / kube down: the podman calls they make (FakeRuntime), and the private file.
#include "kube/play.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "tests/engine/fake_runtime.h"

using namespace qpod;
using engine::testing::FakeRuntime;
using podman::RunResult;

namespace {

kube::Manifest manifest() {
  kube::Manifest m;
  m.yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kt\n";
  m.pod = "kt";
  m.claims = {"kt-data"};
  m.secrets = {"kt-token"};
  m.configs = {"kt-conf"};
  return m;
}

// The file argument of a "kube play -- FILE" / "kube down -- FILE" call.
std::string file_of(const std::string& call) { return call.substr(call.rfind(' ') + 1); }

}  // namespace

TEST_CASE("kube play: podman kube play of a private file, removed afterwards") {
  FakeRuntime rt;
  std::ostringstream err;
  CHECK(kube::play("kt", manifest(), rt, err) == 0);
  auto calls = rt.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].rfind("kube play -- /", 0) == 0);
  struct stat st {};
  CHECK(::stat(file_of(calls[0]).c_str(), &st) != 0);  // gone after the call

  FakeRuntime failing;
  failing.fail_on({"kube", "play"}, "Error: volume with name kt-data already exists");
  CHECK(kube::play("kt", manifest(), failing, err) == 1);
  CHECK(err.str().find("volume with name kt-data already exists") != std::string::npos);
}

TEST_CASE(
    "kube down: podman kube down, then the ConfigMap and Secret volumes and secrets, PVCs only "
    "with -v") {
  FakeRuntime rt;  // every volume exists
  std::ostringstream err;
  CHECK(kube::down("kt", manifest(), rt, {}, err) == 0);
  auto calls = rt.calls();
  REQUIRE(calls.size() == 6);
  CHECK(calls[0].rfind("kube down -- /", 0) == 0);
  CHECK(calls[1] == "volume exists -- kt-conf");
  CHECK(calls[2] == "volume rm kt-conf");
  CHECK(calls[3] == "volume exists -- kt-token");
  CHECK(calls[4] == "volume rm kt-token");
  CHECK(calls[5] == "secret rm -- kt-token");

  FakeRuntime with_v;
  with_v.fail_on({"volume", "exists", "--", "kt-conf"}, "");  // not there: not removed
  kube::KubeRunOptions v;
  v.volumes = true;
  CHECK(kube::down("kt", manifest(), with_v, v, err) == 0);
  auto removed = with_v.calls_starting("volume rm");
  CHECK(removed == engine::testing::Calls{"volume rm kt-token", "volume rm kt-data"});
}
