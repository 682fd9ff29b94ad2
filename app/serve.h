// `quire serve`: the archive's one owner, for many people and programs at once.
//
// It opens the archive for writing, runs the uploads' inbox (uploads.h) and every --watch hot
// folder inside itself (watch.h: the same exactly-once guarantees as `quire watch`), and serves
// the JSON API and the station (http_api.h) over HTTP, or HTTPS with a certificate, from a bounded
// pool of threads. While it runs it leaves serve.json in the archive folder (server_link.h), so
// that `quire` commands that write send their work to it. SIGTERM or SIGINT: it stops taking
// requests, finishes the files in hand and the requests in flight, and exits 0.
#pragma once

#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "watch.h"

namespace quire::app {

struct ServeOptions {
  // Where to listen, HOST:PORT. Loopback unless told otherwise: the archive holds a company's
  // records. Default: "127.0.0.1:8080".
  std::string listen = "127.0.0.1:8080";

  // PEM certificate and key files for HTTPS; both or neither. Default: empty (plain HTTP).
  std::string tls_cert;
  std::string tls_key;

  // Hot folders to watch inside the server, each as `quire watch` would. Default: none.
  std::vector<std::string> inboxes;

  // Threads answering requests. Default: 16.
  int threads = 16;

  // A file larger than this is refused with 413. Default: 200 MiB.
  int64_t max_upload_bytes = int64_t{200} << 20;
};

// Serves until SIGTERM or SIGINT. `watching` gives the hot folders' options but the folder.
int RunServe(const GlobalOptions& global, const PipelineOptions& pipeline,
             const ServeOptions& options, const WatchOptions& watching);

}  // namespace quire::app
