// Crash safety: a writer process is killed with SIGKILL at a random moment, again and again, and
// every document the archive then holds must be whole. The writer is this test binary itself,
// started with the hidden test case "[.crash-writer]", so it runs in a fresh process. The writer
// indexes with the real index, as quire does, so a kill also lands amid index writes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "archive_checks.h"
#include "documents.h"
#include "quire/index/index.h"
#include "quire/store/archive.h"
#include "schema.h"
#include "temp_dir.h"

extern char** environ;

namespace quire::store {
namespace {

using quire::testing::TempDir;
using testing::CheckIndexed;
using testing::CheckVerified;
using testing::CheckWhole;
using testing::MakeDocument;
using testing::OpenOrFail;

constexpr char kArchiveVariable[] = "QUIRE_CRASH_ARCHIVE";
constexpr char kSeedVariable[] = "QUIRE_CRASH_SEED";  // to replay a failed run's kill delays

// The seed of a test's kill delays: kSeedVariable's value, else a random one.
uint32_t KillSeed() {
  const char* given = std::getenv(kSeedVariable);
  return given != nullptr ? std::strtoul(given, nullptr, 10) : std::random_device{}();
}

// Set for a writer that imports in bulk: unsynced commits, index writes buffered and written as
// table files (ArchiveOptions::index_table_changes).
constexpr char kBulkVariable[] = "QUIRE_CRASH_BULK";

// Starts this test binary running the writer on `dir`.
pid_t StartWriter(const std::string& dir, bool bulk = false) {
  // Everything exec needs is built before fork: the child may only call async-signal-safe
  // functions, since other threads of this process may hold locks.
  std::vector<std::string> env_strings = {std::string(kArchiveVariable) + "=" + dir};
  if (bulk) env_strings.push_back(std::string(kBulkVariable) + "=1");
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  std::vector<char*> env;
  for (std::string& s : env_strings) env.push_back(s.data());
  env.push_back(nullptr);
  char name[] = "store_test";
  char filter[] = "[.crash-writer]";
  char* argv[] = {name, filter, nullptr};

  const pid_t pid = fork();
  if (pid == 0) {
    execve("/proc/self/exe", argv, env.data());
    _exit(127);
  }
  REQUIRE(pid > 0);
  return pid;
}

void KillWriter(pid_t pid) {
  REQUIRE(kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO("the writer must still be running when it is killed, not have stopped on an error");
  CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
}

// The archive after a kill, opened as quire opens it, and the documents it lists.
struct AfterKill {
  std::unique_ptr<Archive> archive;
  std::vector<DocumentSummary> documents;
};

// Runs the writer (`bulk`: as a bulk import) on `dir` for `delay_ms`, kills it, and checks that
// every document the archive then lists is whole and that the index holds each exactly once.
AfterKill KillAndCheck(const std::string& dir, int delay_ms, bool bulk = false) {
  const pid_t writer = StartWriter(dir, bulk);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  KillWriter(writer);
  AfterKill after{OpenOrFail(dir), {}};
  Result<std::vector<DocumentSummary>> list = after.archive->List();
  REQUIRE(list.ok());
  after.documents = std::move(*list);
  for (const DocumentSummary& summary : after.documents) CheckWhole(*after.archive, summary);
  CheckIndexed(*after.archive, after.documents.size());
  return after;
}

// Commits, corrects and deletes documents until killed. Each document differs in size and page
// count; every fifth original is large enough for a blob file.
TEST_CASE("crash writer", "[.crash-writer]") {
  const char* dir = std::getenv(kArchiveVariable);
  REQUIRE(dir != nullptr);
  ArchiveOptions options = index::IndexedArchiveOptions();
  const bool bulk = std::getenv(kBulkVariable) != nullptr;
  if (bulk) {
    options.sync_commits = false;
    options.index_buffer_documents = 40;
    options.index_table_changes = 1;
  }
  auto archive = OpenOrFail(dir, options);
  for (int i = 0;; ++i) {
    const std::string seed = std::to_string(getpid()) + "-" + std::to_string(i);
    const size_t bytes = i % 5 == 0 ? 2 * kMinBlobSize + i : 1000 + i;
    Result<CommitResult> committed = archive->Commit(MakeDocument(seed, 1 + i % 4, bytes));
    REQUIRE(committed.ok());
    if (bulk) continue;  // commits alone, so that the buffer fills with appends
    if (i % 3 == 2) {
      Extraction corrected = MakeDocument(seed).extraction;
      corrected.needs_review = true;
      REQUIRE(
          archive->UpdateFields(committed->id, corrected, AuditEvent{0, "corrected", "test", ""})
              .ok());
    }
    if (i % 7 == 6) {
      REQUIRE(archive->Delete(committed->id - 1, AuditEvent{0, "", "test", ""}).ok());
    }
  }
}

TEST_CASE("a writer killed at any moment leaves every document whole") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const uint32_t seed = KillSeed();
  INFO("seed " << seed << " (" << kSeedVariable << "=" << seed << " replays the kill delays)");
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(20, 900);  // short ones stop it while creating
  DocId highest_seen = 0;
  size_t documents_seen = 0;
  for (int round = 0; round < 6; ++round) {
    INFO("round " << round);
    const AfterKill after = KillAndCheck(dir, delay_ms(random));
    CheckVerified(*after.archive);

    if (!after.documents.empty()) highest_seen = std::max(highest_seen, after.documents.front().id);
    documents_seen = std::max(documents_seen, after.documents.size());
  }
  // Ids keep growing past every id handed out before a crash.
  auto archive = OpenOrFail(dir);
  Result<CommitResult> next = archive->Commit(MakeDocument("after the crashes"));
  REQUIRE(next.ok());
  CHECK(next->id > highest_seen);
  CHECK(documents_seen > 0);
}

TEST_CASE("a bulk import killed at any moment leaves every document indexed once") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const uint32_t seed = KillSeed();
  INFO("seed " << seed << " (" << kSeedVariable << "=" << seed << " replays the kill delays)");
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(300, 1500);  // several buffers written each time
  size_t documents_before = 0;
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    const AfterKill after = KillAndCheck(dir, delay_ms(random), /*bulk=*/true);
    CHECK(after.documents.size() > documents_before);  // the writer got past its open
    documents_before = after.documents.size();
  }
  // The table files a kill left before their ingestion are gone.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    CHECK_FALSE(entry.path().filename().string().starts_with("index-table-"));
  }
}

