// Ctrl-C (SIGINT) or SIGTERM during `quire ingest`: the first stops the batch from taking new
// files, so that the documents being read are finished, stored whole and reported with the
// summary; a second ends the process at once, as it would without this. One at a time.
#pragma once

namespace quire::app {

class StopOnSignal {
 public:
  StopOnSignal();   // catches the first SIGINT and the first SIGTERM
  ~StopOnSignal();  // their default actions again
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  // Whether a signal asked the batch to stop. Safe from any thread.
  bool requested() const;
};

}  // namespace quire::app
