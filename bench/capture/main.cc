// bench_capture: quire's capture against plain Tesseract and OCRmyPDF, on the same pages in one
// run. For each engine it prints pages per second, peak memory and the error rates against the
// ground truth, and the speed ratio to quire (see bench/README.md).
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "quire/capture/evaluate.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using quire::capture::ScoreText;
using quire::capture::TextScore;

struct Page {
  std::string image;
  std::string truth_text;
};

struct EngineRun {
  std::string name;
  double seconds = 0;
  double cpu_seconds = 0;  // user + system time of its processes (and theirs), whatever the load
  long peak_rss_kb = 0;    // the largest resident set of any one process of the engine
  TextScore score;
  int failures = 0;
  std::string note;
};

struct ChildResult {
  int exit_code = -1;
  long max_rss_kb = 0;
  double cpu_seconds = 0;  // the child's and its waited-for descendants' (Linux wait4)
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs argv with `extra_env` added, stdout to `out` (or /dev/null), and waits for it; the
// child's peak memory comes from wait4's rusage.
ChildResult RunChild(const std::vector<std::string>& argv,
                     const std::vector<std::string>& extra_env, const std::string& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.empty() ? "/dev/null" : out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  for (const std::string& e : extra_env) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  pid_t pid = 0;
  ChildResult result;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data()) == 0) {
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.max_rss_kb = usage.ru_maxrss;
    result.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  posix_spawn_file_actions_destroy(&actions);
  return result;
}

// Runs fn(i) for every page, `jobs` at a time, and times the whole.
template <typename Fn>
double TimeInParallel(size_t n, int jobs, Fn fn) {
  const auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < jobs; ++t) {
      threads.emplace_back([&] {
        for (size_t i = next++; i < n; i = next++) fn(i);
      });
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

using Command = std::function<std::vector<std::string>(const std::string& out_base)>;

// One process per page, `jobs` at a time; `command(page, out_base)` gives the argv, and the
// recognised text is read from `text_file(out_base)`, after `to_text(out_base)` (untimed, when
// given) has made it: pdftotext on a searchable PDF.
EngineRun RunPerPage(
    const std::string& name, const std::vector<Page>& pages, int jobs,
    const std::vector<std::string>& env, const fs::path& work, bool fold,
    const std::function<std::vector<std::string>(const Page&, const std::string&)>& command,
    const std::function<std::string(const std::string&)>& text_file, const Command& to_text = {}) {
  EngineRun run;
  run.name = name;
  std::vector<std::string> texts(pages.size());
  std::vector<ChildResult> results(pages.size());
  auto base_of = [&](size_t i) {
    return (work / (name.substr(0, 8) + std::to_string(i))).string();
  };
  run.seconds = TimeInParallel(pages.size(), jobs, [&](size_t i) {
    results[i] = RunChild(command(pages[i], base_of(i)), env, "");
  });
  for (size_t i = 0; i < pages.size(); ++i) {
    if (to_text) RunChild(to_text(base_of(i)), {}, "");
    texts[i] = Slurp(text_file(base_of(i)));
  }
  for (size_t i = 0; i < pages.size(); ++i) {
    if (results[i].exit_code != 0) ++run.failures;
    run.cpu_seconds += results[i].cpu_seconds;
    run.peak_rss_kb = std::max(run.peak_rss_kb, results[i].max_rss_kb);
    run.score += ScoreText(pages[i].truth_text, texts[i], fold);
  }
  return run;
}

EngineRun RunQuire(const std::string& quire, const std::vector<Page>& pages, int jobs,
                   const fs::path& work, bool fold) {
  EngineRun run;
  run.name = "quire ingest --jobs " + std::to_string(jobs);
  const std::string archive = (work / "quire-archive").string();
  std::vector<std::string> argv = {quire,    "--archive",         archive, "ingest", "--json",
                                   "--jobs", std::to_string(jobs)};
  for (const Page& p : pages) argv.push_back(p.image);
  const std::string results_file = (work / "ingest.json").string();
  const auto start = std::chrono::steady_clock::now();
  const ChildResult ingest = RunChild(argv, {}, results_file);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kb = ingest.max_rss_kb;
  run.cpu_seconds = ingest.cpu_seconds;
  run.note = "one process; peak " + std::to_string(ingest.max_rss_kb / 1024 / std::max(jobs, 1)) +
             " MB per worker";
  const nlohmann::json results = nlohmann::json::parse(Slurp(results_file), nullptr, false);
  for (size_t i = 0; i < pages.size(); ++i) {
    const nlohmann::json& r = results.is_discarded() ? nlohmann::json() : results["results"][i];
    if (r.value("status", "") != "stored") {
      ++run.failures;
      run.score += ScoreText(pages[i].truth_text, "", fold);
      continue;
    }
    const std::string text_file = (work / "quire-text").string();
    RunChild({quire, "--archive", archive, "export", std::to_string(r["id"].get<uint64_t>()),
              "--format", "text"},
             {}, text_file);
    run.score += ScoreText(pages[i].truth_text, Slurp(text_file), fold);
  }
  return run;
}

std::vector<Page> LoadPages(const std::string& dir, size_t limit) {
  std::vector<Page> pages;
  std::vector<fs::path> images;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".jpg" || ext == ".jpeg" || ext == ".png") images.push_back(entry.path());
  }
  std::sort(images.begin(), images.end());
  for (const fs::path& image : images) {
    const fs::path truth = image.parent_path() / (image.stem().string() + ".truth.json");
    if (!fs::exists(truth) || pages.size() >= limit) continue;
    const nlohmann::json j = nlohmann::json::parse(Slurp(truth));
    pages.push_back({image.string(), j.value("text", "")});
  }
  return pages;
}

