#include "stop_on_signal.h"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace quire::app {
namespace {

std::atomic<bool> g_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void RequestStop(int signal) {
  g_requested = true;
  std::signal(signal, SIG_DFL);  // the next one stops at once
  constexpr char kMessage[] =
      "\nquire: stopping after the documents being read (Ctrl-C again stops at once)\n";
  (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
}

}  // namespace

StopOnSignal::StopOnSignal() {
  g_requested = false;
  std::signal(SIGINT, RequestStop);
  std::signal(SIGTERM, RequestStop);
}

StopOnSignal::~StopOnSignal() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

bool StopOnSignal::requested() const { return g_requested; }

}  // namespace quire::app
