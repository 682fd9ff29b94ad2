#include "serve.h"

#include <openssl/rand.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "broker_pages.h"
#include "broker_status.h"
#include "http_api.h"
#include "metrics.h"
#include "quire/capture/capture.h"
#include "quire/extract/extract.h"
#include "quire/store/journal.h"
#include "scan_sessions.h"
#include "server_link.h"
#include "sessions.h"
#include "uploads.h"
#include "users.h"
#include "watch_files.h"

namespace quire::app {
namespace {

// Connections waiting to be accepted; the kernel caps it at net.core.somaxconn.
constexpr int kListenBacklog = 1024;

// 32 random bytes in hex, for the local commands' token.
Result<std::string> RandomToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Status::Internal("no random bytes from OpenSSL");
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon != std::string::npos) {
    try {
      const int port = std::stoi(listen.substr(colon + 1));
      if (port >= 0 && port <= 65535) return std::make_pair(listen.substr(0, colon), port);
    } catch (const std::exception&) {
    }
  }
  return Status::InvalidArgument("--listen " + listen +
                                 " is not HOST:PORT; e.g. 127.0.0.1:8080, or 0.0.0.0:8080 for "
                                 "every network (port 0: any free port)");
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host.starts_with("127.") || host == "::1";
}

std::unique_ptr<httplib::Server> MakeServer(const ServeOptions& options) {
  if (options.tls_cert.empty()) return std::make_unique<httplib::Server>();
  return std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
}

// The hot folders the server runs: the uploads' inbox first, then each --watch.
Result<std::vector<ServedInbox>> ServedInboxes(const Uploads& uploads, const ServeOptions& options,
                                               const WatchOptions& watching) {
  std::vector<ServedInbox> inboxes;
  std::vector<std::pair<std::string, WatchOptions>> wanted = {
      {"uploads", uploads.watch_options(watching)}};
  for (const std::string& inbox : options.inboxes) {
    WatchOptions o = watching;
    o.inbox = inbox;
    wanted.emplace_back(inbox, o);
  }
  for (auto& [name, watch_options] : wanted) {
    QUIRE_ASSIGN_OR_RETURN(WatchFolders folders, WatchFolders::Make(watch_options));
    inboxes.push_back({name, watch_options, folders});
  }
  return inboxes;
}

void DescribeMetrics(Metrics& metrics, const Uploads& uploads) {
  metrics.Describe("quire_http_requests_total", "HTTP requests answered, by route and status");
  metrics.Describe("quire_http_request_seconds", "time to answer a request");
  metrics.Describe("quire_search_seconds", "time to run a search");
  metrics.Describe("quire_capture_seconds", "time from taking a file to its document stored");
  metrics.Describe("quire_documents_total", "files taken, by outcome");
  metrics.Describe("quire_failures_total", "files that failed, by what failed");
  metrics.Describe("quire_uploads_waiting", "uploads not read yet");
  metrics.Gauge("quire_uploads_waiting", [&uploads] { return double(uploads.backlog()); });
}

// Counts what each hot folder finishes, then passes it on.
WatchEvents Counted(WatchEvents events, Metrics& metrics) {
  auto next = events.on_finished;
  events.on_finished = [next, &metrics](const store::JournalEntry& entry) {
    if (entry.state == store::FileState::kFailed) {
      metrics.Count("quire_documents_total", "outcome=\"failed\"");
      metrics.Count("quire_failures_total", "reason=\"unreadable\"");
    } else {
      metrics.Count("quire_documents_total",
                    entry.duplicate ? "outcome=\"duplicate\"" : "outcome=\"stored\"");
      metrics.Observe("quire_capture_seconds", entry.duration_ms / 1000.0);
    }
    if (next) next(entry);
  };
  return events;
}

}  // namespace

