#include "compose/variables.h"

#include <memory>
#include <optional>

#include "compose/interpolate.h"
#include "compose/paths.h"
#include "compose/tree.h"

extern char** environ;

namespace qpod::compose {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

bool is_valid_name(std::string_view key) {
  if (key.empty()) return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(key[0]) && key[0] != '_') return false;
  for (char c : key) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

// The character a backslash escape stands for in a double-quoted value; nullopt = kept as is.
// `\$` becomes `$$`, so that interpolation leaves a literal $.
std::optional<std::string> double_quote_escape(char c) {
  constexpr std::string_view kFrom = "nrtfvab\"\\";
  constexpr std::string_view kTo = "\n\r\t\f\v\a\b\"\\";
  if (c == '$') return "$$";
  if (const auto i = kFrom.find(c); i != std::string_view::npos) return std::string(1, kTo[i]);
  return std::nullopt;
}

// One pass over the text with a cursor that knows its line and column. Every bad line is
// reported; parsing stops only at an unterminated quote (it runs to the end of the file).
class DotenvParser {
 public:
  DotenvParser(std::string_view text, const std::string& file, const Variables& lookup)
      : text_(text),
        file_(std::make_shared<const std::string>(file)),
        lookup_(lookup),
        scope_(lookup) {}

  Result<Variables> run() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
    while (!at_end()) {
      skip_blanks();
      if (at_end()) break;
      if (peek() == '\n') {
        advance();
      } else if (peek() == '#') {
        skip_line();
      } else {
        statement();
      }
    }
    if (!errors_.empty()) return errors_;
    return out_;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool at_line_end() const { return at_end() || peek() == '\n'; }
  Mark here() const { return Mark{file_, line_, col_}; }
  void advance() {
    if (text_[pos_++] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
  }
  void skip_blanks() {
    while (!at_end() && is_blank(peek())) advance();
  }
  void skip_line() {
    while (!at_end() && peek() != '\n') advance();
    if (!at_end()) advance();
  }
  void fail(const Mark& m, const std::string& path, std::string message) {
    errors_.push_back(error_at(m, path, std::move(message)));
    skip_line();
  }

  // [export ]KEY[=VALUE]
  void statement() {
    std::string_view rest = text_.substr(pos_);
    if (rest.size() > 6 && rest.substr(0, 6) == "export" && (rest[6] == ' ' || rest[6] == '\t')) {
      for (int i = 0; i < 6; ++i) advance();
      skip_blanks();
    }
    const Mark key_mark = here();
    std::string key;
    while (!at_line_end() && peek() != '=' && !is_blank(peek())) {
      key += peek();
      advance();
    }
    if (!is_valid_name(key))
      return fail(key_mark, "",
                  "invalid variable name \"" + key +
                      "\": expected a letter or _, then letters, digits, _, . or -");
    skip_blanks();
    if (at_line_end() || peek() == '#') {  // KEY alone: from the lookup, if it has it
      if (auto it = lookup_.find(key); it != lookup_.end()) out_[key] = it->second;
      return skip_line();
    }
    if (peek() != '=') return fail(here(), key, "expected \"=\" after the variable name");
    advance();
    const bool blank = is_blank(peek());
    skip_blanks();
    std::optional<std::string> v;
    if (blank && peek() == '#') {  // "KEY= # comment"
      v = "";
      skip_line();
    } else if (peek() == '\'' || peek() == '"') {
      v = quoted(key);
    } else {
      v = unquoted(key);
    }
    if (!v) return;
    out_[key] = *v;
    if (!lookup_.contains(key)) scope_[key] = *v;
  }

  std::optional<std::string> unquoted(const std::string& key) {
    const Mark m = here();
    std::string value;
    while (!at_line_end()) {
      if (is_blank(peek()) && pos_ + 1 < text_.size() && text_[pos_ + 1] == '#') break;
      value += peek();
      advance();
    }
    skip_line();
    while (!value.empty() && is_blank(value.back())) value.pop_back();
    return interpolated(value, m, key);
  }

  std::optional<std::string> quoted(const std::string& key) {
    const Mark open = here();
    const char quote = peek();
    advance();
    std::string value;
    for (;;) {
      if (at_end()) {
        errors_.push_back(error_at(open, key,
                                   std::string("unterminated quoted value: expected a "
                                               "closing ") +
                                       quote));
        return std::nullopt;
      }
      const char c = peek();
      advance();
      if (c == quote) break;
      if (c != '\\' || at_end()) {
        value += c;
        continue;
      }
      const char e = peek();
      advance();
      if (quote == '\'') {
        if (e != '\'') value += '\\';  // only \' is an escape between single quotes
        value += e;
      } else if (auto s = double_quote_escape(e)) {
        value += *s;
      } else {
        value += '\\';
        value += e;
      }
    }
    skip_blanks();
    if (!at_line_end() && peek() != '#') {
      fail(here(), key,
           "unexpected text after the closing quote: expected a # comment or "
           "the end of the line");
      return std::nullopt;
    }
    skip_line();
    if (quote == '\'') return value;
    return interpolated(value, open, key);
  }

  std::optional<std::string> interpolated(const std::string& value, const Mark& m,
                                          const std::string& key) {
    auto r = interpolate_string(value, scope_, m, key);
    if (!r) {
      errors_.insert(errors_.end(), r.errors().begin(), r.errors().end());
      return std::nullopt;
    }
    return std::move(r).value();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
  std::shared_ptr<const std::string> file_;
  const Variables& lookup_;
  Variables scope_;  // what references see: the lookup over this file's earlier lines
  Variables out_;
  Diagnostics errors_;
};

}  // namespace

Variables process_environment() {
  Variables env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Result<Variables> parse_dotenv(std::string_view text, const std::string& file,
                               const Variables& lookup) {
  return DotenvParser(text, file, lookup).run();
}

Result<Variables> read_dotenv(const std::string& path, const Variables& lookup) {
  auto text = read_input_file(path, "env file");
  if (!text) return text.errors();
  return parse_dotenv(*text, path, lookup);
}

}  // namespace qpod::compose
