// bench_workers: reading through `quire worker` processes and a Redis broker against a local
// `quire ingest --jobs 2`, on the same pages in one run: pages per second, the CPU each part
// spends per page, the broker's added CPU and latency per page, and from those how many worker
// cores one archive writer can feed (see bench/README.md).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string quire_binary = QUIRE_BINARY;

pid_t Spawn(const std::vector<std::string>& argv, const std::string& err = "/dev/null") {
  fflush(stdout);  // else the child would inherit, and print again, what is buffered
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int out_fd = open("/dev/null", O_WRONLY);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(127);
}

// Seconds of CPU (user + system) a running process has used, from /proc/PID/stat.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
    if (i == 15) break;
  }
  return ticks / sysconf(_SC_CLK_TCK);
}

struct Finished {
  int code = -1;
  double seconds = 0;
  double cpu = 0;
};

Finished Wait(pid_t pid, Clock::time_point start) {
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Finished f;
  f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  f.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  f.cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
          usage.ru_stime.tv_usec / 1e6;
  return f;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string Run(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    pclose(pipe);
  }
  return out;
}

struct Measured {
  std::string name;
  int pages = 0;
  double seconds = 0;
  double archive_cpu = 0;  // the ingest process
  double broker_cpu = 0;   // redis-server
  double worker_cpu = 0;   // every worker process
  double overhead_ms = 0;  // per page beyond its reading, as the archive side measured it
  bool ok = false;
  double pages_per_second() const { return pages / seconds; }
};

class Bench {
 public:
  Bench(const fs::path& work, int port) : work_(work), port_(port) {}

  void StartRedis() {
    redis_ = Spawn({"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
                    work_.string(), "--appendonly", "yes", "--save", "", "--logfile", "redis.log"});
    for (int i = 0; i < 100 && Run(RedisCli("PING")).rfind("PONG", 0) != 0; ++i) {
      std::this_thread::sleep_for(100ms);
    }
  }
  void StopRedis() {
    kill(redis_, SIGTERM);
    waitpid(redis_, nullptr, 0);
  }

  Measured Local(const std::string& name, const std::vector<std::string>& files, int jobs) {
    Measured m{name, static_cast<int>(files.size())};
    const Finished f = Ingest(files, {"--jobs", std::to_string(jobs)});
    m.seconds = f.seconds;
    m.archive_cpu = f.cpu;
    m.ok = f.code == 0;
    return m;
  }

  // `workers` processes of `jobs` pages each, started and ready before the clock starts.
  Measured Remote(const std::string& name, const std::vector<std::string>& files, int workers,
                  int jobs, int documents) {
    Measured m{name, static_cast<int>(files.size())};
    std::vector<pid_t> pids;
    for (int i = 0; i < workers; ++i) {
      pids.push_back(
          Spawn({quire_binary, "worker", "--broker", url(), "--jobs", std::to_string(jobs)}));
    }
    while (Run(quire_binary + " worker --status --json --broker " + url())
               .find(std::to_string(pids.back())) == std::string::npos) {
      std::this_thread::sleep_for(200ms);
    }
    const double redis_before = CpuSeconds(redis_);
    const Finished f = Ingest(files, {"--broker", url(), "--jobs", std::to_string(documents)});
    m.broker_cpu = CpuSeconds(redis_) - redis_before;
    // From their start: a local ingest's CPU includes making its Tesseract engines too.
    for (pid_t pid : pids) m.worker_cpu += CpuSeconds(pid);
    for (pid_t pid : pids) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    m.seconds = f.seconds;
    m.archive_cpu = f.cpu;
    m.ok = f.code == 0;
    m.overhead_ms = Overhead();
    return m;
  }

  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

 private:
  // From the summary of the last `ingest --broker`: "... N pages, X ms each beyond its reading".
  double Overhead() const {
    std::ifstream in(work_ / "ingest.err");
    for (std::string line; std::getline(in, line);) {
      const size_t pages = line.find(" pages, ");
      if (line.starts_with("through the broker: ") && pages != std::string::npos) {
        return std::atof(line.c_str() + pages + 8);
      }
    }
    return -1;
  }