// Searchable PDFs, one process per page as a user makes them, `jobs` at a time: `quire ocr --pdf`
// against `ocrmypdf --output-type pdfa`, each PDF's text read back with pdftotext.
std::vector<EngineRun> RunPdfs(const std::string& quire, const std::vector<Page>& pages, int jobs,
                               const fs::path& work, bool fold) {
  auto pdftotext = [](const std::string& base) {
    return std::vector<std::string>{"pdftotext", base + ".pdf", base + ".txt"};
  };
  auto txt = [](const std::string& base) { return base + ".txt"; };
  std::vector<EngineRun> runs;
  // --image-dpi: scans without a resolution in their header are taken as 300 dpi.
  auto ocrmypdf = [](const Page& p, const std::string& base) {
    return std::vector<std::string>{"ocrmypdf", "--jobs",      "1",          "--rotate-pages",
                                    "--deskew", "--image-dpi", "300",        "--output-type",
                                    "pdfa",     p.image,       base + ".pdf"};
  };
  runs.push_back(RunPerPage("ocrmypdf --output-type pdfa --rotate-pages --deskew", pages, jobs,
                            {"OMP_THREAD_LIMIT=1"}, work, fold, ocrmypdf, txt, pdftotext));
  auto quire_ocr = [&quire](const Page& p, const std::string& base) {
    return std::vector<std::string>{quire, "ocr", "--jobs", "1", p.image, "--pdf", base + ".pdf"};
  };
  runs.push_back(
      RunPerPage("quire ocr --pdf", pages, jobs, {}, work, fold, quire_ocr, txt, pdftotext));
  for (EngineRun& run : runs) {
    run.note = std::to_string(jobs) + " files at once, one page each; text by pdftotext";
  }
  return runs;
}

bool OnPath(const std::string& program) {
  return RunChild({"sh", "-c", "command -v " + program}, {}, "").exit_code == 0;
}

