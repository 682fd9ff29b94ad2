// The command line as README.md documents it, through the built `quire` program: each command's
// output and each exit code (README, "Exit codes"), with the essential words of its messages.
// Archives are damaged on purpose below the API (store/src), as a disk or an old quire would.
#include <rocksdb/db.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "quire/common/hash.h"
#include "quire/store/archive.h"
#include "quire_process.h"
#include "rocks_archive.h"
#include "schema.h"
#include "temp_dir.h"

namespace quire::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using quire::testing::ReadAll;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Ingests sample documents into `archive`; their ids in the order given.
std::vector<uint64_t> Ingest(const std::string& archive, const std::vector<std::string>& docs) {
  std::vector<std::string> args = {"--archive", archive, "ingest", "--json"};
  for (const std::string& d : docs) args.push_back(SampleDoc(d));
  const json ingested = RunQuireJson(args);
  std::vector<uint64_t> ids;
  for (const json& r : ingested["results"]) {
    REQUIRE(r["status"] == "stored");
    ids.push_back(r["id"].get<uint64_t>());
  }
  return ids;
}

// Writes `value` under `key` of `column`, below the archive's API: the damage to inject.
void PutRaw(const std::string& dir, store::Column column, const std::string& key,
            const std::string& value) {
  Result<std::unique_ptr<store::Archive>> archive = store::Archive::Open(dir);
  INFO(archive.status().ToString());
  REQUIRE(archive.ok());
  auto& rocks = dynamic_cast<store::RocksArchive&>(**archive);
  REQUIRE(rocks.db().Put(rocksdb::WriteOptions(), rocks.handle(column), key, value).ok());
}

// An empty archive at `dir`.
void CreateArchive(const std::string& dir) { REQUIRE(store::Archive::Open(dir).ok()); }

// Runs `quire` in `dir` with no $QUIRE_ARCHIVE, as a user in that folder.
ProcessOutput RunQuireIn(const std::string& dir, const std::vector<std::string>& args) {
  const fs::path before = fs::current_path();
  const char* env = std::getenv("QUIRE_ARCHIVE");
  const std::string saved = env != nullptr ? env : "";
  unsetenv("QUIRE_ARCHIVE");
  fs::current_path(dir);
  ProcessOutput out = RunQuire(args);
  fs::current_path(before);
  if (env != nullptr) setenv("QUIRE_ARCHIVE", saved.c_str(), 1);
  return out;
}

}  // namespace

TEST_CASE("exit 3: an archive in use by another quire or damaged or from an older quire") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  CreateArchive(archive);

  SECTION("in use: a second writer is refused and told who holds it; readers still read") {
    Result<std::unique_ptr<store::Archive>> writer = store::Archive::Open(archive);
    REQUIRE(writer.ok());
    const ProcessOutput ingest =
        RunQuire({"--archive", archive, "ingest", SampleDoc("receipt-01.png")});
    CHECK(ingest.exit_code == 3);
    CHECK(Contains(ingest.err,
                   "is in use by another quire process (pid " + std::to_string(getpid()) + ")"));
    CHECK(Contains(ingest.err, "stop it or use --archive"));
    CHECK(RunQuire({"--archive", archive, "list"}).exit_code == 0);
  }
  SECTION("damaged: a lost file") {
    Write(archive + "/CURRENT", "MANIFEST-999999\n");
    for (const char* command : {"list", "verify"}) {
      const ProcessOutput out = RunQuire({"--archive", archive, command});
      INFO(command << ": " << out.err);
      CHECK(out.exit_code == 3);
      CHECK(Contains(out.err, "the archive " + archive + " is damaged"));
      CHECK(Contains(out.err, "restore it from a backup"));
    }
  }
  SECTION("an older schema is refused, and says what to do") {
    PutRaw(archive, store::Column::kMeta, std::string(store::kSchemaVersionKey), "2");
    const ProcessOutput list = RunQuire({"--archive", archive, "list"});
    CHECK(list.exit_code == 3);
    CHECK(Contains(list.err, "was written by an older quire (schema 2)"));
    CHECK(Contains(list.err, "ingest its documents into a new archive"));
    CHECK(RunQuire({"--archive", archive, "ingest", SampleDoc("receipt-01.png")}).exit_code == 3);
  }
}

