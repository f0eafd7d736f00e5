#include "engine/progress_tty.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace qpod::engine {
namespace {

constexpr const char* kFrames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kBlue = "\x1b[34m";
constexpr const char* kReset = "\x1b[0m";

std::size_t terminal_width() {
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 100;
}

std::string pad(std::string s, std::size_t n) {
  if (s.size() < n) s.append(n - s.size(), ' ');
  return s;
}

}  // namespace

bool ProgressRow::done() const {
  // "Running" is where a container ends (up --wait, a no-op up), as in docker compose.
  if (status == "Running") return true;
  return status.size() < 3 || status.compare(status.size() - 3, 3, "ing") != 0;
}

std::vector<std::string> render_progress(const std::vector<ProgressRow>& rows, std::size_t frame,
                                         std::size_t width) {
  std::size_t done = 0, name_w = 0, status_w = 0;
  for (const auto& r : rows) {
    if (r.done()) ++done;
    name_w = std::max(name_w, r.kind.size() + 1 + r.name.size());
    status_w = std::max(status_w, r.status.size());
  }
  std::vector<std::string> lines;
  lines.push_back(std::string(kBlue) + "[+]" + kReset + " Running " + std::to_string(done) + "/" +
                  std::to_string(rows.size()));
  for (const auto& r : rows) {
    std::string mark = r.failed   ? std::string(kRed) + "✘" + kReset
                       : r.done() ? std::string(kGreen) + "✔" + kReset
                                  : kFrames[frame % std::size(kFrames)];
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1fs", r.seconds);
    std::string line =
        pad(r.kind + " " + r.name, name_w) + "  " + pad(r.status, status_w) + "  " + secs;
    // A line longer than the terminal would wrap and break the redraw: cut the name's end.
    if (line.size() + 3 > width) line = line.substr(0, width > 3 ? width - 3 : 0);
    lines.push_back(" " + mark + " " + line);
  }
  return lines;
}

TtyProgress::TtyProgress(std::ostream& out, std::ostream& err)
    : out_(out), err_(err), width_(terminal_width()) {}

TtyProgress::~TtyProgress() { finish(); }

void TtyProgress::begin(const std::string& kind, const std::string& name,
                        const std::string& status) {
  update(kind, name, status);
}

void TtyProgress::event(const std::string& kind, const std::string& name,
                        const std::string& status) {
  update(kind, name, status);
}

void TtyProgress::update(const std::string& kind, const std::string& name,
                         const std::string& status) {
  std::lock_guard lock(mu_);
  auto now = Clock::now();
  auto it = std::find_if(rows_.begin(), rows_.end(),
                         [&](const Row& r) { return r.row.kind == kind && r.row.name == name; });
  if (it == rows_.end()) {
    rows_.push_back({{kind, name, status}, now, now});
    it = rows_.end() - 1;
  }
  it->row.status = status;
  it->end = now;
  if (!ticker_.joinable()) {
    quit_ = false;
    ticker_ = std::thread(&TtyProgress::tick, this);
  }
  draw();
}

void TtyProgress::warning(const std::string& text) {
  std::lock_guard lock(mu_);
  if (rows_.empty()) {
    err_ << "WARN " << text << std::endl;
    return;
  }
  notes_.push_back("WARN " + text);
}

void TtyProgress::error(const std::string& text) {
  std::lock_guard lock(mu_);
  failed_ = true;
  if (rows_.empty()) {
    err_ << "Error: " << text << std::endl;
    return;
  }
  notes_.push_back("Error: " + text);
}

void TtyProgress::output(const std::string& line) {
  std::lock_guard lock(mu_);
  if (drawn_ > 0) out_ << "\x1b[" << drawn_ << "A\r\x1b[J" << std::flush;  // the block goes
  drawn_ = 0;
  err_ << line << "\n" << std::flush;
  if (!rows_.empty()) draw();
}

void TtyProgress::draw() {
  auto now = Clock::now();
  std::vector<ProgressRow> rows;
  for (const auto& r : rows_) {
    ProgressRow row = r.row;
    row.seconds = std::chrono::duration<double>((row.done() ? r.end : now) - r.start).count();
    rows.push_back(row);
  }
  std::string text;
  if (drawn_ > 0) text += "\x1b[" + std::to_string(drawn_) + "A";
  auto lines = render_progress(rows, frame_, width_);
  for (const auto& l : lines) text += "\r\x1b[2K" + l + "\n";
  drawn_ = static_cast<int>(lines.size());
  out_ << text << std::flush;
}

void TtyProgress::tick() {
  std::unique_lock lock(mu_);
  while (!quit_) {
    cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (quit_) break;
    ++frame_;
    draw();
  }
}

void TtyProgress::finish() {
  std::thread ticker;
  {
    std::lock_guard lock(mu_);
    quit_ = true;
    ticker.swap(ticker_);
  }
  cv_.notify_all();
  if (ticker.joinable()) ticker.join();
  std::lock_guard lock(mu_);
  if (!rows_.empty()) {
    // Steps still under way when a failure ended the run failed with it.
    for (auto& r : rows_)
      if (failed_ && !r.row.done()) r.row.failed = true;
    draw();
  }
  out_ << std::flush;
  for (const auto& n : notes_) err_ << n << "\n";
  err_ << std::flush;
  rows_.clear();
  notes_.clear();
  drawn_ = 0;
  failed_ = false;
}

}  // namespace qpod::engine
