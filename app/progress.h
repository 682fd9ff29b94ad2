// The progress line of a batch on a terminal: files and pages done, pages per second, time left.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>

namespace quire::app {

// Thread-safe. Draws on stderr only when it is a terminal; a no-op otherwise (logs, pipes).
class BatchProgress {
 public:
  explicit BatchProgress(size_t files_total);
  // `pages` more pages read (through a server, a document's pages are known when it is stored).
  void PagesDone(size_t pages = 1);
  void FileDone();
  // Clears the line, so the summary that follows starts clean.
  void Finish();
  double Seconds() const;
  size_t pages() const { return pages_; }

 private:
  void Draw(bool force);

  const size_t files_total_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point start_;
  std::atomic<size_t> files_{0};
  std::atomic<size_t> pages_{0};
  std::mutex draw_mutex_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace quire::app
