// bench_scan: does reading overlap scanning? `quire scan` on SANE's test backend with its feeder
// full, as a station scans a batch, and how long after the last page is scanned the last
// document is stored, against the time it takes to read one such page (see bench/README.md).
//
// The SANE configuration is made here, as the tests make theirs: the test backend's pages at the
// size, resolution and speed asked for. A page's reading is timed in this process
// (Capturer::ReadImage, as `quire scan` reads each page) on the page `scanimage` gives with the
// same settings; the tail comes from the times `quire scan` says each page is scanned and each
// document stored (stderr and stdout, one line each, flushed as they happen).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "quire/capture/capture.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Settings {
  std::string quire = QUIRE_BINARY;
  int runs = 3;
  int resolution = 300;
  double width_mm = 210;  // A4
  double height_mm = 297;
  std::string picture = "Color pattern";
  int read_delay_us = 1500;  // the backend's pause between blocks of a page: its scanning speed
  std::string separate;
  fs::path work = fs::temp_directory_path() / "bench_scan";
};

// SANE_CONFIG_DIR with the test backend only, giving `settings`' pages.
void ConfigureSane(const Settings& settings, const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "dll.conf") << "test\n";
  std::ofstream conf(dir / "test.conf");
  conf << "number_of_devices 1\n"
       << "geometry_max " << std::max(settings.width_mm, settings.height_mm) << "\n"
       << "test-picture \"" << settings.picture << "\"\n"
       << "br_x " << settings.width_mm << "\nbr_y " << settings.height_mm << "\n";
  if (settings.read_delay_us > 0) {
    conf << "read-delay true\nread-delay-duration " << settings.read_delay_us << "\n";
  }
}

