#pragma once
// Words of a command string as a POSIX shell splits them: blanks separate words, single quotes
// keep everything, double quotes keep everything but \" \\ \$ \` and backslash-newline, and a
// backslash outside quotes escapes the next character. Nothing is expanded.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qpod::compose {

// nullopt when a quote or an escape is not closed; `error` then says which.
std::optional<std::vector<std::string>> shell_split(std::string_view text, std::string* error);

}  // namespace qpod::compose
