#pragma once
// "Did you mean ...?": the nearest names to a misspelled one (as cobra suggests commands), for
// the command line's commands, flags and services and the Compose files' keys and services.
#include <string>
#include <vector>

namespace qpod {

// Optimal string alignment distance (a swap of two neighbours counts 1), case-insensitive.
int edit_distance(const std::string& a, const std::string& b);

// The candidates within 1 edit (words of up to 3 letters) or 2, or that start with `word`,
// nearest first.
std::vector<std::string> suggestions(const std::string& word,
                                     const std::vector<std::string>& candidates);

// " (did you mean up?)", " (did you mean ps or ls?)", or "" when nothing is near.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace qpod
