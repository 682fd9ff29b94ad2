// bench_search: builds the same synthetic corpus into a quire archive and an SQLite FTS5 table,
// then runs the same query mix on both and prints indexing throughput, size and query latency
// side by side. See bench/README.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>

#include "corpus.h"
#include "fts5_engine.h"
#include "latencies.h"
#include "search_engine.h"
#include "sizes.h"

namespace quire::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Queries of each kind run before measuring, so both engines start with warm caches.
constexpr int kWarmupPerKind = 5;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The calling thread's CPU time in ms: what a query costs, unlike its wall time, hardly depends on
// what else the machine runs (the engines answer on the calling thread).
double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

int64_t DiskBytes(const fs::path& path) {
  if (fs::is_regular_file(path)) return static_cast<int64_t>(fs::file_size(path));
  int64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) bytes += static_cast<int64_t>(entry.file_size());
  }
  return bytes;
}

struct EngineReport {
  double docs_per_second = 0;
  int64_t bytes = 0;        // everything on disk
  int64_t index_bytes = 0;  // the search index alone (see sizes.h)
  std::map<QueryKind, Latencies> latency;
  std::map<QueryKind, Latencies> cpu;  // the same queries' CPU time
  bool supports(QueryKind kind) const { return latency.contains(kind); }
};

Status Measure(SearchEngine& engine, const std::vector<BenchQuery>& queries, EngineReport& report) {
  std::map<QueryKind, int> seen;
  for (const BenchQuery& query : queries) {
    if (!engine.Supports(query)) continue;
    const Clock::time_point start = Clock::now();
    const double cpu_start = ThreadCpuMs();
    Result<int> results = engine.Run(query);
    const double cpu_ms = ThreadCpuMs() - cpu_start;
    const double ms = Seconds(Clock::now() - start) * 1000;
    if (!results.ok()) return results.status();
    if (seen[query.kind]++ >= kWarmupPerKind) {
      report.latency[query.kind].Add(query.quire, ms);
      report.cpu[query.kind].Add(query.quire, cpu_ms);
    }
  }
  for (auto& [kind, latency] : report.latency) {
    Latencies& cpu = report.cpu[kind];
    std::cerr << "  slowest " << QueryKindName(kind) << ": " << latency.slowest << " ("
              << latency.slowest_ms << " ms); CPU p50 " << cpu.Percentile(0.5) << " p99 "
              << cpu.Percentile(0.99) << " ms, most " << cpu.slowest << " (" << cpu.slowest_ms
              << " ms)\n";
  }
  return Status::Ok();
}

// The bytes of the archive's index columns, logging every column's size to stderr.
Result<int64_t> QuireIndexBytes(const fs::path& archive) {
  Result<std::map<std::string, int64_t>> columns = ArchiveColumnBytes(archive.string());
  if (!columns.ok()) return columns.status();
  int64_t index_bytes = 0;
  std::cerr << "  quire's column families (MB):";
  for (const auto& [name, bytes] : *columns) {
    if (bytes == 0) continue;
    std::cerr << " " << name << " " << static_cast<double>(bytes) / 1e6;
    if (name.starts_with(kIndexColumnPrefix)) index_bytes += bytes;
  }
  std::cerr << "\n";
  return index_bytes;
}

std::string Ratio(double quire, double fts) {
  if (fts <= 0) return "";
  char text[32];
  std::snprintf(text, sizeof(text), "%.2fx", quire / fts);
  return text;
}

void PrintRow(const std::string& what, double quire, double fts, bool has_fts, const char* fmt) {
  char q[32], f[32] = "n/a";
  std::snprintf(q, sizeof(q), fmt, quire);
  if (has_fts) std::snprintf(f, sizeof(f), fmt, fts);
  std::printf("| %-28s | %12s | %12s | %8s |\n", what.c_str(), q, f,
              has_fts ? Ratio(quire, fts).c_str() : "");
}

void PrintTable(uint64_t n, EngineReport& quire, EngineReport& fts) {
  std::printf("\n%llu documents\n\n", static_cast<unsigned long long>(n));
  std::printf("| %-28s | %12s | %12s | %8s |\n", "", "quire", "FTS5", "ratio");
  std::printf("|%s|%s|%s|%s|\n", std::string(30, '-').c_str(), std::string(14, '-').c_str(),
              std::string(14, '-').c_str(), std::string(10, '-').c_str());
  PrintRow("indexing (docs/s)", quire.docs_per_second, fts.docs_per_second, true, "%.0f");
  PrintRow("index size (MB)", quire.index_bytes / 1e6, fts.index_bytes / 1e6, true, "%.1f");
  PrintRow("size with text (MB)", quire.bytes / 1e6, fts.bytes / 1e6, true, "%.1f");
  for (QueryKind kind : kQueryKinds) {
    const bool has_fts = fts.supports(kind);
    for (double p : {0.5, 0.99}) {
      PrintRow(std::string(QueryKindName(kind)) + (p == 0.5 ? " p50 (ms)" : " p99 (ms)"),
               quire.latency[kind].Percentile(p), has_fts ? fts.latency[kind].Percentile(p) : 0,
               has_fts, "%.2f");
    }
  }
  std::fflush(stdout);
}

