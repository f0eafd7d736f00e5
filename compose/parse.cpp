#include "compose/parse.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>
#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>
#include <unordered_set>

#include "compose/limits.h"
#include "compose/parse_engines.h"
#include "compose/paths.h"

namespace qpod::compose {
namespace {

bool is_null_literal(const std::string& s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// Builds Nodes straight from a YAML parser's events (no YAML::Node graph in between, which
// would cost as much again as the parse): anchors and aliases, `<<` merge keys, duplicate keys.
// Events come from libyaml (LibyamlEvents) or yaml-cpp (YamlCppEvents), in yaml-cpp's terms:
// tags as yaml-cpp spells them ("!" on quoted scalars, "?" on untagged plain ones), marks
// 1-based with columns in bytes. An anchor is a name; empty is none.
//
// The limits of compose/limits.h are kept here, so that every later stage may walk the tree
// recursively: no collection deeper than kMaxNestingDepth, and aliases may not make the tree
// much bigger than the text (go-yaml's rule). Reaching one is `stopped`: the parse ends there
// with that one error.
class Builder {
 public:
  explicit Builder(const std::string& file) : file_(std::make_shared<const std::string>(file)) {}

  std::vector<Node> documents;
  Diagnostics errors;
  std::optional<Diagnostic> stopped;

  Mark mark(int line, int col) const { return Mark{file_, line, col}; }
  const std::string& file() const { return *file_; }
  std::size_t produced() const { return produced_; }
  // Past `most` nodes, over_budget(): yaml-cpp, reading what libyaml read, may loop (on
  // `&a- ue\n? ` it made empty nodes without end).
  void set_budget(std::size_t most) { budget_ = most; }
  bool over_budget() const { return produced_ > budget_; }

  void on_null(const Mark& m, const std::string& anchor) {
    ++produced_;
    done(Node::null(m), anchor, 1);
  }

  void on_alias(const Mark& m, const std::string& anchor) {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      errors.push_back(error_at(m, path(), "unknown alias"));
      ++produced_;
      done(Node::null(m), {}, 1);
      return;
    }
    if (!copy_allowed(m, it->second.size)) return;
    done(it->second.node, {}, it->second.size);
  }

  void on_scalar(const Mark& m, const std::string& tag, const std::string& anchor,
                 std::string value) {
    ++produced_;
    Node n = Node::plain(std::move(value), m);
    n.quoted = tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
    set_tag(n, tag);
    if (!n.quoted && is_null_literal(n.scalar)) n.kind = Kind::Null;
    if (!n.quoted && !n.tag.empty() && n.scalar.empty()) n.kind = Kind::Null;  // `ports: !reset`
    if (n.kind == Kind::Null) n.scalar.clear();
    done(std::move(n), anchor, 1);
  }

  void on_sequence_start(const Mark& m, const std::string& tag, const std::string& anchor) {
    open(Node::sequence(m), tag, anchor);
  }
  void on_sequence_end() { close(); }

  void on_map_start(const Mark& m, const std::string& tag, const std::string& anchor) {
    open(Node::mapping(m), tag, anchor);
  }
  void on_map_end() {
    apply_merge_keys(stack_.back());
    close();
  }

 private:
  struct Frame {
    Node node;
    std::string anchor;
    std::size_t first = 0;  // produced_ before this node: its size is what was produced since
    bool have_key = false;  // mappings: a key waits for its value
    Key key;
    bool key_is_merge = false;
    std::vector<Node> merges;              // values of `<<` keys, applied when the mapping ends
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

  static void set_tag(Node& n, const std::string& tag) {
    if (tag == "!reset" || tag == "!override") n.tag = tag;
  }

  // The key path of what is being built, for messages.
  std::string path() const {
    std::string p;
    for (const auto& f : stack_) {
      if (f.node.is_sequence())
        p = index_path(p, f.node.items.size());
      else if (f.have_key)
        p = child_path(p, f.key.name);
    }
    return p;
  }

  void open(Node n, const std::string& tag, const std::string& anchor) {
    if (stack_.size() >= kMaxNestingDepth) {
      std::string where = path();
      if (constexpr std::size_t kShown = 100; where.size() > kShown)
        where = where.substr(0, kShown) + "...";
      stop(error_at(n.mark, std::move(where),
                    "nesting deeper than " + std::to_string(kMaxNestingDepth) +
                        " levels of mappings and lists"));
      return;
    }
    set_tag(n, tag);
    Frame f;
    f.node = std::move(n);
    f.anchor = anchor;
    f.first = produced_++;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    done(std::move(f.node), f.anchor, produced_ - f.first);
  }

  void stop(Diagnostic d) {
    if (!stopped) stopped = std::move(d);
  }

  // Whether `size` more nodes may be copied (by an alias, or to keep an anchor), go-yaml's rule
  // (yaml.v3 decode.go, allowedAliasRatio): copies may be 99% of the nodes of a document of up
  // to kAliasRatioLow nodes, down to 10% from kAliasRatioHigh on. Counted before copying, so
  // that a billion laughs is refused before it costs anything.
  bool copy_allowed(const Mark& m, std::size_t size) {
    const std::size_t copied = copied_ + size, produced = produced_ + size;
    double ratio = 0.99;
    if (produced >= kAliasRatioHigh) {
      ratio = 0.10;
    } else if (produced > kAliasRatioLow) {
      ratio = 0.99 - 0.89 * static_cast<double>(produced - kAliasRatioLow) /
                         static_cast<double>(kAliasRatioHigh - kAliasRatioLow);
    }
    if (copied > 100 && produced > 1000 &&
        static_cast<double>(copied) > ratio * static_cast<double>(produced)) {
      stop(error_at(m, path(),
                    "excessive aliasing (a YAML bomb?): anchors and aliases would make this "
                    "document " +
                        std::to_string(produced) + " nodes, " + std::to_string(copied) +
                        " of them copies"));
      return false;
    }
    copied_ = copied;
    produced_ = produced;
    return true;
  }

  // A complete node of `size` nodes: into its parent (as a key, a value or an item), or a
  // document.
  void done(Node n, const std::string& anchor, std::size_t size) {
    if (!anchor.empty()) {
      if (!copy_allowed(n.mark, size)) return;
      anchors_[anchor] = Anchored{n, size};
    }
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
      if (value.is_mapping())
        sources.push_back(std::move(value));
      else if (value.is_sequence())
        sources = std::move(value.items);
      else
        sources.push_back(std::move(value));
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

  struct Anchored {
    Node node;
    std::size_t size = 1;  // nodes in it
  };

  std::shared_ptr<const std::string> file_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchored> anchors_;
  std::size_t produced_ = 0;  // nodes built, copies included
  std::size_t copied_ = 0;    // nodes copied for aliases and anchors
  std::size_t budget_ = static_cast<std::size_t>(-1);
};

// yaml-cpp's events into the Builder. yaml-cpp's anchors are numbers (0: none). When the
// Builder stops (a limit), Stopped ends yaml-cpp's parse, whose recursion goes no deeper.
struct Stopped {};

class YamlCppEvents : public YAML::EventHandler {
 public:
  explicit YamlCppEvents(Builder& b) : b_(b) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    b_.on_null(mark(m), name(anchor));
    check();
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    b_.on_alias(mark(m), name(anchor));
    check();
  }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    b_.on_scalar(mark(m), tag, name(anchor), value);
    check();
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    b_.on_sequence_start(mark(m), tag, name(anchor));
    check();
  }
  void OnSequenceEnd() override {
    b_.on_sequence_end();
    check();
  }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    b_.on_map_start(mark(m), tag, name(anchor));
    check();
  }
  void OnMapEnd() override {
    b_.on_map_end();
    check();
  }

