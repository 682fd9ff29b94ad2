// `quire watch` end to end: the built program on a real folder, killed and restarted.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <set>
#include <thread>

#include "quire/common/hash.h"
#include "quire_process.h"
#include "temp_dir.h"

namespace quire::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void Write(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A small image with a few words: fast to read, and different bytes for different words.
std::string TextPng(const std::string& text, bool speckled = false) {
  cv::Mat image(140, 700, CV_8UC1, cv::Scalar(255));
  cv::putText(image, text, {20, 85}, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(0), 2);
  if (speckled) {  // noise does not compress: a larger file, to write slowly
    cv::Mat noise(image.size(), CV_8UC1);
    cv::randu(noise, 0, 40);
    image -= noise;
  }
  std::vector<uchar> png;
  cv::imencode(".png", image, png);
  return std::string(png.begin(), png.end());
}

uint32_t Crc32(std::string_view bytes) {
  uint32_t crc = 0xFFFFFFFF;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
  }
  return ~crc;
}

// A valid small PNG whose header claims 30000 x 30000 pixels: a decompression bomb.
std::string BombPng() {
  std::string png = TextPng("bomb");
  const auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) png[at + i] = static_cast<char>(v >> (24 - 8 * i));
  };
  put32(16, 30000);  // IHDR data starts at 16: width, then height
  put32(20, 30000);
  put32(29, Crc32(std::string_view(png).substr(12, 17)));  // type and data
  return png;
}

// A PDF of `objects` (numbered from 1; object 1 is the catalog) with a valid cross-reference
// table; `trailer_keys` go into the trailer beside /Size and /Root.
std::string Pdf(const std::vector<std::string>& objects, const std::string& trailer_keys = "") {
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (const std::string& body : objects) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[21];
    snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R " +
         trailer_keys + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A well-formed PDF with `pages` empty pages.
std::string ManyPagePdf(int pages) {
  std::string kids;
  for (int i = 0; i < pages; ++i) kids += std::to_string(3 + i) + " 0 R ";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>"};
  for (int i = 0; i < pages; ++i) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
  }
  return Pdf(objects);
}

// A one-page PDF encrypted with the standard security handler (revision 2, RC4) under a password
// nobody knows: /U matches neither the empty password nor any other, so no reader opens it without
// one, exactly as a PDF locked by its sender.
std::string EncryptedPdf() {
  const std::string key_hash(64, 'A');  // 32 bytes in hex: no password hashes to it
  return Pdf(
      {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
       "<< /Length 16 "
       ">>\nstream\n\x8f\x13\xa2\x55\x01\xee\x42\x9c\x77\x30\xd1\x6b\x04\xbe\x5a\x91\nendstream",
       "<< /Filter /Standard /V 1 /R 2 /O <" + key_hash + "> /U <" + key_hash + "> /P -44 >>"},
      "/Encrypt 5 0 R /ID [<0123456789abcdef0123456789abcdef> "
      "<0123456789abcdef0123456789abcdef>]");
}

// `png` with an ancillary chunk of `bytes` random bytes before IEND: still a valid PNG of the
// same picture (readers skip unknown ancillary chunks), but as large as we like.
std::string PaddedPng(std::string png, size_t bytes) {
  std::mt19937 random(11);
  std::string chunk = "quIr";
  for (size_t i = 0; i < bytes; ++i) chunk.push_back(static_cast<char>(random()));
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(bytes >> (24 - 8 * i)));
  out += chunk;
  const uint32_t crc = Crc32(chunk);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(crc >> (24 - 8 * i)));
  png.insert(png.size() - 12, out);  // IEND is the last 12 bytes
  return png;
}

// Files the watcher must fail, by name: each shows one kind of bad input.
std::map<std::string, std::string> BadFiles() {
  const std::string png = TextPng("truncated");
  const std::string pdf = Read(SampleDoc("invoice-de-01-text.pdf"));
  std::mt19937 random(7);
  std::string noise(5000, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  return {
      {"empty.png", ""},
      {"truncated.png", png.substr(0, png.size() / 2)},
      {"truncated.pdf", pdf.substr(0, pdf.size() / 3)},
      {"corrupt.tif", "II*\0" + noise},
      {"noise.jpg", "\xFF\xD8\xFF\xE0" + noise},
      {"text renamed.pdf", "Dear reader, this is plain text.\n"},
      {"bomb 30000x30000.png", BombPng()},
      {"2000 pages.pdf", ManyPagePdf(2000)},
  };
}

// Regular files and links under `inbox`, outside its failed folder.
std::vector<fs::path> FilesIn(const fs::path& inbox) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(inbox); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->path().filename() == ".failed") {
      it.disable_recursion_pending();
    } else if (!it->is_directory() || it->is_symlink()) {
      files.push_back(it->path());
    }
  }
  return files;
}