TEST_CASE("exit 4: no such archive or document or file") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const ProcessOutput none = RunQuire({"--archive", archive, "stats"});
  CHECK(none.exit_code == 4);
  CHECK(Contains(none.err, "no archive at " + archive));
  CHECK(Contains(none.err, "quire ingest FILE"));
  CHECK_FALSE(fs::exists(archive));  // reading never creates one

  CreateArchive(archive);
  for (const std::vector<std::string>& args : {std::vector<std::string>{"show", "7"},
                                               {"export", "7", "--format", "text"},
                                               {"correct", "7", "total", "12.50", "--by", "ann"}}) {
    std::vector<std::string> full = {"--archive", archive};
    full.insert(full.end(), args.begin(), args.end());
    const ProcessOutput out = RunQuire(full);
    INFO(args[0] << ": " << out.err);
    CHECK(out.exit_code == 4);
    CHECK(Contains(out.err, "document 7"));
  }
  const ProcessOutput eval = RunQuire({"eval", "fields", dir.Sub("nowhere")});
  CHECK(eval.exit_code == 4);
  CHECK(Contains(eval.err, "no such folder"));
  fs::create_directory(dir.Sub("no-truth"));
  fs::copy_file(SampleDoc("receipt-01.png"), dir.Sub("no-truth/receipt-01.png"));
  const ProcessOutput untruthful = RunQuire({"eval", "ocr", dir.Sub("no-truth")});
  CHECK(untruthful.exit_code == 4);
  CHECK(Contains(untruthful.err, "no document with a NAME.truth.json beside it"));
}

TEST_CASE("exit 2: a bad command line or query says what to change") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  CreateArchive(archive);
  const ProcessOutput query = RunQuire({"--archive", archive, "search", "total \"amount"});
  CHECK(query.exit_code == 2);
  CHECK(Contains(query.err, "unclosed quote at column 7"));
  const ProcessOutput type = RunQuire({"--archive", archive, "search", "acme type:bill"});
  CHECK(type.exit_code == 2);
  CHECK(Contains(type.err, "unknown document type 'bill' at column 6"));
  const ProcessOutput command = RunQuire({"--archive", archive, "frobnicate"});
  CHECK(command.exit_code == 2);
  CHECK(Contains(command.err, "unknown command 'frobnicate'"));

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"frobnicate"},
        {"search", "acme", "--sort", "size"},
        {"export", "1", "--format", "docx"},
        {"extract", "--date-order", "DDY", "x.png"},
        {"ingest", "--template-dir", dir.Sub("no-templates"), "x.png"},
        {"show"},
        // An output file named as a folder, or in one that does not exist.
        {"ocr", SampleDoc("letter-01-text.pdf"), "--pdf", dir.path()},
        {"ocr", SampleDoc("letter-01-text.pdf"), "--pdf", dir.Sub("missing/letter.pdf")}}) {
    std::vector<std::string> full = {"--archive", archive};
    full.insert(full.end(), args.begin(), args.end());
    const ProcessOutput out = RunQuire(full);
    INFO(args[0] << ": " << out.err);
    CHECK(out.exit_code == 2);
    CHECK_FALSE(out.err.empty());
  }
  const ProcessOutput offset = RunQuire({"--archive", archive, "search", "--offset", "-1", "x"});
  CHECK(offset.exit_code == 2);
  CHECK(Contains(offset.err, "--offset: must be a number of 0 or more, not -1\n"));
  const ProcessOutput backup = RunQuire({"--archive", archive, "backup", dir.path()});
  CHECK(backup.exit_code == 2);
  CHECK(Contains(backup.err, "the backup destination " + dir.path()));
}

