// Progress on a terminal: the rendered block (the redraw itself needs a terminal).
#include "engine/progress_tty.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace qpod::engine;

namespace {

// Without colour codes, for comparison.
std::string plain(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b') {
      while (i < s.size() && !std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

}  // namespace

TEST_CASE("progress: a terminal block, one line per object with status and time",
          "[engine][progress]") {
  std::vector<ProgressRow> rows{{"Pod", "demo", "Created", false, 0.12},
                                {"Container", "demo-web-1", "Starting", false, 1.0},
                                {"Container", "demo-db-1", "Healthy", false, 2.26}};
  auto lines = render_progress(rows, 0, 60);
  REQUIRE(lines.size() == 4);
  CHECK(plain(lines[0]) == "[+] Running 2/3");
  CHECK(plain(lines[1]) == " ✔ Pod demo              Created   0.1s");
  CHECK(plain(lines[2]) == " ⠋ Container demo-web-1  Starting  1.0s");
  CHECK(plain(lines[3]) == " ✔ Container demo-db-1   Healthy   2.3s");
  CHECK(plain(render_progress(rows, 0, 20)[2]) == " ⠋ Container demo-we");
  CHECK(plain(render_progress(rows, 1, 60)[2]).rfind(" ⠙ ", 0) == 0);  // the spinner turns
  rows[1].failed = true;
  CHECK(plain(render_progress(rows, 0, 60)[2]).rfind(" ✘ ", 0) == 0);
}

TEST_CASE("progress: under way or done", "[engine][progress]") {
  CHECK(!ProgressRow{"Container", "x", "Creating"}.done());
  CHECK(!ProgressRow{"Container", "x", "Waiting"}.done());
  CHECK(ProgressRow{"Container", "x", "Started"}.done());
  CHECK(ProgressRow{"Container", "x", "Exited"}.done());
  CHECK(ProgressRow{"Container", "x", "Running"}.done());  // up --wait's end: no frozen spinner
}

TEST_CASE("progress: TtyProgress redraws in place and prints notes after the block",
          "[engine][progress]") {
  std::ostringstream out, err;
  {
    TtyProgress p(out, err);
    p.begin("Container", "demo-web-1", "Creating");
    p.event("Container", "demo-web-1", "Created");
    p.warning("something to fix");
    CHECK(err.str().empty());  // held until the block is done
    p.finish();
    CHECK(err.str() == "WARN something to fix\n");
  }
  std::string text = out.str();
  CHECK(text.find("\x1b[2A") != std::string::npos);  // cursor up over the previous frame
  CHECK(plain(text).find("✔ Container demo-web-1  Created") != std::string::npos);
  CHECK(plain(text).find("⠋ Container demo-web-1  Creating") != std::string::npos);
}

TEST_CASE("progress: a tool's output goes above the block, which is drawn again below",
          "[engine][progress]") {
  std::ostringstream out, err;
  TtyProgress p(out, err);
  p.begin("Image", "demo-web", "Building");
  p.output("STEP 1/2: FROM scratch");
  p.finish();  // the ticker is gone: out can be read
  CHECK(err.str() == "STEP 1/2: FROM scratch\n");
  // the block is erased (cursor up over its 2 lines, clear to the end), then drawn anew
  std::string text = out.str();
  auto erased = text.find("\x1b[2A\r\x1b[J");
  REQUIRE(erased != std::string::npos);
  CHECK(plain(text.substr(erased)).find("Image demo-web  Building") != std::string::npos);
}
