#include "engine/progress.h"

#include <iostream>
#include <ostream>

namespace qpod::engine {

void Progress::output(const std::string& line) { std::cerr << line << "\n"; }

void StreamProgress::event(const std::string& kind, const std::string& name,
                           const std::string& status) {
  std::lock_guard lock(mu_);
  out_ << kind << " " << name << "  " << status << std::endl;
}

void StreamProgress::warning(const std::string& text) {
  std::lock_guard lock(mu_);
  err_ << "WARN " << text << std::endl;
}

void StreamProgress::error(const std::string& text) {
  std::lock_guard lock(mu_);
  err_ << "Error: " << text << std::endl;
}

void RecordingProgress::error(const std::string& text) {
  std::lock_guard lock(mu_);
  lines_.push_back("ERROR " + text);
}

void RecordingProgress::event(const std::string& kind, const std::string& name,
                              const std::string& status) {
  std::lock_guard lock(mu_);
  lines_.push_back(kind + " " + name + " " + status);
}

void RecordingProgress::warning(const std::string& text) {
  std::lock_guard lock(mu_);
  lines_.push_back("WARN " + text);
}

std::vector<std::string> RecordingProgress::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

}  // namespace qpod::engine