int RunServe(const GlobalOptions& global, const PipelineOptions& pipeline,
             const ServeOptions& options, const WatchOptions& watching) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return ReportError(Status::InvalidArgument("give both --tls-cert and --tls-key, or neither"));
  }
  Result<std::pair<std::string, int>> address = ParseListen(options.listen);
  if (!address.ok()) return ReportError(address.status());
  Result<int> signal_fd = StopSignals();
  if (!signal_fd.ok()) return ReportError(signal_fd.status());

  const std::string archive_dir = ArchivePath(global);
  if (std::optional<ServerLink> other = FindServer(archive_dir)) {
    return ReportError(Status::IoError("a server already owns " + archive_dir + " at " +
                                       other->url + " (process " + std::to_string(other->pid) +
                                       "); stop it first"));
  }
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());
  Result<std::unique_ptr<store::Journal>> journal = store::Journal::Open(**archive);
  if (!journal.ok()) return ReportError(journal.status());
  capture::CaptureOptions capture_options = pipeline.capture;
  if (Status s = UseBroker(
          pipeline.broker, capture_options,
          [](const std::string& message) { std::cerr << "quire serve: " << message << "\n"; });
      !s.ok()) {
    return ReportError(s);
  }
  Result<std::unique_ptr<capture::Capturer>> capturer = capture::Capturer::Create(capture_options);
  if (!capturer.ok()) return ReportError(capturer.status());
  Result<std::unique_ptr<extract::Extractor>> extractor =
      extract::Extractor::Create(pipeline.extract);
  if (!extractor.ok()) return ReportError(extractor.status());
  Result<std::unique_ptr<Uploads>> uploads = Uploads::Open(archive_dir);
  if (!uploads.ok()) return ReportError(uploads.status());
  Result<std::vector<ServedInbox>> inboxes = ServedInboxes(**uploads, options, watching);
  if (!inboxes.ok()) return ReportError(inboxes.status());
  Result<std::string> local_token = RandomToken();
  if (!local_token.ok()) return ReportError(local_token.status());

  UserStore users(archive_dir);
  Sessions sessions(users);
  Metrics metrics;
  DescribeMetrics(metrics, **uploads);
  std::optional<BrokerMetrics> broker_metrics;
  if (!pipeline.broker.empty()) {
    broker_metrics.emplace(*ParseBrokerUrl(pipeline.broker));  // parsed by UseBroker already
    broker_metrics->AddTo(metrics);
    const auto reader = std::static_pointer_cast<BrokerPageReader>(capture_options.remote);
    metrics.Describe("quire_broker_duplicate_results",
                     "page results that came twice (a worker presumed stopped was not); dropped");
    metrics.Gauge("quire_broker_duplicate_results",
                  [reader] { return double(reader->duplicates()); });
  }
  ServedArchive served;
  served.archive = archive->get();
  served.journal = journal->get();
  served.sessions = &sessions;
  served.users = &users;
  served.uploads = uploads->get();
  served.metrics = &metrics;
  served.inboxes = *inboxes;
  served.capture = pipeline.capture;
  served.extract = pipeline.extract;
  served.local_token = *local_token;
  served.max_upload_bytes = options.max_upload_bytes;
  ScanSessions scans(**capturer, **extractor, **archive, pipeline.capture);
  served.scans = &scans;
  served.capturer = capturer->get();
  served.extractor = extractor->get();
  HttpApi api(served);

  std::unique_ptr<httplib::Server> server = MakeServer(options);
  if (!server->is_valid()) {
    return ReportError(Status::InvalidArgument(
        "cannot use --tls-cert " + options.tls_cert + " and --tls-key " + options.tls_key +
        ": check that both are readable PEM files and that the key matches the certificate"));
  }
  const int threads = std::max(1, options.threads);
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Multipart framing on top of the largest file.
  server->set_payload_max_length(static_cast<size_t>(options.max_upload_bytes) + (1 << 20));
  api.Register(*server);
  // Debian's cpp-httplib listens with a backlog of 5, fixed in its library: clients connecting at
  // once overflow it while the accept thread waits for a core, and each dropped SYN costs the
  // client a 1 s retransmission (bench_serve, 16 clients: 2.4% of searches, a p99 of 1 s). The
  // backlog is raised once the socket is bound.
  int listen_fd = -1;
  server->set_socket_options([&listen_fd](socket_t sock) {
    // Not httplib's default SO_REUSEPORT, with which a second server binds the port too and the
    // kernel splits the connections between the two archives.
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });
  const auto& [host, wanted_port] = *address;
  const int port = wanted_port == 0 ? server->bind_to_any_port(host)
                                    : (server->bind_to_port(host, wanted_port) ? wanted_port : -1);
  if (port < 0) {
    return ReportError(Status::IoError("cannot listen on " + options.listen +
                                       ": the port is taken or the address is not this machine's; "
                                       "choose another with --listen HOST:PORT"));
  }
  if (::listen(listen_fd, kListenBacklog) != 0) {
    // The backlog of 5 stays: the server still serves, only slower under many connections.
  }
  const std::string url = std::string(options.tls_cert.empty() ? "http" : "https") + "://" +
                          (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                          std::to_string(port);
  if (Status s = WriteServerLink(archive_dir, {url, getpid(), *local_token}); !s.ok()) {
    return ReportError(s);
  }

  // The hot folders, each on its own thread, all stopped through one eventfd.
  const int stop_fd = eventfd(0, EFD_CLOEXEC);
  std::vector<std::thread> watchers;
  for (const ServedInbox& inbox : served.inboxes) {
    WatchEvents events = inbox.name == "uploads" ? (*uploads)->events() : WatchEvents{};
    watchers.emplace_back([&, inbox, events = Counted(events, metrics)] {
      if (Status s =
              WatchFolder(inbox.options, **capturer, **extractor, **archive, stop_fd, events);
          !s.ok()) {
        std::cerr << "quire serve: the hot folder " << inbox.name << " stopped: " << s.message()
                  << "\n";
      }
    });
  }

  std::atomic<bool> listener_done = false;
  std::thread listener([&] {
    server->listen_after_bind();
    listener_done = true;
  });
  // stop() is lost on a server not yet listening: a SIGTERM during start-up must wait for it.
  while (!server->is_running() && !listener_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::cerr << "quire serve: serving " << archive_dir << " at " << url
            << (IsLoopback(host) ? " (this machine only; --listen 0.0.0.0:PORT for the network)"
                                 : " (reachable from the network)")
            << "\n";
  uint64_t signal_info[16];  // a signalfd_siginfo is 128 bytes
  if (read(*signal_fd, signal_info, sizeof signal_info) < 0) {
    // Woken all the same: stop.
  }
  std::cerr << "quire serve: stopping (finishing the requests and files in hand)\n";
  RemoveServerLink(archive_dir);
  server->stop();
  listener.join();
  const uint64_t one = 1;
  if (write(stop_fd, &one, sizeof one) < 0) {
    // An eventfd write fails only on overflow, which one write cannot cause.
  }
  for (std::thread& watcher : watchers) watcher.join();
  close(stop_fd);
  close(*signal_fd);
  return kExitOk;
}

}  // namespace quire::app
