#include "compose/shell_split.h"

namespace qpod::compose {

std::optional<std::vector<std::string>> shell_split(std::string_view text, std::string* error) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // a word has started, even if it is still empty ('' or "")
  std::size_t i = 0;
  auto fail = [&](const char* what) -> std::optional<std::vector<std::string>> {
    if (error) *error = what;
    return std::nullopt;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\'') {
      std::size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) return fail("unterminated single quote");
      word.append(text.substr(i + 1, end - i - 1));
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char d = text[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < text.size()) {
          char e = text[i + 1];
          if (e == '"' || e == '\\' || e == '$' || e == '`') {
            word += e;
            i += 2;
            continue;
          }
          if (e == '\n') {  // line continuation
            i += 2;
            continue;
          }
        }
        word += d;
        ++i;
      }
      if (!closed) return fail("unterminated double quote");
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 >= text.size()) return fail("unterminated escape at the end");
      if (text[i + 1] != '\n') {
        word += text[i + 1];
        in_word = true;
      }
      i += 2;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace qpod::compose
