#include "compose/discover.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <optional>
#include <system_error>

#include "compose/loader.h"
#include "compose/paths.h"

namespace fs = std::filesystem;

namespace qpod::compose {
namespace {

constexpr std::array<std::string_view, 4> kFileNames = {
    "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"};

// A problem with a command-line option or variable (no file position): "-f: file not found: ..."
Diagnostic option_error(std::string option, std::string message) {
  return Diagnostic{"", 0, 0, std::move(option), std::move(message), false};
}

// `p` against `base`: absolute, normal, and without a trailing separator.
fs::path absolute_in(const fs::path& base, const fs::path& p) {
  fs::path out = fs::absolute(base / p).lexically_normal();
  if (out.filename().empty() && out != out.root_path()) out = out.parent_path();
  return out;
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// Pieces of `s` between separators, trimmed, empty ones dropped.
std::vector<std::string> split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t at = s.find(sep);
    std::string_view piece = s.substr(0, at);
    while (!piece.empty() && std::isspace(static_cast<unsigned char>(piece.front())))
      piece.remove_prefix(1);
    while (!piece.empty() && std::isspace(static_cast<unsigned char>(piece.back())))
      piece.remove_suffix(1);
    if (!piece.empty()) out.emplace_back(piece);
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + sep.size());
  }
}

