// bench_serve: many people searching one archive through `quire serve` while documents arrive by
// upload and by hot folder. Builds the synthetic corpus of bench_search into a new archive, starts
// the real server on it, runs concurrent searching clients beside an uploading client and a
// steady hot-folder drop, and prints latency per request kind, errors and documents stored per
// second; then runs the same searches one at a time over HTTP and as `quire search --json`
// processes, for comparison. See bench/README.md.
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "corpus.h"
#include "latencies.h"
#include "search_engine.h"

extern char** environ;

namespace quire::bench {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr char kViewer[] = "bench-viewer";
constexpr char kOperator[] = "bench-operator";
constexpr char kPassword[] = "bench-serve-password";
// Queries of each kind in the mix the clients cycle through.
constexpr int kMixPerKind = 50;
// Comparison queries of each kind run before measuring, so both ways start with warm caches.
constexpr int kWarmupPerKind = 2;
// How often the uploader asks how its jobs are doing.
constexpr auto kJobPoll = std::chrono::milliseconds(200);
// Every fourth file uploaded or dropped is a scan (OCR'd); the others have a text layer.
constexpr int kScanEvery = 4;

struct Settings {
  uint64_t docs = 5000;
  int clients = 16;
  double seconds = 60;
  double drop_every = 2;
  int uploads_in_flight = 2;
  int compare_per_kind = 10;
  int threads = 0;  // the server's --threads; 0 leaves its default
  std::string work = "/tmp/quire-bench-serve";
  std::string quire = QUIRE_BINARY;
  std::string samples = QUIRE_SOURCE_DIR "/sample-docs";
  std::vector<std::string> truth = {QUIRE_SOURCE_DIR "/sample-docs",
                                    QUIRE_SOURCE_DIR "/../shared/data/sroie-dev"};
  bool keep = false;
};

// The folders of one run, under --work.
struct WorkFolders {
  fs::path work, archive, inbox, kept, staging;
  explicit WorkFolders(const fs::path& w)
      : work(w),
        archive(w / "archive"),
        inbox(w / "inbox"),
        kept(w / "kept"),
        staging(w / "staging") {}
  fs::path log() const { return work / "serve.log"; }
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Millis(Clock::time_point start) { return Seconds(Clock::now() - start) * 1000; }

std::string Cell(double value, const char* format) {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// ---- Child processes ------------------------------------------------------------------------

std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return argv;
}

// Runs `args`, feeding `input` to its stdin; returns its exit code and stdout.
Result<std::pair<int, std::string>> RunProgram(std::vector<std::string> args,
                                               const std::string& input) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
    return Status::IoError("cannot make a pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  pid_t pid = 0;
  std::vector<char*> argv = Argv(args);
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (spawned == 0 && !input.empty() && write(in[1], input.data(), input.size()) < 0) {
    // A program that exits without reading its input says why through its exit code.
  }
  close(in[1]);
  std::string output;
  char buffer[65536];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;) output.append(buffer, n);
  close(out[0]);
  if (spawned != 0) return Status::IoError("cannot run " + args[0] + ": " + strerror(spawned));
  int status = 0;
  waitpid(pid, &status, 0);
  return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), output);
}

// `quire serve` on the archive, its output going to `log`. Returns its pid and its URL from
// serve.json, once it is there.
Result<std::pair<pid_t, std::string>> StartServer(const Settings& settings,
                                                  const WorkFolders& folders) {
  const fs::path &archive = folders.archive, &inbox = folders.inbox, &kept = folders.kept;
  const fs::path log = folders.log();
  std::vector<std::string> args = {settings.quire, "--archive",   archive.string(), "serve",
                                   "--listen",     "127.0.0.1:0", "--watch",        inbox.string(),
                                   "--keep",       kept.string()};
  if (settings.threads > 0) {
    args.insert(args.end(), {"--threads", std::to_string(settings.threads)});
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  std::vector<char*> argv = Argv(args);
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return Status::IoError("cannot run " + args[0] + ": " + strerror(spawned));
  const fs::path link = archive / "serve.json";
  for (const Clock::time_point start = Clock::now();
       Clock::now() - start < std::chrono::seconds(60);
       std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return Status::IoError("quire serve stopped at start; see " + log.string() + ":\n" +
                             ReadFile(log));
    }
    const json served = json::parse(ReadFile(link), nullptr, /*allow_exceptions=*/false);
    if (served.is_object() && served.contains("url")) {
      return std::make_pair(pid, served["url"].get<std::string>());
    }
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  return Status::IoError("quire serve wrote no " + link.string() + " within a minute; see " +
                         log.string());
}

// Stops the server with SIGTERM, at the latest when the run ends, however it ends.
struct ServerStopper {
  pid_t pid;
  ~ServerStopper() { Stop(); }
  // The server's wait status when this call stopped it; 0 when it was stopped before.
  int Stop() {
    int status = 0;
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, &status, 0);
      pid = 0;
    }
    return status;
  }
};

