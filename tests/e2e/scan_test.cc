// `quire scan` without hardware: SANE's test backend (an ADF of 10 pages, errors on demand) and
// its pnm backend (a file served as a scanned page), in a SANE configuration made by the test.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "quire_process.h"
#include "temp_dir.h"

namespace quire::testing {
namespace {

// SANE_CONFIG_DIR for the test: the test and pnm backends, `test_conf` for the test backend.
void ConfigureSane(const TempDir& dir, const std::string& test_conf) {
  std::ofstream(dir.Sub("dll.conf")) << "test\npnm\n";
  std::ofstream(dir.Sub("test.conf")) << "number_of_devices 1\n" << test_conf;
  setenv("SANE_CONFIG_DIR", dir.path().c_str(), 1);
}

TEST_CASE("quire scan stores the test backend's ADF batch as documents", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n");
  const ProcessOutput list = RunQuire({"scan", "--list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.find("test:0") != std::string::npos);
  CHECK(list.out.find("--source Flatbed|Automatic Document Feeder") != std::string::npos);

  const ProcessOutput out = RunQuire({"--archive", dir.Sub("archive"), "scan", "--device",
                                      "test:0", "--source", "ADF", "--resolution", "100",
                                      "--separate", "pages:2"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 0);
  CHECK(out.err.find("10 pages scanned, 5 documents stored") != std::string::npos);
  const nlohmann::json listed = RunQuireJson({"--archive", dir.Sub("archive"), "--json", "list"});
  REQUIRE(listed["documents"].size() == 5);
  for (const nlohmann::json& doc : listed["documents"]) {
    CHECK(doc["pages"] == 2);
    CHECK(doc["source"].get<std::string>().starts_with("scan test:0 "));
  }

  const nlohmann::json json = RunQuireJson({"--archive", dir.Sub("archive2"), "--json", "scan",
                                            "--device", "test:0", "--source", "ADF",
                                            "--resolution", "100", "--separate", "pages:4"});
  CHECK(json["pages_scanned"] == 10);
  CHECK(json["stopped"].is_null());
  REQUIRE(json["results"].size() == 3);
  CHECK(json["results"][2]["file_pages"] == "9-10");
  CHECK(json["results"][2]["status"] == "stored");
  CHECK(json["results"][2]["pages"] == 2);
}

TEST_CASE("a jammed scan says what happened and what to do", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "read-status-code \"SANE_STATUS_JAMMED\"\n");
  const ProcessOutput out = RunQuire({"--archive", dir.Sub("archive"), "scan", "--device",
                                      "test:0", "--source", "ADF", "--resolution", "100"});
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("the paper jammed: clear the jam") != std::string::npos);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("a scan cancelled in the middle keeps its pages, for a person to check", "[scan]") {
  TempDir dir;
  // About a second a page, like a feeder, so that the cancel comes between pages.
  ConfigureSane(dir, "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n"
                     "read-delay true\nread-delay-duration 100000\n");
  const std::string err = dir.Sub("err.txt");
  const pid_t pid = StartQuire({"--archive", dir.Sub("archive"), "scan", "--device", "test:0",
                                "--source", "ADF", "--resolution", "100"},
                               {.err_file = err});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (ReadAll(err).find("scanned    page 3") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGINT);  // Ctrl-C at the station
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string said = ReadAll(err);
  INFO(said);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(said.find("the scan was cancelled after ") != std::string::npos);
  const nlohmann::json listed = RunQuireJson({"--archive", dir.Sub("archive"), "--json", "list"});
  REQUIRE(listed["documents"].size() == 1);
  const int pages = listed["documents"][0]["pages"];
  CHECK(pages >= 3);
  CHECK(pages < 10);
  CHECK(said.find(std::to_string(pages) + " pages scanned, 1 documents stored") != std::string::npos);
  const nlohmann::json review = RunQuireJson({"--archive", dir.Sub("archive"), "--json", "review"});
  REQUIRE(review["documents"].size() == 1);
  CHECK(review["documents"][0]["review_reasons"].dump().find("the scan stopped after this "
                                                             "document's last page") !=
        std::string::npos);
}

TEST_CASE("beside a running quire serve, the scanned documents go to the server", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n");
  const std::string archive = dir.Sub("archive");
  const pid_t server = StartQuire({"--archive", archive, "serve", "--listen", "127.0.0.1:0"},
                                  {.err_file = dir.Sub("serve.log")});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ReadAll(archive + "/serve.json").find(std::to_string(server)) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const ProcessOutput out = RunQuire({"--archive", archive, "scan", "--device", "test:0",
                                      "--source", "ADF", "--resolution", "100", "--separate",
                                      "pages:5"});
  INFO(out.out << out.err << ReadAll(dir.Sub("serve.log")));
  CHECK(out.exit_code == 0);
  CHECK(out.out.find("uploaded   scan pages 1-5") != std::string::npos);
  CHECK(out.out.find("stored     scan pages 6-10 -> ") != std::string::npos);
  kill(server, SIGTERM);
  int status = 0;
  waitpid(server, &status, 0);
  CHECK(WEXITSTATUS(status) == 0);
  const nlohmann::json listed = RunQuireJson({"--archive", archive, "--json", "list"});
  REQUIRE(listed["documents"].size() == 2);
  for (const nlohmann::json& doc : listed["documents"]) CHECK(doc["pages"] == 5);
}

TEST_CASE("a device that is not there is named with where to look", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "");
  const ProcessOutput out = RunQuire({"--archive", dir.Sub("archive"), "scan", "--device", "nope:7"});
  CHECK(out.exit_code == 4);
  CHECK(out.err.find("quire scan --list") != std::string::npos);
}

TEST_CASE("a page scanned through the pnm backend reads as quire ocr reads its file",
          "[scan][slow]") {
  TempDir dir;
  ConfigureSane(dir, "");
  // The pnm backend serves /tmp/input.ppm unless told otherwise.
  const cv::Mat page = cv::imread(SampleDoc("invoice-en-01.png"), cv::IMREAD_GRAYSCALE);
  std::vector<uchar> pgm;  // a grey PNM; the backend reads it whatever the name says
  REQUIRE(cv::imencode(".pgm", page, pgm));
  std::ofstream("/tmp/input.ppm", std::ios::binary)
      .write(reinterpret_cast<const char*>(pgm.data()), static_cast<std::streamsize>(pgm.size()));
  const ProcessOutput out = RunQuire({"--archive", dir.Sub("archive"), "scan", "--device", "pnm:0",
                                      "--resolution", "300"});
  std::filesystem::remove("/tmp/input.ppm");
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  const ProcessOutput scanned =
      RunQuire({"--archive", dir.Sub("archive"), "export", "1", "--format", "text"});
  const ProcessOutput file = RunQuire({"ocr", SampleDoc("invoice-en-01.png")});
  CHECK(scanned.out == file.out);
  CHECK(scanned.out.find("INV-2024-0387") != std::string::npos);
}

}  // namespace
}  // namespace quire::testing
