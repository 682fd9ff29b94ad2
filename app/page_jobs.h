// Page jobs and their results as they travel through the broker (broker.h), and the names of the
// broker's keys. The layout is written out at the top of page_jobs.cc.
//
// A job is delivered to at most kMaxDeliveries workers: a page that made that many workers stop
// without an answer fails its document instead of going round for ever. Plain functions, safe to
// call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker.h"
#include "quire/capture/capture.h"
#include "quire/common/page.h"
#include "quire/common/status.h"

namespace quire::app {

// The stream of page jobs, and the consumer group of the workers that read it.
inline constexpr char kJobStream[] = "quire:jobs";
inline constexpr char kWorkerGroup[] = "quire-workers";
// Per worker process: a hash of what it has done, for `quire worker --status` and /metrics.
inline constexpr char kWorkerKeyPrefix[] = "quire:worker:";
// Counters of the whole broker (fields below).
inline constexpr char kCountsKey[] = "quire:counts";
inline constexpr char kRedeliveredCount[] = "redelivered";  // jobs taken over from a stopped worker
inline constexpr char kFailedCount[] = "failed";            // jobs given up after kMaxDeliveries
inline constexpr char kDroppedCount[] = "dropped";          // jobs whose archive side had gone

// A page's image may take this much in a job. Default Redis accepts 512 MB per value; a 300 dpi
// A4 page is 0.2 to 2 MB as a PNG, and the pixel limit keeps honest pages far below this.
inline constexpr size_t kMaxJobBytes = size_t{64} << 20;

// Deliveries of one job before its document fails.
inline constexpr int kMaxDeliveries = 3;

// The results stream and liveness key of one archive-side process (`client`).
std::string ResultStream(const std::string& client);
std::string ClientKey(const std::string& client);

struct PageJobEntry {
  std::string client;  // the archive-side process that wants it
  uint64_t job = 0;    // its number there
  capture::PageJob page;
};

struct PageResultEntry {
  uint64_t job = 0;
  std::string worker;  // who read it
  double seconds = 0;  // how long the reading took there
  std::string error;   // non-empty: the document fails with this reason
  PageText page;       // when `error` is empty
};

// XADD arguments (after the stream name and id) and back from a stream entry's field list.
std::vector<std::string> EncodeJob(const PageJobEntry& entry);
Result<PageJobEntry> DecodeJob(const RedisReply& fields);
std::vector<std::string> EncodeResult(const PageResultEntry& entry);
Result<PageResultEntry> DecodeResult(const RedisReply& fields);

// A stream entry: its id and its fields (nil when the entry was deleted meanwhile).
struct StreamEntry {
  std::string id;
  RedisReply fields;
};
// The entries of a list such as XRANGE's or XAUTOCLAIM's second element.
std::vector<StreamEntry> StreamEntries(const RedisReply& list);
// The entries of an XREAD or XREADGROUP reply for one stream; none when it timed out.
std::vector<StreamEntry> ReadEntries(const RedisReply& reply);

}  // namespace quire::app