// CPU seconds (user + system) a process has used so far, from /proc.
double CpuSeconds(pid_t pid) {
  std::istringstream stat(ReadFile("/proc/" + std::to_string(pid) + "/stat"));
  std::string field;
  double ticks = 0;
  for (int i = 1; i <= 15 && stat >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);  // utime, stime; the name has no spaces here
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// ---- What the clients measure ---------------------------------------------------------------

// Latencies and errors of one kind of request.
struct RequestStats {
  Latencies latency;
  int errors = 0;
  void Merge(const RequestStats& other) {
    latency.Merge(other.latency);
    errors += other.errors;
  }
};

// What one client saw, by request kind ("login", "search: word", "upload", ...).
using Report = std::map<std::string, RequestStats>;

void MergeInto(Report& into, const Report& from) {
  for (const auto& [kind, stats] : from) into[kind].Merge(stats);
}

std::string SearchKind(QueryKind kind) { return std::string("search: ") + QueryKindName(kind); }

// The first errors of the run, on stderr; the rest are only counted.
void LogError(const std::string& what) {
  static std::mutex mu;
  static int logged = 0;
  std::lock_guard lock(mu);
  if (++logged <= 20) std::cerr << "  error: " << what << "\n";
}

// One person's connection to the server: it logs in, then sends requests with its token.
class ApiClient {
 public:
  explicit ApiClient(const std::string& url) : http_(url) {
    http_.set_connection_timeout(10);
    http_.set_read_timeout(60);
  }

  bool LogIn(const std::string& user, Report& report) {
    const Clock::time_point start = Clock::now();
    const json body = {{"user", user}, {"password", kPassword}};
    std::optional<json> answer =
        Check(http_.Post("/api/login", body.dump(), "application/json"), 200, "login");
    RequestStats& stats = report["login"];
    if (!answer || !answer->contains("token")) {
      ++stats.errors;
      return false;
    }
    stats.latency.Add(user, Millis(start));
    headers_ = {{"Authorization", "Bearer " + (*answer)["token"].get<std::string>()}};
    return true;
  }

  // Runs the query as a search page asks it (the best kResultLimit); false on any failure.
  bool Search(const BenchQuery& query, RequestStats& stats) {
    const Clock::time_point start = Clock::now();
    const httplib::Params params = {{"q", query.quire}, {"limit", std::to_string(kResultLimit)}};
    std::optional<json> answer =
        Check(http_.Get("/api/search", params, headers_), 200, "search " + query.quire);
    if (!answer || !answer->contains("results")) {
      ++stats.errors;
      return false;
    }
    stats.latency.Add(query.quire, Millis(start));
    return true;
  }

  // POST /api/documents with one file; its job id.
  std::optional<uint64_t> Upload(const std::string& name, const std::string& bytes,
                                 RequestStats& stats) {
    const Clock::time_point start = Clock::now();
    const httplib::MultipartFormDataItems items = {{"file", bytes, name, "application/pdf"}};
    std::optional<json> answer =
        Check(http_.Post("/api/documents", headers_, items), 202, "upload " + name);
    if (!answer || !(*answer)["jobs"].is_array() || (*answer)["jobs"].empty()) {
      ++stats.errors;
      return std::nullopt;
    }
    stats.latency.Add(name, Millis(start));
    return (*answer)["jobs"][0].get<uint64_t>();
  }

  // GET /api/jobs/ID: the job's state, or "" on failure.
  std::string JobState(uint64_t job, RequestStats& stats) {
    const Clock::time_point start = Clock::now();
    const std::string path = "/api/jobs/" + std::to_string(job);
    std::optional<json> answer = Check(http_.Get(path, headers_), 200, path);
    if (!answer || !answer->contains("state")) {
      ++stats.errors;
      return "";
    }
    stats.latency.Add(path, Millis(start));
    if ((*answer)["state"] == "failed") LogError(path + " failed: " + answer->dump());
    return (*answer)["state"].get<std::string>();
  }

  // GET /metrics, unmeasured: Prometheus' text, or "" on failure.
  std::string Metrics() {
    const httplib::Result result = http_.Get("/metrics", headers_);
    return result && result->status == 200 ? result->body : "";
  }

  // GET of a JSON route, unmeasured (for the bench's own bookkeeping).
  std::optional<json> Get(const std::string& path) {
    return Check(http_.Get(path, headers_), 200, path);
  }

 private:
  static std::optional<json> Check(const httplib::Result& result, int want,
                                   const std::string& what) {
    if (!result) {
      LogError(what + ": " + httplib::to_string(result.error()));
      return std::nullopt;
    }
    if (result->status != want) {
      LogError(what + ": HTTP " + std::to_string(result->status) + " " + result->body);
      return std::nullopt;
    }
    json body = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) {
      LogError(what + ": the answer is not JSON");
      return std::nullopt;
    }
    return body;
  }

  httplib::Client http_;
  httplib::Headers headers_;
};