  std::string RedisCli(const std::string& args) const {
    return "redis-cli -p " + std::to_string(port_) + " " + args + " 2>/dev/null";
  }

  Finished Ingest(const std::vector<std::string>& files, const std::vector<std::string>& options) {
    const fs::path archive = work_ / ("archive-" + std::to_string(++runs_));
    std::vector<std::string> argv = {quire_binary, "--archive", archive.string(), "ingest"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.insert(argv.end(), files.begin(), files.end());
    const Clock::time_point start = Clock::now();
    const pid_t pid = Spawn(argv, (work_ / "ingest.err").string());
    const Finished f = Wait(pid, start);
    fs::remove_all(archive);
    return f;
  }

  const fs::path work_;
  const int port_;
  pid_t redis_ = -1;
  int runs_ = 0;
};

// Small pages with a line of text: read in a few milliseconds, so that what they cost through
// the broker beyond a local read is the broker's latency.
std::vector<std::string> TinyPages(const fs::path& dir, int count) {
  std::vector<std::string> files;
  for (int i = 0; i < count; ++i) {
    cv::Mat image(80, 420, CV_8UC1, cv::Scalar(255));
    cv::putText(image, "Receipt " + std::to_string(4000 + i), {15, 52}, cv::FONT_HERSHEY_SIMPLEX,
                1.0, cv::Scalar(0), 2);
    files.push_back((dir / ("tiny-" + std::to_string(i) + ".png")).string());
    cv::imwrite(files.back(), image);
  }
  return files;
}

void Print(const std::vector<Measured>& runs, const Measured& local) {
  printf("%-34s %6s %8s %8s %9s %9s %9s %7s\n", "run", "pages", "seconds", "pages/s", "archive",
         "redis", "workers", "vs local");
  printf("%-34s %6s %8s %8s %9s %9s %9s %7s\n", "", "", "", "", "CPU ms/p", "CPU ms/p", "CPU ms/p",
         "");
  for (const Measured& m : runs) {
    printf("%-34s %6d %8.1f %8.2f %9.1f %9.2f %9.1f %7.2f%s\n", m.name.c_str(), m.pages, m.seconds,
           m.pages_per_second(), 1000 * m.archive_cpu / m.pages, 1000 * m.broker_cpu / m.pages,
           1000 * m.worker_cpu / m.pages, m.pages_per_second() / local.pages_per_second(),
           m.ok ? "" : "  (FAILED)");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_workers: quire worker processes through Redis against local ingest"};
  std::string dir = std::string(QUIRE_SOURCE_DIR) + "/../shared/data/sroie-dev";
  int limit = 40, tiny = 30, repeat = 1;
  std::string work = "/tmp/quire-bench-workers";
  app.add_option("DIR", dir, "folder of page images (.jpg/.png)")->capture_default_str();
  app.add_option("--limit", limit, "pages to read per run")->capture_default_str();
  app.add_option("--tiny", tiny, "small pages for the latency runs")->capture_default_str();
  app.add_option("--repeat", repeat, "times each throughput run is made")->capture_default_str();
  app.add_option("--quire", quire_binary, "the quire program to measure");
  app.add_option("--work", work, "scratch folder (removed at the end)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".jpg" || ext == ".png") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.size() > static_cast<size_t>(limit)) files.resize(limit);
  if (files.empty()) {
    fprintf(stderr, "bench_workers: no .jpg or .png pages in %s\n", dir.c_str());
    return 2;
  }
  fs::remove_all(work);
  fs::create_directories(work);
  Bench bench(work, FreePort());
  bench.StartRedis();

  std::vector<Measured> runs;
  for (int r = 0; r < repeat; ++r) {
    runs.push_back(bench.Local("local ingest --jobs 2", files, 2));
    runs.push_back(bench.Remote("1 worker --jobs 1", files, 1, 1, 16));
    runs.push_back(bench.Remote("2 workers --jobs 1", files, 2, 1, 16));
    runs.push_back(bench.Remote("1 worker --jobs 2", files, 1, 2, 16));
  }
  // Per configuration, the mean of the repeats.
  std::vector<Measured> table;
  for (size_t c = 0; c < 4; ++c) {
    Measured mean = runs[c];
    for (int r = 1; r < repeat; ++r) {
      const Measured& m = runs[r * 4 + c];
      mean.pages += m.pages;
      mean.seconds += m.seconds;
      mean.archive_cpu += m.archive_cpu;
      mean.broker_cpu += m.broker_cpu;
      mean.worker_cpu += m.worker_cpu;
      mean.ok = mean.ok && m.ok;
    }
    table.push_back(mean);
  }
  const Measured& local = table[0];
  printf("%zu pages from %s, %d run(s) each; CPU per page in ms\n\n", files.size(), dir.c_str(),
         repeat);
  Print(table, local);

  // What starting the processes costs (a local ingest makes its Tesseract engines, a worker its
  // own): the same runs on one small page, taken off, leave the CPU per page of steady work.
  const std::vector<std::string> small = TinyPages(work, 2 * tiny);
  const std::vector<std::string> one(small.begin(), small.begin() + 1);
  const std::vector<Measured> startup = {bench.Local("", one, 2), bench.Remote("", one, 1, 1, 16),
                                         bench.Remote("", one, 2, 1, 16),
                                         bench.Remote("", one, 1, 2, 16)};
  std::vector<Measured> steady = table;
  for (size_t c = 0; c < steady.size(); ++c) {
    const double runs_made = static_cast<double>(steady[c].pages) / files.size();
    steady[c].archive_cpu -= runs_made * startup[c].archive_cpu;
    steady[c].broker_cpu -= runs_made * startup[c].broker_cpu;
    steady[c].worker_cpu -= runs_made * startup[c].worker_cpu;
  }
  printf(
      "\nthe same, less the CPU of starting the processes (one small page through each set-up):\n");
  Print(steady, steady[0]);

  // Latency: small pages one at a time, locally and through one worker, `tiny` and twice as
  // many, so that the difference per page leaves out what starting a process costs.
  const std::vector<std::string> half(small.begin(), small.begin() + tiny);
  const Measured tiny_local = bench.Local("small pages, local --jobs 1", half, 1);
  const Measured tiny_remote = bench.Remote("small pages, 1 worker --jobs 1", half, 1, 1, 1);
  const Measured twice_local = bench.Local("twice as many, local", small, 1);
  const Measured twice_remote = bench.Remote("twice as many, 1 worker", small, 1, 1, 1);
  printf("\nsmall pages one at a time (ingest --jobs 1):\n");
  Print({tiny_local, tiny_remote, twice_local, twice_remote}, tiny_local);

  // The broker's added CPU: everything the remote run spent beyond the local one, steadily.
  const Measured& two = steady[2];
  const double reading = steady[0].archive_cpu / steady[0].pages;
  const double added = (two.archive_cpu + two.broker_cpu + two.worker_cpu) / two.pages - reading;
  const double writer = (two.archive_cpu + two.broker_cpu) / two.pages;
  const double latency =
      ((twice_remote.seconds - tiny_remote.seconds) - (twice_local.seconds - tiny_local.seconds)) /
      tiny;
  printf("\nreading a page (local ingest, CPU):          %7.1f ms\n", 1000 * reading);
  printf("added by the broker, per page (CPU, all):    %7.1f ms = %.1f%% of reading\n",
         1000 * added, 100 * added / reading);
  printf("  of which redis-server:                     %7.2f ms = %.2f%% of reading\n",
         1000 * two.broker_cpu / two.pages, 100 * two.broker_cpu / two.pages / reading);
  printf(
      "added latency per page (small pages, 1 at a time): %.1f ms by wall clock, %.1f ms as "
      "the archive side measured it (round trip less the worker's reading)\n",
      1000 * latency, twice_remote.overhead_ms);
  printf(
      "time per page beyond its reading, 2 workers, 16 documents at once: %.1f ms (mostly "
      "waiting in the queue)\n",
      table[2].overhead_ms);
  printf("2 workers vs local ingest --jobs 2:          %7.2fx\n",
         two.pages_per_second() / local.pages_per_second());
  printf(
      "archive side + redis per page (CPU):         %7.1f ms -> one core feeds about %.0f "
      "worker cores\n",
      1000 * writer, reading / writer);
  bench.StopRedis();
  fs::remove_all(work);
  return 0;
}
