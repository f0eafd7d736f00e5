// environment and env_file: env files are read and their values merged under `environment`.
#include <filesystem>
#include <sstream>

#include "compose/normalize_detail.h"
#include "compose/paths.h"

namespace qpod::compose::detail {
namespace {

// `format: raw`: KEY=VALUE lines taken literally (no quotes, escapes or interpolation).
Result<Variables> read_raw_env(const std::string& file) {
  auto text = read_input_file(file, "env file");
  if (!text) return text.errors();
  std::istringstream in(std::move(text).value());
  Variables env;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

// One env_file entry as {path, required, format?}.
Node env_file_entry(const Node& item, const std::string& path, Normalizer& nz) {
  Node m = Node::mapping(item.mark);
  if (item.is_scalar()) {
    m.set("path", Node::string(item.scalar, item.mark));
  } else if (item.is_mapping()) {
    m = item;
  }
  if (Node* p = m.find("path"); p && p->is_scalar())
    *p = Node::string(nz.host_path(p->scalar), p->mark);
  if (Node* required = m.find("required"))
    normalize_bool(*required, child_path(path, "required"), nz);
  else
    m.set("required", Node::boolean(true, item.mark));
  return m;
}

}  // namespace

void normalize_environment(Node& service, const std::string& path, Normalizer& nz) {
  Variables from_files;
  Mark files_mark;
  if (Node* files = service.find("env_file")) {
    const std::string files_path = child_path(path, "env_file");
    Node list = Node::sequence(files->mark);
    if (files->is_sequence()) {
      for (std::size_t i = 0; i < files->items.size(); ++i)
        list.push_back(env_file_entry(files->items[i], index_path(files_path, i), nz));
    } else {
      list.push_back(env_file_entry(*files, files_path, nz));
    }
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const Node& entry = list.items[i];
      const Node* file = entry.find("path");
      if (!file || !file->is_scalar()) continue;
      const std::string where = files->is_sequence() ? index_path(files_path, i) : files_path;
      const std::string abs = nz.project_file(file->scalar);
      std::error_code ec;
      if (!std::filesystem::exists(abs, ec)) {
        if (to_bool(*entry.find("required")) != false)
          nz.error(
              entry, where,
              "env file \"" + abs + "\" not found (set `required: false` to make it optional)");
        continue;
      }
      if (auto problem = file_problem(abs)) {  // even if not required
        nz.error(entry, where, "env file \"" + abs + "\" " + *problem);
        continue;
      }
      const Node* format = entry.find("format");
      const bool raw = format && format->is_scalar() && format->scalar == "raw";
      if (format && !raw) {
        nz.error(*format, child_path(where, "format"),
                 "unsupported env file format \"" + format->scalar + "\": expected raw");
        continue;
      }
      static const Variables kNoEnv;
      auto vars = raw ? read_raw_env(abs) : read_dotenv(abs, nz.ctx().env ? *nz.ctx().env : kNoEnv);
      if (!vars) {
        for (const auto& d : vars.errors()) nz.add(d);
        continue;
      }
      for (auto& [k, v] : *vars) from_files[k] = v;
      files_mark = entry.mark;
    }
    *files = std::move(list);
  }

  Node* env = service.find("environment");
  if (!env && from_files.empty()) return;
  Node merged = env ? string_map(*env, NoValue::FromEnv, nz) : Node::mapping(files_mark);
  KeyIndex keys(merged);
  for (const auto& [k, v] : from_files)
    if (!keys.find(k)) keys.set(k, Node::string(v, files_mark), {});
  service.set("environment", std::move(merged));
}

}  // namespace qpod::compose::detail