// Waits, without taking the lock, until the writer on `dir` has committed something.
bool WaitUntilWriting(const std::string& dir) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ArchiveOptions read_only;
    read_only.read_only = true;
    Result<std::unique_ptr<Archive>> reader = Archive::Open(dir, read_only);
    if (reader.ok() && (*reader)->List().ok() && !(*reader)->List()->empty()) return true;
  }
  return false;
}

TEST_CASE("opening an archive another process writes names that process") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const pid_t writer = StartWriter(dir);
  REQUIRE(WaitUntilWriting(dir));

  Result<std::unique_ptr<Archive>> second = Archive::Open(dir);
  KillWriter(writer);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == Status::Code::kIoError);
  CHECK(second.status().message() ==
        "the archive " + dir + " is in use by another quire process (pid " +
            std::to_string(writer) + "); stop it or use --archive to choose another archive");
}

// The pid of a process that is gone: a child's, once it has exited and been reaped.
std::string DeadPid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  REQUIRE(waitpid(child, nullptr, 0) == child);
  return std::to_string(child);
}

// An archive creation killed leaves the hidden folder it was building the archive in.
TEST_CASE("opening an archive removes the folders killed creations left beside it, and no other") {
  namespace fs = std::filesystem;
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  // Killed once RocksDB had made the database, and before it had made anything.
  const std::string built = tmp.Sub(".archive.creating-" + DeadPid());
  OpenOrFail(built);
  const std::string empty = tmp.Sub(".archive.creating-" + DeadPid());
  fs::create_directory(empty);
  // A builder that is alive (pid 1), not holding the LOCK yet; names that are not a building
  // folder of this archive; a folder of someone's files.
  const std::vector<std::string> kept = {".archive.creating-1",
                                         ".archive.creating-",
                                         ".archive.creating-12x",
                                         ".archive.old",
                                         ".archive2.creating-" + DeadPid(),
                                         ".other.creating-" + DeadPid(),
                                         ".archive.creating-" + DeadPid()};
  for (const std::string& name : kept) fs::create_directory(tmp.Sub(name));
  std::ofstream(tmp.Sub(kept.back() + "/notes.txt")) << "mine";
  const std::string file = tmp.Sub(".archive.creating-" + DeadPid());
  std::ofstream(file) << "a file";

  ArchiveOptions read_only;
  read_only.read_only = true;
  OpenOrFail(built, read_only);  // reading removes nothing
  REQUIRE(Archive::Open(dir, read_only).status().code() == Status::Code::kNotFound);
  CHECK(fs::exists(built));
  OpenOrFail(dir);  // creates the archive
  CHECK_FALSE(fs::exists(built));
  CHECK_FALSE(fs::exists(empty));
  for (const std::string& name : kept) CHECK(fs::exists(tmp.Sub(name)));
  CHECK(fs::exists(tmp.Sub(kept.back() + "/notes.txt")));
  CHECK(fs::exists(file));

  // Opening the archive once it exists removes them too.
  fs::create_directory(empty);
  OpenOrFail(dir);
  CHECK_FALSE(fs::exists(empty));
}

TEST_CASE("opening an archive leaves the folder another process builds an archive in alone") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  // Named for a process that is gone, but a live one holds its database open, and so its LOCK.
  const std::string building = tmp.Sub(".archive.creating-" + DeadPid());
  const pid_t writer = StartWriter(building);
  REQUIRE(WaitUntilWriting(building));
  OpenOrFail(dir);
  const bool left = std::filesystem::exists(building + "/CURRENT");
  KillWriter(writer);
  CHECK(left);
  OpenOrFail(dir);  // once no process holds it, it goes
  CHECK_FALSE(std::filesystem::exists(building));
}

}  // namespace
}  // namespace quire::store
