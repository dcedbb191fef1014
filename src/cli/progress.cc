// The progress bar of progress.h: one line, redrawn in place with a carriage return, sized to the
// terminal.
#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "cli/args.h"

namespace cairn::cli {
namespace {

int TerminalWidth() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 80;
}

}  // namespace

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { Finish(); }

std::string ProgressBar::Render(const std::string& label, const UploadProgress& progress,
                                std::chrono::duration<double> elapsed, int width) {
  const double fraction =
      progress.bytesTotal == 0
          ? 0.0
          : std::min(1.0, static_cast<double>(progress.bytesDone) / progress.bytesTotal);
  std::string counts = HumanSize(progress.bytesDone);
  if (progress.bytesTotal > 0) counts += " / " + HumanSize(progress.bytesTotal);
  if (elapsed.count() > 0.2) {
    counts += "  " + HumanSize(static_cast<uint64_t>(progress.bytesDone / elapsed.count())) + "/s";
  }
  if (progress.partsTotal > 0) {
    counts +=
        "  part " + std::to_string(progress.partsDone) + "/" + std::to_string(progress.partsTotal);
  }
  char percent[8];
  std::snprintf(percent, sizeof percent, "%3d%%", static_cast<int>(fraction * 100));
  // label [#####.....] 42% counts, the bar taking what room is left (at least 10 columns).
  std::string name = label.size() > 30 ? "..." + label.substr(label.size() - 27) : label;
  const int fixed = static_cast<int>(name.size() + counts.size()) + 10;
  const int bar = std::max(10, width - fixed - 1);
  const int filled = static_cast<int>(fraction * bar);
  std::string line = name + " [" + std::string(filled, '#') + std::string(bar - filled, '.') +
                     "] " + percent + " " + counts;
  if (static_cast<int>(line.size()) > width - 1) line.resize(std::max(0, width - 1));
  return line;
}

void ProgressBar::Update(const UploadProgress& progress) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  const bool done = progress.bytesTotal > 0 && progress.bytesDone >= progress.bytesTotal;
  if (drawn_ && !done && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const std::string line = Render(label_, progress, now - start_, TerminalWidth());
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  drawn_ = false;
}

}  // namespace cairn::cli