// Runs quire, then FTS5 unless `engines` is 1. With `reuse`, a quire archive kept by an earlier
// run of the same size is queried without building it again (its indexing column is then 0).
Status RunSize(const CorpusModel& model, uint64_t n, int per_kind, const fs::path& work, bool keep,
               int engines, bool reuse) {
  const fs::path dir = work / std::to_string(n);
  const bool reuse_quire = reuse && fs::exists(dir / "archive");
  if (!reuse_quire) fs::remove_all(dir);
  fs::remove_all(dir / "fts5.db");
  fs::create_directories(dir);
  const std::vector<BenchQuery> queries = model.Queries(n, per_kind + kWarmupPerKind);
  EngineReport reports[2];
  for (int e = 0; e < engines; ++e) {
    const fs::path path = dir / (e == 0 ? "archive" : "fts5.db");
    QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<SearchEngine> engine,
                           e == 0 ? OpenQuire(path.string()) : OpenFts5(path.string()));
    if (e == 0 && reuse_quire) {
      std::cerr << "reusing " << path << "\n";
      QUIRE_RETURN_IF_ERROR(engine->Finish());
    } else {
      std::cerr << "building " << engine->name() << " with " << n << " documents in " << path
                << "\n";
      QUIRE_ASSIGN_OR_RETURN(double docs_per_second, BuildCorpus(model, n, *engine));
      reports[e].docs_per_second = docs_per_second;
    }
    reports[e].bytes = DiskBytes(path);  // FTS5's WAL is empty after Finish's checkpoint
    QUIRE_ASSIGN_OR_RETURN(int64_t index_bytes,
                           e == 0 ? QuireIndexBytes(path) : Fts5IndexBytes(path.string()));
    reports[e].index_bytes = index_bytes;
    std::cerr << "querying " << engine->name() << "\n";
    QUIRE_RETURN_IF_ERROR(Measure(*engine, queries, reports[e]));
  }
  PrintTable(n, reports[0], reports[1]);
  if (!keep) fs::remove_all(dir);
  return Status::Ok();
}

// Runs `query` `times` on the quire archive a --keep run of `n` documents left in `work`, and
// prints each run's CPU time: a profiler's view of one slow query, its caches warm.
Status RepeatQuery(uint64_t n, const fs::path& work, const std::string& query, int times) {
  const fs::path dir = work / std::to_string(n) / "archive";
  if (!fs::exists(dir)) return Status::NotFound("no archive in " + dir.string() + ": run --keep");
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<SearchEngine> engine, OpenQuire(dir.string()));
  QUIRE_RETURN_IF_ERROR(engine->Finish());
  Latencies cpu;
  for (int i = 0; i < times; ++i) {
    const double start = ThreadCpuMs();
    QUIRE_RETURN_IF_ERROR(engine->Run(BenchQuery{QueryKind::kWord, query, "", ""}).status());
    cpu.Add(query, ThreadCpuMs() - start);
  }
  std::printf("%s: CPU p50 %.2f ms, p99 %.2f ms over %d runs\n", query.c_str(), cpu.Percentile(0.5),
              cpu.Percentile(0.99), times);
  return Status::Ok();
}

}  // namespace
}  // namespace quire::bench

int main(int argc, char** argv) {
  using namespace quire::bench;
  CLI::App app{"Compares quire's search with SQLite FTS5 on a synthetic OCR corpus"};
  std::vector<uint64_t> sizes = {10000};
  int per_kind = 50;
  std::string work = "/tmp/quire-bench";
  std::vector<std::string> truth = {QUIRE_SOURCE_DIR "/sample-docs",
                                    QUIRE_SOURCE_DIR "/../shared/data/sroie-dev"};
  bool keep = false;
  bool fts5 = true;
  bool reuse = false;
  std::string repeat_query;
  int repeat = 100;
  app.add_option("--docs", sizes, "corpus sizes to build, e.g. --docs 100000 1000000")
      ->capture_default_str();
  app.add_option("--queries", per_kind, "measured queries of each kind")->capture_default_str();
  app.add_option("--work", work, "folder for the archives and databases")->capture_default_str();
  app.add_option("--truth", truth, "folders of *.truth.json to learn the vocabulary from")
      ->capture_default_str();
  app.add_flag("--keep", keep, "keep the archives and databases after the run");
  app.add_flag("!--no-fts5", fts5, "build and query only quire (to profile it)");
  app.add_flag("--reuse", reuse,
               "query the quire archive a --keep run of the same size left in --work, not "
               "building it again (FTS5 is always built)");
  app.add_option("--repeat-query", repeat_query,
                 "only run this quire query --repeat times on a kept archive of the first --docs "
                 "size, printing its CPU time (to profile it)");
  app.add_option("--repeat", repeat, "runs of --repeat-query")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (!repeat_query.empty()) {
    const quire::Status status = RepeatQuery(sizes.front(), work, repeat_query, repeat);
    if (!status.ok()) std::cerr << "bench_search: " << status.message() << "\n";
    return status.ok() ? 0 : 1;
  }

  quire::Result<CorpusModel> model = CorpusModel::Learn(truth);
  if (!model.ok()) {
    std::cerr << "bench_search: " << model.status().message() << "\n";
    return 1;
  }
  std::cerr << "vocabulary: " << model->vocabulary() << " words from " << model->truth_files()
            << " ground-truth files\n";
  for (uint64_t n : sizes) {
    const quire::Status status = RunSize(*model, n, per_kind, work, keep, fts5 ? 2 : 1, reuse);
    if (!status.ok()) {
      std::cerr << "bench_search: " << status.message() << "\n";
      return 1;
    }
  }
  return 0;
}
