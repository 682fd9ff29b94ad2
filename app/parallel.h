// Runs fn(0) ... fn(n - 1) on `jobs` threads, each taking the next index when it is free, until
// `stopped` (when given) says to take no more.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace quire::app {

template <typename Fn>
void ForEachInParallel(size_t n, int jobs, Fn fn, const std::function<bool()>& stopped = {}) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n && !(stopped && stopped()); i = next++) fn(i);
  };
  std::vector<std::jthread> threads;
  const size_t count =
      std::clamp<size_t>(static_cast<size_t>(std::max(jobs, 1)), 1, std::max<size_t>(n, 1));
  for (size_t t = 0; t < count; ++t) threads.emplace_back(work);
}

}  // namespace quire::app