// Waits until the watcher has taken everything; false after `timeout`.
bool WaitEmpty(const fs::path& inbox, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!FilesIn(inbox).empty()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(200ms);
  }
  return true;
}

// The SHA-256 of every stored document's original, with how often it is stored.
std::map<std::string, int> StoredHashes(const std::string& archive) {
  const ProcessOutput list = RunQuire({"list", "--json", "--archive", archive});
  REQUIRE(list.exit_code == 0);
  std::map<std::string, int> hashes;
  const nlohmann::json documents = nlohmann::json::parse(list.out)["documents"];
  for (const auto& doc : documents) {
    ++hashes[doc["sha256"].get<std::string>()];
  }
  return hashes;
}

int Stop(pid_t pid, int signal) {
  kill(pid, signal);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// SIGTERM, as a service manager stops the watcher: it finishes the files in hand and exits 0.
void StopCleanly(pid_t pid) {
  const int status = Stop(pid, SIGTERM);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

std::vector<std::string> WatchArgs(const std::string& inbox, const std::string& archive) {
  return {"watch", inbox, "--archive", archive, "--settle", "0.3", "--poll", "1", "--jobs", "2"};
}

TEST_CASE("watch: 100 valid and bad files through SIGKILLs are each taken exactly once", "[slow]") {
  TempDir dir;
  const fs::path inbox = dir.Sub("inbox");
  const std::string archive = dir.Sub("archive");
  fs::create_directories(inbox / "scans" / "march");

  // 80 valid images (one dropped twice under another name), 8 bad files, 1 link, and names
  // with spaces, quotes, newlines and non-ASCII characters.
  std::vector<std::pair<std::string, std::string>> drops;
  std::set<std::string> valid_hashes;
  for (int i = 0; i < 80; ++i) {
    std::string name = "scan " + std::to_string(i) + ".png";
    if (i % 10 == 1) name = "scans/march/" + name;
    if (i == 2) name = "quote\"s and\nnewline.png";
    if (i == 3) name = "Rechnung für Müller.png";
    drops.emplace_back(name, TextPng("Invoice " + std::to_string(1000 + i) + " ACME total " +
                                     std::to_string(i * 7) + ".50"));
    valid_hashes.insert(Sha256Hex(drops.back().second));
  }
  drops.emplace_back("again.png", drops[5].second);  // the same content twice
  const std::map<std::string, std::string> bad = BadFiles();
  for (const auto& [name, bytes] : bad) drops.emplace_back(name, bytes);
  Write(dir.Sub("outside.png"), TextPng("outside the inbox"));
  std::mt19937 random(42);
  std::shuffle(drops.begin(), drops.end(), random);

  const auto start = std::chrono::steady_clock::now();
  pid_t watcher = StartQuire(WatchArgs(inbox, archive));
  int kills = 0;
  for (size_t i = 0; i < drops.size(); ++i) {
    const auto& [name, bytes] = drops[i];
    if (i % 2 == 0) {
      Write(inbox / name, bytes);  // written in place
    } else {
      Write(inbox / (name + ".part"), bytes);  // written elsewhere, then renamed in
      fs::rename(inbox / (name + ".part"), inbox / name);
    }
    if (i == 40) fs::create_symlink(dir.Sub("outside.png"), inbox / "link.png");
    if (i % 14 == 13) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300 + random() % 1500));
      REQUIRE(WIFSIGNALED(Stop(watcher, SIGKILL)));
      ++kills;
      watcher = StartQuire(WatchArgs(inbox, archive));
    }
  }
  REQUIRE(kills >= 5);
  const bool emptied = WaitEmpty(inbox, 200s);
  const int status = Stop(watcher, SIGTERM);
  INFO("seconds: " << std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now() - start)
                          .count());
  REQUIRE(emptied);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  const std::map<std::string, int> stored = StoredHashes(archive);
  for (const auto& [hash, count] : stored) {
    INFO(hash);
    CHECK(count == 1);
    CHECK(valid_hashes.contains(hash));
  }
  CHECK(stored.size() == valid_hashes.size());
  for (const auto& [name, bytes] : bad) {
    INFO(name);
    CHECK(fs::exists(inbox / ".failed" / name));
    CHECK(fs::file_size(inbox / ".failed" / (name + ".error.txt")) > 0);
  }
  CHECK(fs::is_symlink(inbox / ".failed" / "link.png"));
  CHECK(RunQuire({"verify", "--archive", archive}).exit_code == 0);

  const ProcessOutput report =
      RunQuire({"watch", "--status", inbox, "--archive", archive, "--json"});
  REQUIRE(report.exit_code == 0);
  CHECK(nlohmann::json::parse(report.out)["waiting"] == 0);
}

