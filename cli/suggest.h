#pragma once
// "Did you mean ...?": the command line's typos, told with the nearest names (as cobra does).
#include <string>
#include <vector>

#include "base/suggest.h"

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace qpod::cli {

// edit_distance, suggestions and did_you_mean live in base/ (the loader suggests too).
using qpod::did_you_mean;
using qpod::edit_distance;
using qpod::suggestions;

// "unknown flag: --detatch (did you mean --detach?)" for an option `cmd` does not have.
std::string unknown_flag_message(const CLI::App& cmd, const std::string& flag);

// Tells a parse error (unknown command or flag, with suggestions; a missing value; ...) on
// stderr with "Run 'qpod COMMAND --help'", and returns 1. `app` is the top-level app.
int report_parse_error(CLI::App& app, const CLI::ParseError& e);

}  // namespace qpod::cli