TEST_CASE("without --archive or $QUIRE_ARCHIVE the archive is ./quire-archive") {
  TempDir dir;
  const ProcessOutput none = RunQuireIn(dir.path(), {"list"});
  CHECK(none.exit_code == 4);
  CHECK(Contains(none.err, "no archive at quire-archive"));
  // A writing command makes it there, even when its one file fails.
  Write(dir.Sub("empty.png"), "");
  const ProcessOutput ingest = RunQuireIn(dir.path(), {"ingest", "empty.png"});
  CHECK(ingest.exit_code == 1);
  CHECK(fs::exists(dir.Sub("quire-archive/CURRENT")));
  const ProcessOutput list = RunQuireIn(dir.path(), {"list", "--json"});
  CHECK(list.exit_code == 0);
  CHECK(json::parse(list.out)["documents"].empty());
  const ProcessOutput text = RunQuireIn(dir.path(), {"list"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.empty());
  CHECK(text.err == "the archive quire-archive holds no documents\n");
}

TEST_CASE(
    "ingest of a folder: recursive with hidden files and other formats skipped then a summary") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const fs::path scans = dir.Sub("scans");
  fs::create_directories(scans / "march");
  fs::create_directories(scans / ".trash");
  fs::copy_file(SampleDoc("receipt-01.png"), scans / "receipt-01.png");
  fs::copy_file(SampleDoc("receipt-02.png"), scans / "march" / "receipt-02.png");
  fs::copy_file(SampleDoc("receipt-03.png"), scans / ".trash" / "receipt-03.png");
  fs::copy_file(SampleDoc("receipt-04.png"), scans / ".hidden.png");
  Write(scans / "notes.txt", "not a document");
  Write(scans / "march" / "broken.pdf", "plain text, not a PDF");

  const ProcessOutput ingest = RunQuire({"--archive", archive, "ingest", scans.string()});
  INFO(ingest.out << ingest.err);
  CHECK(ingest.exit_code == 1);  // one file failed, the others were stored
  const std::string broken = (scans / "march" / "broken.pdf").string();
  CHECK(Contains(ingest.out, "failed     " + broken + ": not a PNG, JPEG, TIFF or PDF file"));
  CHECK(
      Contains(ingest.out, "stored     " + (scans / "march" / "receipt-02.png").string() + " -> "));
  CHECK(Contains(ingest.out, "stored     " + (scans / "receipt-01.png").string() + " -> "));
  CHECK(Contains(ingest.out, "(receipt, 1 page"));
  CHECK_FALSE(Contains(ingest.out, "receipt-03"));
  CHECK_FALSE(Contains(ingest.out, "hidden"));
  CHECK_FALSE(Contains(ingest.out, "notes.txt"));
  CHECK(Contains(ingest.err, "2 stored, 0 duplicates, 1 failed; 2 pages in "));

  // Again: each stored file is a duplicate of its document; all were processed, so exit 1 again
  // only for the broken one.
  const ProcessOutput again = RunQuire({"--archive", archive, "ingest", scans.string()});
  CHECK(again.exit_code == 1);
  CHECK(Contains(again.out, "duplicate  " + (scans / "receipt-01.png").string() + " = document "));
  CHECK(Contains(again.err, "0 stored, 2 duplicates, 1 failed"));

  fs::remove(scans / "march" / "broken.pdf");
  CHECK(RunQuire({"--archive", archive, "ingest", scans.string()}).exit_code == 0);

  fs::create_directories(dir.Sub("only-hidden/.git"));
  fs::copy_file(SampleDoc("receipt-01.png"), dir.Sub("only-hidden/.git/receipt-01.png"));
  const ProcessOutput empty = RunQuire({"--archive", archive, "ingest", dir.Sub("only-hidden")});
  CHECK(empty.exit_code == 4);
  CHECK(Contains(empty.err, "no PNG, JPEG, TIFF or PDF files found"));
}

