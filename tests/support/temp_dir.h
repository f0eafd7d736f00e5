#pragma once
// A fresh folder under /tmp for one test, removed with everything in it at the end.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace qpod::testing {

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("qpod-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to `rel` (creating folders) and returns the absolute path.
  std::string write(const std::string& rel, const std::string& text = "x\n") const {
    const auto p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string mkdir(const std::string& rel) const {
    std::filesystem::create_directories(path_ / rel);
    return (path_ / rel).string();
  }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace qpod::testing
