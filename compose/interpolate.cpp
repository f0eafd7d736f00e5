#include "compose/interpolate.h"

#include <optional>
#include <set>
#include <vector>

#include "compose/limits.h"

namespace qpod::compose {
namespace {

// A scalar is parsed into pieces first and evaluated second, so that a syntax error is found
// even in a default that is not used, and a default is only looked at when it is used.
enum class Op {
  kPlain,          // ${A} or $A
  kDefault,        // ${A:-x}: x if A is unset or empty
  kDefaultUnset,   // ${A-x}:  x if A is unset
  kRequired,       // ${A:?x}: error x if A is unset or empty
  kRequiredUnset,  // ${A?x}:  error x if A is unset
  kAlt,            // ${A:+x}: x if A is set and not empty, else ""
  kAltUnset,       // ${A+x}:  x if A is set, else ""
};

struct Piece {
  std::string text;  // literal text when `name` is empty
  std::string name;
  Op op = Op::kPlain;
  std::vector<Piece> arg;  // the x above, itself interpolated
};
using Pieces = std::vector<Piece>;

bool is_name_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Index of the "}" that closes the "${" at text[0], or npos. `$$` is skipped as a literal $.
std::size_t closing_brace(std::string_view text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && (text[i + 1] == '$' || text[i + 1] == '{')) {
      if (text[i + 1] == '{') ++depth;
      ++i;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::optional<std::string> parse(std::string_view text, Pieces& out, int depth);

// The inside of "${...}"; `source` is the whole expression, for messages. `depth`: how many
// ${...} hold this one.
std::optional<std::string> parse_braced(std::string_view inner, std::string_view source,
                                        Piece& piece, int depth) {
  std::size_t n = 0;
  while (n < inner.size() && is_name_char(inner[n])) ++n;
  if (n == 0 || !is_name_start(inner[0]))
    return "invalid interpolation \"" + std::string(source) +
           "\": expected a variable name ([A-Za-z_][A-Za-z0-9_]*) after \"${\"";
  piece.name = std::string(inner.substr(0, n));
  std::string_view rest = inner.substr(n);
  if (rest.empty()) return std::nullopt;
  const bool colon = rest[0] == ':';
  if (colon) rest.remove_prefix(1);
  const char op = rest.empty() ? '\0' : rest[0];
  if (op == '-') {
    piece.op = colon ? Op::kDefault : Op::kDefaultUnset;
  } else if (op == '?') {
    piece.op = colon ? Op::kRequired : Op::kRequiredUnset;
  } else if (op == '+') {
    piece.op = colon ? Op::kAlt : Op::kAltUnset;
  } else {
    return "invalid interpolation \"" + std::string(source) +
           "\": expected \"}\" or one of \":-\", \"-\", \":?\", \"?\", \":+\", \"+\" after \"${" +
           piece.name + "\"";
  }
  if (depth >= kMaxInterpolationDepth)
    return "invalid interpolation: more than " + std::to_string(kMaxInterpolationDepth) +
           " levels of ${...} inside ${...}";
  return parse(rest.substr(1), piece.arg, depth + 1);
}

// Returns the first syntax error, if any.
std::optional<std::string> parse(std::string_view text, Pieces& out, int depth) {
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) out.push_back(Piece{std::move(literal), "", Op::kPlain, {}});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (text[i] != '$' || (next != '$' && next != '{' && !is_name_start(next))) {
      literal += text[i];  // "$1", "$ " and a trailing "$" are kept as they are
    } else if (next == '$') {
      literal += '$';
      ++i;
    } else if (next != '{') {
      std::size_t end = i + 1;
      while (end < text.size() && is_name_char(text[end])) ++end;
      flush();
      out.push_back(Piece{"", std::string(text.substr(i + 1, end - i - 1)), Op::kPlain, {}});
      i = end - 1;
    } else {
      const std::size_t close = closing_brace(text.substr(i));
      if (close == std::string_view::npos)
        return "invalid interpolation \"" + std::string(text.substr(i)) +
               "\": expected a closing \"}\" (write $$ for a literal $)";
      flush();
      Piece piece;
      if (auto err =
              parse_braced(text.substr(i + 2, close - 2), text.substr(i, close + 1), piece, depth))
        return err;
      out.push_back(std::move(piece));
      i += close;
    }
  }
  flush();
  return std::nullopt;
}

class Evaluator {
 public:
  // `budget`: the bytes a value may have (a variable used a million times is not a million
  // copies of it).
  Evaluator(const Variables& env, std::set<std::string>* unset, std::size_t budget)
      : env_(env), unset_(unset), budget_(budget) {}

