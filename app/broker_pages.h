// The archive side of reading on other machines: a capture::RemotePageReader that puts each page
// job on the broker for `quire worker` processes and hands back their results. With it, `ingest`,
// `watch` and `serve` capture, extract and commit each document exactly as a local read would.
//
// Each process is one client of the broker, with its own results stream (page_jobs.cc). The
// first result of a job is kept; another one for the same job (a worker presumed dead that was
// not) is dropped, so a page goes into its document once. When the broker cannot be reached, the
// jobs wait here, `log` says so once, and when it is back every job the broker lost (the last
// writes before a crash) is sent again.
//
// Thread safety: Read() may be called from several threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "broker.h"
#include "quire/capture/capture.h"

namespace quire::app {

class BrokerPageReader : public capture::RemotePageReader {
 public:
  // Connects and starts taking results. IoError (naming the broker, saying what to do) when it
  // cannot be reached now. `log` gets the broker going away and coming back, from any thread.
  static Result<std::shared_ptr<BrokerPageReader>> Start(
      const BrokerAddress& address, std::function<void(const std::string&)> log);
  // Stops taking results and removes this client's keys. REQUIRES: no Capture() in progress.
  ~BrokerPageReader() override;

  void Read(capture::PageJob job, std::function<void(Result<PageText>)> done) override;

  // Results dropped because their job had a result already.
  int64_t duplicates() const { return duplicates_; }

  // The pages read through the broker so far, and the mean time each spent beyond its reading
  // on the worker: sending, waiting in the queue, the result's way back.
  struct Overhead {
    int64_t pages = 0;
    double mean_seconds = 0;
  };
  Overhead overhead();

 private:
  struct Waiting {
    capture::PageJob page;
    std::function<void(Result<PageText>)> done;
    std::string entry;  // its id on the job stream; empty until sent
    std::chrono::steady_clock::time_point handed = std::chrono::steady_clock::now();
  };

  BrokerPageReader(const BrokerAddress& address, std::function<void(const std::string&)> log);

  // Sends one job on `submit_`. REQUIRES: submit_mutex_ held.
  Status Send(uint64_t job, const capture::PageJob& page);
  void Link();
  // Connects both connections and sends again what the broker does not have. REQUIRES:
  // submit_mutex_ held.
  Status Reconnect();
  Status TakeResults();
  // `read_seconds`: the worker's reading time.
  void Finish(uint64_t job, Result<PageText> page, double read_seconds);

  const BrokerAddress address_;
  const std::function<void(const std::string&)> log_;
  const std::string client_;

  std::mutex submit_mutex_;                   // guards submit_ and connected_ changes
  std::unique_ptr<BrokerConnection> submit_;  // for jobs; guarded by submit_mutex_
  std::atomic<bool> connected_ = false;
  std::unique_ptr<BrokerConnection> results_;  // the link thread's
  std::string last_result_ = "0-0";            // the link thread's

  std::mutex mutex_;
  std::map<uint64_t, Waiting> waiting_;  // guarded by mutex_
  uint64_t next_job_ = 1;                // guarded by mutex_
  int64_t pages_ = 0;                    // guarded by mutex_
  double overhead_seconds_ = 0;          // guarded by mutex_
  std::atomic<int64_t> duplicates_ = 0;

  std::atomic<bool> stopping_ = false;
  std::thread link_;
};

// With `url` set, starts a BrokerPageReader and makes it `capture.remote`, so the capturer made
// from `capture` hands its pages to `quire worker` processes; with `url` empty, does nothing.
Status UseBroker(const std::string& url, capture::CaptureOptions& capture,
                 std::function<void(const std::string&)> log);

}  // namespace quire::app