std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// A page as the scanner gives it, from `scanimage --format=pnm` (8-bit grey, P5).
quire::capture::RawPage ScanOnePage(const Settings& settings, const fs::path& sane) {
  const fs::path file = settings.work / "page.pgm";
  const std::string command =
      "SANE_CONFIG_DIR=" + Quote(sane.string()) + " scanimage -d test:0 --mode Gray --resolution " +
      std::to_string(settings.resolution) + " --format=pnm > " + Quote(file.string());
  if (std::system(command.c_str()) != 0) {
    std::cerr << "scanimage failed: install sane-utils\n";
    std::exit(1);
  }
  std::ifstream in(file, std::ios::binary);
  std::string magic;
  quire::capture::RawPage page;
  int max_value = 0;
  in >> magic;
  for (int* field : {&page.width, &page.height, &max_value}) {
    while ((in >> std::ws).peek() == '#') in.ignore(1 << 20, '\n');  // scanimage's comment
    in >> *field;
  }
  in.get();
  page.dpi = settings.resolution;
  page.pixels.resize(static_cast<size_t>(page.width) * page.height);
  in.read(page.pixels.data(), static_cast<std::streamsize>(page.pixels.size()));
  if (magic != "P5" || max_value != 255 || !in) {
    std::cerr << "scanimage gave no 8-bit grey page in " << file << "\n";
    std::exit(1);
  }
  return page;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The median time of reading `page` as quire scan reads it, after one untimed reading.
double ReadingSeconds(const quire::capture::RawPage& page) {
  auto capturer = quire::capture::Capturer::Create({});
  if (!capturer.ok()) {
    std::cerr << capturer.status().message() << "\n";
    std::exit(1);
  }
  (*capturer)->ReadImage(page);
  std::vector<double> times;
  for (int i = 0; i < 5; ++i) {
    const Clock::time_point start = Clock::now();
    (*capturer)->ReadImage(page);
    times.push_back(Seconds(Clock::now() - start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

constexpr int kRunLimitSeconds = 120;

struct ScanRun {
  int pages = 0;
  int documents = 0;
  double scan_seconds_per_page = 0;  // between the first and the last page scanned
  double tail_seconds = 0;           // from the last page scanned to the last document stored
  double load = 0;                   // the machine's 1-minute load average as it started
  bool ok = false;
};

double LoadAverage() {
  double load = 0;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

ScanRun RunScan(const Settings& settings, const fs::path& sane, int run) {
  ScanRun result;
  result.load = LoadAverage();
  const fs::path archive = settings.work / ("archive-" + std::to_string(run));
  fs::remove_all(archive);
  // SANE's test backend cancels its reader thread at the end of each page; that thread was
  // seen stuck in malloc, and the page never came (bench/README.md): such a run is ended and
  // counted apart.
  std::string command = "SANE_CONFIG_DIR=" + Quote(sane.string()) + " timeout -s KILL " +
                        std::to_string(kRunLimitSeconds) + " " + Quote(settings.quire) +
                        " --archive " + Quote(archive.string()) +
                        " scan --device test:0 --source ADF --mode Gray --resolution " +
                        std::to_string(settings.resolution);
  if (!settings.separate.empty()) command += " --separate " + Quote(settings.separate);
  FILE* out = popen((command + " 2>&1").c_str(), "r");
  if (out == nullptr) return result;
  Clock::time_point first_scanned, last_scanned, last_stored;
  char line[4096];
  while (std::fgets(line, sizeof line, out) != nullptr) {
    const Clock::time_point now = Clock::now();
    const std::string text = line;
    if (text.starts_with("scanned ")) {
      if (result.pages++ == 0) first_scanned = now;
      last_scanned = now;
    } else if (text.starts_with("stored ")) {
      ++result.documents;
      last_stored = now;
    } else if (text.starts_with("failed ") || text.starts_with("quire:")) {
      std::cerr << text;
    }
  }
  result.ok = pclose(out) == 0 && result.documents > 0;
  if (result.pages > 1) {
    result.scan_seconds_per_page = Seconds(last_scanned - first_scanned) / (result.pages - 1);
  }
  result.tail_seconds = Seconds(last_stored - last_scanned);
  fs::remove_all(archive);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{
      "quire scan on SANE's test backend: the time from the last page scanned to the "
      "last document stored, against the time of reading a page"};
  app.add_option("--quire", settings.quire, "the quire program")->capture_default_str();
  app.add_option("--runs", settings.runs, "scans of a full feeder")->capture_default_str();
  app.add_option("--resolution", settings.resolution, "dpi")->capture_default_str();
  app.add_option("--width-mm", settings.width_mm, "page width")->capture_default_str();
  app.add_option("--height-mm", settings.height_mm, "page height")->capture_default_str();
  app.add_option("--picture", settings.picture, "the test backend's test-picture")
      ->capture_default_str();
  app.add_option("--read-delay-us", settings.read_delay_us,
                 "the backend's pause between blocks of a page (0: as fast as it can)")
      ->capture_default_str();
  app.add_option("--separate", settings.separate, "quire scan --separate")->capture_default_str();
  app.add_option("--work", settings.work, "a folder for the SANE configuration and archives")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const fs::path sane = settings.work / "sane";
  ConfigureSane(settings, sane);
  const quire::capture::RawPage page = ScanOnePage(settings, sane);
  const double read = ReadingSeconds(page);
  std::printf("page %dx%d grey at %d dpi (%s); reading it: %.3f s (median of 5)\n", page.width,
              page.height, settings.resolution, settings.picture.c_str(), read);
  std::printf("%4s %5s %5s %12s %8s %10s %8s %6s\n", "run", "pages", "docs", "scan s/page",
              "tail s", "tail/read", "< 2 reads", "load");
  bool all_under = true;
  int failed = 0;
  for (int run = 1; run <= settings.runs; ++run) {
    const ScanRun r = RunScan(settings, sane, run);
    if (!r.ok) {
      std::printf("%4d  quire scan failed or hung (%d pages scanned, %d stored, load %.2f)\n", run,
                  r.pages, r.documents, r.load);
      ++failed;
      continue;
    }
    const bool under = r.tail_seconds < 2 * read;
    all_under = all_under && under;
    std::printf("%4d %5d %5d %12.3f %8.3f %10.2f %8s %6.2f\n", run, r.pages, r.documents,
                r.scan_seconds_per_page, r.tail_seconds, r.tail_seconds / read,
                under ? "yes" : "no", r.load);
  }
  fs::remove_all(settings.work);
  if (failed > 0) return 1;
  return all_under ? 0 : 2;
}
