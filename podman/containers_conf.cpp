#include "podman/containers_conf.h"

#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <sstream>

#include "base/text.h"

namespace qpod::podman {
namespace {

// The quoted strings of `"a"` or `["a", "b"]`.
std::vector<std::string> quoted_strings(const std::string& value) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char q = value[i];
    if (q != '"' && q != '\'') continue;
    auto end = value.find(q, i + 1);
    if (end == std::string::npos) break;
    out.push_back(value.substr(i + 1, end - i - 1));
    i = end;
  }
  return out;
}

}  // namespace

ContainersConf parse_containers_conf(const std::vector<std::string>& texts) {
  ContainersConf conf;
  for (const auto& text : texts) {
    std::istringstream in(text);
    std::string section;
    for (std::string line; std::getline(in, line);) {
      line = trim(line.substr(0, line.find('#')));
      if (line.empty()) continue;
      if (line.front() == '[') {
        section = trim(line.substr(1, line.find(']') - 1));
        continue;
      }
      auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      std::string key = trim(line.substr(0, eq));
      auto values = quoted_strings(line.substr(eq + 1));
      if (section == "engine" && key == "runtime" && !values.empty()) conf.runtime = values[0];
      if (section == "containers" && key == "default_ulimits") conf.default_ulimits = values;
    }
  }
  return conf;
}

std::vector<std::string> containers_conf_files() {
  namespace fs = boost::filesystem;
  if (const char* env = std::getenv("CONTAINERS_CONF"); env && *env) return {env};
  std::vector<std::string> files{"/usr/share/containers/containers.conf",
                                 "/etc/containers/containers.conf"};
  std::vector<std::string> drop_ins;
  boost::system::error_code ec;
  for (fs::directory_iterator it("/etc/containers/containers.conf.d", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".conf") drop_ins.push_back(it->path().string());
  std::sort(drop_ins.begin(), drop_ins.end());
  files.insert(files.end(), drop_ins.begin(), drop_ins.end());
  if (const char* home = std::getenv("HOME"); home && ::geteuid() != 0)
    files.push_back(std::string(home) + "/.config/containers/containers.conf");
  return files;
}

}  // namespace qpod::podman