// A histogram of seconds from GET /metrics: observations at or under each bucket's bound.
struct ServerHistogram {
  std::map<double, double> at_most;  // bound -> cumulative count
  double sum = 0, count = 0;

  static ServerHistogram Parse(const std::string& text, const std::string& name) {
    ServerHistogram h;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      const size_t space = line.rfind(' ');
      if (space == std::string::npos || line.starts_with("#")) continue;
      const std::string key = line.substr(0, space);
      const double value = std::strtod(line.c_str() + space + 1, nullptr);
      const std::string bucket = name + "_bucket{le=\"";
      if (key.starts_with(bucket) && !key.starts_with(bucket + "+Inf")) {
        h.at_most[std::strtod(key.c_str() + bucket.size(), nullptr)] = value;
      } else if (key == name + "_sum") {
        h.sum = value;
      } else if (key == name + "_count") {
        h.count = value;
      }
    }
    return h;
  }

  // What was observed after `before`.
  ServerHistogram Since(const ServerHistogram& before) const {
    ServerHistogram h = *this;
    for (auto& [bound, n] : h.at_most)
      n -= before.at_most.contains(bound) ? before.at_most.at(bound) : 0;
    h.sum -= before.sum;
    h.count -= before.count;
    return h;
  }

  // "mean M ms, p50 <= A ms, p99 <= B ms": percentiles as the bucket bound that holds them.
  std::string Describe() const {
    if (count <= 0) return "no observations";
    const auto bound = [this](double p) {
      for (const auto& [le, n] : at_most) {
        if (n >= p * count) return Cell(le * 1000, "%g");
      }
      return std::string("over ") +
             Cell(at_most.empty() ? 0 : at_most.rbegin()->first * 1000, "%g");
    };
    return Cell(count, "%.0f") + " requests, mean " + Cell(sum / count * 1000, "%.1f") +
           " ms, p50 <= " + bound(0.5) + " ms, p99 <= " + bound(0.99) + " ms";
  }
};

// ---- The load -------------------------------------------------------------------------------

// The real sample documents the uploads and drops cycle through, each made unique by a PDF
// comment after its end, so that none is a duplicate of an earlier one.
class Payloads {
 public:
  static Result<Payloads> Load(const fs::path& samples) {
    Payloads payloads;
    for (const auto& entry : fs::directory_iterator(samples)) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with("-text.pdf")) payloads.text_.emplace_back(name, ReadFile(entry.path()));
      if (name.ends_with("-scan.pdf")) payloads.scans_.emplace_back(name, ReadFile(entry.path()));
    }
    if (payloads.text_.empty() || payloads.scans_.empty()) {
      return Status::NotFound("no *-text.pdf and *-scan.pdf files in " + samples.string() +
                              "; give the sample documents' folder with --samples");
    }
    std::sort(payloads.text_.begin(), payloads.text_.end());
    std::sort(payloads.scans_.begin(), payloads.scans_.end());
    return payloads;
  }

  // The `i`th file of the stream named `stream`: its name and bytes.
  std::pair<std::string, std::string> Make(const std::string& stream, int i) const {
    const auto& [name, bytes] = i % kScanEvery == kScanEvery - 1
                                    ? scans_[(i / kScanEvery) % scans_.size()]
                                    : text_[i % text_.size()];
    const std::string unique = stream + "-" + std::to_string(i);
    return {unique + "-" + name, bytes + "\n%quire-bench-serve " + unique + "\n"};
  }

 private:
  std::vector<std::pair<std::string, std::string>> text_, scans_;
};

