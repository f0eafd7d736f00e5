#include "compose/parse.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_set>

namespace qpod::compose {
namespace {

bool is_null_literal(const std::string& s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// Builds Nodes straight from yaml-cpp's parser events (no YAML::Node graph in between, which
// would cost as much again as the parse): anchors and aliases, `<<` merge keys, duplicate keys.
class Builder : public YAML::EventHandler {
 public:
  explicit Builder(const std::string& file) : file_(std::make_shared<const std::string>(file)) {}

  std::vector<Node> documents;
  Diagnostics errors;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    done(Node::null(mark(m)), anchor);
  }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      errors.push_back(error_at(mark(m), path(), "unknown alias"));
      done(Node::null(mark(m)), 0);
      return;
    }
    done(it->second, 0);
  }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n = Node::plain(value, mark(m));
    n.quoted = tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
    set_tag(n, tag);
    if (!n.quoted && is_null_literal(value)) n.kind = Kind::Null;
    if (!n.quoted && !n.tag.empty() && value.empty()) n.kind = Kind::Null;  // `ports: !reset`
    if (n.kind == Kind::Null) n.scalar.clear();
    done(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::sequence(mark(m)), tag, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::mapping(mark(m)), tag, anchor);
  }
  void OnMapEnd() override {
    apply_merge_keys(stack_.back());
    close();
  }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    bool have_key = false;  // mappings: a key waits for its value
    Key key;
    bool key_is_merge = false;
    std::vector<Node> merges;  // values of `<<` keys, applied when the mapping ends
    std::unordered_set<std::string> seen;  // the keys, once there are too many to scan

    // Records a key of the mapping; false if it has it already.
    bool add_key(const std::string& name) {
      constexpr std::size_t kScanUpTo = 16;  // most mappings are small: a scan beats hashing
      if (seen.empty() && node.keys.size() < kScanUpTo) {
        return std::none_of(node.keys.begin(), node.keys.end(),
                            [&](const Key& k) { return k.name == name; });
      }
      if (seen.empty())
        for (const auto& k : node.keys) seen.insert(k.name);
      return seen.insert(name).second;
    }
  };

  Mark mark(const YAML::Mark& m) const {
    if (m.is_null()) return Mark{file_, 0, 0};
    return Mark{file_, m.line + 1, m.column + 1};
  }

  static void set_tag(Node& n, const std::string& tag) {
    if (tag == "!reset" || tag == "!override") n.tag = tag;
  }

  // The key path of what is being built, for messages.
  std::string path() const {
    std::string p;
    for (const auto& f : stack_) {
      if (f.node.is_sequence()) p = index_path(p, f.node.items.size());
      else if (f.have_key) p = child_path(p, f.key.name);
    }
    return p;
  }

  void open(Node n, const std::string& tag, YAML::anchor_t anchor) {
    set_tag(n, tag);
    Frame f;
    f.node = std::move(n);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    done(std::move(f.node), f.anchor);
  }

  // A complete node: into its parent (as a key, a value or an item), or a document.
  void done(Node n, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      documents.push_back(std::move(n));
      return;
    }
    Frame& f = stack_.back();
    if (f.node.is_sequence()) {
      f.node.items.push_back(std::move(n));
      return;
    }
    if (!f.have_key) {
      if (!n.is_scalar()) {
        errors.push_back(error_at(n, path(), "mapping keys must be strings, not " + describe(n)));
        n = Node::string("", n.mark);
      }
      f.key = Key{std::move(n.scalar), n.mark};
      f.key_is_merge = f.key.name == "<<" && !n.quoted;
      f.have_key = true;
      return;
    }
    if (f.key_is_merge) {
      f.merges.push_back(std::move(n));
    } else if (!f.add_key(f.key.name)) {
      errors.push_back(error_at(f.key.mark, path(), "duplicate key \"" + f.key.name + "\""));
    } else {
      f.node.keys.push_back(std::move(f.key));
      f.node.items.push_back(std::move(n));
    }
    f.have_key = false;
  }

  // `<<: *a` or `<<: [*a, *b]`: keys the mapping does not have itself come from the merged
  // mappings, earlier ones in the list first.
  void apply_merge_keys(Frame& f) {
    for (auto& value : f.merges) {
      std::vector<Node> sources;
      if (value.is_mapping()) sources.push_back(std::move(value));
      else if (value.is_sequence()) sources = std::move(value.items);
      else sources.push_back(std::move(value));
      for (auto& s : sources) {
        if (!s.is_mapping()) {
          errors.push_back(error_at(s, child_path(path(), "<<"),
                                    "a merge key (<<) takes a mapping or a list of mappings"));
          continue;
        }
        for (std::size_t i = 0; i < s.keys.size(); ++i) {
          if (!f.add_key(s.keys[i].name)) continue;
          f.node.keys.push_back(std::move(s.keys[i]));
          f.node.items.push_back(std::move(s.items[i]));
        }
      }
    }
  }

  std::shared_ptr<const std::string> file_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Node> anchors_;
};

}  // namespace

Result<Node> parse_yaml(std::string_view text, const std::string& file) {
  std::istringstream in{std::string(text)};
  Builder b(file);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(b)) {
    }
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
  if (!b.errors.empty()) return b.errors;
  auto where = std::make_shared<const std::string>(file);
  if (b.documents.empty()) return Node::mapping(Mark{where, 1, 1});
  if (b.documents.size() > 1)
    return error_at(b.documents[1], "",
                    "a Compose file holds one YAML document; this one has " +
                        std::to_string(b.documents.size()));
  Node root = std::move(b.documents[0]);
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
