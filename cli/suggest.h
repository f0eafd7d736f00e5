#pragma once
// "Did you mean ...?": the command line's typos, told with the nearest names (as cobra does).
#include <string>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace qpod::cli {

// Optimal string alignment distance (a swap of two neighbours counts 1), case-insensitive.
int edit_distance(const std::string& a, const std::string& b);

// The candidates within 1 edit (words of up to 3 letters) or 2, or that start with `word`,
// nearest first.
std::vector<std::string> suggestions(const std::string& word,
                                     const std::vector<std::string>& candidates);

// " (did you mean up?)", " (did you mean ps or ls?)", or "" when nothing is near.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// "unknown flag: --detatch (did you mean --detach?)" for an option `cmd` does not have.
std::string unknown_flag_message(const CLI::App& cmd, const std::string& flag);

// Tells a parse error (unknown command or flag, with suggestions; a missing value; ...) on
// stderr with "Run 'qpod COMMAND --help'", and returns 1. `app` is the top-level app.
int report_parse_error(CLI::App& app, const CLI::ParseError& e);

}  // namespace qpod::cli
