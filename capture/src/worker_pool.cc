#include "worker_pool.h"

namespace quire::capture {

WorkerPool::WorkerPool(std::vector<std::unique_ptr<OcrEngine>> engines)
    : engines_(std::move(engines)) {
  for (auto& engine : engines_) {
    threads_.emplace_back([this, e = engine.get()] { Run(*e); });
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

void WorkerPool::Run(OcrEngine& engine) {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task(engine);
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
