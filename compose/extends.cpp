#include "compose/extends.h"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compose/limits.h"
#include "compose/merge.h"
#include "compose/normalize.h"
#include "compose/paths.h"

namespace fs = std::filesystem;

namespace qpod::compose {
namespace {

// A service of one file; `file` is the file's absolute path ("" for a tree without a file).
struct ServiceRef {
  std::string file;
  std::string name;
  auto operator<=>(const ServiceRef&) const = default;
};

// What `extends: svc` or `extends: {service: svc, file: other.yaml}` names.
struct Target {
  std::string service;
  std::optional<std::string> file;
};

std::optional<Target> read_target(const Node& extends) {
  if (extends.is_scalar()) return Target{extends.scalar, std::nullopt};
  const Node* service = extends.is_mapping() ? extends.find("service") : nullptr;
  if (!service || !service->is_scalar()) return std::nullopt;
  Target t{service->scalar, std::nullopt};
  if (const Node* file = extends.find("file"); file && file->is_scalar()) t.file = file->scalar;
  return t;
}

class Resolver {
 public:
  Resolver(Node& root, const std::string& base_dir, const FileLoader& load) : load_(load) {
    // The path the root was read from (relative to the working directory, like any opened path).
    if (root.mark.file && !root.mark.file->empty()) root_file_ = absolute_path("", *root.mark.file);
    files_[root_file_] = File{&root, base_dir, {}};
  }

  const std::string& root_file() const { return root_file_; }
  Diagnostics errors;

  // Replaces the service's `extends` by the merge of its base and itself. False on errors (the
  // errors are reported once, where they are found).
  bool resolve(const ServiceRef& ref) {
    if (auto it = state_.find(ref); it != state_.end()) return it->second == State::Done;
    const Node* service = find_service(ref);
    const Node* extends = service && service->is_mapping() ? service->find("extends") : nullptr;
    if (!extends) {
      state_[ref] = State::Done;
      return true;
    }
    const Mark at = service->find_key("extends")->mark;
    if (stack_.size() >= kMaxExtendsDepth) {  // resolve() recurses once a link of the chain
      errors.push_back(
          error_at(at, child_path(child_path("services", ref.name), "extends"),
                   "extends chain longer than " + std::to_string(kMaxExtendsDepth) + " services"));
      state_[ref] = State::Failed;
      return false;
    }
    state_[ref] = State::Resolving;
    stack_.push_back(ref);
    const bool ok = extend(ref, *extends, at);
    stack_.pop_back();
    state_[ref] = ok ? State::Done : State::Failed;
    return ok;
  }

 private:
  struct File {
    Node* root = nullptr;
    std::string dir;
    std::unordered_map<std::string, std::size_t> services;  // name → index, built on first use
  };
  enum class State { Resolving, Done, Failed };

  bool extend(const ServiceRef& ref, const Node& extends, const Mark& at) {
    const std::string service_path = child_path("services", ref.name);
    const std::string path = child_path(service_path, "extends");
    auto target = read_target(extends);
    if (!target) {
      errors.push_back(error_at(at, path,
                                "expected a service name or a mapping with \"service\" and an "
                                "optional \"file\", not " +
                                    describe(extends)));
      return false;
    }
    ServiceRef base_ref{ref.file, target->service};
    if (target->file) {
      auto file = open(*target->file, files_[ref.file].dir, at, path);
      if (!file) return false;
      base_ref.file = *file;
    }
    if (!find_service(base_ref)) {
      std::string where = base_ref.file == ref.file ? "" : " in " + base_ref.file;
      errors.push_back(error_at(at, path, "service \"" + base_ref.name + "\" not found" + where));
      return false;
    }
    if (auto it = state_.find(base_ref); it != state_.end() && it->second == State::Resolving) {
      errors.push_back(error_at(at, path, "extends cycle: " + chain(base_ref)));
      return false;
    }
    if (!resolve(base_ref)) return false;

    Node base = *find_service(base_ref);
    if (base_ref.file != ref.file) resolve_service_paths(base, files_[base_ref.file].dir);
    Node local = *find_service(ref);
    local.erase("extends");
    const Mark mark = local.mark;
    auto merged = merge_service(std::move(base), local, service_path);
    if (!merged) {
      errors.insert(errors.end(), merged.errors().begin(), merged.errors().end());
      return false;
    }
    Node& out = *find_service(ref);
    out = std::move(merged).value();
    out.mark = mark;
    return true;
  }

  // The absolute path of an `extends.file`, loaded on first use.
  std::optional<std::string> open(const std::string& file, const std::string& dir, const Mark& at,
                                  const std::string& path) {
    std::string abs = absolute_path(dir, file);
    if (files_.count(abs)) return abs;
    // A file that failed once is not loaded (nor its errors reported) again.
    auto loaded = failed_.count(abs) ? Result<Node>(Diagnostics{}) : load_(abs);
    if (!loaded) {
      errors.push_back(error_at(at, path, "cannot load file \"" + file + "\""));
      failed_.insert(abs);
      errors.insert(errors.end(), loaded.errors().begin(), loaded.errors().end());
      return std::nullopt;
    }
    Node& root = loaded_[abs] = std::move(loaded).value();
    files_[abs] = File{&root, fs::path(abs).parent_path().string(), {}};
    return abs;
  }

  // Indexed (Node::find is linear): a file of n services that extend one another is not n^2.
  // Resolving replaces a service's value, never the keys, so the index stays right.
  Node* find_service(const ServiceRef& ref) {
    auto it = files_.find(ref.file);
    if (it == files_.end()) return nullptr;
    Node* services = it->second.root->find("services");
    if (!services || !services->is_mapping()) return nullptr;
    auto& index = it->second.services;
    if (index.empty())
      for (std::size_t i = 0; i < services->keys.size(); ++i)
        index.emplace(services->keys[i].name, i);
    auto found = index.find(ref.name);
    return found == index.end() ? nullptr : &services->items[found->second];
  }

  // "a -> b -> a", from `back_to` on the stack; services of other files show their file.
  std::string chain(const ServiceRef& back_to) const {
    auto show = [this](const ServiceRef& r) {
      return r.file == root_file_ ? r.name : r.name + " (" + r.file + ")";
    };
    std::string out;
    bool in_cycle = false;
    for (const auto& r : stack_) {
      in_cycle = in_cycle || r == back_to;
      if (in_cycle) out += show(r) + " -> ";
    }
    return out + show(back_to);
  }

  const FileLoader& load_;
  std::string root_file_;
  std::map<std::string, File> files_;   // by absolute path; the root file's tree is the root
  std::map<std::string, Node> loaded_;  // trees of other files (std::map: stable addresses)
  std::set<std::string> failed_;        // files that could not be loaded (reported once)
  std::map<ServiceRef, State> state_;
  std::vector<ServiceRef> stack_;
};

}  // namespace

Diagnostics resolve_extends(Node& root, const std::string& base_dir, const FileLoader& load) {
  const Node* services = root.find("services");
  if (!services || !services->is_mapping()) return {};
  std::vector<std::string> names;  // only services that extend (the rest need no lookup)
  for (std::size_t i = 0; i < services->keys.size(); ++i)
    if (services->items[i].is_mapping() && services->items[i].find("extends"))
      names.push_back(services->keys[i].name);
  if (names.empty()) return {};
  Resolver resolver(root, base_dir, load);
  for (const auto& name : names) resolver.resolve(ServiceRef{resolver.root_file(), name});
  return std::move(resolver.errors);
}

}  // namespace qpod::compose