TEST_CASE("stats and export and backup of an archive and verify exiting 5 on damage") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const std::string file = SampleDoc("receipt-01.png");
  const std::string id = std::to_string(Ingest(archive, {"receipt-01.png"}).at(0));
  const std::string bytes = Read(file);

  const json stats = RunQuireJson({"--archive", archive, "stats", "--json"});
  CHECK(stats["documents"] == 1);
  CHECK(stats["pages"] == 1);
  CHECK(stats["originals"] == 1);
  CHECK(stats["original_bytes"] == bytes.size());
  CHECK(stats["disk_bytes"].get<int64_t>() > 0);
  const ProcessOutput stats_text = RunQuire({"--archive", archive, "stats"});
  CHECK(stats_text.exit_code == 0);
  CHECK(Contains(stats_text.out, "documents       1\n"));
  CHECK(Contains(stats_text.out, "original_bytes  " + std::to_string(bytes.size()) + "\n"));

  // Export to stdout: the text, pages separated by a form feed, and the document as JSON.
  const json shown = RunQuireJson({"--archive", archive, "show", "--json", id});
  const ProcessOutput text = RunQuire({"--archive", archive, "export", id, "--format", "text"});
  CHECK(text.exit_code == 0);
  CHECK(text.out == shown["pages"][0]["text"].get<std::string>() + "\n");
  CHECK(Contains(text.out, "FRESH MARKET"));
  const ProcessOutput as_json = RunQuire({"--archive", archive, "export", id, "--format", "json"});
  CHECK(as_json.exit_code == 0);
  const json exported = json::parse(as_json.out);
  CHECK(exported["sha256"] == Sha256Hex(bytes));
  CHECK(exported["fields"] == shown["fields"]);
  CHECK(exported["pages"][0]["text"] == shown["pages"][0]["text"]);
  const json history = RunQuireJson({"--archive", archive, "show", "--json", id})["history"];
  REQUIRE(history.size() == 3);
  CHECK(history[1]["action"] == "exported");
  CHECK(history[1]["detail"] == "text");
  CHECK(history[2]["detail"] == "json");

  // A backup is a whole archive of its own.
  const std::string copy = dir.Sub("backup");
  const ProcessOutput backup = RunQuire({"--archive", archive, "backup", copy});
  CHECK(backup.exit_code == 0);
  CHECK(Contains(backup.out, "backup written to " + copy + "; check it with: quire --archive " +
                                 copy + " verify"));
  const ProcessOutput sound = RunQuire({"--archive", archive, "verify"});
  CHECK(sound.exit_code == 0);
  CHECK(Contains(sound.out, "archive verified: no problems found"));

  // An original whose bytes changed on disk: verify names it and exits 5; the backup is sound.
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x01;
  PutRaw(archive, store::Column::kOriginals, Sha256Hex(bytes), flipped);
  const ProcessOutput damaged = RunQuire({"--archive", archive, "verify"});
  CHECK(damaged.exit_code == 5);
  CHECK(Contains(damaged.out, "problem: original " + Sha256Hex(bytes) + " (document " + id +
                                  "): its bytes hash to"));
  CHECK(Contains(damaged.out, "1 problems found"));
  const ProcessOutput damaged_json = RunQuire({"--archive", archive, "verify", "--json"});
  CHECK(damaged_json.exit_code == 5);
  CHECK(json::parse(damaged_json.out)["ok"] == false);
  CHECK(json::parse(damaged_json.out)["problems"].size() == 1);

  const ProcessOutput copy_verified = RunQuire({"--archive", copy, "verify"});
  CHECK(copy_verified.exit_code == 0);
  CHECK(RunQuireJson({"--archive", copy, "list", "--json"})["documents"].size() == 1);
  const ProcessOutput original =
      RunQuire({"--archive", copy, "export", id, "--format", "original"});
  CHECK(original.out == bytes);
}

