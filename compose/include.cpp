#include "compose/include.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <utility>

#include "compose/limits.h"
#include "compose/paths.h"

namespace fs = std::filesystem;

namespace qpod::compose {
namespace {

// The resources an included project brings in.
constexpr const char* kSections[] = {"services", "networks", "volumes",
                                     "secrets",  "configs",  "models"};

// The files whose `include` entries are being loaded, outermost first. The loader callback
// resolves the included files' own `include` through this function again, so without this
// record an include cycle would recurse forever.
thread_local std::vector<std::string> t_including;

struct IncludingGuard {
  explicit IncludingGuard(std::string file) { t_including.push_back(std::move(file)); }
  ~IncludingGuard() { t_including.pop_back(); }
  IncludingGuard(const IncludingGuard&) = delete;
  IncludingGuard& operator=(const IncludingGuard&) = delete;
};

std::string position(const Mark& m) {
  std::string out = m.file ? *m.file : std::string("?");
  if (m.line > 0) out += ":" + std::to_string(m.line) + ":" + std::to_string(m.col);
  return out;
}

// A path or a list of paths, made absolute.
bool read_paths(const Node& n, const std::string& base_dir, const std::string& path,
                std::vector<std::string>& out, Diagnostics& errors) {
  if (n.is_scalar()) {
    out.push_back(absolute_path(base_dir, n.scalar));
    return true;
  }
  if (!n.is_sequence()) {
    errors.push_back(error_at(n, path, "expected a path or a list of paths, not " + describe(n)));
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = n.items[i];
    if (item.is_scalar()) {
      out.push_back(absolute_path(base_dir, item.scalar));
    } else {
      errors.push_back(
          error_at(item, index_path(path, i), "expected a path, not " + describe(item)));
      ok = false;
    }
  }
  return ok;
}

// `- path` or `- {path: string|list, project_directory, env_file: string|list}`.
std::optional<IncludeRequest> read_entry(const Node& item, const std::string& base_dir,
                                         const std::string& path, Diagnostics& errors) {
  IncludeRequest req;
  if (item.is_scalar()) {
    req.files.push_back(absolute_path(base_dir, item.scalar));
  } else if (item.is_mapping()) {
    const Node* files = item.find("path");
    if (!files) {
      errors.push_back(error_at(item, path, "expected \"path\": the Compose file(s) to include"));
      return std::nullopt;
    }
    bool ok = read_paths(*files, base_dir, child_path(path, "path"), req.files, errors);
    if (const Node* env = item.find("env_file"))
      ok = read_paths(*env, base_dir, child_path(path, "env_file"), req.env_files, errors) && ok;
    if (const Node* dir = item.find("project_directory")) {
      if (!dir->is_scalar()) {
        errors.push_back(error_at(*dir, child_path(path, "project_directory"),
                                  "expected a path, not " + describe(*dir)));
        ok = false;
      } else {
        req.project_directory = absolute_path(base_dir, dir->scalar);
      }
    }
    if (!ok || req.files.empty()) return std::nullopt;
  } else {
    errors.push_back(error_at(
        item, path, "expected a file path or a mapping with \"path\", not " + describe(item)));
    return std::nullopt;
  }
  if (req.project_directory.empty())
    req.project_directory = fs::path(req.files.front()).parent_path().string();
  if (req.env_files.empty()) {
    std::error_code ec;
    fs::path dotenv = fs::path(req.project_directory) / ".env";
    if (fs::is_regular_file(dotenv, ec)) req.env_files.push_back(dotenv.string());
  }
  return req;
}

// "a -> b -> a" if loading `file` from `self` closes an include cycle.
std::optional<std::string> cycle(const std::string& self, const std::string& file) {
  std::vector<std::string> chain = t_including;
  chain.push_back(self);
  auto start = std::find(chain.begin(), chain.end(), file);
  if (start == chain.end()) return std::nullopt;
  std::string out;
  for (auto it = start; it != chain.end(); ++it) out += *it + " -> ";
  return out + file;
}

// Adds an included project's resources to the root; a name defined twice is an error.
class Joiner {
 public:
  explicit Joiner(Node& root) : root_(root) {}
  Diagnostics errors;

  void join(const Node& included, const Mark& include_key) {
    for (const char* section : kSections) {
      const Node* from = included.find(section);
      if (!from || !from->is_mapping() || from->keys.empty()) continue;
      Node* to = root_.find(section);
      if (!to || !to->is_mapping())
        to = &root_.set(section, Node::mapping(include_key), include_key);
      for (std::size_t i = 0; i < from->keys.size(); ++i)
        add(*to, section, from->keys[i], from->items[i]);
    }
  }

 private:
  void add(Node& to, const std::string& section, const Key& key, const Node& value) {
    const std::string path = child_path(section, key.name);
    const Mark here = key.mark.line > 0 ? key.mark : value.mark;
    const Node* existing = to.find(key.name);
    if (!existing) {
      to.set(key.name, value, key.mark);
      included_at_[path] = here;
      return;
    }
    if (*existing == value) return;  // the same definition twice, e.g. a shared network
    // Against another include, the later definition is reported; against the including file,
    // its own definition is.
    auto earlier = included_at_.find(path);
    if (earlier != included_at_.end())
      errors.push_back(
          error_at(here, path, "also defined by included file " + position(earlier->second)));
    else
      errors.push_back(error_at(to.find_key(key.name)->mark, path,
                                "also defined by included file " + position(here)));
  }

  Node& root_;
  std::map<std::string, Mark> included_at_;  // "services.web" → where an include defined it
};

}  // namespace

Diagnostics resolve_includes(Node& root, const std::string& base_dir, const IncludeLoader& load) {
  const Node* includes = root.find("include");
  if (!includes) return {};
  const Mark include_key = root.find_key("include")->mark;
  Diagnostics errors;
  if (!includes->is_sequence() && !includes->is_null()) {
    errors.push_back(error_at(*includes, "include", "expected a list, not " + describe(*includes)));
    return errors;
  }
  const std::string self =
      root.mark.file && !root.mark.file->empty() ? absolute_path("", *root.mark.file) : "";
  Joiner joiner(root);
  // A copy: joining may add sections to the root, which moves the `include` node.
  const std::vector<Node> entries = includes->is_sequence() ? includes->items : std::vector<Node>{};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string path = index_path("include", i);
    auto req = read_entry(entries[i], base_dir, path, errors);
    if (!req) continue;
    std::optional<std::string> loop;
    for (const auto& file : req->files)
      if (!loop) loop = cycle(self, file);
    if (loop) {
      errors.push_back(error_at(entries[i], path, "include cycle: " + *loop));
      continue;
    }
    if (t_including.size() >= kMaxIncludeDepth) {  // each level is the whole loader's stack
      errors.push_back(
          error_at(entries[i], path,
                   "includes nested deeper than " + std::to_string(kMaxIncludeDepth) + " files"));
      continue;
    }
    IncludingGuard guard(self);
    auto included = load(*req);
    if (!included) {
      errors.push_back(error_at(entries[i], path, "cannot include \"" + req->files.front() + "\""));
      errors.insert(errors.end(), included.errors().begin(), included.errors().end());
      continue;
    }
    joiner.join(*included, include_key);
  }
  errors.insert(errors.end(), joiner.errors.begin(), joiner.errors.end());
  root.erase("include");
  return errors;
}

}  // namespace qpod::compose
