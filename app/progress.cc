#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace quire::app {

using Clock = std::chrono::steady_clock;

BatchProgress::BatchProgress(size_t files_total)
    : files_total_(files_total), enabled_(isatty(STDERR_FILENO) != 0), start_(Clock::now()) {}

double BatchProgress::Seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void BatchProgress::PagesDone(size_t pages) {
  pages_ += pages;
  Draw(false);
}

void BatchProgress::FileDone() {
  ++files_;
  Draw(true);
}

void BatchProgress::Finish() {
  if (enabled_) std::fprintf(stderr, "\r\033[K");
}

void BatchProgress::Draw(bool force) {
  if (!enabled_) return;
  std::lock_guard lock(draw_mutex_);
  const auto now = Clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double seconds = Seconds();
  const size_t files = files_;
  const double pages_per_second = seconds > 0 ? static_cast<double>(pages_) / seconds : 0;
  std::fprintf(stderr, "\r\033[K%zu/%zu files, %zu pages, %.1f pages/s", files, files_total_,
               static_cast<size_t>(pages_), pages_per_second);
  if (files > 0 && files < files_total_) {
    const double left =
        seconds / static_cast<double>(files) * static_cast<double>(files_total_ - files);
    std::fprintf(stderr, ", about %d:%02d left", static_cast<int>(left) / 60,
                 static_cast<int>(left) % 60);
  }
  std::fflush(stderr);
}

}  // namespace quire::app
