// `quire scan` without hardware: SANE's test backend (an ADF of 10 pages, errors on demand) and
// its pnm backend (a file served as a scanned page), in a SANE configuration made by the test.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

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
}

TEST_CASE("a jammed scan says what happened and what to do", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "read-status-code \"SANE_STATUS_JAMMED\"\n");
  const ProcessOutput out = RunQuire({"--archive", dir.Sub("archive"), "scan", "--device",
                                      "test:0", "--source", "ADF", "--resolution", "100"});
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("the paper jammed: clear the jam") != std::string::npos);
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
