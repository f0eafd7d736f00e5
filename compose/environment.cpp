#include "compose/environment.h"

#include <fstream>
#include <sstream>

extern char** environ;

namespace qpod::compose {

Environment process_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

// STUB: replaced by the full .env parser.
Result<Environment> parse_dotenv(std::string_view text, const std::string&, const Environment&) {
  Environment env;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

Result<Environment> read_dotenv(const std::string& path, const Environment& lookup) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Diagnostic{path, 0, 0, "", "cannot read env file", false};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_dotenv(ss.str(), path, lookup);
}

}  // namespace qpod::compose