// Searches back to back until `until`, starting at its own place in the mix.
Report SearchClient(const std::string& url, const std::vector<BenchQuery>& mix, size_t first,
                    Clock::time_point until) {
  Report report;
  ApiClient client(url);
  if (!client.LogIn(kViewer, report)) return report;
  for (size_t i = first; Clock::now() < until; ++i) {
    const BenchQuery& query = mix[i % mix.size()];
    client.Search(query, report[SearchKind(query.kind)]);
  }
  return report;
}

// Uploads files until `until`, keeping `in_flight` jobs unfinished at most; counts the documents
// stored by then in `stored`.
Report Uploader(const std::string& url, const Payloads& payloads, int in_flight,
                Clock::time_point until, int& stored) {
  Report report;
  ApiClient client(url);
  if (!client.LogIn(kOperator, report)) return report;
  std::map<uint64_t, Clock::time_point> pending;  // job -> when it was uploaded
  for (int i = 0; Clock::now() < until;) {
    for (int free = in_flight - static_cast<int>(pending.size()); free > 0; --free) {
      const auto [name, bytes] = payloads.Make("upload", i++);
      const Clock::time_point start = Clock::now();
      if (std::optional<uint64_t> job = client.Upload(name, bytes, report["upload"])) {
        pending[*job] = start;
      }
    }
    std::this_thread::sleep_for(kJobPoll);
    for (auto it = pending.begin(); it != pending.end() && Clock::now() < until;) {
      const std::string state = client.JobState(it->first, report["job status"]);
      if (state == "stored") {
        ++stored;
        report["upload to stored"].latency.Add(std::to_string(it->first), Millis(it->second));
      } else if (state == "duplicate" || state == "failed") {
        ++report["upload to stored"].errors;
      } else {
        ++it;
        continue;
      }
      it = pending.erase(it);
    }
  }
  return report;
}

// Drops a file into the hot folder every `every` seconds until `until`: written beside it, then
// renamed in, as a scanner's software does, so the watcher takes it at once.
int Dropper(const Payloads& payloads, const fs::path& staging, const fs::path& inbox, double every,
            Clock::time_point until) {
  int dropped = 0;
  for (Clock::time_point next = Clock::now(); next < until;
       next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(every))) {
    std::this_thread::sleep_until(next);
    const auto [name, bytes] = payloads.Make("drop", dropped);
    std::ofstream(staging / name, std::ios::binary) << bytes;
    fs::rename(staging / name, inbox / name);
    ++dropped;
  }
  return dropped;
}

size_t FilesIn(const fs::path& dir) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.is_regular_file();
  return n;
}

