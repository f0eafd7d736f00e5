#pragma once
// User progress on stdout ("Container demo-web-1  Started"), apart from logs (spdlog, stderr).
// Thread-safe: executor workers report concurrently.
#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

namespace qpod::engine {

class Progress {
 public:
  virtual ~Progress() = default;
  // kind: "Container", "Pod", "Volume", "Network"; status: "Created", "Started", "Healthy"...
  virtual void event(const std::string& kind, const std::string& name,
                     const std::string& status) = 0;
  // A step began ("Creating", "Starting"): only a terminal shows it, on the line `event`
  // then completes. Plain output shows finished steps only.
  virtual void begin(const std::string& /*kind*/, const std::string& /*name*/,
                     const std::string& /*status*/) {}
  // The steps so far are over (before logs are attached): a terminal draws its last frame.
  virtual void finish() {}
  virtual void warning(const std::string& text) = 0;
  virtual void error(const std::string& text) = 0;
  // A line of a tool's own output (podman build's): on stderr, above a terminal's block.
  virtual void output(const std::string& line);
};

class StreamProgress : public Progress {
 public:
  StreamProgress(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}
  void event(const std::string& kind, const std::string& name, const std::string& status) override;
  void warning(const std::string& text) override;
  void error(const std::string& text) override;

 private:
  std::mutex mu_;
  std::ostream& out_;
  std::ostream& err_;
};

// Keeps "Container demo-web-1 Started" lines, for tests.
class RecordingProgress : public Progress {
 public:
  void event(const std::string& kind, const std::string& name, const std::string& status) override;
  void warning(const std::string& text) override;
  void error(const std::string& text) override;
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

}  // namespace qpod::engine
