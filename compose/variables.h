#pragma once
// Variables for interpolation: the process environment over `.env` / `--env-file` files.
#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace qpod::compose {

using Variables = std::map<std::string, std::string>;

Variables process_environment();

// A .env file: KEY=VALUE lines, `export ` prefixes, comments, single/double quotes,
// ${VAR} references resolved against `lookup` and earlier lines.
Result<Variables> parse_dotenv(std::string_view text, const std::string& file,
                               const Variables& lookup);
Result<Variables> read_dotenv(const std::string& path, const Variables& lookup);

}  // namespace qpod::compose
