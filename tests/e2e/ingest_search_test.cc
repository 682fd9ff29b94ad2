// End to end: the built `quire` program on real sample documents, as a user runs it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "quire/common/hash.h"
#include "quire_process.h"
#include "temp_dir.h"

using nlohmann::json;
using quire::testing::ProcessOutput;
using quire::testing::ReadAll;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::SampleDoc;
using quire::testing::TempDir;

namespace {

json Truth(const std::string& doc) {
  const std::string path = SampleDoc(doc.substr(0, doc.rfind('.')) + ".truth.json");
  std::ifstream in(path);
  REQUIRE(in.good());
  return json::parse(in);
}

// The ids of the documents a search returns, best first.
std::vector<uint64_t> SearchIds(const std::string& archive, const std::string& query) {
  std::vector<uint64_t> ids;
  const json found = RunQuireJson({"--archive", archive, "search", "--json", query});
  for (const json& r : found["results"]) {
    ids.push_back(r["id"].get<uint64_t>());
  }
  return ids;
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The documents in the archive; 0 while it cannot be read yet (a writer is creating it).
size_t DocumentCount(const std::string& archive) {
  const ProcessOutput list = RunQuire({"--archive", archive, "list", "--json"});
  return list.exit_code == 0 ? json::parse(list.out)["documents"].size() : 0;
}

// A batch of six sample documents ingested into `archive` one file at a time, so that a batch
// stopped after a commit has the next file half read.
const std::vector<std::string> kBatchDocs = {"invoice-en-01.png", "invoice-de-01.png",
                                             "invoice-fr-01.png", "receipt-01.png",
                                             "invoice-gb-01.png", "form-01.png"};
std::vector<std::string> BatchArgs(const std::string& archive) {
  std::vector<std::string> args = {"--archive", archive, "ingest", "--json", "--jobs", "1"};
  for (const std::string& d : kBatchDocs) args.push_back(SampleDoc(d));
  return args;
}

// Waits (at most two minutes) until a running batch has stored more than `stored` documents.
void WaitForMoreThan(const std::string& archive, size_t stored) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (DocumentCount(archive) <= stored) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Running a stopped batch again stores what is missing and nothing twice.
void CheckRerunFinishes(const std::string& archive, size_t stored) {
  const ProcessOutput rerun = RunQuire(BatchArgs(archive));
  INFO(rerun.err);
  REQUIRE(rerun.exit_code == 0);
  size_t duplicates = 0;
  const json results = json::parse(rerun.out)["results"];
  for (const json& r : results) {
    duplicates += r["status"] == "duplicate";
    CHECK(r["status"] != "failed");
  }
  CHECK(duplicates == stored);
  CHECK(DocumentCount(archive) == kBatchDocs.size());
}

}  // namespace

TEST_CASE("an ingested invoice is stored once and found by a word and by its number", "[slow]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const std::vector<std::string> docs = {"invoice-en-01.png", "invoice-de-01.png"};
  std::vector<std::string> args = {"ingest", "--archive", archive, "--json"};
  for (const std::string& d : docs) args.push_back(SampleDoc(d));
  const json ingested = RunQuireJson(args);
  REQUIRE(ingested["results"].size() == docs.size());

  for (size_t i = 0; i < docs.size(); ++i) {
    INFO(docs[i]);
    const json& result = ingested["results"][i];
    REQUIRE(result["status"] == "stored");
    const uint64_t id = result["id"].get<uint64_t>();
    const json truth = Truth(docs[i]);
    const std::string number = truth["fields"]["invoice_number"];
    CHECK(SearchIds(archive, number).at(0) == id);
    CHECK(SearchIds(archive, "number:" + number) == std::vector<uint64_t>{id});

    const json shown = RunQuireJson({"show", std::to_string(id), "--json", "--archive", archive});
    CHECK(shown["sha256"] == quire::Sha256Hex(ReadBytes(SampleDoc(docs[i]))));
    CHECK(shown["pages"].size() == 1);
    CHECK(shown["pages"][0]["text"].get<std::string>().find(number) != std::string::npos);
    CHECK(shown["fields"]["invoice_number"]["value"] == number);
    CHECK(shown["fields"]["total"]["value"] == truth["fields"]["total"]);
    CHECK(shown["history"][0]["action"] == "ingested");
  }
  // A word of the printed text finds the German invoice.
  CHECK(SearchIds(archive, "rechnung").at(0) == ingested["results"][1]["id"]);

  SECTION("the same file again is a duplicate of the first document, not stored twice") {
    const json again = RunQuireJson({"ingest", "--json", "--archive", archive, SampleDoc(docs[0])});
    CHECK(again["results"][0]["status"] == "duplicate");
    CHECK(again["results"][0]["duplicate_of"] == ingested["results"][0]["id"]);
    CHECK(RunQuireJson({"list", "--json", "--archive", archive})["documents"].size() ==
          docs.size());
  }
}

TEST_CASE("bad input gets a clear message and its documented exit code and never a crash") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  WriteFile(dir.Sub("empty.png"), "");
  WriteFile(dir.Sub("letter.pdf"), "Dear Sir, this is plain text and not a PDF at all.\n");
  std::ifstream jpeg(SampleDoc("receipt-01-photo.jpg"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(jpeg)), {});
  REQUIRE(bytes.size() > 1000);
  WriteFile(dir.Sub("truncated.jpg"), bytes.substr(0, bytes.size() / 3));

