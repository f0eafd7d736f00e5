#pragma once
// SERVICE=N arguments of `up --scale` and `qpod scale`.
#include <map>
#include <string>
#include <vector>

namespace qpod::cli {

// Reads each "SERVICE=N" (N >= 0) into `out`; returns the first bad one's message, else "".
std::string parse_scale(const std::vector<std::string>& args, std::map<std::string, int>& out);

}  // namespace qpod::cli