TEST_CASE("watch: a file written slowly is not taken before it is complete", "[slow]") {
  TempDir dir;
  const fs::path inbox = dir.Sub("inbox");
  const std::string archive = dir.Sub("archive");
  fs::create_directories(inbox);
  const std::string png = TextPng("Slowly written invoice 4711", /*speckled=*/true);
  REQUIRE(png.size() > 20 * 1024);  // over two seconds of writing

  const pid_t watcher = StartQuire(
      {"watch", inbox, "--archive", archive, "--settle", "0.5", "--poll", "0.2", "--jobs", "1"});
  {
    std::ofstream out(inbox / "slow.png", std::ios::binary);
    for (size_t at = 0; at < png.size(); at += 1024) {
      out.write(png.data() + at, std::min<size_t>(1024, png.size() - at));
      out.flush();
      std::this_thread::sleep_for(100ms);
      REQUIRE(fs::exists(inbox / "slow.png"));  // not taken while being written
    }
  }
  REQUIRE(WaitEmpty(inbox, 60s));
  StopCleanly(watcher);
  const std::map<std::string, int> stored = StoredHashes(archive);
  REQUIRE(stored.size() == 1);
  CHECK(stored.begin()->first == Sha256Hex(png));
  CHECK(stored.begin()->second == 1);
  CHECK(!fs::exists(inbox / ".failed" / "slow.png"));
}

TEST_CASE("watch: polling alone takes every file as on a network share", "[slow]") {
  TempDir dir;
  const fs::path inbox = dir.Sub("inbox");
  const std::string archive = dir.Sub("archive");
  fs::create_directories(inbox / "sub");
  const pid_t watcher = StartQuire({"watch", inbox, "--archive", archive, "--no-inotify", "--poll",
                                    "0.5", "--settle", "0.3", "--keep", dir.Sub("kept")});
  std::set<std::string> hashes;
  for (int i = 0; i < 6; ++i) {
    const std::string png = TextPng("Polled receipt " + std::to_string(i));
    Write(inbox / (i % 2 ? "sub" : ".") / ("polled " + std::to_string(i) + ".png"), png);
    hashes.insert(Sha256Hex(png));
    std::this_thread::sleep_for(100ms);
  }
  REQUIRE(WaitEmpty(inbox, 90s));
  StopCleanly(watcher);
  std::set<std::string> stored;
  for (const auto& [hash, count] : StoredHashes(archive)) stored.insert(hash);
  CHECK(stored == hashes);
  CHECK(fs::exists(dir.Sub("kept") + "/sub/polled 1.png"));  // --keep keeps the folder layout
}

