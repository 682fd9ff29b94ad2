// Scanning at the station: `quire serve` drives a SANE scanner for a person at the browser
// (README.md, "The station" and the /api/scans routes).
//
// A scan session holds the pages of one batch in memory, each as a lossless TIFF of its own
// encoded as it arrives (its pixels are let go then). Each page is read as soon as it is
// scanned (reading overlaps scanning) and the batch is split into documents as its pages are read,
// in scan order, by the separation `quire scan --separate` uses (capture/separation.h). Before
// anything is stored, the operator fixes the split and the pages: a document starts at a page or
// continues through it, a page is turned, deleted or scanned again, a sheet taken for a separator
// is kept. Commit then stores each document as `quire scan` does (a lossless TIFF of its pages,
// through CommitPages) with the text read during the scan: no page is read twice, only a
// rescanned one, whose image is new. A scan that stops early (jam, open cover, a vanished device,
// Stop) keeps the pages scanned so far, with the message saying what happened.
//
// One session per device at a time, until it is committed or discarded (or holds no page).
// Sessions live in the server's memory: pages not committed are gone when the server stops.
//
// Errors: NotFound (no such scan or page), InvalidArgument (an edit that does not apply), IoError
// (the scanner or the scan is busy: another session has the device, the scan is still running).
//
// Thread safety: every method may be called from several threads at once. Each session scans on
// a thread of its own; its pages are read on the capturer's workers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "quire/capture/capture.h"
#include "quire/capture/page_image.h"
#include "quire/capture/separation.h"
#include "quire/extract/extract.h"
#include "quire/store/archive.h"
#include "scanner.h"

namespace quire::app {

class ScanSession;

// An operator's change to a page of a scan, before it is committed.
enum class PageEdit {
  kSplit,   // a document starts at the page
  kJoin,    // the page continues the document before it
  kTurn,    // turned by `degrees` clockwise
  kDelete,  // left out
  kKeep,    // a sheet taken for a separator is a page after all (of the document before it)
  kRescan,  // scanned again from the device (read again: its image is new)
};

class ScanSessions {
 public:
  // Everything referenced must outlive this. `images` gives the limits for thumbnails.
  ScanSessions(capture::Capturer& capturer, const extract::Extractor& extractor,
               store::Archive& archive, capture::CaptureOptions images);
  // Stops the scans in progress and waits for their pages to be read.
  ~ScanSessions();

  // Opens the device and starts scanning a batch, split by `separation` (duplex when the source
  // is), for `by`. Answers the new session as Get does.
  Result<nlohmann::json> Start(const ScanSettings& settings, capture::Separation separation,
                               const std::string& by);

  // {"id", "device", "source", "by", "state": "scanning"|"scanned"|"committed", "message",
  //  "pages": [{"page", "version", "read", "turned", "blank", "barcodes", "separator", "error"}],
  //  "documents": [[page...]...], "committed": [as `ingest --json` results]}
  Result<nlohmann::json> Get(uint64_t id);
  // Every session, as Get answers each, without their pages.
  nlohmann::json List();

  // `page` is the index in scan order that Get gives; `degrees` for kTurn only.
  Result<nlohmann::json> Edit(uint64_t id, int page, PageEdit edit, int degrees = 0);
  // Scans more pages into the session, after its last (the rest of a batch after a jam).
  Result<nlohmann::json> ScanMore(uint64_t id);
  // Stops the scan in progress after the page being scanned; the pages so far stay.
  Result<nlohmann::json> Stop(uint64_t id);
  // Stores each document of the session, `by` someone, and answers the session with `committed`.
  Result<nlohmann::json> Commit(uint64_t id, const std::string& by);
  // Stops the scan if it runs and drops the session and its pages.
  Status Discard(uint64_t id);

  // A page as the operator has turned it, `width` pixels wide (0: as scanned), as a JPEG.
  Result<capture::PageImageFile> PageImage(uint64_t id, int page, int width);

 private:
  Result<std::shared_ptr<ScanSession>> Find(uint64_t id);

  capture::Capturer& capturer_;
  const extract::Extractor& extractor_;
  store::Archive& archive_;
  const capture::CaptureOptions images_;
  std::mutex mu_;
  std::map<uint64_t, std::shared_ptr<ScanSession>> sessions_;  // guarded by mu_
  uint64_t next_id_ = 1;                                       // guarded by mu_
};

}  // namespace quire::app