 private:
  void check() const {
    if (b_.stopped || b_.over_budget()) throw Stopped{};
  }
  Mark mark(const YAML::Mark& m) const {
    if (m.is_null()) return b_.mark(0, 0);
    return b_.mark(m.line + 1, m.column + 1);
  }
  static std::string name(YAML::anchor_t anchor) {
    return anchor == 0 ? std::string() : std::to_string(anchor);
  }
  Builder& b_;
};

// Converts libyaml's marks to yaml-cpp's: libyaml counts columns in characters, yaml-cpp in
// bytes, which differ on lines with non-ASCII text.
class ByteColumns {
 public:
  explicit ByteColumns(std::string_view text) : text_(text) {
    ascii_ = std::none_of(text.begin(), text.end(),
                          [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (ascii_) return;
    std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // libyaml skips a BOM
    starts_.push_back(start);
    for (std::size_t i = start; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  int column(std::size_t line, std::size_t chars) const {
    if (ascii_ || line >= starts_.size()) return static_cast<int>(chars);
    std::size_t i = starts_[line];
    for (std::size_t n = 0; n < chars && i < text_.size(); ++n) {
      ++i;  // past a lead byte, then its continuation bytes
      while (i < text_.size() && (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) ++i;
    }
    return static_cast<int>(i - starts_[line]);
  }

 private:
  std::string_view text_;
  bool ascii_ = true;
  std::vector<std::size_t> starts_;
};

// Inputs libyaml may read differently from yaml-cpp: line breaks other than \n and \r\n
// (libyaml also breaks lines at \r, NEL, LS and PS), anything that is not UTF-8, explicit keys.
bool libyaml_may_differ(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return true;
  if (text.find("\xC2\x85") != std::string_view::npos) return true;
  if (text.find("\xE2\x80\xA8") != std::string_view::npos) return true;
  if (text.find("\xE2\x80\xA9") != std::string_view::npos) return true;
  // An explicit key (`? key`) without a value: yaml-cpp marks the empty value at the `?`, and
  // libyaml no longer knows where that was. Compose files have no use for explicit keys.
  for (std::size_t i = text.find('?'); i != std::string_view::npos; i = text.find('?', i + 1)) {
    if (i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '\n' ||
        text[i + 1] == '\r')
      return true;
  }
  for (std::size_t i = text.find('\r'); i != std::string_view::npos; i = text.find('\r', i + 1)) {
    if (i + 1 >= text.size() || text[i + 1] != '\n') return true;
  }
  return false;
}

struct LibyamlParser {
  yaml_parser_t parser;
  LibyamlParser() { yaml_parser_initialize(&parser); }
  ~LibyamlParser() { yaml_parser_delete(&parser); }
  LibyamlParser(const LibyamlParser&) = delete;
  LibyamlParser& operator=(const LibyamlParser&) = delete;
};

struct LibyamlEvent {
  yaml_event_t event{};
  bool live = false;
  ~LibyamlEvent() {
    if (live) yaml_event_delete(&event);
  }
};

std::string text_of(const yaml_char_t* s) {
  return s ? std::string(reinterpret_cast<const char*>(s)) : std::string();
}

// Where libyaml's reader stopped: a byte offset, as yaml-cpp's 1-based line and byte column.
std::pair<int, int> line_col_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t nl = before.rfind('\n');
  const auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  const auto col = static_cast<int>(nl == std::string_view::npos ? offset : offset - nl - 1) + 1;
  return {line, col};
}

// libyaml's error as a Diagnostic: where it is, what, and what libyaml was reading.
template <class MarkFn>
Diagnostic libyaml_error(const yaml_parser_t& p, std::string_view text, const std::string& file,
                         MarkFn mark) {
  Diagnostic d;
  d.file = file;
  d.message = "invalid YAML: " + std::string(p.problem ? p.problem : "syntax error");
  if (p.error == YAML_READER_ERROR) {  // text that is not Unicode: an offset, not a mark
    std::tie(d.line, d.col) = line_col_of(text, p.problem_offset);
    if (p.problem_value != -1) {
      char hex[16];
      std::snprintf(hex, sizeof hex, " 0x%X", static_cast<unsigned>(p.problem_value));
      d.message += hex;
    }
    d.message += ": YAML text must be UTF-8 (or UTF-16)";
    return d;
  }
  const Mark at = mark(p.problem_mark);
  d.line = at.line;
  d.col = at.col;
  if (p.context) {
    const Mark from = mark(p.context_mark);
    d.message += " " + std::string(p.context) + " at " + std::to_string(from.line) + ":" +
                 std::to_string(from.col);
  }
  return d;
}

// libyaml's events into the Builder; libyaml's error if any, or the Builder's when it stopped.
std::optional<Diagnostic> build_with_libyaml(std::string_view text, Builder& b) {
  LibyamlParser p;
  yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  ByteColumns columns(text);
  // libyaml ends a last line that has no line break, and puts the end of the input on the next
  // line; yaml-cpp puts it at the start of that last line.
  const std::size_t breaks = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  auto mark = [&](const yaml_mark_t& m) {
    if (m.line > breaks) return b.mark(static_cast<int>(breaks) + 1, 1);
    return b.mark(static_cast<int>(m.line) + 1, columns.column(m.line, m.column) + 1);
  };
  // An empty node (`key:` with no value) gets, as in yaml-cpp, the mark of what follows it.
  bool pending_null = false;
  for (;;) {
    if (b.stopped) return b.stopped;
    LibyamlEvent e;
    if (!yaml_parser_parse(&p.parser, &e.event))
      return libyaml_error(p.parser, text, b.file(), mark);
    e.live = true;
    const yaml_event_t& ev = e.event;
    if (pending_null) {
      b.on_null(mark(ev.start_mark), {});
      pending_null = false;
    }
    switch (ev.type) {
      case YAML_STREAM_END_EVENT:
        return b.stopped;
      case YAML_ALIAS_EVENT:
        b.on_alias(mark(ev.start_mark), text_of(ev.data.alias.anchor));
        break;
      case YAML_SCALAR_EVENT: {
        const auto& s = ev.data.scalar;
        bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        if (plain && !s.tag && !s.anchor && s.length == 0) {
          // The token libyaml looked at to see the node was empty is still in its queue.
          if (p.parser.tokens.head != p.parser.tokens.tail)
            b.on_null(mark(p.parser.tokens.head->start_mark), {});
          else
            pending_null = true;
          break;
        }
        std::string tag = s.tag ? text_of(s.tag) : plain ? "?" : "!";
        std::string anchor = text_of(s.anchor);
        if (plain && !s.tag && s.length == 0) {
          b.on_null(mark(ev.start_mark), anchor);
          break;
        }
        b.on_scalar(mark(ev.start_mark), tag, anchor,
                    std::string(reinterpret_cast<const char*>(s.value), s.length));
        break;
      }
      case YAML_SEQUENCE_START_EVENT: {
        const auto& s = ev.data.sequence_start;
        b.on_sequence_start(mark(ev.start_mark), s.tag ? text_of(s.tag) : "?", text_of(s.anchor));
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
        b.on_sequence_end();
        break;
      case YAML_MAPPING_START_EVENT: {
        const auto& s = ev.data.mapping_start;
        b.on_map_start(mark(ev.start_mark), s.tag ? text_of(s.tag) : "?", text_of(s.anchor));
        break;
      }
      case YAML_MAPPING_END_EVENT:
        b.on_map_end();
        break;
      default:  // stream and document starts and ends
        break;
    }
  }
}

// The one document of a Compose file, once its events are built.
Result<Node> the_document(Builder& b) {
  if (!b.errors.empty()) return b.errors;
  if (b.documents.empty()) return Node::mapping(b.mark(1, 1));
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

// yaml-cpp's tree of `text`, or nullopt if it made more than `most` nodes.
std::optional<Result<Node>> yaml_cpp_tree(std::string_view text, const std::string& file,
                                          std::size_t most) {
  std::istringstream in{std::string(text)};
  Builder b(file);
  b.set_budget(most);
  YamlCppEvents events(b);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(events)) {
    }
  } catch (const Stopped&) {
    if (!b.stopped) return std::nullopt;
    return Result<Node>(*b.stopped);
  } catch (const YAML::Exception& e) {
    Diagnostic d;
    d.file = file;
    if (!e.mark.is_null()) {
      d.line = e.mark.line + 1;
      d.col = e.mark.column + 1;
    }
    d.message = "invalid YAML: " + e.msg;
    return Result<Node>(d);
  }
  return the_document(b);
}

}  // namespace

namespace detail {

std::optional<Node> parse_with_libyaml(std::string_view text, const std::string& file) {
  if (libyaml_may_differ(text)) return std::nullopt;
  Builder b(file);
  if (build_with_libyaml(text, b) || !b.errors.empty() || b.documents.size() != 1)
    return std::nullopt;
  if (!b.documents[0].is_mapping()) return std::nullopt;
  return std::move(b.documents[0]);
}

Result<Node> parse_with_yaml_cpp(std::string_view text, const std::string& file) {
  return *yaml_cpp_tree(text, file, static_cast<std::size_t>(-1));
}

}  // namespace detail

// libyaml reads a file in a sixth of yaml-cpp's instructions, and it has the last word on what
// is valid YAML: yaml-cpp's error paths can loop without end (`, - x:` allocated ~200 MB/s) and
// accept text that is not Unicode. libyaml's tree is the result unless the text is one that
// yaml-cpp reads differently (libyaml_may_differ); such a text, once libyaml accepted it, is
// parsed again by yaml-cpp, whose reading Compose files have always had.
//
// yaml-cpp must make about the tree libyaml made: past twice as many nodes (it can loop), the
// tree is libyaml's.
Result<Node> parse_yaml(std::string_view text, const std::string& file) {
  Builder b(file);
  if (auto error = build_with_libyaml(text, b)) return *error;
  if (libyaml_may_differ(text))
    if (auto tree = yaml_cpp_tree(text, file, 2 * b.produced() + 64)) return std::move(*tree);
  return the_document(b);
}

Result<std::string> read_text(const std::string& path) { return read_input_file(path); }

Result<Node> parse_file(const std::string& path) {
  auto text = read_text(path);
  if (!text) return text.errors();
  return parse_yaml(*text, path);
}

}  // namespace qpod::compose
