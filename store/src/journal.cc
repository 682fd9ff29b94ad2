// The journal column family of the archive (see schema.cc):
//
//   key                       value
//   ---                       -----
//   'f' file                  entry-json   the current state of a file not finished yet
//   'h' sequence              entry-json   a finished file; sequence is fixed64, 1, 2, 3, ...
//
//   entry-json := {"file", "state", "sha256", "id", "duplicate", "error", "time_ms", "duration_ms"}
//   state      := "seen" | "working" | "committed" | "failed" | "gone"
//
// Finish deletes the 'f' record, appends the 'h' entry and deletes the entry kHistoryKept older,
// in one synced WriteBatch, so the history stays bounded and a file is never both current and
// finished.
#include "quire/store/journal.h"

#include <rocksdb/write_batch.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "rocks_archive.h"
#include "rocks_status.h"

namespace quire::store {
namespace {

using nlohmann::json;

constexpr char kFilePrefix = 'f';
constexpr char kHistoryPrefix = 'h';

const FileState kStates[] = {FileState::kSeen, FileState::kWorking, FileState::kCommitted,
                             FileState::kFailed, FileState::kGone};

std::string FileKey(std::string_view file) { return kFilePrefix + std::string(file); }
std::string HistoryKey(uint64_t sequence) { return kHistoryPrefix + EncodeFixed64(sequence); }

std::string Encode(const JournalEntry& e) {
  // File names need not be UTF-8; bad bytes become U+FFFD, as in the documents column.
  return json{{"file", e.file},       {"state", FileStateName(e.state)}, {"sha256", e.sha256},
              {"id", e.id},           {"duplicate", e.duplicate},        {"error", e.error},
              {"time_ms", e.time_ms}, {"duration_ms", e.duration_ms}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<JournalEntry> Decode(std::string_view value) {
  const json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  try {
    if (j.is_discarded()) throw std::runtime_error("not JSON");
    JournalEntry e;
    e.file = j.at("file").get<std::string>();
    const std::string state = j.at("state").get<std::string>();
    for (FileState s : kStates) {
      if (state == FileStateName(s)) e.state = s;
    }
    e.sha256 = j.at("sha256").get<std::string>();
    e.id = j.at("id").get<DocId>();
    e.duplicate = j.at("duplicate").get<bool>();
    e.error = j.at("error").get<std::string>();
    e.time_ms = j.at("time_ms").get<int64_t>();
    e.duration_ms = j.at("duration_ms").get<int64_t>();
    return e;
  } catch (const std::exception& error) {
    return Status::Corruption(std::string("journal record is not valid: ") + error.what() +
                              "; run quire verify");
  }
}

class RocksJournal final : public Journal {
 public:
  explicit RocksJournal(RocksArchive& archive)
      : db_(archive.db()), column_(archive.handle(Column::kJournal)) {}

  // Finds the last history sequence, so new entries follow it.
  Status LoadSequence() {
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), column_));
    it->SeekForPrev(HistoryKey(UINT64_MAX));
    if (it->Valid() && it->key().starts_with(std::string(1, kHistoryPrefix))) {
      last_sequence_ = DecodeFixed64(it->key().ToStringView().substr(1));
    }
    return ToStatus(it->status(), "reading the journal");
  }

  Status Record(const JournalEntry& entry, bool sync) override {
    rocksdb::WriteBatch batch;
    rocksdb::Status s = batch.Put(column_, FileKey(entry.file), Encode(entry));
    rocksdb::WriteOptions options;
    options.sync = sync;
    if (s.ok()) s = WriteResuming(db_, options, &batch);
    return ToStatus(s, "writing the journal");
  }

  Status Finish(const JournalEntry& entry) override {
    std::lock_guard lock(mu_);
    const uint64_t sequence = last_sequence_ + 1;
    rocksdb::WriteBatch batch;
    rocksdb::Status s = batch.Delete(column_, FileKey(entry.file));
    if (s.ok()) s = batch.Put(column_, HistoryKey(sequence), Encode(entry));
    if (s.ok() && sequence > kHistoryKept)
      s = batch.Delete(column_, HistoryKey(sequence - kHistoryKept));
    rocksdb::WriteOptions options;
    options.sync = true;
    if (s.ok()) s = WriteResuming(db_, options, &batch);
    if (s.ok()) last_sequence_ = sequence;
    return ToStatus(s, "writing the journal");
  }

  Result<std::vector<JournalEntry>> Pending(std::string_view prefix) override {
    std::vector<JournalEntry> entries;
    const std::string start = FileKey(prefix);
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), column_));
    for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
      QUIRE_ASSIGN_OR_RETURN(JournalEntry entry, Decode(it->value().ToStringView()));
      entries.push_back(std::move(entry));
    }
    QUIRE_RETURN_IF_ERROR(ToStatus(it->status(), "reading the journal"));
    return entries;
  }

  Result<std::vector<JournalEntry>> History(std::string_view prefix, size_t limit) override {
    std::vector<JournalEntry> entries;
    const std::string history(1, kHistoryPrefix);
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), column_));
    for (it->SeekForPrev(HistoryKey(UINT64_MAX));
         it->Valid() && it->key().starts_with(history) && entries.size() < limit; it->Prev()) {
      QUIRE_ASSIGN_OR_RETURN(JournalEntry entry, Decode(it->value().ToStringView()));
      if (entry.file.starts_with(prefix)) entries.push_back(std::move(entry));
    }
    QUIRE_RETURN_IF_ERROR(ToStatus(it->status(), "reading the journal"));
    return entries;
  }

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* const column_;
  std::mutex mu_;
  uint64_t last_sequence_ = 0;  // guarded by mu_
};

}  // namespace

const char* FileStateName(FileState state) {
  switch (state) {
    case FileState::kSeen: return "seen";
    case FileState::kWorking: return "working";
    case FileState::kCommitted: return "committed";
    case FileState::kFailed: return "failed";
    case FileState::kGone: return "gone";
  }
  return "seen";
}

Result<std::unique_ptr<Journal>> Journal::Open(Archive& archive) {
  auto* rocks = dynamic_cast<RocksArchive*>(&archive);
  if (rocks == nullptr) return Status::Internal("the journal needs an archive on RocksDB");
  auto journal = std::make_unique<RocksJournal>(*rocks);
  QUIRE_RETURN_IF_ERROR(journal->LoadSequence());
  return std::unique_ptr<Journal>(std::move(journal));
}

}  // namespace quire::store
