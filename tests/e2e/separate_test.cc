// `--separate`: a scanner's 9-page PDF of 3 documents and 2 separator sheets becomes the 3
// documents, each of its own pages, for barcode and for blank separator sheets.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "quire_process.h"
#include "stack_pages.h"
#include "temp_dir.h"

namespace quire::testing {
namespace {

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Documents A (pages 1-3), B (5-6) and C (8-9), with `first` and `second` between them.
std::string Stack(const cv::Mat& first, const cv::Mat& second) {
  return ImagePdf({SamplePage("invoice-en-03.tif", 0), SamplePage("invoice-en-03.tif", 1),
                   SamplePage("letter-01.png"), first, SamplePage("invoice-de-01.png"),
                   SamplePage("receipt-01.png"), second, SamplePage("form-01.png"),
                   SamplePage("invoice-gb-01.png")});
}

// The words that show each document's pages were read into it, and no other's.
const std::vector<std::vector<std::string>> kDocumentWords = {
    {"Cascade", "Harrington"}, {"Haustechnik", "MARKET"}, {"Mutual", "Pennine"}};

// Ingests `stack` with `separate` and checks the three documents and their pages.
void CheckSeparated(const std::string& stack, const std::vector<std::string>& separate) {
  TempDir dir;
  const std::string file = dir.Sub("stack.pdf");
  Write(file, stack);
  std::vector<std::string> args = {"--archive", dir.Sub("archive"), "--json",
                                   "ingest",    "--jobs",           "2"};
  args.insert(args.end(), separate.begin(), separate.end());
  args.push_back(file);
  const nlohmann::json ingested = RunQuireJson(args);
  const nlohmann::json& results = ingested["results"];
  INFO(ingested.dump());
  REQUIRE(results.size() == 3);
  const std::vector<std::string> file_pages = {"1-3", "5-6", "8-9"};
  const std::vector<int> page_counts = {3, 2, 2};
  for (int d = 0; d < 3; ++d) {
    INFO("document " << d + 1 << ": " << results[d].dump());
    CHECK(results[d]["status"] == "stored");
    CHECK(results[d]["file_pages"] == file_pages[d]);
    CHECK(results[d]["pages"] == page_counts[d]);
    const nlohmann::json shown = RunQuireJson({"--archive", dir.Sub("archive"), "--json", "show",
                                               std::to_string(results[d]["id"].get<int>())});
    CHECK(shown["pages"].size() == static_cast<size_t>(page_counts[d]));
    CHECK(shown["source"] == file + " pages " + file_pages[d]);
    std::string text;
    for (const nlohmann::json& page : shown["pages"])
      text += page["text"].get<std::string>() + "\n";
    for (int other = 0; other < 3; ++other) {
      for (const std::string& word : kDocumentWords[other]) {
        INFO("word " << word);
        CHECK((text.find(word) != std::string::npos) == (other == d));
      }
    }
    // The document's original holds its own pages only: the viewer shows them.
    const ProcessOutput original =
        RunQuire({"--archive", dir.Sub("archive"), "export",
                  std::to_string(results[d]["id"].get<int>()), "--format", "original"});
    CHECK(original.exit_code == 0);
    CHECK(original.out.rfind("%PDF-", 0) == 0);
  }

  // The same stack again: each document is recognised, none stored twice.
  const nlohmann::json again = RunQuireJson(args);
  REQUIRE(again["results"].size() == 3);
  for (int d = 0; d < 3; ++d) {
    CHECK(again["results"][d]["status"] == "duplicate");
    CHECK(again["results"][d]["duplicate_of"] == results[d]["id"]);
  }
}

TEST_CASE(
    "ingest --separate barcode: QR and Code 128 separator sheets end documents and are dropped",
    "[separate][slow]") {
  CheckSeparated(Stack(BarcodeSheet("QUIRE-SEP", 58), BarcodeSheet("QUIRE-SEP", 20, 4)),
                 {"--separate", "barcode"});
}

TEST_CASE("ingest --separate barcode --separator-code: a Data Matrix with the site's own text",
          "[separate][slow]") {
  CheckSeparated(Stack(BarcodeSheet("NEXT-DOC", 71), BarcodeSheet("NEXT-DOC", 71)),
                 {"--separate", "barcode", "--separator-code", "NEXT-DOC"});
}

TEST_CASE("ingest --separate barcode: patch code T sheets end documents and are dropped",
          "[separate][slow]") {
  CheckSeparated(Stack(PatchTSheet(), PatchTSheet()), {"--separate", "barcode"});
}

TEST_CASE("ingest --separate blank: blank sheets end documents and are dropped",
          "[separate][slow]") {
  CheckSeparated(Stack(BlankSheet(), BlankSheet()), {"--separate", "blank"});
}

TEST_CASE("ingest --separate is checked before anything is read", "[separate]") {
  TempDir dir;
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--separate", "pages:0"},
                                              {"--separate", "sheets"},
                                              {"--separate", "blank", "--separator-code", "X"},
                                              {"--separator-code", "X"}}) {
    std::vector<std::string> args = {"--archive", dir.Sub("archive"), "ingest"};
    args.insert(args.end(), bad.begin(), bad.end());
    args.push_back(SampleDoc("invoice-en-01.png"));
    const ProcessOutput out = RunQuire(args);
    INFO(out.err);
    CHECK(out.exit_code == 2);
    CHECK(out.err.find("--separate") != std::string::npos);
  }
}

