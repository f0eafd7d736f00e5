// libFuzzer target: one input as a compose.yaml through the whole loader (compose::load_project:
// parse, interpolate, schema, include, extends, merge, normalize, validate, bind), then
// validate_pod and `qpod config`'s YAML and JSON output (fuzz/load_input.h). A finding is a
// crash, a sanitizer report, an exception out of the loader (main() would exit 2), or an input
// over -timeout seconds or -rss_limit_mb. Built and run by scripts/fuzz (CMake QPOD_FUZZ).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz/load_input.h"

namespace fs = std::filesystem;

namespace {

// This process's folder (in memory when /dev/shm exists), removed at exit.
struct Workspace {
  fs::path dir;
  Workspace() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir = base / ("qpod-fuzz-" + std::to_string(::getpid()));
    qpod::fuzz::prepare_dir(dir);
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Workspace ws;
  qpod::fuzz::load_input(std::string_view(reinterpret_cast<const char*>(data), size), ws.dir);
  return 0;
}
