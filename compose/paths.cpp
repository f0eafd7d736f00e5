#include "compose/paths.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compose/limits.h"

namespace fs = std::filesystem;

namespace qpod::compose {
namespace {

// Why a file of this type or size cannot be read whole, or nullopt if it can.
std::optional<std::string> type_problem(mode_t mode) {
  if (S_ISREG(mode)) return std::nullopt;
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "is not a regular file (a FIFO)";
  if (S_ISCHR(mode)) return "is not a regular file (a character device)";
  if (S_ISBLK(mode)) return "is not a regular file (a block device)";
  if (S_ISSOCK(mode)) return "is not a regular file (a socket)";
  return "is not a regular file";
}

std::optional<std::string> size_problem(off_t size) {
  if (size >= 0 && static_cast<std::size_t>(size) <= kMaxFileBytes) return std::nullopt;
  return "is larger than the " + std::string(kMaxFileText) + " limit (" + std::to_string(size) +
         " bytes)";
}

std::string errno_problem(int err) {
  if (err == ENOENT || err == ENOTDIR) return "does not exist";
  return std::strerror(err);
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string absolute_path(const std::string& dir, const std::string& path) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(dir) / p;
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal().string();
}

std::optional<std::string> file_problem(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno_problem(errno);
  if (auto p = type_problem(st.st_mode)) return p;
  return size_problem(st.st_size);
}

Result<std::string> read_input_file(const std::string& path, const std::string& what) {
  auto fail = [&](const std::string& why) {
    return Diagnostic{path, 0, 0, "", "cannot read " + what + ": " + why, false};
  };
  // Checked before opening, as opening a FIFO waits for a writer; checked again on the open
  // file (O_NONBLOCK: never wait), which may not be the one stat saw.
  if (auto p = file_problem(path)) return fail(*p);
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) return fail(errno_problem(errno));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return fail(std::strerror(errno));
  if (auto p = type_problem(st.st_mode)) return fail(*p);
  if (auto p = size_problem(st.st_size)) return fail(*p);
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) {  // the file may have grown since fstat
      if (auto p = size_problem(static_cast<off_t>(got))) return fail(*p);
      text.resize(std::min(std::max<std::size_t>(got * 2, 4096), kMaxFileBytes + 1));
    }
    const ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(std::strerror(errno));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

Result<std::string> read_input_stream(int fd, const std::string& name, const std::string& what) {
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Diagnostic{name, 0, 0, "", "cannot read " + what + ": " + std::strerror(errno), false};
    }
    if (n == 0) return text;
    if (text.size() + static_cast<std::size_t>(n) > kMaxFileBytes)
      return Diagnostic{
          name,
          0,
          0,
          "",
          "cannot read " + what + ": is larger than the " + std::string(kMaxFileText) + " limit",
          false};
    text.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace qpod::compose
