// A fixed set of worker threads, each owning one OcrEngine for its whole life, fed from one task
// queue. Submit() may be called from any thread; tasks run in submission order, several at once.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ocr_engine.h"

namespace quire::capture {

class WorkerPool {
 public:
  using Task = std::function<void(OcrEngine& engine)>;

  // One thread per engine. REQUIRES: !engines.empty()
  explicit WorkerPool(std::vector<std::unique_ptr<OcrEngine>> engines);
  // Runs the tasks already queued, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(Task task);
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Run(OcrEngine& engine);

  std::vector<std::unique_ptr<OcrEngine>> engines_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Task> tasks_;  // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::vector<std::thread> threads_;
};

// Counts the tasks of one caller so it can wait for its own, and bound how many it has queued.
class TaskGroup {
 public:
  void Started();
  void Finished();
  // Blocks until at most `limit` started tasks have not finished.
  void WaitUntilAtMost(int limit);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int pending_ = 0;  // guarded by mutex_
};

}  // namespace quire::capture
