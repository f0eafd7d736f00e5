#pragma once
// The document tree every loading stage works on: YAML nodes that remember where they came from
// (file, line, column), so that any stage can report a position. Mappings keep their key order.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace qpod::compose {

struct Mark {
  std::shared_ptr<const std::string> file;
  int line = 0;  // 1-based, 0 = unknown (a node a stage made up)
  int col = 0;
};

enum class Kind : std::uint8_t { Null, Scalar, Sequence, Mapping };

struct Key {
  std::string name;
  Mark mark;
};

class Node {
 public:
  Kind kind = Kind::Null;
  bool quoted = false;      // a quoted scalar is always a string; a plain one resolves (1.2 core)
  std::string tag;          // "!reset", "!override", or empty
  std::string scalar;       // text of a scalar
  std::vector<Node> items;  // sequence items, or mapping values (parallel to keys)
  std::vector<Key> keys;    // mapping keys
  Mark mark;

  static Node null(Mark m = {});
  static Node string(std::string s, Mark m = {});  // quoted scalar
  static Node plain(std::string s, Mark m = {});   // plain scalar: numbers, booleans
  static Node number(long long v, Mark m = {});
  static Node boolean(bool v, Mark m = {});
  static Node sequence(Mark m = {});
  static Node mapping(Mark m = {});

  bool is_null() const { return kind == Kind::Null; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_sequence() const { return kind == Kind::Sequence; }
  bool is_mapping() const { return kind == Kind::Mapping; }
  std::size_t size() const { return items.size(); }

  // Mapping access. find() is linear: index big mappings yourself.
  Node* find(std::string_view key);
  const Node* find(std::string_view key) const;
  const Key* find_key(std::string_view key) const;
  Node& set(std::string key, Node value, Mark key_mark = {});  // replace or append
  bool erase(std::string_view key);
  void push_back(Node value) { items.push_back(std::move(value)); }

  // Scalar resolution (YAML 1.2 core schema; quoted scalars are strings).
  bool is_string() const;  // a scalar that resolves to a string
  std::optional<bool> as_bool() const;
  std::optional<long long> as_int() const;
  std::optional<double> as_double() const;
  const std::string& str() const { return scalar; }

  // Value equality: kinds, scalars, keys, items and tags; marks are ignored.
  bool operator==(const Node& o) const;
};

// Key paths as users read them: "services.web.ports[1]".
std::string child_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t index);

Diagnostic error_at(const Mark& m, std::string path, std::string message);
Diagnostic error_at(const Node& n, std::string path, std::string message);
Diagnostic warning_at(const Node& n, std::string path, std::string message);

// What a node is, for messages: "a string", "a mapping", "a number", "null"...
std::string describe(const Node& n);

}  // namespace qpod::compose