std::string env_or(const Variables& env, const std::string& key, const std::string& fallback) {
  const auto it = env.find(key);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

// Files named by -f or COMPOSE_FILE (`option`), relative to `cwd`; all missing ones reported.
// "-" is stdin (kStdinFile) where the caller read it (`stdin_read`: -f only), and only once.
Result<std::vector<std::string>> named_files(const std::vector<std::string>& names,
                                             const fs::path& cwd, const std::string& option,
                                             bool stdin_read = false) {
  std::vector<std::string> files;
  Diagnostics errors;
  for (const auto& name : names) {
    const fs::path p = absolute_in(cwd, name);
    std::error_code ec;
    if (name == "-" && stdin_read) {
      if (std::find(files.begin(), files.end(), kStdinFile) != files.end())
        errors.push_back(option_error(option, "stdin (-) can be read once: give it once"));
      files.push_back(kStdinFile);
    } else if (name == "-") {
      errors.push_back(
          option_error(option, option == "-f" ? "stdin (-) was not read: expected a file path"
                                              : "stdin (-) is only for -f: expected a file path"));
    } else if (!fs::exists(p, ec)) {
      errors.push_back(option_error(option, "file not found: " + p.string()));
    } else if (!is_file(p)) {
      errors.push_back(option_error(option, "not a regular file: " + p.string()));
    } else {
      files.push_back(p.string());
    }
  }
  if (!errors.empty()) return errors;
  return files;
}

// The first of `names` that exists in `dir`, with a warning when more than one does.
std::optional<fs::path> pick(const fs::path& dir, const std::vector<std::string_view>& names,
                             Diagnostics& warnings) {
  std::vector<std::string> found;
  for (auto name : names)
    if (is_file(dir / name)) found.emplace_back(name);
  if (found.empty()) return std::nullopt;
  if (found.size() > 1) {
    std::string list;
    for (const auto& f : found) list += (list.empty() ? "" : ", ") + f;
    warnings.push_back(Diagnostic{(dir / found[0]).string(), 0, 0, "",
                                  "found several Compose files (" + list + "); using " + found[0],
                                  true});
  }
  return dir / found[0];
}

// Override files beside `main`, those of the same family (compose / docker-compose) first.
std::vector<std::string_view> override_names(const fs::path& main) {
  const bool docker = main.filename().string().starts_with("docker-");
  std::vector<std::string_view> mine = {"compose.override.yaml", "compose.override.yml"};
  std::vector<std::string_view> other = {"docker-compose.override.yaml",
                                         "docker-compose.override.yml"};
  if (docker) std::swap(mine, other);
  mine.insert(mine.end(), other.begin(), other.end());
  return mine;
}

// The default file in `start` or its nearest parent that has one, and its override file.
Result<std::vector<std::string>> search_files(const fs::path& start, Diagnostics& warnings) {
  const std::vector<std::string_view> names(kFileNames.begin(), kFileNames.end());
  for (fs::path dir = start;; dir = dir.parent_path()) {
    if (auto main = pick(dir, names, warnings)) {
      std::vector<std::string> files = {main->string()};
      if (auto over = pick(dir, override_names(*main), warnings)) files.push_back(over->string());
      return files;
    }
    if (dir == dir.root_path() || !dir.has_parent_path()) break;
  }
  return option_error("", "no Compose file found in " + start.string() +
                              " or its parents: expected compose.yaml, compose.yml, "
                              "docker-compose.yaml or docker-compose.yml (or use -f)");
}

// --env-file files (which must exist), else `.env` in `dir` if there is one. Each file sees
// the process environment and the files before it; the process environment wins.
Result<Variables> load_variables(const LoadOptions& opts, const fs::path& cwd, const fs::path& dir,
                                 const Variables& process) {
  std::vector<fs::path> files;
  Diagnostics errors;
  for (const auto& f : opts.env_files) {
    const fs::path p = absolute_in(cwd, f);
    const auto problem = file_problem(p.string());
    if (!problem) {
      files.push_back(p);
    } else if (*problem == "does not exist") {
      errors.push_back(option_error("--env-file", "file not found: " + p.string()));
    } else {
      errors.push_back(option_error("--env-file", p.string() + " " + *problem));
    }
  }
  if (opts.env_files.empty() && is_file(dir / ".env")) files.push_back(dir / ".env");
  Variables env;
  for (const auto& f : files) {
    if (!errors.empty()) break;
    Variables lookup = env;
    for (const auto& [k, v] : process) lookup[k] = v;
    auto r = read_dotenv(f.string(), lookup);
    if (!r) {
      errors.insert(errors.end(), r.errors().begin(), r.errors().end());
      continue;
    }
    for (auto& [k, v] : *r) env[k] = std::move(v);
  }
  if (!errors.empty()) return errors;
  for (const auto& [k, v] : process) env[k] = v;
  return env;
}

Result<Discovered> discover_in(const LoadOptions& opts, const fs::path& cwd) {
  const Variables process = opts.process_env ? *opts.process_env : process_environment();
  std::optional<fs::path> project_dir;
  if (!opts.project_directory.empty()) project_dir = absolute_in(cwd, opts.project_directory);
  const fs::path start = project_dir.value_or(cwd);

  Discovered d;
  std::optional<Variables> start_env;  // read only when COMPOSE_FILE may be needed
  Result<std::vector<std::string>> files = std::vector<std::string>{};
  if (!opts.files.empty()) {
    files = named_files(opts.files, cwd, "-f", opts.stdin_text.has_value());
  } else {
    auto env = load_variables(opts, cwd, start, process);
    if (!env) return env.errors();
    start_env = std::move(env).value();
    const auto names = split(env_or(*start_env, "COMPOSE_FILE", ""),
                             env_or(*start_env, "COMPOSE_PATH_SEPARATOR", ":"));
    files =
        names.empty() ? search_files(start, d.warnings) : named_files(names, cwd, "COMPOSE_FILE");
  }
  if (!files) return files.errors();
  d.files = std::move(files).value();
  // The first file's folder; stdin has none: then the next file's, else the working folder.
  if (project_dir) {
    d.project_dir = project_dir->string();
  } else {
    auto first = std::find_if(d.files.begin(), d.files.end(),
                              [](const std::string& f) { return f != kStdinFile; });
    d.project_dir = first == d.files.end() ? cwd.string() : fs::path(*first).parent_path().string();
  }

  if (start_env && (!opts.env_files.empty() || d.project_dir == start.string())) {
    d.env = std::move(*start_env);
  } else {
    auto env = load_variables(opts, cwd, d.project_dir, process);
    if (!env) return env.errors();
    d.env = std::move(env).value();
  }
  d.profiles =
      opts.profiles.empty() ? split(env_or(d.env, "COMPOSE_PROFILES", ""), ",") : opts.profiles;
  return d;
}

}  // namespace

Result<Discovered> discover(const LoadOptions& opts) {
  try {
    const fs::path cwd = absolute_in(fs::current_path(), opts.working_dir);
    return discover_in(opts, cwd);
  } catch (const fs::filesystem_error& e) {
    return option_error("", std::string("cannot find the Compose files: ") + e.what());
  }
}

std::string normalize_project_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-') out += l;
  }
  const std::size_t first = out.find_first_not_of("_-");
  return first == std::string::npos ? "" : out.substr(first);
}

}  // namespace qpod::compose