TEST_CASE("review lists the documents waiting with their reasons and correct decides again") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  // A vendor template that requires an IBAN the invoice does not print: a reason for review that
  // does not hang on how well extraction reads the sample.
  std::filesystem::create_directories(dir.Sub("templates"));
  std::ofstream(dir.Sub("templates/brightline.json"))
      << R"({"name": "Brightline", "keywords": ["Brightline Office Supply"], "required": ["iban"]})";
  const json ingested = RunQuireJson({"--archive", archive, "ingest", "--json", "--template-dir",
                                      dir.Sub("templates"), SampleDoc("invoice-en-01.png"),
                                      SampleDoc("receipt-01.png")});
  const uint64_t id = ingested["results"][0]["id"];
  const std::string invoice = std::to_string(id);

  const json waiting = RunQuireJson({"--archive", archive, "review", "--json"});
  REQUIRE(waiting["documents"].size() == 1);
  const json& entry = waiting["documents"][0];
  CHECK(entry["id"] == id);
  CHECK(entry["needs_review"] == true);
  REQUIRE(entry["review_reasons"].size() == 1);
  const std::string reason = entry["review_reasons"][0];
  CHECK(reason == "iban is missing");
  const ProcessOutput text = RunQuire({"--archive", archive, "review"});
  CHECK(text.exit_code == 0);
  CHECK(Contains(text.out, "  " + invoice + "  invoice  " + SampleDoc("invoice-en-01.png") + "\n"));
  CHECK(Contains(text.out, "        - " + reason + "\n"));
  CHECK_FALSE(Contains(text.out, "receipt-01"));
  CHECK(RunQuireJson({"--archive", archive, "stats", "--json"})["needs_review"] == 1);

  // The operator's value (valid, printed with spaces) settles it: the review is decided again.
  const ProcessOutput corrected = RunQuire({"--archive", archive, "correct", invoice, "iban",
                                            "DE89 3704 0044 0532 0130 00", "--by", "ann"});
  INFO(corrected.err);
  CHECK(corrected.exit_code == 0);
  CHECK(
      Contains(corrected.out, "document " + invoice + ": iban: (none) -> DE89370400440532013000"));
  CHECK(Contains(corrected.out, "; review done"));
  const json shown = RunQuireJson({"--archive", archive, "show", "--json", invoice});
  CHECK(shown["needs_review"] == false);
  CHECK(shown["review_reasons"].empty());
  CHECK(shown["fields"]["iban"]["value"] == "DE89370400440532013000");
  CHECK(shown["history"].back()["by"] == "ann");
  CHECK(RunQuireJson({"--archive", archive, "review", "--json"})["documents"].empty());
  CHECK(RunQuire({"--archive", archive, "review"}).out == "the review queue is empty\n");
  CHECK(RunQuireJson({"--archive", archive, "stats", "--json"})["needs_review"] == 0);
}

TEST_CASE("search --sort orders by date and its text output marks the hits") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  // Printed 2024-03-14 and 2024-03-21.
  const std::vector<uint64_t> ids = Ingest(archive, {"receipt-03.png", "receipt-01.png"});
  const auto order = [&](const std::string& sort) {
    std::vector<uint64_t> found;
    const json results = RunQuireJson(
        {"--archive", archive, "search", "--json", "--sort", sort, "total"})["results"];
    for (const json& r : results) found.push_back(r["id"].get<uint64_t>());
    return found;
  };
  const json results = RunQuireJson({"--archive", archive, "search", "--json", "total"})["results"];
  REQUIRE(results.size() == 2);
  std::map<uint64_t, std::string> dates;
  for (const json& r : results) dates[r["id"].get<uint64_t>()] = r["date"];
  CHECK(dates[ids[0]] == "2024-03-21");
  CHECK(dates[ids[1]] == "2024-03-14");
  CHECK(order("newest") == std::vector<uint64_t>{ids[0], ids[1]});
  CHECK(order("oldest") == std::vector<uint64_t>{ids[1], ids[0]});

  // Text: id, type, title and score, then the snippet with the hit in brackets.
  const ProcessOutput text =
      RunQuire({"--archive", archive, "search", "--sort", "oldest", "total"});
  CHECK(text.exit_code == 0);
  const std::string first = std::to_string(ids[1]) + "  receipt   FRESH MARKET  (score ";
  CHECK(Contains(text.out, first));
  CHECK(Contains(text.out, "[TOTAL] $46.60"));
  CHECK(text.out.find(first) < text.out.find(std::to_string(ids[0]) + "  receipt"));
}