void PrintTable(const std::vector<EngineRun>& runs, size_t pages) {
  const EngineRun& quire = runs.back();
  const double quire_rate = pages / quire.seconds;
  std::printf("\n%-52s %8s %9s %10s %8s %7s %7s %7s %5s\n", "engine", "pages/s", "quire is",
              "cpu s/page", "peak MB", "CER", "WER", "recall", "fail");
  for (const EngineRun& r : runs) {
    const double rate = pages / r.seconds;
    std::printf("%-52s %8.2f %8.2fx %10.2f %8ld %7.3f %7.3f %7.3f %5d\n", r.name.c_str(), rate,
                quire_rate / rate, r.cpu_seconds / pages, r.peak_rss_kb / 1024, r.score.Cer(),
                r.score.Wer(), r.score.WordRecall(), r.failures);
    if (!r.note.empty()) std::printf("    %s\n", r.note.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_capture: quire's capture against tesseract and ocrmypdf on the same pages"};
  std::string dir = std::string(QUIRE_SOURCE_DIR) + "/../shared/data/sroie-dev";
  std::string quire = QUIRE_BINARY;
  int jobs = static_cast<int>(std::thread::hardware_concurrency());
  size_t limit = 1000000;
  bool fold = false;
  app.add_option("DIR", dir, "images (.jpg/.png) with NAME.truth.json beside them")
      ->capture_default_str();
  app.add_option("--jobs", jobs, "cores to use")->capture_default_str();
  app.add_option("--limit", limit, "at most this many pages");
  app.add_flag("--fold", fold, "compare case-insensitively (SROIE's truth is upper case)");
  app.add_option("--quire", quire, "the quire program to measure")->capture_default_str();
  bool pdf = false;
  app.add_flag("--pdf", pdf,
               "searchable PDFs instead: quire ocr --pdf against ocrmypdf --output-type pdfa");
  CLI11_PARSE(app, argc, argv);

  const std::vector<Page> pages = LoadPages(dir, limit);
  if (pages.empty()) {
    std::fprintf(stderr, "bench_capture: no image with a NAME.truth.json in %s\n", dir.c_str());
    return 1;
  }
  const fs::path work =
      fs::temp_directory_path() / ("quire-bench-capture-" + std::to_string(getpid()));
  fs::create_directories(work);
  std::printf("%zu pages from %s, %d cores\n", pages.size(), dir.c_str(), jobs);

  if (pdf) {
    if (!OnPath("ocrmypdf") || !OnPath("pdftotext")) {
      std::fprintf(stderr,
                   "bench_capture: --pdf needs ocrmypdf and pdftotext "
                   "(scripts/install-deps.sh bench)\n");
      return 1;
    }
    PrintTable(RunPdfs(quire, pages, jobs, work, fold), pages.size());
    fs::remove_all(work);
    return 0;
  }
  auto tesseract = [](const Page& p, const std::string& base) {
    return std::vector<std::string>{"tesseract", p.image, base};
  };
  auto txt = [](const std::string& base) { return base + ".txt"; };
  std::vector<EngineRun> runs;
  runs.push_back(RunPerPage("tesseract, one process per page (as a user calls it)", pages, 1, {},
                            work, fold, tesseract, txt));
  runs.push_back(RunPerPage("tesseract, OMP_THREAD_LIMIT=1, " + std::to_string(jobs) + " at once",
                            pages, jobs, {"OMP_THREAD_LIMIT=1"}, work, fold, tesseract, txt));
  if (OnPath("ocrmypdf")) {
    // --image-dpi: scans without a resolution in their header are taken as 300 dpi.
    auto ocrmypdf = [jobs](const Page& p, const std::string& base) {
      return std::vector<std::string>{"ocrmypdf",       "--jobs",        std::to_string(jobs),
                                      "--rotate-pages", "--deskew",      "--clean",
                                      "--image-dpi",    "300",           "--sidecar",
                                      base + ".txt",    "--output-type", "pdf",
                                      p.image,          base + ".pdf"};
    };
    runs.push_back(RunPerPage("ocrmypdf --rotate-pages --deskew --clean", pages, 1, {}, work, fold,
                              ocrmypdf, txt));
  } else {
    std::printf("ocrmypdf is not installed (apt-get install ocrmypdf): skipped\n");
  }
  runs.push_back(RunQuire(quire, pages, jobs, work, fold));
  PrintTable(runs, pages.size());
  fs::remove_all(work);
  return 0;
}
