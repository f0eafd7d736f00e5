// Hostile input (issue 10 §2, found by fuzzing `qpod config`): `qpod config` exits 1 with a clear
// error, never a signal, never unbounded memory or time. Every tests/hostile/NN-name.yaml runs
// through the qpod binary under a memory and a CPU limit it would exceed without the loader's
// limits (compose/limits.h), and must print exactly NN-name.expected (paths relative to that
// folder). Big inputs are made here instead of being committed. fuzz/regressions/ are the fuzz
// target's findings, replayed in process.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compose/limits.h"
#include "compose/loader.h"
#include "compose/validate.h"
#include "fuzz/load_input.h"
#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text.h"

namespace fs = std::filesystem;
using namespace qpod;
using qpod::testing::Bounds;
using qpod::testing::Run;
using qpod::testing::TempDir;

namespace {

// Far above what the fixed loader needs for any of these inputs (tens of MB, well under a
// second), far below what the inputs cost without the limits (GBs, minutes, or a stack overflow).
constexpr Bounds kBounds{1024u << 20, 60};

using qpod::testing::read_text;
using qpod::testing::replace_all;

// `qpod -f <file> config [extra]` under kBounds, in a folder of its own (run_qpod leaves the
// output files there, and tests/hostile is the source tree).
Run config(const fs::path& file, std::vector<std::string> extra = {},
           std::vector<std::string> env = {}) {
  std::vector<std::string> args{"-f", file.string(), "config"};
  args.insert(args.end(), extra.begin(), extra.end());
  TempDir cwd;
  return qpod::testing::run_qpod(cwd.path(), args, std::move(env), kBounds);
}

// What a refused input must give: exit 1, no signal, the message on stderr.
void check_refused(const Run& r, const std::string& message) {
  INFO(r.err);
  CHECK(r.signal == 0);
  CHECK(r.code == 1);
  CHECK(r.err.find(message) != std::string::npos);
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("hostile compose files exit 1 with the expected error, under memory and CPU limits",
          "[hostile]") {
  const fs::path dir = fs::path(QPOD_SOURCE_DIR) / "tests" / "hostile";
  const std::vector<fs::path> cases = qpod::testing::files_with_extension(dir, ".yaml");
  REQUIRE(cases.size() >= 13);
  for (const auto& file : cases) {
    fs::path expected = file;
    expected.replace_extension(".expected");
    INFO(file.filename().string());
    const Run r = config(file);
    CHECK(r.signal == 0);
    CHECK(r.code == 1);
    std::string actual = r.err;
    replace_all(actual, dir.string() + "/", "");
    replace_all(actual, dir.string(), ".");
    if (std::getenv("QPOD_UPDATE_GOLDEN")) {
      std::ofstream(expected, std::ios::binary) << actual;
      FAIL_CHECK("QPOD_UPDATE_GOLDEN: wrote " << expected.string() << "; rerun without it");
      continue;
    }
    REQUIRE(fs::exists(expected));
    CHECK(actual == read_text(expected));
  }
}

TEST_CASE("a 30000-character container_name is checked without std::regex", "[hostile]") {
  TempDir t;
  const std::string ok = t.write("ok.yaml",
                                 "services:\n  web:\n    image: busybox\n"
                                 "    container_name: " +
                                     repeat("a", 30000) + "\n");
  const Run r = config(ok);
  INFO(r.err);
  CHECK(r.signal == 0);
  CHECK(r.code == 0);
  CHECK(r.out.find(repeat("a", 30000)) != std::string::npos);

  const std::string bad = t.write("bad.yaml",
                                  "services:\n  web:\n    image: busybox\n"
                                  "    container_name: " +
                                      repeat("-", 30000) +
                                      "\n"
                                      "    pull_policy: " +
                                      repeat("x", 30000) + "\n");
  const Run b = config(bad);
  check_refused(b,
                "bad.yaml:4:21: services.web.container_name: expected a string matching "
                "[a-zA-Z0-9][a-zA-Z0-9_.-]+, got \"" +
                    repeat("-", 80) + "... (30000 bytes)\"");
  check_refused(b, "bad.yaml:5:18: services.web.pull_policy: expected a string matching");
}

TEST_CASE("20000 nested ${A:-...} are an interpolation error, not a stack overflow", "[hostile]") {
  TempDir t;
  const std::string file =
      t.write("c.yaml", "services:\n  web:\n    image: \"" + repeat("${A:-", 20000) + "busybox" +
                            repeat("}", 20000) + "\"\n");
  check_refused(config(file),
                "c.yaml:3:12: services.web.image: invalid interpolation: more "
                "than 64 levels of ${...} inside ${...}");
  // At the limit, it is read.
  const std::string deep =
      t.write("d.yaml", "services:\n  web:\n    image: \"" + repeat("${A:-", 64) + "busybox" +
                            repeat("}", 64) + "\"\n");
  const Run r = config(deep);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("image: busybox") != std::string::npos);
}

TEST_CASE("16000 nested lists or maps are an error at their line and column", "[hostile]") {
  TempDir t;
  const std::string head = "services:\n  web:\n    image: busybox\n    labels:\n      a: ";
  const std::string lists = t.write("lists.yaml", head + repeat("[", 16000) + repeat("]", 16000));
  const std::string maps =
      t.write("maps.yaml", head + repeat("{a: ", 16000) + "1" + repeat("}", 16000));
  const std::string blocks = t.write("blocks.yaml", "x-a:\n  " + repeat("- ", 16000) + "x\n");
  // The 257th collection: 4 levels (the file, services, web, labels) + 252 more.
  check_refused(config(lists), "lists.yaml:5:262: services.web.labels.a[0][0][0]");
  check_refused(config(lists), "...: nesting deeper than 256 levels of mappings and lists");
  check_refused(config(maps), "maps.yaml:5:1018: services.web.labels.a.a.a");
  check_refused(config(blocks), "blocks.yaml:2:");
  check_refused(config(blocks), "nesting deeper than 256 levels");
}

TEST_CASE("a file over 8 MiB is refused before it is read", "[hostile]") {
  TempDir t;
  const std::string big = t.write("big.yaml", "services: {}\n");
  fs::resize_file(big, compose::kMaxFileBytes + 1);  // sparse: nothing is written
  check_refused(config(big), "big.yaml: cannot read file: is larger than the 8 MiB limit (" +
                                 std::to_string(compose::kMaxFileBytes + 1) + " bytes)");
}

TEST_CASE("env_file that is a FIFO, a directory or a device says what it is", "[hostile]") {
  TempDir t;
  REQUIRE(::mkfifo((t / "fifo.env").c_str(), 0600) == 0);
  t.mkdir("dir.env");
  const std::string file = t.write("c.yaml", R"(services:
  fifo: {image: busybox, env_file: fifo.env}
  dir: {image: busybox, env_file: [{path: dir.env, required: false}]}
  zero: {image: busybox, env_file: /dev/zero}
)");
  const Run r = config(file);  // a FIFO opened for reading would wait for a writer forever
  check_refused(r, "c.yaml:2:36: services.fifo.env_file: env file \"" + t / "fifo.env" +
                       "\" is not a regular file (a FIFO)");
  check_refused(r, "c.yaml:3:36: services.dir.env_file[0]: env file \"" + t / "dir.env" +
                       "\" is a directory");
  check_refused(r,
                "c.yaml:4:36: services.zero.env_file: env file \"/dev/zero\" is not a "
                "regular file (a character device)");
}

TEST_CASE("an --env-file that is a directory or a FIFO says what it is", "[hostile]") {
  TempDir t;
  REQUIRE(::mkfifo((t / "fifo.env").c_str(), 0600) == 0);
  t.mkdir("dir.env");
  const std::string file = t.write("c.yaml", "services: {}\n");
  check_refused(qpod::testing::run_qpod(t.path(), {"--env-file", "dir.env", "-f", file, "config"},
                                        {}, kBounds),
                "--env-file: " + t / "dir.env" + " is a directory");
  check_refused(qpod::testing::run_qpod(t.path(), {"--env-file", "fifo.env", "-f", file, "config"},
                                        {}, kBounds),
                "--env-file: " + t / "fifo.env" + " is not a regular file (a FIFO)");
}

TEST_CASE("16384 ports load in linear time, and clashes among them are found", "[hostile]") {
  TempDir t;
  // Quadratic before (20,000 ports: 6.9 s): 16,384 are the most a project may expand to
  // (compose/limits.h; 11-ports-over-the-limit.yaml is one more).
  const std::string file = t.write("c.yaml", R"(services:
  web:
    image: busybox
    ports: ["1-16384:1-16384"]
)");
  const Run r = config(file);
  INFO(r.err);
  CHECK(r.signal == 0);
  CHECK(r.code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') > 4 * 16384);  // 4 lines a port

  // What `up` checks: a second service publishing 101 of the same host ports.
  compose::LoadOptions opts;
  opts.files = {t.write("pod.yaml", R"(services:
  a: {image: busybox, ports: ["1-16000:1-16000"]}
  b: {image: busybox, ports: ["15900-16000:40000-40100", "40000:40000"]}
)")};
  opts.working_dir = t.str();
  opts.process_env = compose::Variables{};
  auto project = compose::load_project(opts);
  REQUIRE(project.ok());
  const Diagnostics clashes = compose::validate_pod(project->node);
  CHECK(clashes.size() == 101);
  CHECK(std::all_of(clashes.begin(), clashes.end(), [](const Diagnostic& d) {
    return d.message.find("is already published by service \"a\"") != std::string::npos;
  }));
}

TEST_CASE("config --format json of a value that is not UTF-8 does not die", "[hostile]") {
  TempDir t;
  // A label, not the image: an image reference must be ASCII (validate's image check).
  const std::string file =
      t.write("c.yaml", "services:\n  web:\n    image: busybox\n    labels: {tag: \"${TAG}\"}\n");
  const Run r = config(file, {"--format", "json"}, {"TAG=caf\xe9"});
  INFO(r.err);
  CHECK(r.signal == 0);
  CHECK(r.code == 0);
  CHECK(r.out.find("\"tag\": \"caf\xef\xbf\xbd\"") != std::string::npos);  // U+FFFD
}

TEST_CASE("interpolation may not make a file's values larger than 8 MiB", "[hostile]") {
  TempDir t;
  std::string refs;
  for (int i = 0; i < 40; ++i) refs += "      v" + std::to_string(i) + ": \"${BIG}\"\n";
  const std::string file =
      t.write("c.yaml", "services:\n  web:\n    image: busybox\n    labels:\n" + refs);
  t.write(".env", "BIG=" + repeat("x", 1u << 20) + "\n");  // 1 MiB, 40 times: 40 MiB
  check_refused(config(file), "interpolation makes values larger than 8 MiB in one file");
}

TEST_CASE("one load reads at most 32 MiB of Compose files", "[hostile]") {
  TempDir t;
  t.write("big.yaml", "x-pad: " + repeat("x", 1u << 20) + "\n");  // 1 MiB, included 40 times
  std::string include = "include:\n";
  for (int i = 0; i < 40; ++i) include += "  - big.yaml\n";
  const std::string file = t.write("c.yaml", include + "services: {}\n");
  check_refused(config(file), "are larger than the 32 MiB limit");
}

TEST_CASE("the fuzz target's findings load or fail with diagnostics", "[hostile][fuzz]") {
  TempDir t;
  fuzz::prepare_dir(t.path());
  const fs::path dir = fs::path(QPOD_SOURCE_DIR) / "fuzz" / "regressions";
  int inputs = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename() == "README.md") continue;
    INFO(e.path().filename().string());
    CHECK_NOTHROW(fuzz::load_input(read_text(e.path()), t.path()));
    ++inputs;
  }
  CHECK(inputs > 0);
}

TEST_CASE("chains of includes and of extends are bounded, as the loader follows them recursively",
          "[hostile]") {
  TempDir t;
  for (int i = 0; i < 40; ++i)
    t.write("f" + std::to_string(i) + ".yaml",
            "include: [f" + std::to_string(i + 1) + ".yaml]\nservices: {}\n");
  t.write("f40.yaml", "services: {}\n");
  check_refused(config(fs::path(t / "f0.yaml")),
                "f32.yaml:1:11: include[0]: includes nested deeper than 32 files");

  std::string chain = "services:\n";
  for (int i = 0; i < 2000; ++i)
    chain += "  s" + std::to_string(i) + ": {extends: s" + std::to_string(i + 1) + "}\n";
  chain += "  s2000: {image: busybox}\n";
  const Run r = config(t.write("chain.yaml", chain));
  check_refused(r, "chain.yaml:66:9: services.s64.extends: extends chain longer than 64 services");
}

TEST_CASE("100000 environment variables and labels load in linear time", "[hostile]") {
  // valijson's uniqueItems compared every pair, Node::set searched every key: 20,000 variables
  // took 8 s, these would take minutes (the CPU limit ends them with SIGXCPU).
  TempDir t;
  std::string text = "services:\n  web:\n    image: busybox\n    environment:\n";
  for (int i = 0; i < 100000; ++i) text += "      - K" + std::to_string(i) + "=v\n";
  text += "    labels:\n";
  for (int i = 0; i < 100000; ++i) text += "      l" + std::to_string(i) + ": v\n";
  const Run r = config(t.write("c.yaml", text), {"-q"});
  INFO(r.err);
  CHECK(r.signal == 0);
  CHECK(r.code == 0);
  // A duplicate among them is still found, at its place.
  const Run dup2 = config(t.write("dup2.yaml",
                                  "services:\n  web:\n    image: busybox\n"
                                  "    environment: [A=1, B=2, A=1]\n"));
  check_refused(dup2,
                "dup2.yaml:4:29: services.web.environment[2]: duplicate item (same as "
                "[0]): items must be unique");
}
