#include "worker_pool.h"

namespace quire::capture {

WorkerEngines::WorkerEngines(const std::string& language, std::unique_ptr<OcrEngine> engine,
                             OcrEngineFactory factory)
    : factory_(std::move(factory)) {
  engines_.emplace(language, std::move(engine));
}

Result<OcrEngine*> WorkerEngines::For(const std::string& language) {
  auto found = engines_.find(language);
  if (found != engines_.end()) return found->second.get();
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<OcrEngine> made, factory_(language));
  OcrEngine* engine = made.get();
  engines_.emplace(language, std::move(made));
  return engine;
}

WorkerPool::WorkerPool(std::vector<WorkerEngines> engines) : engines_(std::move(engines)) {
  for (WorkerEngines& worker : engines_) {
    threads_.emplace_back([this, &worker] { Run(worker); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void WorkerPool::Submit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
}

void WorkerPool::Run(WorkerEngines& engines) {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task(engines);
  }
}

void TaskGroup::Started() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++pending_;
}

void TaskGroup::Finished() {
  // Notifies under the lock: once the waiter sees the count it may destroy this group, so nothing
  // here may touch it after the lock is released.
  std::lock_guard<std::mutex> lock(mutex_);
  --pending_;
  changed_.notify_all();
}

void TaskGroup::WaitUntilAtMost(int limit) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return pending_ <= limit; });
}

}  // namespace quire::capture