TEST_CASE("ocr prints the text or JSON with word boxes and obeys --raw and --debug-dir", "[slow]") {
  TempDir dir;
  const std::string file = SampleDoc("invoice-en-01-rot90.png");
  const ProcessOutput plain = RunQuire({"ocr", file});
  CHECK(plain.exit_code == 0);
  CHECK(Contains(plain.out, "Brightline Office Supply"));
  CHECK(Contains(plain.out, "Harborview Dental Group"));
  CHECK(plain.err.empty());

  const json read = RunQuireJson({"ocr", "--json", file});
  REQUIRE(read["pages"].size() == 1);
  const json& page = read["pages"][0];
  CHECK(page["rotation"] == 270);  // turned back a quarter: the boxes are still the file's
  CHECK(page["width"] == 3300);    // the image as handed in is landscape
  CHECK(page["height"] < page["width"]);
  CHECK(page["text"].get<std::string>() + "\n" == plain.out);
  CHECK(page["language"] == "eng");
  REQUIRE_FALSE(page["words"].empty());
  for (const json& word : page["words"]) {
    INFO(word.dump());
    REQUIRE(word["box"].size() == 4);
    CHECK(word["box"][0].get<int>() >= 0);
    CHECK(word["box"][0].get<int>() + word["box"][2].get<int>() <= page["width"].get<int>());
    CHECK(word["box"][1].get<int>() + word["box"][3].get<int>() <= page["height"].get<int>());
    CHECK(word["conf"].get<double>() >= 0);
    CHECK(word["conf"].get<double>() <= 100);
  }

  // --raw skips the cleanup: the page is not turned, so Tesseract reads it sideways.
  const json raw = RunQuireJson({"ocr", "--json", "--raw", file});
  CHECK(raw["pages"][0]["rotation"] == 0);
  CHECK_FALSE(Contains(raw["pages"][0]["text"], "Brightline Office Supply"));

  const std::string debug = dir.Sub("steps");
  CHECK(RunQuire({"ocr", "--debug-dir", debug, file}).exit_code == 0);
  std::set<std::string> steps;
  for (const auto& entry : fs::directory_iterator(debug)) steps.insert(entry.path().filename());
  INFO(json(steps).dump());
  CHECK(steps.size() >= 3);
  CHECK(std::any_of(steps.begin(), steps.end(),
                    [](const std::string& s) { return Contains(s, "orient"); }));
}

TEST_CASE("the language and template options change what is read and extracted", "[slow]") {
  TempDir dir;
  const std::string german = SampleDoc("invoice-de-01.png");
  CHECK(RunQuireJson({"ocr", "--json", german})["pages"][0]["language"] == "deu+eng");
  CHECK(RunQuireJson({"ocr", "--json", "--lang", "eng", german})["pages"][0]["language"] == "eng");

  fs::create_directory(dir.Sub("templates"));
  Write(dir.Sub("templates/fresh-market.json"),
        R"json({"name": "Fresh Market", "keywords": ["FRESH MARKET", "El Camino Real"],
                "type": "receipt", "fields": {"po_number": {"pattern": "TRN\\s*(\\d+)"}}})json");
  const std::string receipt = SampleDoc("receipt-01.png");
  const ProcessOutput plain = RunQuire({"extract", receipt});
  CHECK(plain.exit_code == 0);
  CHECK(Contains(plain.out, "type: receipt\n"));
  CHECK(Contains(plain.out, "  total: 46.60\n"));
  CHECK_FALSE(Contains(plain.out, "po_number"));
  const ProcessOutput templated =
      RunQuire({"extract", "--template-dir", dir.Sub("templates"), receipt});
  CHECK(templated.exit_code == 0);
  CHECK(Contains(templated.out, "  po_number: 5821\n"));

  const std::string archive = dir.Sub("archive");
  const json ingested =
      RunQuireJson({"--archive", archive, "ingest", "--json", "--template-dir",
                    dir.Sub("templates"), "--lang", "eng", "--date-order", "MDY", receipt});
  const std::string id = std::to_string(ingested["results"][0]["id"].get<uint64_t>());
  const json shown = RunQuireJson({"--archive", archive, "show", "--json", id});
  CHECK(shown["fields"]["po_number"]["value"] == "5821");
  CHECK(shown["fields"]["invoice_date"]["value"] == "2024-03-14");
  CHECK(shown["pages"][0]["language"] == "eng");

  Write(dir.Sub("templates/broken.json"), "{\"name\": ");
  const ProcessOutput broken =
      RunQuire({"extract", "--template-dir", dir.Sub("templates"), receipt});
  CHECK(broken.exit_code == 2);
  CHECK(Contains(broken.err, "broken.json"));
}

