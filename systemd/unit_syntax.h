#pragma once
// systemd unit-file syntax for values qpod writes (systemd.syntax(7), systemd.service(5)
// "Command lines"): a user value stays one argument and never becomes a directive, a specifier
// (%n) or a variable ($HOME). Pure text functions.
#include <optional>
#include <string>
#include <vector>

namespace qpod::systemd {

// One word of an Exec line. `value` is what the program gets as that argument: written in
// double quotes unless it is made only of [A-Za-z0-9_./:=,+@-], with \\ \" and C escapes
// (\n \t \xHH) for control characters, %% for %, $$ for $. nullopt: a NUL byte, which no
// argument can hold.
std::optional<std::string> exec_word(const std::string& value);

// One piece of an Exec line: an argument to escape, or a word qpod itself writes, which may
// hold specifiers ("--cidfile=%t/%n.ctr-id") and is written as is.
struct Word {
  std::string text;
  bool specified = false;  // true: `text` is written as is (qpod's constants only)
};
Word literal(std::string value);
Word specified(std::string text);

// "PROGRAM WORD \\\n\t-OPTION WORD...": the program (an absolute path, with an optional
// systemd prefix such as "-") and the escaped words, each option on a continuation line of its
// own (a user value is quoted, so it never starts one). nullopt: a word holds a NUL.
std::optional<std::string> exec_line(const std::string& program, const std::vector<Word>& words);

// A value of a non-Exec directive (Description=): % doubled, control characters and
// backslashes as spaces, so it stays one line and expands nothing.
std::string plain_value(const std::string& value);

// A unit name qpod writes: [A-Za-z0-9:_.-] (no "@": a template), at most 255 bytes.
bool valid_unit_name(const std::string& name);

}  // namespace qpod::systemd