// Waits until `file` holds `text`; false after `timeout`.
bool WaitFor(const fs::path& file, const std::string& text, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (Read(file).find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

TEST_CASE("watch: an encrypted PDF goes to the failed folder with a reason and what to do") {
  TempDir dir;
  const fs::path inbox = dir.Sub("inbox");
  const std::string archive = dir.Sub("archive");
  fs::create_directories(inbox);
  Write(inbox / "locked.pdf", EncryptedPdf());

  // --failed: the failed folder is outside INBOX.
  const std::string failed = dir.Sub("rejected");
  std::vector<std::string> args = WatchArgs(inbox, archive);
  args.insert(args.end(), {"--failed", failed});
  const pid_t watcher = StartQuire(args);
  REQUIRE(WaitEmpty(inbox, 60s));
  StopCleanly(watcher);
  REQUIRE(fs::exists(fs::path(failed) / "locked.pdf"));
  CHECK_FALSE(fs::exists(inbox / ".failed"));
  const std::string error = Read(fs::path(failed) / "locked.pdf.error.txt");
  INFO(error);
  CHECK(error.find("File:  locked.pdf") != std::string::npos);
  CHECK(error.find("Why:   the PDF is encrypted with a password") != std::string::npos);
  CHECK(error.find("save a copy without the password") != std::string::npos);
  CHECK(StoredHashes(archive).empty());

  // --status names the failure and its reason.
  const ProcessOutput status =
      RunQuire({"watch", "--status", inbox, "--archive", archive, "--json"});
  REQUIRE(status.exit_code == 0);
  const nlohmann::json report = nlohmann::json::parse(status.out);
  CHECK(report["waiting"] == 0);
  CHECK(report["last_hour"]["failed"] == 1);
  CHECK(report["last_hour"]["committed"] == 0);
  REQUIRE(report["last_failures"].size() == 1);
  CHECK(report["last_failures"][0]["file"] == "locked.pdf");
  CHECK(report["last_failures"][0]["error"].get<std::string>().find("encrypted with a password") !=
        std::string::npos);
  const ProcessOutput text = RunQuire({"watch", "--status", inbox, "--archive", archive});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("last hour: 0 committed, 0 duplicates, 1 failed") != std::string::npos);
  CHECK(text.out.find("\"locked.pdf\": the PDF is encrypted") != std::string::npos);
}

TEST_CASE(
    "watch: on a full archive disk the file stays in INBOX and is committed once space is back",
    "[slow]") {
  TempDir dir;
  const fs::path inbox = dir.Sub("inbox");
  const std::string archive = dir.Sub("archive");
  const std::string log = dir.Sub("watch.log");
  fs::create_directories(inbox);
  // The archive exists first, so the watcher's open stays under the limit and the commit does not.
  Write(dir.Sub("first.png"), TextPng("First receipt 17"));
  REQUIRE(RunQuire({"ingest", dir.Sub("first.png"), "--archive", archive}).exit_code == 0);
  // A 1 MiB original: its commit cannot fit under a 512 KiB file size limit.
  const std::string png = PaddedPng(TextPng("Invoice 8086 on a full disk"), 1 << 20);
  Write(inbox / "big.png", png);

  StartOptions full_disk;
  full_disk.err_file = log;
  full_disk.max_file_bytes = 512 << 10;
  std::vector<std::string> args = WatchArgs(inbox, archive);
  args.insert(args.end(), {"--retry", "1"});
  const pid_t watcher = StartQuire(args, full_disk);
  REQUIRE(WaitFor(log, "quire watch: retry \"big.png\"", 60s));
  CHECK(WaitFor(log, "it stays in INBOX and is tried again in 1 s", 5s));
  // RocksDB cannot resume after a failed log append: the watcher says so and exits, leaving the
  // file in INBOX for the restart (a supervisor's, or the operator's).
  int status = 0;
  const auto end = std::chrono::steady_clock::now() + 30s;
  while (waitpid(watcher, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > end) {
      Stop(watcher, SIGKILL);
      FAIL("the watcher did not stop on an archive it cannot write:\n" << Read(log));
    }
    std::this_thread::sleep_for(100ms);
  }
  INFO(Read(log));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  CHECK(Read(log).find("start quire watch again") != std::string::npos);
  CHECK(fs::exists(inbox / "big.png"));
  CHECK(!fs::exists(inbox / ".failed" / "big.png"));
  CHECK(StoredHashes(archive).size() == 1);

  // Space is back: the restarted watcher commits the file, once.
  const pid_t again = StartQuire(WatchArgs(inbox, archive), StartOptions{log + ".2", 0});
  const bool emptied = WaitEmpty(inbox, 60s);
  status = Stop(again, SIGTERM);
  INFO(Read(log + ".2"));
  REQUIRE(emptied);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(Read(log + ".2").find("committed \"big.png\"") != std::string::npos);
  CHECK(!fs::exists(inbox / ".failed" / "big.png"));
  const std::map<std::string, int> stored = StoredHashes(archive);
  CHECK(stored.size() == 2);
  REQUIRE(stored.count(Sha256Hex(png)) == 1);
  CHECK(stored.at(Sha256Hex(png)) == 1);
  CHECK(RunQuire({"verify", "--archive", archive}).exit_code == 0);
}

TEST_CASE("watch: with --tags the subfolder names are stored with the document and searchable",
          "[slow]") {
  TempDir dir;
  const fs::path inbox = dir.Sub("inbox");
  const std::string archive = dir.Sub("archive");
  fs::create_directories(inbox / "acme" / "march");
  Write(inbox / "acme" / "march" / "invoice.png", TextPng("Invoice 5150 total 99.00"));
  Write(inbox / "loose.png", TextPng("Receipt 7 total 3.50"));

  std::vector<std::string> args = WatchArgs(inbox, archive);
  args.push_back("--tags");
  const pid_t watcher = StartQuire(args);
  REQUIRE(WaitEmpty(inbox, 60s));
  StopCleanly(watcher);

  const ProcessOutput status =
      RunQuire({"watch", "--status", inbox, "--archive", archive, "--json"});
  REQUIRE(status.exit_code == 0);
  const nlohmann::json report = nlohmann::json::parse(status.out);
  CHECK(report["waiting"] == 0);
  CHECK(report["in_progress"] == 0);
  CHECK(report["last_hour"]["committed"] == 2);
  CHECK(report["last_hour"]["failed"] == 0);
  CHECK(report["per_minute"].get<double>() == Approx(0.2));  // 2 files in the last 10 minutes
  CHECK(report["last_failures"].empty());

  const ProcessOutput search = RunQuire({"search", "tag:acme", "--json", "--archive", archive});
  REQUIRE(search.exit_code == 0);
  const nlohmann::json results = nlohmann::json::parse(search.out)["results"];
  REQUIRE(results.size() == 1);
  const std::string id = std::to_string(results[0]["id"].get<uint64_t>());
  const ProcessOutput show = RunQuire({"show", id, "--json", "--archive", archive});
  REQUIRE(show.exit_code == 0);
  const nlohmann::json doc = nlohmann::json::parse(show.out);
  CHECK(doc["tags"] == nlohmann::json({"acme", "march"}));
  // The tags are part of the commit itself, not a later event.
  REQUIRE(doc["history"].size() == 1);
  CHECK(doc["history"][0]["action"] == "ingested");

  const ProcessOutput both =
      RunQuire({"search", "tag:march tag:acme", "--json", "--archive", archive});
  CHECK(nlohmann::json::parse(both.out)["results"].size() == 1);
  const ProcessOutput none = RunQuire({"search", "tag:april", "--json", "--archive", archive});
  CHECK(nlohmann::json::parse(none.out)["results"].empty());
  const ProcessOutput list = RunQuire({"list", "--json", "--archive", archive});
  const nlohmann::json listed = nlohmann::json::parse(list.out);
  int untagged = 0;
  for (const auto& d : listed["documents"]) {
    if (d["tags"].empty()) ++untagged;
  }
  CHECK(untagged == 1);
}

}  // namespace
TEST_CASE("watch: missing language data is a warning in the log, the document is still stored",
          "[slow]") {
  TempDir dir;
  const fs::path inbox = dir.Sub("inbox");
  const fs::path tessdata = dir.Sub("tessdata");  // English only: no deu.traineddata
  const std::string archive = dir.Sub("archive");
  const std::string log = dir.Sub("watch.log");
  fs::create_directories(inbox);
  fs::create_directories(tessdata);
  for (const char* data : {"eng.traineddata", "osd.traineddata"}) {
    fs::create_symlink(fs::path("/usr/share/tesseract-ocr/5/tessdata") / data, tessdata / data);
  }
  fs::copy_file(SampleDoc("invoice-de-01.png"), inbox / "rechnung.png");

  setenv("TESSDATA_PREFIX", tessdata.c_str(), 1);  // inherited by the watcher only
  std::vector<std::string> args = WatchArgs(inbox, archive);
  args.push_back("--log-json");
  const pid_t watcher = StartQuire(args, StartOptions{.err_file = log});
  unsetenv("TESSDATA_PREFIX");
  REQUIRE(WaitEmpty(inbox, 120s));
  StopCleanly(watcher);

  std::ifstream lines(log);
  std::set<std::string> events;
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json event = nlohmann::json::parse(line);  // every line is JSON, warnings too
    events.insert(event["event"].get<std::string>());
    if (event["event"] == "warning") {
      CHECK(event["message"].get<std::string>().find("install tesseract-ocr-deu") !=
            std::string::npos);
    }
  }
  CHECK(events.contains("warning"));
  CHECK(events.contains("committed"));
}

}  // namespace quire::testing