TEST_CASE("eval ocr and eval fields score a folder against its truth") {
  TempDir dir;
  const fs::path truth = dir.Sub("truth");
  fs::create_directory(truth);
  for (const char* name : {"receipt-01.png", "receipt-01.truth.json"}) {
    fs::copy_file(SampleDoc(name), truth / name);
  }
  const json ocr = RunQuireJson({"eval", "ocr", "--json", truth.string()});
  REQUIRE(ocr["files"].size() == 1);
  CHECK(ocr["files"][0]["file"] == "receipt-01.png");
  CHECK(ocr["files"][0]["cer"].get<double>() < 0.05);
  CHECK(ocr["files"][0]["word_recall"].get<double>() > 0.9);
  CHECK(ocr["total"]["pages"] == 1);
  CHECK(ocr["total"]["failed"] == 0);
  CHECK(ocr["cleanup"] == true);
  const ProcessOutput ocr_text = RunQuire({"eval", "ocr", "--raw", "--fold", truth.string()});
  CHECK(ocr_text.exit_code == 0);
  CHECK(Contains(ocr_text.out, "receipt-01.png"));
  CHECK(Contains(ocr_text.out, "pages/s (raw, case folded)"));

  const json fields = RunQuireJson({"eval", "fields", "--json", truth.string()});
  CHECK(fields["fields"]["total"]["f1"] == 1.0);
  CHECK(fields["fields"]["vendor_name"]["tp"] == 1);
  CHECK(fields["overall"]["tp"] == 7);  // every field of its truth
  CHECK(fields["misses"].empty());
  // Each field the truth names, found, is in one tenth of confidence: all right here.
  int found = 0;
  for (const auto& [range, tenth] : fields["review"]["by_confidence"].items()) {
    CHECK(tenth["precision"] == 1.0);
    found += tenth["found"].get<int>();
  }
  CHECK(found == 7);

  // A document that cannot be read is reported and scored as failed: exit 1.
  Write(truth / "empty.png", "");
  Write(truth / "empty.truth.json", R"json({"type": "receipt", "text": "", "fields": {}})json");
  const ProcessOutput with_failure = RunQuire({"eval", "fields", truth.string()});
  CHECK(with_failure.exit_code == 1);
  CHECK(Contains(with_failure.err, "quire: empty.png: "));
  CHECK(Contains(with_failure.out, "overall"));
}

