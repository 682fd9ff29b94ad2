// `quire worker`: reads pages for an archive on another machine. It takes page jobs from the
// broker's consumer group (XREADGROUP), reads each with capture::Capturer::ReadJob (the code a
// local capture runs for a page), writes the result on the archive side's results stream, and only
// then acknowledges the job (XACK) and deletes it.
//
// A worker that stops without answering (killed, its machine gone) leaves its jobs pending; every
// worker takes over jobs pending longer than `claim_after_seconds` (XAUTOCLAIM). While a worker
// reads a job it renews its claim, so a slow page is not taken from a live worker. A job delivered
// kMaxDeliveries times (page_jobs.h) is answered with an error that fails its document. When the
// broker cannot be reached, the worker says so once, keeps the result in hand and carries on when
// it is back. SIGTERM or Ctrl-C: it finishes the pages in hand and stops.
#pragma once

#include <string>

#include "cli.h"
#include "commands.h"

namespace quire::app {

struct WorkerOptions {
  // redis://HOST:PORT of the broker the archive side uses.
  std::string broker;

  // Seconds a job may stay with a worker that neither answers nor renews its claim before
  // another worker takes it over. Default: 60.
  double claim_after_seconds = 60;
};

// Reads pages until SIGTERM or SIGINT. `pipeline.capture.jobs` pages at once (0: one per core).
int RunWorker(const GlobalOptions& global, const PipelineOptions& pipeline,
              const WorkerOptions& options);

// Prints the broker's queue, pending and taken-over jobs, counters and each worker's pages per
// second (`quire worker --status`).
int RunWorkerStatus(const GlobalOptions& global, const WorkerOptions& options);

}  // namespace quire::app
