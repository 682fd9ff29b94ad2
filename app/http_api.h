// The JSON API of `quire serve` (DESIGN.md, "The HTTP API"; README.md, "quire serve"), and the
// station's files, on an httplib::Server.
//
// Every route but POST /api/login, GET /healthz and the station's files needs a bearer token,
// from a login or the server's local token (server_link.h), whose role must allow the route:
// 401 without a valid token, 403 when the role is too low. Errors are {"error": "..."} with the
// status that fits. Handlers run on the server's pool threads; the archive serialises writes and
// reads from consistent snapshots, so they run concurrently.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "metrics.h"
#include "quire/capture/capture.h"
#include "quire/extract/extract.h"
#include "quire/index/index.h"
#include "quire/store/archive.h"
#include "quire/store/journal.h"
#include "scan_sessions.h"
#include "sessions.h"
#include "uploads.h"
#include "watch_files.h"

namespace quire::app {

// A hot folder as the API shows it.
struct ServedInbox {
  std::string name;  // "uploads", or the folder as given to --watch
  WatchOptions options;
  WatchFolders folders;
};

// What the routes work on. Everything referenced must outlive the HttpApi.
struct ServedArchive {
  store::Archive* archive = nullptr;
  store::Journal* journal = nullptr;
  Sessions* sessions = nullptr;
  const UserStore* users = nullptr;  // copied with a backup
  Uploads* uploads = nullptr;
  Metrics* metrics = nullptr;
  ScanSessions* scans = nullptr;          // the station's scanning
  capture::Capturer* capturer = nullptr;  // for stacks split as they are uploaded
  const extract::Extractor* extractor = nullptr;
  std::vector<ServedInbox> inboxes;  // the uploads' first, then each --watch
  capture::CaptureOptions capture;   // limits and PDF resolution, for uploads and page images
  extract::ExtractOptions extract;   // for corrections
  std::string local_token;           // an admin session for local commands (server_link.h)

  // A file larger than this is refused with 413. Default: 200 MiB.
  int64_t max_upload_bytes = int64_t{200} << 20;
  // Uploads waiting to be read beyond which new ones are refused with 503. Default: 1000.
  size_t max_upload_backlog = 1000;
};

class HttpApi {
 public:
  explicit HttpApi(ServedArchive served);
  ~HttpApi();

  // Adds the routes to `server`. REQUIRES: this outlives the server's listening.
  void Register(httplib::Server& server);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire::app
