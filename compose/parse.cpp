#include "compose/parse.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <unordered_set>

namespace qpod::compose {
namespace {

class Converter {
 public:
  explicit Converter(const std::string& file) : file_(std::make_shared<const std::string>(file)) {}

  Node convert(const YAML::Node& y, const std::string& path) {
    Node n;
    n.mark = mark(y.Mark());
    const std::string& tag = y.Tag();
    if (tag == "!reset" || tag == "!override") n.tag = tag;
    switch (y.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        n.kind = Kind::Null;
        break;
      case YAML::NodeType::Scalar:
        n.kind = Kind::Scalar;
        n.scalar = y.Scalar();
        n.quoted = tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
        if (!n.quoted && is_null_literal(n.scalar)) {
          n.kind = Kind::Null;
          n.scalar.clear();
        }
        break;
      case YAML::NodeType::Sequence: {
        n.kind = Kind::Sequence;
        n.items.reserve(y.size());
        std::size_t i = 0;
        for (const auto& item : y) n.items.push_back(convert(item, index_path(path, i++)));
        break;
      }
      case YAML::NodeType::Map:
        n.kind = Kind::Mapping;
        convert_map(y, path, n);
        break;
    }
    return n;
  }

  Diagnostics errors;

 private:
  static bool is_null_literal(const std::string& s) {
    return s == "~" || s == "null" || s == "Null" || s == "NULL";
  }

  Mark mark(const YAML::Mark& m) const {
    if (m.is_null()) return Mark{file_, 0, 0};
    return Mark{file_, m.line + 1, m.column + 1};
  }

  void convert_map(const YAML::Node& y, const std::string& path, Node& n) {
    std::unordered_set<std::string> seen;
    std::vector<const YAML::Node*> merges;
    std::vector<YAML::Node> merge_values;
    n.keys.reserve(y.size());
    n.items.reserve(y.size());
    for (auto it = y.begin(); it != y.end(); ++it) {
      const YAML::Node k = it->first;
      const YAML::Node v = it->second;
      if (!k.IsScalar()) {
        errors.push_back(error_at(mark(k.Mark()), path, "mapping keys must be strings"));
        continue;
      }
      const std::string& name = k.Scalar();
      if (name == "<<" && k.Tag() != "!") {
        merge_values.push_back(v);
        continue;
      }
      if (!seen.insert(name).second) {
        errors.push_back(error_at(mark(k.Mark()), child_path(path, name),
                                  "duplicate key \"" + name + "\""));
        continue;
      }
      n.keys.push_back(Key{name, mark(k.Mark())});
      n.items.push_back(convert(v, child_path(path, name)));
    }
    // `<<: *a` or `<<: [*a, *b]`: keys not already present come from the merged mappings,
    // earlier ones in the list taking precedence.
    for (const auto& mv : merge_values) {
      std::vector<YAML::Node> sources;
      if (mv.IsMap()) {
        sources.push_back(mv);
      } else if (mv.IsSequence()) {
        for (const auto& s : mv) sources.push_back(s);
      }
      for (const auto& s : sources) {
        if (!s.IsMap()) {
          errors.push_back(error_at(mark(s.Mark()), child_path(path, "<<"),
                                    "a merge key (<<) takes a mapping or a list of mappings"));
          continue;
        }
        Node merged = convert(s, path);
        for (std::size_t i = 0; i < merged.keys.size(); ++i) {
          if (!seen.insert(merged.keys[i].name).second) continue;
          n.keys.push_back(std::move(merged.keys[i]));
          n.items.push_back(std::move(merged.items[i]));
        }
      }
      if (!mv.IsMap() && !mv.IsSequence())
        errors.push_back(error_at(mark(mv.Mark()), child_path(path, "<<"),
                                  "a merge key (<<) takes a mapping or a list of mappings"));
    }
  }

  std::shared_ptr<const std::string> file_;
};

}  // namespace

Result<Node> parse_yaml(std::string_view text, const std::string& file) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    Diagnostic d;
    d.file = file;
    if (!e.mark.is_null()) {
      d.line = e.mark.line + 1;
      d.col = e.mark.column + 1;
    }
    d.message = "invalid YAML: " + e.msg;
    return d;
  }
  Converter c(file);
  if (docs.empty()) return Node::mapping(Mark{std::make_shared<const std::string>(file), 1, 1});
  if (docs.size() > 1) {
    return error_at(Mark{std::make_shared<const std::string>(file), docs[1].Mark().line + 1,
                         docs[1].Mark().column + 1},
                    "", "a Compose file holds one YAML document; this one has " +
                            std::to_string(docs.size()));
  }
  Node root = c.convert(docs[0], "");
  if (!c.errors.empty()) return c.errors;
  if (root.is_null()) return Node::mapping(root.mark);  // an empty file is an empty project
  if (!root.is_mapping())
    return error_at(root, "", "the top level must be a mapping, not " + describe(root));
  return root;
}

Result<Node> parse_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Diagnostic d;
    d.file = path;
    d.message = "cannot read file";
    return d;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_yaml(ss.str(), path);
}

}  // namespace qpod::compose
