#include "compose/tree.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace qpod::compose {

Node Node::null(Mark m) {
  Node n;
  n.mark = std::move(m);
  return n;
}
Node Node::string(std::string s, Mark m) {
  Node n;
  n.kind = Kind::Scalar;
  n.quoted = true;
  n.scalar = std::move(s);
  n.mark = std::move(m);
  return n;
}
Node Node::plain(std::string s, Mark m) {
  Node n = string(std::move(s), std::move(m));
  n.quoted = false;
  return n;
}
Node Node::number(long long v, Mark m) { return plain(std::to_string(v), std::move(m)); }
Node Node::boolean(bool v, Mark m) { return plain(v ? "true" : "false", std::move(m)); }
Node Node::sequence(Mark m) {
  Node n;
  n.kind = Kind::Sequence;
  n.mark = std::move(m);
  return n;
}
Node Node::mapping(Mark m) {
  Node n;
  n.kind = Kind::Mapping;
  n.mark = std::move(m);
  return n;
}

Node* Node::find(std::string_view key) {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i].name == key) return &items[i];
  return nullptr;
}
const Node* Node::find(std::string_view key) const { return const_cast<Node*>(this)->find(key); }
const Key* Node::find_key(std::string_view key) const {
  for (const auto& k : keys)
    if (k.name == key) return &k;
  return nullptr;
}
Node& Node::set(std::string key, Node value, Mark key_mark) {
  if (kind != Kind::Mapping) {
    kind = Kind::Mapping;
    items.clear();
    keys.clear();
  }
  if (Node* existing = find(key)) {
    *existing = std::move(value);
    return *existing;
  }
  keys.push_back(Key{std::move(key), std::move(key_mark)});
  items.push_back(std::move(value));
  return items.back();
}
bool Node::erase(std::string_view key) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].name == key) {
      keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(i));
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

std::optional<bool> Node::as_bool() const {
  if (kind != Kind::Scalar || quoted) return std::nullopt;
  const auto& s = scalar;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

std::optional<long long> Node::as_int() const {
  if (kind != Kind::Scalar || quoted || scalar.empty()) return std::nullopt;
  std::string_view s = scalar;
  int base = 10;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    base = s[1] == 'x' ? 16 : 8;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c))
                         : (c >= '0' && c <= (base == 8 ? '7' : '9'));
    if (!ok) return std::nullopt;
  }
  errno = 0;
  std::string text(s);
  long long v = std::strtoll(text.c_str(), nullptr, base);
  if (errno == ERANGE) return std::nullopt;
  return neg ? -v : v;
}

std::optional<double> Node::as_double() const {
  if (auto i = as_int()) return static_cast<double>(*i);
  if (kind != Kind::Scalar || quoted || scalar.empty()) return std::nullopt;
  const auto& s = scalar;
  if (s == ".inf" || s == "+.inf" || s == ".Inf" || s == "+.Inf") return 1e308 * 10;
  if (s == "-.inf" || s == "-.Inf") return -1e308 * 10;
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  std::size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp;
    if (exp == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return std::strtod(s.c_str(), nullptr);
}

bool Node::is_string() const {
  if (kind != Kind::Scalar) return false;
  return quoted || (!as_bool() && !as_double());
}

bool Node::operator==(const Node& o) const {
  if (kind != o.kind || tag != o.tag) return false;
  switch (kind) {
    case Kind::Null:
      return true;
    case Kind::Scalar:
      return scalar == o.scalar && is_string() == o.is_string();
    case Kind::Sequence:
      return items == o.items;
    case Kind::Mapping:
      if (keys.size() != o.keys.size()) return false;
      for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i].name != o.keys[i].name) return false;
      return items == o.items;
  }
  return false;
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string index_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

Diagnostic error_at(const Mark& m, std::string path, std::string message) {
  Diagnostic d;
  if (m.file) d.file = *m.file;
  d.line = m.line;
  d.col = m.col;
  d.path = std::move(path);
  d.message = std::move(message);
  return d;
}

Diagnostic error_at(const Node& n, std::string path, std::string message) {
  return error_at(n.mark, std::move(path), std::move(message));
}

Diagnostic warning_at(const Node& n, std::string path, std::string message) {
  Diagnostic d = error_at(n, std::move(path), std::move(message));
  d.warning = true;
  return d;
}

std::string describe(const Node& n) {
  switch (n.kind) {
    case Kind::Null:
      return "null";
    case Kind::Sequence:
      return "a list";
    case Kind::Mapping:
      return "a mapping";
    case Kind::Scalar:
      if (n.as_bool()) return "a boolean (" + n.scalar + ")";
      if (n.as_double()) return "a number (" + n.scalar + ")";
      return "a string (\"" + n.scalar + "\")";
  }
  return "?";
}

}  // namespace qpod::compose
