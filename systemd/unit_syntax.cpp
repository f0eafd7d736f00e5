#include "systemd/unit_syntax.h"

#include "base/text.h"

namespace qpod::systemd {
namespace {

bool plain_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '/' || c == ':' || c == '=' || c == ',' || c == '+' || c == '@' ||
         c == '-';
}

}  // namespace

std::optional<std::string> exec_word(const std::string& value) {
  bool plain = !value.empty();
  for (char c : value) {
    if (c == '\0') return std::nullopt;
    plain = plain && plain_char(c);
  }
  if (plain) return value;
  // Quoted: systemd splits at unquoted spaces, reads C escapes (both quoted and not), expands
  // %-specifiers when it loads the unit and $VAR / ${VAR} when it runs the command; a lone ";"
  // or a continuation line starting with # or ; would end the command or be a comment.
  std::string out = "\"";
  for (char c : value) {
    if (c == '%')
      out += "%%";
    else if (c == '$')
      out += "$$";
    else
      append_c_escaped(out, c);
  }
  return out + "\"";
}

Word literal(std::string value) { return {std::move(value), false}; }
Word specified(std::string text) { return {std::move(text), true}; }

std::optional<std::string> exec_line(const std::string& program, const std::vector<Word>& words) {
  std::string line = program;
  for (const Word& w : words) {
    std::optional<std::string> text =
        w.specified ? std::optional<std::string>(w.text) : exec_word(w.text);
    if (!text) return std::nullopt;
    // A new line for each option, as podman generate systemd writes them: "--name NAME".
    line += (text->front() == '-' ? " \\\n\t" : " ") + *text;
  }
  return line;
}

std::string plain_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (c == '%')
      out += "%%";
    else if (u < 0x20 || u == 0x7f || c == '\\')  // a last \ would continue the line
      out += ' ';
    else
      out += c;
  }
  return out;
}

bool valid_unit_name(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name)
    if (!plain_char(c) || c == '/' || c == '=' || c == ',' || c == '+' || c == '@') return false;
  return true;
}

}  // namespace qpod::systemd