  // Sets `error` (and returns "") when a required variable is missing.
  std::string eval(const Pieces& pieces, std::optional<std::string>& error) {
    std::string out;
    for (const auto& p : pieces) {
      if (error) break;
      out += p.name.empty() ? p.text : eval_var(p, error);
      if (out.size() > budget_) {
        error =
            "interpolation makes values larger than " + std::string(kMaxFileText) + " in one file";
        return "";
      }
    }
    return out;
  }

 private:
  std::string eval_var(const Piece& p, std::optional<std::string>& error) {
    const auto it = env_.find(p.name);
    const bool set = it != env_.end();
    const bool full = set && !it->second.empty();
    const std::string value = set ? it->second : "";
    switch (p.op) {
      case Op::kPlain:
        if (!set && unset_) unset_->insert(p.name);
        return value;
      case Op::kDefault:
        return full ? value : eval(p.arg, error);
      case Op::kDefaultUnset:
        return set ? value : eval(p.arg, error);
      case Op::kAlt:
        return full ? eval(p.arg, error) : "";
      case Op::kAltUnset:
        return set ? eval(p.arg, error) : "";
      case Op::kRequired:
      case Op::kRequiredUnset: {
        if (p.op == Op::kRequired ? full : set) return value;
        const std::string reason = eval(p.arg, error);
        if (!error)
          error = "required variable " + p.name + " is missing a value" +
                  (reason.empty() ? "" : ": " + reason);
        return "";
      }
    }
    return "";
  }

  const Variables& env_;
  std::set<std::string>* unset_;
  std::size_t budget_;
};

Result<std::string> substitute(std::string_view text, const Variables& env, const Mark& mark,
                               const std::string& path, std::set<std::string>* unset,
                               std::size_t budget = kMaxFileBytes) {
  if (text.find('$') == std::string_view::npos) return std::string(text);
  Pieces pieces;
  std::optional<std::string> error = parse(text, pieces, 0);
  std::string out;
  if (!error) out = Evaluator(env, unset, budget).eval(pieces, error);
  if (error) return error_at(mark, path, *error);
  return out;
}

// Walks the tree keeping the key path as a stack of parts: the path is only spelled out for a
// scalar that has a `$`, as most have none.
class TreeInterpolator {
 public:
  explicit TreeInterpolator(const Variables& env) : env_(env) {}

  void walk(Node& n) {
    if (n.is_mapping()) {
      for (std::size_t i = 0; i < n.keys.size(); ++i) {
        parts_.push_back({&n.keys[i].name, 0});
        walk(n.items[i]);
        parts_.pop_back();
      }
    } else if (n.is_sequence()) {
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        parts_.push_back({nullptr, i});
        walk(n.items[i]);
        parts_.pop_back();
      }
    } else if (n.is_scalar() && n.scalar.find('$') != std::string::npos) {
      const std::string path = current_path();
      std::set<std::string> unset;
      auto r = substitute(n.scalar, env_, n.mark, path, &unset, budget_);
      if (!r) {
        diagnostics.insert(diagnostics.end(), r.errors().begin(), r.errors().end());
        return;
      }
      budget_ -= r->size();
      n.scalar = std::move(r).value();  // `quoted` is kept: a plain "${N}" may become a number
      for (const auto& name : unset) {
        if (warned_.insert(name).second)
          diagnostics.push_back(warning_at(
              n, path, "variable " + name + " is not set, defaulting to a blank string"));
      }
    }
  }

  Diagnostics diagnostics;

 private:
  struct Part {
    const std::string* key;  // null: a sequence index
    std::size_t index;
  };

  std::string current_path() const {
    std::string p;
    for (const auto& part : parts_)
      p = part.key ? child_path(p, *part.key) : index_path(p, part.index);
    return p;
  }

  const Variables& env_;
  std::size_t budget_ = kMaxFileBytes;  // what substituted values may still add up to
  std::vector<Part> parts_;
  std::set<std::string> warned_;  // one warning per variable and tree
};

}  // namespace

Result<std::string> interpolate_string(std::string_view text, const Variables& env,
                                       const Mark& mark, const std::string& path) {
  return substitute(text, env, mark, path, nullptr);
}

Diagnostics interpolate(Node& root, const Variables& env) {
  TreeInterpolator t(env);
  t.walk(root);
  return std::move(t.diagnostics);
}

}  // namespace qpod::compose