  // What `ocr` and `extract` exit with (README, "Exit codes"): 4 for a file that is not there,
  // 1 for one that is there but cannot be read, as `ingest` does for each such file.
  struct BadFile {
    std::string file, reason;
    int exit_code;
  };
  const std::vector<BadFile> cases = {
      {dir.Sub("missing.png"), "no such file", 4},
      {dir.Sub("empty.png"), "empty", 1},
      {dir.Sub("letter.pdf"), "not a PNG, JPEG, TIFF or PDF", 1},
      {dir.Sub("truncated.jpg"), "truncated", 1},
  };
  for (const auto& [file, reason, exit_code] : cases) {
    INFO(file);
    const ProcessOutput ingest = RunQuire({"--archive", archive, "ingest", file});
    CHECK(ingest.exit_code == 1);
    CHECK_THAT(ingest.out + ingest.err, Catch::Contains(reason, Catch::CaseSensitive::No));
    for (const char* command : {"ocr", "extract"}) {
      INFO(command);
      const ProcessOutput read = RunQuire({command, file});
      CHECK(read.exit_code == exit_code);
      CHECK_THAT(read.err, Catch::Contains(reason, Catch::CaseSensitive::No));
      CHECK(read.out.empty());
    }
  }
}

TEST_CASE("a batch killed with SIGKILL leaves every document complete or absent", "[slow]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  size_t stored = 0;
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    const pid_t pid = quire::testing::StartQuire(BatchArgs(archive));
    // Kill once the batch has stored another document (a reader runs beside the writer), at a
    // random moment of the next one's reading.
    WaitForMoreThan(archive, stored);
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 1000));
    REQUIRE(kill(pid, SIGKILL) == 0);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));  // still working when killed

    const ProcessOutput verify = RunQuire({"--archive", archive, "verify"});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
    const json listed = RunQuireJson({"--archive", archive, "list", "--json"});
    CHECK(listed["documents"].size() > stored);
    CHECK(listed["documents"].size() < kBatchDocs.size());  // killed mid-batch
    stored = listed["documents"].size();
    for (const json& d : listed["documents"]) {
      const json shown = RunQuireJson(
          {"--archive", archive, "show", "--json", std::to_string(d["id"].get<uint64_t>())});
      CHECK(shown["pages"].size() == d["pages"].get<size_t>());
      CHECK(shown["pages"].size() >= 1);
      CHECK(shown["sha256"] == quire::Sha256Hex(ReadBytes(shown["source"])));
    }
  }
  CheckRerunFinishes(archive, stored);
}