TEST_CASE("eval fields scores a form's pairs and what their confidences are worth") {
  // A page file (`ocr --json`) of a sample form, its truth's fields as the annotated pairs.
  TempDir dir;
  const fs::path forms = dir.Sub("forms");
  fs::create_directory(forms);
  const ProcessOutput ocr = RunQuire({"ocr", "--json", SampleDoc("form-01.png")});
  REQUIRE(ocr.exit_code == 0);
  Write(forms / "form-01.ocr.json", ocr.out);
  json truth = json::parse(ReadAll(SampleDoc("form-01.truth.json")));
  truth["pairs"] = json::array();
  for (const auto& [key, value] : truth["fields"].items()) truth["pairs"].push_back({key, value});
  Write(forms / "form-01.truth.json", truth.dump());

  const json pairs = RunQuireJson({"eval", "fields", "--json", forms.string()})["pairs"];
  CHECK(pairs["overall"]["tp"].get<int>() > 0);
  // Every found pair is in one tenth of confidence, right or not.
  int counted = 0;
  for (const auto& [range, tenth] : pairs["by_confidence"].items()) {
    CHECK(range.size() == 7);  // "0.2-0.3"
    CHECK(tenth["precision"].get<double>() >= 0);
    CHECK(tenth["precision"].get<double>() <= 1);
    counted += tenth["found"].get<int>();
  }
  CHECK(counted == pairs["overall"]["tp"].get<int>() + pairs["overall"]["fp"].get<int>());
  CHECK(Contains(RunQuire({"eval", "fields", forms.string()}).out, "found pairs by confidence"));
}

TEST_CASE("a tag is one tag whatever its case and is found whole") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  for (const char* name : {"invoice-en-03-text.pdf", "letter-01-text.pdf"}) {
    REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc(name)}).exit_code == 0);
  }
  const ProcessOutput added =
      RunQuire({"--archive", archive, "tag", "1", "--add", "Paid", "--add", "paid"});
  CHECK(added.out == "document 1 tags: Paid\n");
  REQUIRE(RunQuire({"--archive", archive, "tag", "2", "--add", "paid-late"}).exit_code == 0);
  const json found = RunQuireJson({"--archive", archive, "search", "--json", "tag:PAID"});
  REQUIRE(found["results"].size() == 1);
  CHECK(found["results"][0]["id"] == 1);
  CHECK(found["facets"]["tag"] == json({{"Paid", 1}}));
  const ProcessOutput removed = RunQuire({"--archive", archive, "tag", "1", "--remove", "paid"});
  CHECK(removed.out == "document 1 tags: (none)\n");
}

TEST_CASE("quire --version names quire's version and what it reads with") {
  const ProcessOutput version = RunQuire({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.starts_with("quire 0."));
  CHECK(Contains(version.out, "(archive schema "));
  CHECK(Contains(version.out, "; Tesseract 5."));
  CHECK(Contains(version.out, ", OpenCV 4."));
}

TEST_CASE("edit sets a title and notes that search finds and clears them") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc("letter-01-text.pdf")}).exit_code ==
          0);
  const ProcessOutput nothing = RunQuire({"--archive", archive, "edit", "1"});
  CHECK(nothing.exit_code != 0);
  CHECK(Contains(nothing.err, "--title, --notes, --add or --remove"));
  const ProcessOutput edited =
      RunQuire({"--archive", archive, "edit", "1", "--title", "Lease renewal", "--notes",
                "Sent to legal", "--add", "lease"});
  INFO(edited.err);
  CHECK(edited.out ==
        "document 1\n  title: Lease renewal\n  notes: Sent to legal\n  tags: lease\n");
  const json found = RunQuireJson({"--archive", archive, "search", "--json", "renewal legal"});
  REQUIRE(found["results"].size() == 1);
  const json shown = RunQuireJson({"--archive", archive, "show", "1", "--json"});
  CHECK(shown["title"] == "Lease renewal");
  CHECK(shown["history"].back()["action"] == "labelled");
  const json cleared = RunQuireJson(
      {"--archive", archive, "--json", "edit", "1", "--notes", "", "--remove", "lease"});
  CHECK(cleared ==
        json({{"id", 1}, {"title", "Lease renewal"}, {"notes", ""}, {"tags", json::array()}}));
  CHECK(RunQuireJson({"--archive", archive, "search", "--json", "legal"})["total"] == 0);
  const ProcessOutput missing = RunQuire({"--archive", archive, "edit", "9", "--title", "x"});
  CHECK(missing.exit_code != 0);
  CHECK(Contains(missing.err, "no document 9"));
}

}  // namespace quire::testing