TEST_CASE("quire watch --separate splits a stack dropped into the hot folder", "[separate][slow]") {
  TempDir dir;
  const std::string inbox = dir.Sub("inbox"), archive = dir.Sub("archive");
  std::filesystem::create_directory(inbox);
  const std::string log = dir.Sub("watch.log");
  const pid_t watcher = StartQuire({"watch", inbox, "--archive", archive, "--settle", "0.3",
                                    "--poll", "0.5", "--jobs", "2", "--separate", "pages:2"},
                                   {.err_file = log});
  // Six pages, written beside INBOX and renamed in, as a scanner's "scan to folder" does.
  Write(dir.Sub("stack.pdf"),
        ImagePdf({SamplePage("invoice-en-03.tif", 0), SamplePage("invoice-en-03.tif", 1),
                  SamplePage("invoice-de-01.png"), SamplePage("receipt-01.png"),
                  SamplePage("form-01.png"), SamplePage("invoice-gb-01.png")}));
  std::filesystem::rename(dir.Sub("stack.pdf"), inbox + "/stack.pdf");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (ReadAll(log).find("committed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  kill(watcher, SIGTERM);
  waitpid(watcher, nullptr, 0);
  const std::string said = ReadAll(log);
  INFO(said);
  for (const char* pages : {"pages 1-2 as ", "pages 3-4 as ", "pages 5-6 as "}) {
    CHECK(said.find("document \"stack.pdf\" " + std::string(pages)) != std::string::npos);
  }
  CHECK(!std::filesystem::exists(inbox + "/stack.pdf"));  // it left INBOX once all were stored
  const nlohmann::json listed = RunQuireJson({"--archive", archive, "--json", "list"});
  REQUIRE(listed["documents"].size() == 3);
  for (const nlohmann::json& doc : listed["documents"]) CHECK(doc["pages"] == 2);
}

TEST_CASE("quire serve --watch --separate splits a stack dropped into its hot folder",
          "[separate][slow]") {
  TempDir dir;
  const std::string inbox = dir.Sub("inbox"), archive = dir.Sub("archive");
  std::filesystem::create_directory(inbox);
  const std::string log = dir.Sub("serve.log");
  const pid_t server =
      StartQuire({"--archive", archive, "serve", "--listen", "127.0.0.1:0", "--watch", inbox,
                  "--settle", "0.3", "--poll", "0.5", "--separate", "barcode"},
                 {.err_file = log});
  Write(dir.Sub("stack.pdf"), Stack(PatchTSheet(), BarcodeSheet("QUIRE-SEP", 58)));
  std::filesystem::rename(dir.Sub("stack.pdf"), inbox + "/stack.pdf");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (ReadAll(log).find("committed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  kill(server, SIGTERM);
  int status = 0;
  waitpid(server, &status, 0);
  const std::string said = ReadAll(log);
  INFO(said);
  CHECK(WEXITSTATUS(status) == 0);
  for (const char* pages : {"pages 1-3 as ", "pages 5-6 as ", "pages 8-9 as "}) {
    CHECK(said.find("document \"stack.pdf\" " + std::string(pages)) != std::string::npos);
  }
  const nlohmann::json listed = RunQuireJson({"--archive", archive, "--json", "list"});
  REQUIRE(listed["documents"].size() == 3);
}

TEST_CASE("ingest --separate beside a running quire serve: the server splits the stack",
          "[separate][slow]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive"), file = dir.Sub("stack.pdf");
  const pid_t server = StartServe(archive, dir.Sub("serve.log"));
  Write(file, Stack(BarcodeSheet("NEXT-DOC", 58), PatchTSheet()));
  const std::vector<std::string> args = {"--archive",        archive,      "--json",
                                         "ingest",           "--separate", "barcode",
                                         "--separator-code", "NEXT-DOC",   file};
  const nlohmann::json ingested = RunQuireJson(args);
  INFO(ingested.dump() << ReadAll(dir.Sub("serve.log")));
  const nlohmann::json& results = ingested["results"];
  REQUIRE(results.size() == 3);
  const std::vector<std::string> file_pages = {"1-3", "5-6", "8-9"};
  const std::vector<int> pages = {3, 2, 2};
  for (int d = 0; d < 3; ++d) {
    CHECK(results[d]["status"] == "stored");
    CHECK(results[d]["file_pages"] == file_pages[d]);
    CHECK(results[d]["pages"] == pages[d]);
  }
  const nlohmann::json again = RunQuireJson(args);
  REQUIRE(again["results"].size() == 3);
  CHECK(again["results"][1]["status"] == "duplicate");
  CHECK(again["results"][1]["duplicate_of"] == results[1]["id"]);
  kill(server, SIGTERM);
  int status = 0;
  waitpid(server, &status, 0);
  CHECK(WEXITSTATUS(status) == 0);
  const nlohmann::json shown = RunQuireJson(
      {"--archive", archive, "--json", "show", std::to_string(results[0]["id"].get<int>())});
  CHECK(shown["source"] == file + " pages 1-3");
}

// Writes `page` as a PNG into `dir` as NAME.
std::string WritePng(const TempDir& dir, const std::string& name, const cv::Mat& page) {
  const std::string path = dir.Sub(name);
  REQUIRE(cv::imwrite(path, page));
  return path;
}

// `page` with a label stuck in a margin above its print: the barcode `text` (zint's type).
cv::Mat WithLabel(const cv::Mat& page, const std::string& text, int zint_type) {
  cv::Mat labelled;
  cv::copyMakeBorder(page, labelled, 400, 0, 0, 0, cv::BORDER_CONSTANT, cv::Scalar(255));
  PrintBarcode(labelled, text, zint_type, zint_type == 20 ? 2 : 5, {labelled.cols / 2, 40});
  return labelled;
}

TEST_CASE("barcodes are searchable, and an ASN barcode sets a unique archive serial number",
          "[asn][slow]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const cv::Mat first = WithLabel(SamplePage("invoice-en-01.png"), "ASN00042", 71);  // Data Matrix
  const cv::Mat second = WithLabel(SamplePage("invoice-gb-01.png"), "ASN42", 58);    // the same, QR
  const cv::Mat third = WithLabel(SamplePage("letter-01.png"), "PO-7781", 20);       // Code 128
  const nlohmann::json ingested =
      RunQuireJson({"--archive", archive, "--json", "ingest", WritePng(dir, "1.png", first)});
  const nlohmann::json later =
      RunQuireJson({"--archive", archive, "--json", "ingest", WritePng(dir, "2.png", second),
                    WritePng(dir, "3.png", third)});
  const int first_id = ingested["results"][0]["id"];
  const int second_id = later["results"][0]["id"];
  const int third_id = later["results"][1]["id"];

  auto search = [&](const std::string& query) {
    const nlohmann::json found = RunQuireJson({"--archive", archive, "--json", "search", query});
    std::vector<int> ids;
    for (const nlohmann::json& hit : found["results"]) ids.push_back(hit["id"]);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  CHECK(search("asn:42") == std::vector<int>{first_id, second_id});
  CHECK(search("asn:00042") == std::vector<int>{first_id, second_id});
  CHECK(search("asn:40..50") == std::vector<int>{first_id, second_id});
  CHECK(search("asn:43").empty());
  CHECK(search("barcode:PO-7781") == std::vector<int>{third_id});
  CHECK(search("barcode:7781") == std::vector<int>{third_id});
  CHECK(search("barcode:ASN00042") == std::vector<int>{first_id});

  const nlohmann::json shown =
      RunQuireJson({"--archive", archive, "--json", "show", std::to_string(first_id)});
  CHECK(shown["fields"]["asn"]["value"] == "42");
  CHECK(shown["fields"]["asn"]["valid"] == true);
  CHECK(shown["pages"][0]["barcodes"] == nlohmann::json::array({"ASN00042"}));

  // The second document with number 42 keeps it, marked, and waits for a person.
  const nlohmann::json again =
      RunQuireJson({"--archive", archive, "--json", "show", std::to_string(second_id)});
  CHECK(again["fields"]["asn"]["value"] == "42");
  CHECK(again["fields"]["asn"]["valid"] == false);
  const nlohmann::json review = RunQuireJson({"--archive", archive, "--json", "review"});
  bool second_waits = false;
  for (const nlohmann::json& doc : review["documents"]) {
    if (doc["id"] != second_id) continue;
    for (const nlohmann::json& reason : doc["review_reasons"]) {
      second_waits |=
          reason.get<std::string>().find("archive serial number 42 is already document " +
                                         std::to_string(first_id)) != std::string::npos;
    }
  }
  CHECK(second_waits);
}

}  // namespace
}  // namespace quire::testing