// Waits (up to two minutes) until the server has taken every upload and dropped file.
void WaitForIngest(ApiClient& client) {
  for (int waited = 0; waited < 600; ++waited) {
    std::optional<json> inbox = client.Get("/api/inbox");
    int busy = 0;
    if (inbox) {
      for (const json& folder : (*inbox)["inboxes"]) {
        busy += folder.value("waiting", 0) + folder.value("in_progress", 0);
      }
    }
    if (inbox && busy == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::cerr << "  the server still had files to read after two minutes; comparing anyway\n";
}

// ---- The run --------------------------------------------------------------------------------

// What the timed window gave.
struct Window {
  Report load;
  int uploaded = 0, dropped = 0;
  size_t drops_stored = 0;
  double seconds = 0, server_cpu = 0, own_cpu = 0, load_average = 0;
  ServerHistogram search, request;  // the server's own view, from /metrics
};

struct Comparison {
  std::map<QueryKind, RequestStats> http, process;
};

// The comparison queries one at a time: over HTTP from one client, and each as its own
// `quire search --json` process. Both with the server running and no other load.
Status Compare(const Settings& settings, const std::string& url, const fs::path& archive,
               const std::vector<BenchQuery>& queries, Comparison& out) {
  ApiClient client(url);
  Report logins;
  if (!client.LogIn(kViewer, logins)) return Status::IoError("cannot log in to compare");
  std::map<QueryKind, int> seen;
  for (const BenchQuery& query : queries) {
    const bool measured = seen[query.kind]++ >= kWarmupPerKind;
    RequestStats http, process;
    client.Search(query, http);
    const Clock::time_point start = Clock::now();
    Result<std::pair<int, std::string>> run =
        RunProgram({settings.quire, "--archive", archive.string(), "search", "--json", "--limit",
                    std::to_string(kResultLimit), query.quire},
                   "");
    const double ms = Millis(start);
    const bool ok =
        run.ok() && run->first == 0 && json::parse(run->second, nullptr, false).contains("results");
    if (!ok) {
      ++process.errors;
      LogError("quire search " + query.quire + ": " +
               (run.ok() ? "exit " + std::to_string(run->first) : run.status().message()));
    } else {
      process.latency.Add(query.quire, ms);
    }
    if (measured) {
      out.http[query.kind].Merge(http);
      out.process[query.kind].Merge(process);
    }
  }
  return Status::Ok();
}

void PrintRow(const std::string& what, RequestStats& stats, RequestStats* http,
              RequestStats* process) {
  const auto pair = [](RequestStats* s) -> std::pair<std::string, std::string> {
    if (s == nullptr || s->latency.ms.empty()) return {"", ""};
    return {Cell(s->latency.Percentile(0.5), "%.1f"), Cell(s->latency.Percentile(0.99), "%.1f")};
  };
  const auto [http50, http99] = pair(http);
  const auto [proc50, proc99] = pair(process);
  std::printf("| %-26s | %7zu | %6d | %8s | %8s | %8s | %8s | %8s | %8s |\n", what.c_str(),
              stats.latency.ms.size(), stats.errors,
              Cell(stats.latency.Percentile(0.5), "%.1f").c_str(),
              Cell(stats.latency.Percentile(0.99), "%.1f").c_str(), http50.c_str(), http99.c_str(),
              proc50.c_str(), proc99.c_str());
}

void PrintTable(const Settings& settings, Window& w, Comparison& compare) {
  Report& load = w.load;
  const double window = w.seconds;
  const std::string uploads =
      settings.uploads_in_flight > 0
          ? "uploads (" + std::to_string(settings.uploads_in_flight) + " in flight)"
          : "no uploads";
  const std::string drops =
      settings.drop_every > 0 ? "a hot-folder drop every " + Cell(settings.drop_every, "%g") + " s"
                              : "no hot-folder drops";
  std::printf("\n%llu documents, %d searching clients for %.0f s, %s and %s\n\n",
              static_cast<unsigned long long>(settings.docs), settings.clients, window,
              uploads.c_str(), drops.c_str());
  std::printf("| %-26s | %7s | %6s | %8s | %8s | %8s | %8s | %8s | %8s |\n", "request (ms)",
              "count", "errors", "p50", "p99", "1-by-1", "1-by-1", "process", "process");
  std::printf("| %-26s | %7s | %6s | %8s | %8s | %8s | %8s | %8s | %8s |\n", "", "", "", "loaded",
              "loaded", "HTTP p50", "HTTP p99", "p50", "p99");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(28, '-').c_str(),
              std::string(9, '-').c_str(), std::string(8, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str());
  RequestStats all, all_http, all_process;
  for (QueryKind kind : kQueryKinds) {
    RequestStats& stats = load[SearchKind(kind)];
    PrintRow(SearchKind(kind), stats, &compare.http[kind], &compare.process[kind]);
    all.Merge(stats);
    all_http.Merge(compare.http[kind]);
    all_process.Merge(compare.process[kind]);
  }
  PrintRow("search: all kinds", all, &all_http, &all_process);
  for (const char* kind : {"login", "upload", "job status", "upload to stored"}) {
    PrintRow(kind, load[kind], nullptr, nullptr);
  }
  std::printf("\n| %-36s | %7s | %8s |\n", "documents stored", "count", "per s");
  std::printf("|%s|%s|%s|\n", std::string(38, '-').c_str(), std::string(9, '-').c_str(),
              std::string(10, '-').c_str());
  std::printf("| %-36s | %7d | %8.2f |\n", "through uploads", w.uploaded, w.uploaded / window);
  std::printf("| %-36s | %7zu | %8.2f |\n",
              ("through the hot folder (" + std::to_string(w.dropped) + " dropped)").c_str(),
              w.drops_stored, static_cast<double>(w.drops_stored) / window);
  std::fflush(stdout);
}

Status AddUser(const Settings& settings, const fs::path& archive, const std::string& name,
               const std::string& role) {
  Result<std::pair<int, std::string>> run =
      RunProgram({settings.quire, "--archive", archive.string(), "user", "add", name, "--role",
                  role, "--password-stdin"},
                 kPassword);
  if (!run.ok()) return run.status();
  if (run->first != 0) {
    return Status::IoError("quire user add " + name + " exited " + std::to_string(run->first));
  }
  return Status::Ok();
}

// A new archive of the corpus's first settings.docs documents, with the bench's two users.
Status PrepareArchive(const Settings& settings, const CorpusModel& model,
                      const WorkFolders& folders) {
  fs::remove_all(folders.work);
  for (const fs::path& dir : {folders.inbox, folders.kept, folders.staging}) {
    fs::create_directories(dir);
  }
  std::cerr << "building " << settings.docs << " documents into " << folders.archive << "\n";
  {
    QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<SearchEngine> engine,
                           OpenQuire(folders.archive.string()));
    QUIRE_RETURN_IF_ERROR(BuildCorpus(model, settings.docs, *engine).status());
  }  // closed: the server must be its only writer
  QUIRE_RETURN_IF_ERROR(AddUser(settings, folders.archive, kViewer, "viewer"));
  return AddUser(settings, folders.archive, kOperator, "operator");
}

// The searching clients, the uploader and the hot-folder drops, all at once for settings.seconds.
Window Measure(const Settings& settings, const WorkFolders& folders, const Payloads& payloads,
               const std::string& url, pid_t server, const std::vector<BenchQuery>& mix,
               ApiClient& scraper) {
  Window w;
  const std::string metrics_before = scraper.Metrics();
  const double server_cpu = CpuSeconds(server), own_cpu = CpuSeconds(getpid());
  const Clock::time_point start = Clock::now();
  const Clock::time_point until = start + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(settings.seconds));
  std::vector<Report> reports(settings.clients + 1);
  std::vector<std::thread> threads;
  for (int c = 0; c < settings.clients; ++c) {
    threads.emplace_back(
        [&, c] { reports[c] = SearchClient(url, mix, c * mix.size() / settings.clients, until); });
  }
  if (settings.uploads_in_flight > 0) {
    threads.emplace_back([&] {
      reports[settings.clients] =
          Uploader(url, payloads, settings.uploads_in_flight, until, w.uploaded);
    });
  }
  if (settings.drop_every > 0) {
    threads.emplace_back([&] {
      w.dropped = Dropper(payloads, folders.staging, folders.inbox, settings.drop_every, until);
    });
  }
  for (std::thread& thread : threads) thread.join();
  w.seconds = Seconds(Clock::now() - start);
  w.drops_stored = FilesIn(folders.kept);
  w.server_cpu = CpuSeconds(server) - server_cpu;
  w.own_cpu = CpuSeconds(getpid()) - own_cpu;
  getloadavg(&w.load_average, 1);
  const std::string metrics_after = scraper.Metrics();
  for (const Report& report : reports) MergeInto(w.load, report);
  w.search = ServerHistogram::Parse(metrics_after, "quire_search_seconds")
                 .Since(ServerHistogram::Parse(metrics_before, "quire_search_seconds"));
  w.request = ServerHistogram::Parse(metrics_after, "quire_http_request_seconds")
                  .Since(ServerHistogram::Parse(metrics_before, "quire_http_request_seconds"));
  return w;
}

