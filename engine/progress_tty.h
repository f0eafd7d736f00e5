#pragma once
// Progress on a terminal, as docker compose shows it: one line per pod, network, volume and
// container, rewritten in place (Creating → Created → Starting → Started → Healthy) with a
// spinner and the elapsed time. Warnings and errors follow the block when it finishes, so they
// do not tear the lines being redrawn. Chosen by cli/engine_cli when stdout is a terminal.
#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/progress.h"

namespace qpod::engine {

struct ProgressRow {
  std::string kind, name, status;
  bool failed = false;
  double seconds = 0;
  bool done() const;  // a final status ("Created", "Running"), not a step under way ("Creating")
};

// The block, one string per line, without cursor movement: "[+] Running 2/3", then
// " ✔ Container demo-web-1  Started  0.3s" (a spinner frame instead of ✔ while under way).
std::vector<std::string> render_progress(const std::vector<ProgressRow>& rows, std::size_t frame,
                                         std::size_t width = 100);

class TtyProgress : public Progress {
 public:
  TtyProgress(std::ostream& out, std::ostream& err);
  ~TtyProgress() override;
  void begin(const std::string& kind, const std::string& name, const std::string& status) override;
  void event(const std::string& kind, const std::string& name, const std::string& status) override;
  void warning(const std::string& text) override;
  void error(const std::string& text) override;
  // Printed above the block, which is drawn again below it (a redraw would overwrite it).
  void output(const std::string& line) override;
  void finish() override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Row {
    ProgressRow row;
    Clock::time_point start, end;
  };
  void update(const std::string& kind, const std::string& name, const std::string& status);
  void draw();  // with mu_ held
  void tick();

  std::ostream& out_;
  std::ostream& err_;
  std::size_t width_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool quit_ = false;
  std::size_t frame_ = 0;  // redraws so far: the spinner's frame
  int drawn_ = 0;
  std::vector<Row> rows_;
  std::vector<std::string> notes_;
  bool failed_ = false;
  std::thread ticker_;
};

}  // namespace qpod::engine
