// A fixed set of worker threads, each owning its OcrEngines for its whole life, fed from one task
// queue. Submit() may be called from any thread; tasks run in submission order, several at once.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ocr_engine.h"

namespace quire::capture {

// The engines of one worker, one per language: the first made up front (so a missing language
// fails at start), others on first use, since most documents never need them and each costs
// tens of megabytes. Used by its worker's thread only.
class WorkerEngines {
 public:
  WorkerEngines(const std::string& language, std::unique_ptr<OcrEngine> engine,
                OcrEngineFactory factory);

  // The engine for `language`, made now if this worker has none yet. A failure is not kept:
  // the next call tries again.
  Result<OcrEngine*> For(const std::string& language);

 private:
  OcrEngineFactory factory_;
  std::map<std::string, std::unique_ptr<OcrEngine>> engines_;
};

class WorkerPool {
 public:
  using Task = std::function<void(WorkerEngines& engines)>;

  // One thread per element. REQUIRES: !engines.empty()
  explicit WorkerPool(std::vector<WorkerEngines> engines);
  // Runs the tasks already queued, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(Task task);
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Run(WorkerEngines& engines);

  std::vector<WorkerEngines> engines_;
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