TEST_CASE("Ctrl-C stops a batch after the documents in hand with its summary and exit 130",
          "[slow]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const std::string out = dir.Sub("out.json");
  const std::string err = dir.Sub("err.txt");
  const pid_t pid =
      quire::testing::StartQuire(BatchArgs(archive), {.err_file = err, .out_file = out});
  WaitForMoreThan(archive, 0);
  REQUIRE(kill(pid, SIGINT) == 0);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string said = ReadAll(err);
  INFO(said);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);

  // What was done is printed and stored whole; the rest is named, not lost.
  const json results = json::parse(ReadAll(out))["results"];
  const size_t stored = DocumentCount(archive);
  CHECK(results.size() == stored);
  CHECK(stored < kBatchDocs.size());
  for (const json& r : results) CHECK(r["status"] == "stored");
  CHECK(said.find(std::to_string(stored) + " stored, 0 duplicates, 0 failed") != std::string::npos);
  CHECK(said.find("stopped with " + std::to_string(kBatchDocs.size() - stored) + " of " +
                  std::to_string(kBatchDocs.size()) + " files not done") != std::string::npos);
  CHECK(RunQuire({"--archive", archive, "verify"}).exit_code == 0);
  CheckRerunFinishes(archive, stored);
}

TEST_CASE("the archive comes from --archive before or after the command, else $QUIRE_ARCHIVE") {
  TempDir dir;
  const ProcessOutput none = RunQuire({"--archive", dir.Sub("nothing"), "list"});
  CHECK(none.exit_code == 4);
  CHECK_THAT(none.err, Catch::Contains("no archive at"));
  setenv("QUIRE_ARCHIVE", dir.Sub("from-env").c_str(), 1);
  const ProcessOutput env = RunQuire({"list"});
  unsetenv("QUIRE_ARCHIVE");
  CHECK(env.exit_code == 4);
  CHECK_THAT(env.err, Catch::Contains(dir.Sub("from-env")));
  const ProcessOutput usage = RunQuire({"search"});
  CHECK(usage.exit_code == 2);
}

TEST_CASE("an operator's correction is kept with who made it, and export gives the original back") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const std::string file = SampleDoc("invoice-gb-01.png");
  const json ingested = RunQuireJson({"--archive", archive, "ingest", "--json", file});
  const std::string id = std::to_string(ingested["results"][0]["id"].get<uint64_t>());

  const ProcessOutput corrected =
      RunQuire({"--archive", archive, "correct", id, "po_number", "PO-1234", "--by", "Ann"});
  INFO(corrected.err);
  REQUIRE(corrected.exit_code == 0);
  const json shown = RunQuireJson({"--archive", archive, "show", "--json", id});
  CHECK(shown["fields"]["po_number"]["value"] == "PO-1234");
  CHECK(shown["history"].back()["action"] == "corrected");
  CHECK(shown["history"].back()["by"] == "Ann");
  CHECK(RunQuireJson({"--archive", archive, "search", "--json", "po:PO-1234"})["results"].size() ==
        1);

  const ProcessOutput exported = RunQuire(
      {"--archive", archive, "export", id, "--format", "original", "--out", dir.Sub("copy.png")});
  REQUIRE(exported.exit_code == 0);
  std::ifstream a(file, std::ios::binary), b(dir.Sub("copy.png"), std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(a), {}) ==
        std::string(std::istreambuf_iterator<char>(b), {}));
  CHECK(RunQuireJson({"--archive", archive, "show", "--json", id})["history"].back()["action"] ==
        "exported");
  CHECK(RunQuire({"--archive", archive, "show", "999"}).exit_code == 4);
}
