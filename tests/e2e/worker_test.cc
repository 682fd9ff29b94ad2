// `quire worker` and `--broker` end to end: a real redis-server on a free loopback port, with its
// append-only file in a temporary folder so that killing and restarting it is part of the tests,
// and real worker processes killed with SIGKILL.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "quire_process.h"
#include "temp_dir.h"

namespace quire::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string Shell(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    pclose(pipe);
  }
  return out;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Waits until `done` or `limit` has passed; returns `done()`.
template <typename Fn>
bool WaitFor(Fn done, std::chrono::seconds limit) {
  for (const auto until = Clock::now() + limit; Clock::now() < until;) {
    if (done()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return done();
}

// A redis-server of our own, persisting every write to its append-only file before it answers.
class Redis {
 public:
  explicit Redis(const std::string& dir) : dir_(dir), port_(FreePort()) { Start(); }
  ~Redis() { Kill(SIGKILL); }

  void Start() {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string port = std::to_string(port_);
      execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--dir",
             dir_.c_str(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
             "--logfile", "redis.log", static_cast<char*>(nullptr));
      _exit(127);
    }
    REQUIRE(WaitFor([&] { return Cli("PING").starts_with("PONG"); }, 10s));
  }

  void Kill(int signal) {
    if (pid_ <= 0) return;
    kill(pid_, signal);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string Cli(const std::string& args) const {
    return Shell("redis-cli -p " + std::to_string(port_) + " " + args + " 2>&1");
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

 private:
  const std::string dir_;
  const int port_;
  pid_t pid_ = -1;
};

// A small page with a few words: quick to read.
cv::Mat TextPage(const std::string& text) {
  cv::Mat image(140, 760, CV_8UC1, cv::Scalar(255));
  cv::putText(image, text, {20, 85}, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(0), 2);
  return image;
}

// A page of text under `heading`: about a third of a second to read, long enough for a worker to
// be caught holding it (sixteen lines: eight were read in a tenth of a second once capture read
// text of this size without scaling it up).
cv::Mat LongerPage(const std::string& heading) {
  static const char* kLines[] = {"Delivery of office supplies and toner",
                                 "Paper A4 white 80 g",
                                 "Ballpoint pens blue box of fifty",
                                 "Stapler heavy duty metal",
                                 "Folders with rings grey",
                                 "Sticky notes yellow pads",
                                 "Envelopes with window long",
                                 "Total amount due on receipt"};
  cv::Mat image(1460, 1100, CV_8UC1, cv::Scalar(255));
  cv::putText(image, heading, {40, 80}, cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(0), 3);
  int y = 170;
  for (int copy = 0; copy < 2; ++copy) {
    for (const char* line : kLines) {
      cv::putText(image, line, {40, y}, cv::FONT_HERSHEY_SIMPLEX, 1.1, cv::Scalar(0), 2);
      y += 80;
    }
  }
  return image;
}

// Stops a process still running at the end of a test, whatever happened.
struct Running {
  std::vector<pid_t> pids;
  ~Running() {
    for (pid_t pid : pids) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  pid_t Start(const std::vector<std::string>& args, const StartOptions& options = {}) {
    pids.push_back(StartQuire(args, options));
    return pids.back();
  }
  void Kill(pid_t pid, int signal) {
    kill(pid, signal);
    waitpid(pid, nullptr, 0);
    std::erase(pids, pid);
  }
  // The exit code, or -1 when it did not exit within `limit` (or died of a signal).
  int Wait(pid_t pid, std::chrono::seconds limit) {
    int status = 0;
    const bool exited = WaitFor([&] { return waitpid(pid, &status, WNOHANG) == pid; }, limit);
    if (!exited) return -1;
    std::erase(pids, pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

nlohmann::json Status(const Redis& redis) {
  const ProcessOutput p = RunQuire({"worker", "--status", "--json", "--broker", redis.url()});
  INFO(p.err);
  REQUIRE(p.exit_code == 0);
  return nlohmann::json::parse(p.out);
}

int64_t PagesRead(const Redis& redis) {
  int64_t pages = 0;
  const nlohmann::json status = Status(redis);
  for (const auto& w : status["workers"]) pages += w["pages"].get<int64_t>();
  return pages;
}

std::string Consumer(pid_t worker) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(worker) + "-0";
}

// Whether the worker has a job in hand (pending on its consumer).
bool HasJob(const Redis& redis, pid_t worker) {
  const std::string pending =
      redis.Cli("XPENDING quire:jobs quire-workers - + 10 " + Consumer(worker));
  return !pending.empty() && std::isdigit(static_cast<unsigned char>(pending[0]));  // an entry id
}

std::vector<std::string> WorkerArgs(const Redis& redis) {
  return {"worker", "--broker", redis.url(), "--jobs", "1", "--claim-after", "3"};
}

TEST_CASE(
    "worker: 60 pages through 3 workers, one killed mid-job and redis restarted mid-run, "
    "every document committed once",
    "[slow]") {
  TempDir dir;
  fs::create_directories(dir.Sub("redis"));
  fs::create_directories(dir.Sub("in"));
  Redis redis(dir.Sub("redis"));
  // 20 one-page PNGs and 20 two-page TIFFs: 60 pages, 40 documents.
  std::map<std::string, std::vector<std::string>> expected;  // file -> number on each page
  for (int d = 1; d <= 40; ++d) {
    const std::string number = std::to_string(1000 + d * 7);
    if (d <= 20) {
      const std::string file = dir.Sub("in/doc-" + std::to_string(d) + ".png");
      REQUIRE(cv::imwrite(file, LongerPage("Invoice " + number + " paid")));
      expected[file] = {number};
    } else {
      const std::string file = dir.Sub("in/doc-" + std::to_string(d) + ".tif");
      const std::string second = std::to_string(5000 + d * 3);
      REQUIRE(
          cv::imwritemulti(file, std::vector<cv::Mat>{LongerPage("Order " + number + " first"),
                                                      LongerPage("Order " + second + " last")}));
      expected[file] = {number, second};
    }
  }

  Running running;
  std::vector<pid_t> workers;
  for (int i = 0; i < 3; ++i) {
    workers.push_back(
        running.Start(WorkerArgs(redis), {.err_file = dir.Sub("worker" + std::to_string(i))}));
  }
  const std::string archive = dir.Sub("archive");
  const pid_t ingest = running.Start(
      {"--archive", archive, "ingest", "--broker", redis.url(), "--jobs", "8", dir.Sub("in")},
      {.err_file = dir.Sub("ingest.err"), .out_file = dir.Sub("ingest.out")});

  // One worker killed while it holds a job, and another started in its place.
  const auto logs = [&] {
    return Read(dir.Sub("ingest.out")) + Read(dir.Sub("ingest.err")) + Read(dir.Sub("worker0"));
  };
  const bool started = WaitFor([&] { return PagesRead(redis) >= 8; }, 60s);
  INFO(logs());
  REQUIRE(started);
  bool killed_mid_job = false;
  for (int attempt = 0; attempt < 20 && !killed_mid_job; ++attempt) {
    const pid_t victim = workers.front();
    if (!HasJob(redis, victim)) {
      std::this_thread::sleep_for(50ms);
      continue;
    }
    running.Kill(victim, SIGKILL);
    workers.erase(workers.begin());
    killed_mid_job = HasJob(redis, victim);  // its job stays pending, for another to take over
    workers.push_back(running.Start(WorkerArgs(redis), {.err_file = dir.Sub("worker3")}));
  }
  REQUIRE(killed_mid_job);

  // The broker killed and restarted mid-run, from its append-only file.
  REQUIRE(WaitFor([&] { return PagesRead(redis) >= 30; }, 120s));
  redis.Kill(SIGKILL);
  std::this_thread::sleep_for(2s);
  redis.Start();

  const int code = running.Wait(ingest, 240s);
  INFO(Read(dir.Sub("ingest.out")) << Read(dir.Sub("ingest.err")));
  REQUIRE(code == 0);
  const std::string log = Read(dir.Sub("ingest.err"));
  CHECK(log.find("cannot be reached") != std::string::npos);
  CHECK(log.find("is back") != std::string::npos);

  // Every document once, with its own pages in order.
  const nlohmann::json list = RunQuireJson({"--archive", archive, "list", "--json"});
  REQUIRE(list["documents"].size() == expected.size());
  std::set<std::string> sources;
  int pages = 0, numbers_found = 0;
  for (const auto& doc : list["documents"]) {
    const std::string source = doc["source"];
    REQUIRE(expected.contains(source));
    sources.insert(source);
    const nlohmann::json shown = RunQuireJson(
        {"--archive", archive, "show", "--json", std::to_string(doc["id"].get<int>())});
    REQUIRE(shown["pages"].size() == expected[source].size());
    for (size_t p = 0; p < shown["pages"].size(); ++p) {
      ++pages;
      const std::string text = shown["pages"][p]["text"];
      if (text.find(expected[source][p]) != std::string::npos) ++numbers_found;
    }
  }
  CHECK(sources.size() == expected.size());
  CHECK(pages == 60);
  CHECK(numbers_found >= 57);  // each page's own number, allowing an OCR slip or three

  const ProcessOutput verify = RunQuire({"--archive", archive, "verify"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);

  const nlohmann::json status = Status(redis);
  CHECK(status["redelivered"].get<int>() >= 1);
  CHECK(status["failed"].get<int>() == 0);
  CHECK(status["queued"].get<int>() == 0);
  CHECK(status["pending"].get<int>() == 0);
  CHECK(status["workers"].size() == 3);
}

TEST_CASE("worker: a page delivered 3 times without an answer fails its document with the reason",
          "[slow]") {
  TempDir dir;
  fs::create_directories(dir.Sub("redis"));
  Redis redis(dir.Sub("redis"));
  const std::string file = dir.Sub("page.png");
  REQUIRE(cv::imwrite(file, TextPage("Invoice 4711 paid")));
  Running running;
  const pid_t ingest =
      running.Start({"--archive", dir.Sub("archive"), "ingest", "--broker", redis.url(), file},
                    {.err_file = dir.Sub("ingest.err"), .out_file = dir.Sub("ingest.out")});
  REQUIRE(WaitFor([&] { return redis.Cli("XLEN quire:jobs").starts_with("1"); }, 30s));
  // Three workers took the job and died with it: one delivery, then two take-overs.
  redis.Cli("XGROUP CREATE quire:jobs quire-workers 0");
  redis.Cli("XREADGROUP GROUP quire-workers dead-1 COUNT 1 STREAMS quire:jobs '>'");
  const std::string pending = redis.Cli("XPENDING quire:jobs quire-workers - + 1");
  const std::string entry = pending.substr(0, pending.find('\n'));
  redis.Cli("XCLAIM quire:jobs quire-workers dead-2 0 " + entry);
  redis.Cli("XCLAIM quire:jobs quire-workers dead-3 0 " + entry);
  REQUIRE(redis.Cli("XPENDING quire:jobs quire-workers - + 1").ends_with("\n3\n"));

  running.Start({"worker", "--broker", redis.url(), "--jobs", "1", "--claim-after", "1"},
                {.err_file = dir.Sub("worker.err")});
  const int code = running.Wait(ingest, 60s);
  const std::string out = Read(dir.Sub("ingest.out"));
  INFO(out << Read(dir.Sub("ingest.err")) << Read(dir.Sub("worker.err")));
  CHECK(code == 1);
  CHECK(out.find("failed") != std::string::npos);
  CHECK(out.find("given to quire workers 3 times and none answered") != std::string::npos);
  const nlohmann::json status = Status(redis);
  CHECK(status["failed"].get<int>() == 1);
  CHECK(status["pending"].get<int>() == 0);
}

TEST_CASE("worker: with the broker gone, watched files stay in INBOX until it is back", "[slow]") {
  TempDir dir;
  fs::create_directories(dir.Sub("redis"));
  fs::create_directories(dir.Sub("inbox"));
  Redis redis(dir.Sub("redis"));
  Running running;
  const std::string archive = dir.Sub("archive");
  const pid_t watch = running.Start({"--archive", archive, "watch", "--broker", redis.url(),
                                     "--settle", "0.2", "--poll", "0.5", dir.Sub("inbox")},
                                    {.err_file = dir.Sub("watch.err")});
  const std::string file = dir.Sub("inbox/letter.png");
  REQUIRE(cv::imwrite(file, TextPage("Dear Sir 2024")));
  // Taken and handed to the broker, with no worker yet; then the broker goes.
  REQUIRE(WaitFor([&] { return redis.Cli("XLEN quire:jobs").starts_with("1"); }, 30s));
  redis.Kill(SIGKILL);
  REQUIRE(WaitFor(
      [&] { return Read(dir.Sub("watch.err")).find("cannot be reached") != std::string::npos; },
      30s));
  CHECK(Read(dir.Sub("watch.err")).find("stay where they are") != std::string::npos);
  std::this_thread::sleep_for(1s);
  CHECK(fs::exists(file));

  redis.Start();
  running.Start({"worker", "--broker", redis.url(), "--jobs", "1"},
                {.err_file = dir.Sub("worker.err")});
  INFO(Read(dir.Sub("watch.err")));
  REQUIRE(WaitFor([&] { return !fs::exists(file); }, 60s));
  running.Kill(watch, SIGTERM);
  const nlohmann::json list = RunQuireJson({"--archive", archive, "list", "--json"});
  CHECK(list["documents"].size() == 1);
}

// The value of `metric` in the server's /metrics, or -1 when it is not there.
double Metric(const std::string& url, const std::string& token, const std::string& metric) {
  httplib::Client client(url);
  httplib::Result res = client.Get("/metrics", {{"Authorization", "Bearer " + token}});
  if (!res || res->status != 200) return -1;
  std::istringstream lines(res->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(metric + " ")) return std::stod(line.substr(metric.size() + 1));
  }
  return -1;
}

TEST_CASE("worker: a frozen worker's job is taken over, and its late second result is dropped",
          "[slow]") {
  TempDir dir;
  fs::create_directories(dir.Sub("redis"));
  fs::create_directories(dir.Sub("inbox"));
  Redis redis(dir.Sub("redis"));
  const std::string archive = dir.Sub("archive");
  REQUIRE(
      RunQuire({"--archive", archive, "user", "add", "ann", "--role", "viewer", "--password-stdin"},
               "password-of-ann")
          .exit_code == 0);
  Running running;
  running.Start({"--archive", archive, "serve", "--listen", "127.0.0.1:0", "--broker", redis.url(),
                 "--watch", dir.Sub("inbox"), "--settle", "0.2", "--poll", "0.5"},
                {.err_file = dir.Sub("serve.err")});
  REQUIRE(WaitFor([&] { return fs::exists(archive + "/serve.json"); }, 30s));
  const std::string url = nlohmann::json::parse(Read(archive + "/serve.json"))["url"];
  httplib::Client client(url);
  httplib::Result login = client.Post(
      "/api/login", R"({"user":"ann","password":"password-of-ann"})", "application/json");
  REQUIRE(login);
  const std::string token = nlohmann::json::parse(login->body)["token"];

  const std::vector<std::string> worker = {"worker", "--broker",      redis.url(), "--jobs",
                                           "1",      "--claim-after", "2"};
  const pid_t frozen = running.Start(worker, {.err_file = dir.Sub("frozen.err")});
  const std::string file = dir.Sub("inbox/order.png");
  REQUIRE(cv::imwrite(file, LongerPage("Order 8812 first")));
  REQUIRE(WaitFor([&] { return HasJob(redis, frozen); }, 30s));
  kill(frozen, SIGSTOP);  // holds its job, answers nothing, renews nothing
  REQUIRE(HasJob(redis, frozen));
  running.Start(worker, {.err_file = dir.Sub("other.err")});
  const bool committed = WaitFor([&] { return !fs::exists(file); }, 60s);
  INFO(Read(dir.Sub("serve.err")) << Read(dir.Sub("other.err")) << Read(dir.Sub("frozen.err")));
  REQUIRE(committed);     // from the other's result
  kill(frozen, SIGCONT);  // finishes its reading and answers too
  CHECK(WaitFor([&] { return Metric(url, token, "quire_broker_duplicate_results") == 1; }, 30s));
  CHECK(Metric(url, token, "quire_broker_redelivered") >= 1);
  CHECK(Metric(url, token, "quire_broker_jobs_pending") == 0);
  const nlohmann::json list = RunQuireJson({"--archive", archive, "list", "--json"});
  CHECK(list["documents"].size() == 1);
}

TEST_CASE("worker: a broker that cannot be reached stops ingest at once, saying what to do") {
  TempDir dir;
  const std::string file = dir.Sub("page.png");
  REQUIRE(cv::imwrite(file, TextPage("Invoice 1 paid")));
  const std::string url = "redis://127.0.0.1:" + std::to_string(FreePort());
  const ProcessOutput p =
      RunQuire({"--archive", dir.Sub("archive"), "ingest", "--broker", url, file});
  CHECK(p.exit_code == 3);
  CHECK(p.err.find("the broker at " + url + " cannot be reached") != std::string::npos);
  CHECK(p.err.find("start redis-server there, or check --broker") != std::string::npos);
  CHECK(fs::exists(file));
  CHECK_FALSE(fs::exists(dir.Sub("archive")));

  const ProcessOutput bad = RunQuire({"worker", "--status", "--broker", "http://x:1"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("give redis://HOST:PORT") != std::string::npos);
}

}  // namespace
}  // namespace quire::testing