size_t FailedFiles(const fs::path& dir) { return fs::exists(dir) ? FilesIn(dir) : 0; }

void PrintSummary(const WorkFolders& folders, Window& w) {
  std::printf(
      "\nCPU: the server %.0f s, the clients %.0f s, of the window's %.0f s x %ld cores; "
      "load average %.1f at its end; failed files: %zu dropped, %zu uploaded\n",
      w.server_cpu, w.own_cpu, w.seconds, sysconf(_SC_NPROCESSORS_ONLN), w.load_average,
      FailedFiles(folders.inbox / ".failed"), FailedFiles(folders.archive / "uploads" / ".failed"));
  std::printf("inside the server during the window: search %s; whole requests %s\n",
              w.search.Describe().c_str(), w.request.Describe().c_str());
  for (auto& [kind, stats] : w.load) {
    if (kind.starts_with("search")) {
      std::cerr << "  slowest " << kind << ": " << stats.latency.slowest << " ("
                << stats.latency.slowest_ms << " ms)\n";
    }
  }
}

// The query mix of the searching clients, its kinds interleaved.
std::vector<BenchQuery> Mix(const CorpusModel& model, uint64_t docs) {
  const std::vector<BenchQuery> grouped = model.Queries(docs, kMixPerKind);
  std::vector<BenchQuery> mix;
  for (int i = 0; i < kMixPerKind; ++i) {
    for (size_t k = 0; k < std::size(kQueryKinds); ++k) {
      mix.push_back(grouped[k * kMixPerKind + i]);
    }
  }
  return mix;
}

Status Run(const Settings& settings) {
  const WorkFolders folders(settings.work);
  QUIRE_ASSIGN_OR_RETURN(Payloads payloads, Payloads::Load(settings.samples));
  QUIRE_ASSIGN_OR_RETURN(CorpusModel model, CorpusModel::Learn(settings.truth));
  QUIRE_RETURN_IF_ERROR(PrepareArchive(settings, model, folders));

  Result<std::pair<pid_t, std::string>> server = StartServer(settings, folders);
  if (!server.ok()) return server.status();
  const auto [pid, url] = *server;
  ServerStopper stopper{pid};
  std::cerr << "quire serve at " << url << " (log: " << folders.log() << ")\n";

  // One client, unmeasured, warms the caches with a pass of the mix and keeps the books.
  const std::vector<BenchQuery> mix = Mix(model, settings.docs);
  ApiClient scraper(url);
  Report ignored;
  if (!scraper.LogIn(kViewer, ignored)) return Status::IoError("cannot log in to " + url);
  for (const BenchQuery& query : mix) scraper.Search(query, ignored["warm-up"]);
  std::cerr << "measuring for " << settings.seconds << " s\n";
  Window window = Measure(settings, folders, payloads, url, pid, mix, scraper);

  std::cerr << "comparing one query at a time, once the server has read what it was given\n";
  WaitForIngest(scraper);
  Comparison compare;
  const Status compared =
      Compare(settings, url, folders.archive,
              model.Queries(settings.docs, settings.compare_per_kind + kWarmupPerKind), compare);
  const int status = stopper.Stop();
  if (!compared.ok()) return compared;
  PrintTable(settings, window, compare);
  PrintSummary(folders, window);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IoError("quire serve did not stop cleanly on SIGTERM; see " +
                           folders.log().string());
  }
  if (!settings.keep) fs::remove_all(folders.work);
  return Status::Ok();
}

}  // namespace
}  // namespace quire::bench

int main(int argc, char** argv) {
  using namespace quire::bench;
  CLI::App app{"Searches one archive through quire serve from many clients while it ingests"};
  Settings s;
  app.add_option("--docs", s.docs, "documents in the archive before the run")
      ->capture_default_str();
  app.add_option("--clients", s.clients, "clients searching at once")->capture_default_str();
  app.add_option("--seconds", s.seconds, "how long the clients search")->capture_default_str();
  app.add_option("--drop-every", s.drop_every,
                 "seconds between files dropped into the hot folder (0: none)")
      ->capture_default_str();
  app.add_option("--uploads-in-flight", s.uploads_in_flight,
                 "uploads the uploading client keeps unfinished at once (0: no uploads)")
      ->capture_default_str();
  app.add_option("--compare", s.compare_per_kind,
                 "queries of each kind run one at a time over HTTP and as quire search processes")
      ->capture_default_str();
  app.add_option("--threads", s.threads, "the server's --threads (0: its default)")
      ->capture_default_str();
  app.add_option("--work", s.work, "folder for the archive and the hot folder (emptied first)")
      ->capture_default_str();
  app.add_option("--quire", s.quire, "the quire program to run")->capture_default_str();
  app.add_option("--samples", s.samples, "folder of *-text.pdf and *-scan.pdf files to upload")
      ->capture_default_str();
  app.add_option("--truth", s.truth, "folders of *.truth.json to learn the vocabulary from")
      ->capture_default_str();
  app.add_flag("--keep", s.keep, "keep the work folder after the run");
  CLI11_PARSE(app, argc, argv);
  if (s.clients < 1 || s.seconds <= 0 || s.drop_every < 0 || s.uploads_in_flight < 0) {
    std::cerr << "bench_serve: --clients and --seconds must be positive, --drop-every and "
                 "--uploads-in-flight 0 or more\n";
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  if (const quire::Status status = Run(s); !status.ok()) {
    std::cerr << "bench_serve: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
