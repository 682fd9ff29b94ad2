// Commits, reads and edits of documents. Every change to a document is one ArchiveBatch, written
// synced (unless ArchiveOptions::sync_commits is off), so a crash leaves all of it or none.
#include "rocks_archive.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "index_tables.h"
#include "quire/common/hash.h"
#include "rocks_status.h"

namespace quire::store {
namespace {

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What a Get in `column` gave: its value, none, or the error.
Result<std::optional<std::string>> Found(const rocksdb::Status& status, std::string value,
                                         Column column) {
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) return ToStatus(status, std::string("reading ") + ColumnName(column));
  return std::optional<std::string>(std::move(value));
}

Status NoSuchDocument(DocId id) {
  return Status::NotFound("the archive has no document " + std::to_string(id) +
                          "; quire list shows the documents it has");
}

DocumentSummary SummaryOf(DocId id, const std::string& sha256, int64_t ingested,
                          const NewDocument& doc) {
  DocumentSummary summary;
  summary.id = id;
  summary.sha256 = sha256;
  summary.source = doc.source;
  summary.format = doc.format;
  summary.type = doc.extraction.type;
  summary.pages = static_cast<int>(doc.pages.size());
  summary.ingested = ingested;
  summary.needs_review = doc.extraction.needs_review;
  summary.tags = doc.tags;
  summary.title = doc.title;
  summary.notes = doc.notes;
  return summary;
}

Result<Extraction> DecodeFields(DocId id, std::string_view value) {
  Result<Extraction> extraction = DecodeExtraction(value);
  if (!extraction.ok()) return extraction.status().WithContext(DocumentName(id));
  return extraction;
}

uint64_t NextInstance() {
  static std::atomic<uint64_t> next{1};
  return next++;
}

class RocksKvIterator : public KvIterator {
 public:
  explicit RocksKvIterator(std::unique_ptr<rocksdb::Iterator> it) : it_(std::move(it)) {
    it_->SeekToFirst();
  }
  bool Valid() const override { return it_->Valid(); }
  void Seek(std::string_view target) override {
    it_->Seek(rocksdb::Slice(target.data(), target.size()));
  }
  void Next() override { it_->Next(); }
  std::string_view key() const override { return it_->key().ToStringView(); }
  std::string_view value() const override { return it_->value().ToStringView(); }
  Status status() const override { return ToStatus(it_->status(), "reading the index"); }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

Result<std::unique_ptr<Archive>> Archive::Open(const std::string& dir,
                                               const ArchiveOptions& options) {
  return RocksArchive::Open(dir, options, rocksdb::Env::Default());
}

int Archive::SchemaVersion() { return kSchemaVersion; }

RocksArchive::RocksArchive(std::string dir, bool read_only, rocksdb::Env* env,
                           std::unique_ptr<rocksdb::DB> db, const ColumnHandles& columns)
    : dir_(std::move(dir)),
      read_only_(read_only),
      env_(env),
      db_(std::move(db)),
      columns_(columns),
      instance_(NextInstance()) {}

RocksArchive::~RocksArchive() {
  // The documents of deferred index writes are marked, so a failure here loses nothing: the next
  // open indexes them again.
  if (!read_only_) {
    std::lock_guard<std::mutex> lock(write_mu_);
    (void)FlushLocked();
  }
  // Commits written without sync reach the disk here, as sorted tables rather than a log that the
  // next open would replay. A failure here cannot be reported.
  if (!sync_commits_ && !read_only_) {
    db_->Flush(rocksdb::FlushOptions(), std::vector(columns_.begin(), columns_.end()))
        .PermitUncheckedError();
  }
  // RocksDB requires the handles to go before the database; a failure here cannot be reported.
  for (rocksdb::ColumnFamilyHandle* column : columns_) {
    db_->DestroyColumnFamilyHandle(column).PermitUncheckedError();
  }
}

Status RocksArchive::CheckWritable() const {
  if (!read_only_) return Status::Ok();
  return Status::InvalidArgument("the archive " + dir_ +
                                 " was opened read-only; open it for writing to change it");
}

Result<std::optional<std::string>> RocksArchive::GetValue(Column column,
                                                          const rocksdb::ReadOptions& options,
                                                          std::string_view key) {
  std::string value;
  const rocksdb::Status s =
      db_->Get(options, handle(column), rocksdb::Slice(key.data(), key.size()), &value);
  return Found(s, std::move(value), column);
}

Result<std::optional<std::string>> RocksArchive::ReadOriginal(const rocksdb::ReadOptions& options,
                                                              std::string_view sha256) {
  std::string value;
  const rocksdb::Status s = db_->Get(options, handle(Column::kOriginals),
                                     rocksdb::Slice(sha256.data(), sha256.size()), &value);
  // Blob files are opened when first read, and a writer beside this reader (quire serve) may
  // since have moved the original to a new one (garbage collection of deleted originals).
  if (read_only_ && FileVanished(s)) return ReadMovedOriginal(sha256);
  return Found(s, std::move(value), Column::kOriginals);
}

Result<std::optional<std::string>> RocksArchive::ReadMovedOriginal(std::string_view sha256) {
  std::lock_guard<std::mutex> lock(newer_view_mu_);
  rocksdb::Status s;
  std::string value;
  for (int tries = 0; tries < 2; ++tries) {
    if (newer_view_ == nullptr) {
      QUIRE_ASSIGN_OR_RETURN(newer_view_,
                             OpenDatabase(dir_, /*read_only=*/true, /*create=*/false, env_));
    }
    s = newer_view_->db_->Get(rocksdb::ReadOptions(), newer_view_->handle(Column::kOriginals),
                              rocksdb::Slice(sha256.data(), sha256.size()), &value);
    if (!FileVanished(s)) break;
    newer_view_.reset();  // the writer has moved it again since that view was opened
  }
  return Found(s, std::move(value), Column::kOriginals);
}

Status RocksArchive::ForEach(Column column, const rocksdb::ReadOptions& options,
                             std::string_view prefix, const Visitor& visit) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, handle(column)));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
       it->Valid() && it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size()));
       it->Next()) {
    QUIRE_RETURN_IF_ERROR(visit(it->key().ToStringView(), it->value().ToStringView()));
  }
  return ToStatus(it->status(), std::string("reading ") + ColumnName(column));
}

Result<DocumentSummary> RocksArchive::ReadSummary(const rocksdb::ReadOptions& options, DocId id) {
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> value,
                         GetValue(Column::kDocuments, options, DocKey(id)));
  if (!value.has_value()) return NoSuchDocument(id);
  Result<DocumentSummary> summary = DecodeSummary(id, *value);
  if (!summary.ok()) return summary.status().WithContext(DocumentName(id));
  return summary;
}

Result<std::vector<PageText>> RocksArchive::ReadPages(const rocksdb::ReadOptions& options,
                                                      DocId id) {
  std::vector<PageText> pages;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kPages, options, DocKey(id), [&](std::string_view, std::string_view value) {
        Result<PageText> page = DecodePage(value);
        if (!page.ok()) return page.status().WithContext(DocumentName(id));
        pages.push_back(std::move(*page));
        return Status::Ok();
      }));
  return pages;
}

Result<Extraction> RocksArchive::ReadExtraction(const rocksdb::ReadOptions& options, DocId id) {
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> value,
                         GetValue(Column::kFields, options, DocKey(id)));
  if (!value.has_value()) {
    return Status::Corruption(DocumentName(id) + " has no fields record; run quire verify");
  }
  return DecodeFields(id, *value);
}

Result<std::vector<AuditEvent>> RocksArchive::ReadHistory(const rocksdb::ReadOptions& options,
                                                          DocId id) {
  std::vector<AuditEvent> history;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kAudit, options, DocKey(id), [&](std::string_view, std::string_view value) {
        Result<AuditEvent> event = DecodeAudit(value);
        if (!event.ok()) return event.status().WithContext(DocumentName(id));
        history.push_back(std::move(*event));
        return Status::Ok();
      }));
  return history;
}

Result<std::vector<DocId>> RocksArchive::Holders(const rocksdb::ReadOptions& options,
                                                 std::string_view sha256) {
  std::vector<DocId> ids;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kOriginalRefs, options, sha256, [&](std::string_view key, std::string_view) {
        ids.push_back(DocIdOfRefKey(key));
        return Status::Ok();
      }));
  return ids;
}

NewDocument IndexedForm(DocumentRecord record) {
  NewDocument doc;
  doc.source = std::move(record.summary.source);
  doc.format = std::move(record.summary.format);
  doc.tags = std::move(record.summary.tags);
  doc.title = std::move(record.summary.title);
  doc.notes = std::move(record.summary.notes);
  doc.pages = std::move(record.pages);
  doc.extraction = std::move(record.extraction);
  return doc;
}

Status RocksArchive::AddAuditEvent(ArchiveBatch& batch, DocId id, AuditEvent event) {
  uint64_t next_sequence = 0;
  QUIRE_RETURN_IF_ERROR(ForEach(Column::kAudit, rocksdb::ReadOptions(), DocKey(id),
                                [&](std::string_view key, std::string_view) {
                                  next_sequence = DecodeFixed64(key.substr(kDocIdSize)) + 1;
                                  return Status::Ok();
                                }));
  if (event.time == 0) event.time = Now();
  batch.Put(Column::kAudit, AuditKey(id, next_sequence), EncodeAudit(event));
  return Status::Ok();
}

Result<NewDocument> RocksArchive::ReadIndexedForm(const DocumentSummary& summary) {
  DocumentRecord record;
  record.summary = summary;
  QUIRE_ASSIGN_OR_RETURN(record.pages, ReadPages(rocksdb::ReadOptions(), summary.id));
  QUIRE_ASSIGN_OR_RETURN(record.extraction, ReadExtraction(rocksdb::ReadOptions(), summary.id));
  return IndexedForm(std::move(record));
}

Status RocksArchive::Index(DocId id, const NewDocument& doc, ArchiveBatch& batch) {
  if (!indexer_) return Status::Ok();
  return indexer_->Index(id, doc, batch).WithContext("indexing " + DocumentName(id));
}

Status RocksArchive::Unindex(DocId id, const NewDocument& indexed, ArchiveBatch& batch) {
  return indexer_->Unindex(id, indexed, *this, batch).WithContext("unindexing " + DocumentName(id));
}

Status RocksArchive::Reindex(const DocumentSummary& stored, const DocumentSummary& edited,
                             const Extraction* extraction, ArchiveBatch& batch) {
  if (!indexer_) return Status::Ok();
  QUIRE_ASSIGN_OR_RETURN(NewDocument indexed, ReadIndexedForm(stored));
  QUIRE_RETURN_IF_ERROR(Unindex(stored.id, indexed, batch));
  DocumentRecord record;
  record.summary = edited;
  record.pages = std::move(indexed.pages);
  record.extraction = extraction ? *extraction : std::move(indexed.extraction);
  return Index(stored.id, IndexedForm(std::move(record)), batch);
}

Result<CommitResult> RocksArchive::Commit(const NewDocument& doc) {
  QUIRE_RETURN_IF_ERROR(CheckWritable());
  const std::string sha256 = Sha256Hex(doc.original);
  std::lock_guard<std::mutex> lock(write_mu_);
  QUIRE_ASSIGN_OR_RETURN(std::optional<DocId> earlier, FindBySha256(sha256));
  if (earlier.has_value()) return CommitResult{*earlier, /*duplicate=*/true};

  const DocId id = doc.imported && doc.imported->id >= next_id_ ? doc.imported->id : next_id_;
  const int64_t now = Now();
  const int64_t ingested = doc.imported ? doc.imported->ingested : now;
  // The indexer's deferred writes go into pending_; a failure forgets them.
  const DeferredWrites::Mark before = pending_.End();
  struct ForgetOnFailure {
    DeferredWrites& writes;
    DeferredWrites::Mark mark;
    bool committed = false;
    ~ForgetOnFailure() {
      if (!committed) writes.Truncate(mark);
    }
  } forget{pending_, before};
  ArchiveBatch batch(columns_, instance_, &pending_);
  batch.Put(Column::kMeta, kNextDocIdKey, EncodeFixed64(id + 1));
  batch.Put(Column::kOriginals, sha256, doc.original);
  batch.Put(Column::kOriginalRefs, RefKey(sha256, id), EncodeFixed64(doc.original.size()));
  batch.Put(Column::kDocuments, DocKey(id), EncodeSummary(SummaryOf(id, sha256, ingested, doc)));
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    batch.Put(Column::kPages, PageKey(id, static_cast<uint32_t>(i)), EncodePage(doc.pages[i]));
  }
  batch.Put(Column::kFields, DocKey(id), EncodeExtraction(doc.extraction));
  QUIRE_RETURN_IF_ERROR(
      AddToTally(batch, {.documents = 1,
                         .pages = static_cast<int64_t>(doc.pages.size()),
                         .needs_review = doc.extraction.needs_review ? 1 : 0,
                         .originals = 1,
                         .original_bytes = static_cast<int64_t>(doc.original.size())}));
  if (doc.extraction.needs_review) MarkForReview(batch, id, true);
  const std::vector<AuditEvent> history =
      doc.imported ? doc.imported->history
                   : std::vector<AuditEvent>{{now, "ingested", doc.by, doc.source}};
  for (size_t i = 0; i < history.size(); ++i) {
    batch.Put(Column::kAudit, AuditKey(id, i), EncodeAudit(history[i]));
  }
  QUIRE_RETURN_IF_ERROR(Index(id, doc, batch));
  QUIRE_RETURN_IF_ERROR(WriteCommit(batch, id, before, "committing " + DocumentName(id)));
  forget.committed = true;
  next_id_ = id + 1;
  if (marked_.size() >= static_cast<size_t>(index_buffer_documents_) ||
      pending_.changes() >= index_buffer_changes_) {
    // A bulk import's buffer is written beside its next commits, on a processor they leave idle
    // (the flush was two fifths of bench_search's main thread, perf); each commit's own write is
    // synced as before, and a crash still loses only writes that the marks redo.
    const Status flushed = index_buffer_documents_ > 1 ? StartFlush() : FlushLocked();
    QUIRE_RETURN_IF_ERROR(flushed.WithContext(
        DocumentName(id) + " is committed and will be indexed when the archive next opens"));
  }
  return CommitResult{id, /*duplicate=*/false};
}

Result<std::optional<DocId>> RocksArchive::FindBySha256(const std::string& sha256) {
  if (sha256.size() != kSha256HexSize) {
    return Status::InvalidArgument("'" + sha256 + "' is not a SHA-256 (64 hex characters)");
  }
  QUIRE_ASSIGN_OR_RETURN(std::vector<DocId> holders, Holders(rocksdb::ReadOptions(), sha256));
  if (holders.empty()) return std::optional<DocId>();
  return std::optional<DocId>(holders.front());
}

Result<DocumentRecord> RocksArchive::Get(DocId id) {
  // One snapshot, so a concurrent edit cannot mix old and new records.
  const SnapshotReads reads(db_.get());
  const rocksdb::ReadOptions& options = reads.options();
  DocumentRecord record;
  QUIRE_ASSIGN_OR_RETURN(DocumentSummary summary, ReadSummary(options, id));
  record.summary = std::move(summary);
  QUIRE_ASSIGN_OR_RETURN(std::vector<PageText> pages, ReadPages(options, id));
  record.pages = std::move(pages);
  QUIRE_ASSIGN_OR_RETURN(Extraction extraction, ReadExtraction(options, id));
  record.extraction = std::move(extraction);
  QUIRE_ASSIGN_OR_RETURN(std::vector<AuditEvent> history, ReadHistory(options, id));
  record.history = std::move(history);
  return record;
}

Result<DocumentContent> RocksArchive::GetContent(DocId id) {
  const SnapshotReads reads(db_.get());
  const rocksdb::ReadOptions& options = reads.options();
  // Every document has a fields record, so its absence means there is no such document.
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> fields,
                         GetValue(Column::kFields, options, DocKey(id)));
  if (!fields.has_value()) return NoSuchDocument(id);
  DocumentContent content;
  QUIRE_ASSIGN_OR_RETURN(Extraction extraction, DecodeFields(id, *fields));
  content.extraction = std::move(extraction);
  QUIRE_ASSIGN_OR_RETURN(std::vector<PageText> pages, ReadPages(options, id));
  content.pages = std::move(pages);
  return content;
}

Result<std::string> RocksArchive::GetOriginal(DocId id) {
  const SnapshotReads reads(db_.get());
  const rocksdb::ReadOptions& options = reads.options();
  QUIRE_ASSIGN_OR_RETURN(DocumentSummary summary, ReadSummary(options, id));
  Result<std::optional<std::string>> original = ReadOriginal(options, summary.sha256);
  if (!original.ok()) return original.status().WithContext("the original of " + DocumentName(id));
  if (!original->has_value()) {
    return Status::Corruption("the original of " + DocumentName(id) + " (" + summary.sha256 +
                              ") is missing from the archive; run quire verify");
  }
  return std::move(**original);
}

Result<std::vector<DocumentSummary>> Archive::List() {
  QUIRE_ASSIGN_OR_RETURN(DocumentList all, ListPage({}));
  return std::move(all.documents);
}

Result<DocumentList> RocksArchive::ListPage(const ListQuery& query) {
  const SnapshotReads reads(db_.get());
  const rocksdb::ReadOptions& options = reads.options();
  if (!tallied_) return ScanPage(options, query);
  QUIRE_ASSIGN_OR_RETURN(Tally tally, ReadTally(options));
  DocumentList list;
  list.total = static_cast<size_t>(query.needs_review ? tally.needs_review : tally.documents);
  // Ids grow with time, so the newest is the last key: of the documents, or of the review marks.
  const std::string_view prefix = query.needs_review ? kReviewKeys : "";
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(options, handle(query.needs_review ? Column::kMeta : Column::kDocuments)));
  if (query.needs_review) {
    it->SeekForPrev(ReviewKey(std::numeric_limits<DocId>::max()));
  } else {
    it->SeekToLast();
  }
  const rocksdb::Slice wanted(prefix.data(), prefix.size());
  for (size_t skipped = 0;
       it->Valid() && it->key().starts_with(wanted) && list.documents.size() < query.limit;
       it->Prev()) {
    if (skipped < query.offset) {
      ++skipped;
      continue;
    }
    const std::string_view key = it->key().ToStringView();
    Result<DocumentSummary> summary =
        query.needs_review ? ReadSummary(options, DocIdOfReviewKey(key))
                           : DecodeSummary(DocIdOfKey(key), it->value().ToStringView());
    if (!summary.ok()) return summary.status().WithContext("listing documents");
    list.documents.push_back(std::move(*summary));
  }
  QUIRE_RETURN_IF_ERROR(ToStatus(it->status(), "listing documents"));
  return list;
}

Result<DocumentList> RocksArchive::ScanPage(const rocksdb::ReadOptions& options,
                                            const ListQuery& query) {
  DocumentList list;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, handle(Column::kDocuments)));
  for (it->SeekToLast(); it->Valid(); it->Prev()) {  // ids grow with time: newest first
    const DocId id = DocIdOfKey(it->key().ToStringView());
    Result<DocumentSummary> summary = DecodeSummary(id, it->value().ToStringView());
    if (!summary.ok()) return summary.status().WithContext(DocumentName(id));
    if (query.needs_review && !summary->needs_review) continue;
    if (list.total++ >= query.offset && list.documents.size() < query.limit) {
      list.documents.push_back(std::move(*summary));
    }
  }
  QUIRE_RETURN_IF_ERROR(ToStatus(it->status(), "listing documents"));
  return list;
}

Result<Tally> RocksArchive::ReadTally(const rocksdb::ReadOptions& options) {
  if (!tallied_) return CountRecords(options);
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> value,
                         GetValue(Column::kMeta, options, kTallyKey));
  if (!value.has_value()) return Tally();  // no commit yet
  return DecodeTally(*value);
}

Status RocksArchive::AddToTally(ArchiveBatch& batch, const Tally& change) {
  QUIRE_ASSIGN_OR_RETURN(Tally tally, ReadTally(rocksdb::ReadOptions()));
  tally += change;
  batch.Put(Column::kMeta, kTallyKey, EncodeTally(tally));
  return Status::Ok();
}

void RocksArchive::MarkForReview(ArchiveBatch& batch, DocId id, bool needs_review) {
  if (needs_review) {
    batch.Put(Column::kMeta, ReviewKey(id), "");
  } else {
    batch.Delete(Column::kMeta, ReviewKey(id));
  }
}

Result<std::vector<DeletedDocument>> RocksArchive::ListDeleted() {
  // A history whose document has no record left: Delete keeps the audit log alone.
  const SnapshotReads reads(db_.get());
  const rocksdb::ReadOptions& options = reads.options();
  std::vector<DeletedDocument> deleted;
  std::optional<DocId> current;
  bool current_deleted = false;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kAudit, options, "", [&](std::string_view key, std::string_view value) {
        const DocId id = DocIdOfKey(key);
        if (id != current) {
          current = id;
          QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> record,
                                 GetValue(Column::kDocuments, options, DocKey(id)));
          current_deleted = !record.has_value();
          if (current_deleted) deleted.push_back({id, {}});
        }
        if (!current_deleted) return Status::Ok();
        Result<AuditEvent> event = DecodeAudit(value);
        if (!event.ok()) return event.status().WithContext(DocumentName(id));
        deleted.back().history.push_back(std::move(*event));
        return Status::Ok();
      }));
  return deleted;
}

Result<DocId> RocksArchive::ImportDeleted(const DeletedDocument& doc) {
  QUIRE_RETURN_IF_ERROR(CheckWritable());
  std::lock_guard<std::mutex> lock(write_mu_);
  const DocId id = doc.id >= next_id_ ? doc.id : next_id_;
  ArchiveBatch batch(columns_, instance_);
  batch.Put(Column::kMeta, kNextDocIdKey, EncodeFixed64(id + 1));
  for (size_t i = 0; i < doc.history.size(); ++i) {
    batch.Put(Column::kAudit, AuditKey(id, i), EncodeAudit(doc.history[i]));
  }
  QUIRE_RETURN_IF_ERROR(
      batch.Write(*db_, "keeping the history of deleted " + DocumentName(id), sync_commits_));
  next_id_ = id + 1;
  return id;
}

Status RocksArchive::AppendAudit(DocId id, const AuditEvent& event) {
  QUIRE_RETURN_IF_ERROR(CheckWritable());
  std::lock_guard<std::mutex> lock(write_mu_);
  QUIRE_RETURN_IF_ERROR(ReadSummary(rocksdb::ReadOptions(), id).status());
  ArchiveBatch batch(columns_, instance_);
  QUIRE_RETURN_IF_ERROR(AddAuditEvent(batch, id, event));
  return batch.Write(*db_, "logging an event of " + DocumentName(id), sync_commits_);
}

Result<RocksArchive::Edit> RocksArchive::BeginEdit(DocId id) {
  QUIRE_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::mutex> lock(write_mu_);
  QUIRE_RETURN_IF_ERROR(FlushLocked());  // the indexer reads the document's index entries
  QUIRE_ASSIGN_OR_RETURN(DocumentSummary summary, ReadSummary(rocksdb::ReadOptions(), id));
  return Edit{std::move(lock), std::move(summary)};
}

Status RocksArchive::UpdateFields(DocId id, const Extraction& extraction, const AuditEvent& event) {
  QUIRE_ASSIGN_OR_RETURN(Edit edit, BeginEdit(id));
  const DocumentSummary stored = edit.summary;
  DocumentSummary& summary = edit.summary;
  ArchiveBatch batch(columns_, instance_);
  if (summary.needs_review != extraction.needs_review) {
    QUIRE_RETURN_IF_ERROR(AddToTally(batch, {.needs_review = extraction.needs_review ? 1 : -1}));
    MarkForReview(batch, id, extraction.needs_review);
  }
  summary.type = extraction.type;
  summary.needs_review = extraction.needs_review;
  batch.Put(Column::kDocuments, DocKey(id), EncodeSummary(summary));
  batch.Put(Column::kFields, DocKey(id), EncodeExtraction(extraction));
  QUIRE_RETURN_IF_ERROR(AddAuditEvent(batch, id, event));
  QUIRE_RETURN_IF_ERROR(Reindex(stored, summary, &extraction, batch));
  return WriteIndexed(batch, "updating the fields of " + DocumentName(id));
}

Status RocksArchive::UpdateLabels(DocId id, const DocumentLabels& labels, const AuditEvent& event) {
  QUIRE_ASSIGN_OR_RETURN(Edit edit, BeginEdit(id));
  const DocumentSummary stored = edit.summary;
  DocumentSummary& summary = edit.summary;
  summary.tags = labels.tags;
  summary.title = labels.title;
  summary.notes = labels.notes;
  ArchiveBatch batch(columns_, instance_);
  batch.Put(Column::kDocuments, DocKey(id), EncodeSummary(summary));
  QUIRE_RETURN_IF_ERROR(AddAuditEvent(batch, id, event));
  QUIRE_RETURN_IF_ERROR(Reindex(stored, summary, nullptr, batch));
  return WriteIndexed(batch, "updating the labels of " + DocumentName(id));
}

Status RocksArchive::Delete(DocId id, const AuditEvent& event) {
  QUIRE_ASSIGN_OR_RETURN(Edit edit, BeginEdit(id));
  const DocumentSummary& summary = edit.summary;
  const rocksdb::ReadOptions options;
  ArchiveBatch batch(columns_, instance_);
  if (indexer_) {
    // The indexer needs the document as it was, so it is read before anything is deleted.
    QUIRE_ASSIGN_OR_RETURN(NewDocument indexed, ReadIndexedForm(summary));
    QUIRE_RETURN_IF_ERROR(Unindex(id, indexed, batch));
  }
  batch.Delete(Column::kDocuments, DocKey(id));
  batch.Delete(Column::kFields, DocKey(id));
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kPages, options, DocKey(id), [&](std::string_view key, std::string_view) {
        batch.Delete(Column::kPages, key);
        return Status::Ok();
      }));
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> size,
                         GetValue(Column::kOriginalRefs, options, RefKey(summary.sha256, id)));
  batch.Delete(Column::kOriginalRefs, RefKey(summary.sha256, id));
  QUIRE_ASSIGN_OR_RETURN(std::vector<DocId> holders, Holders(options, summary.sha256));
  const bool shared =
      std::any_of(holders.begin(), holders.end(), [id](DocId holder) { return holder != id; });
  if (!shared) batch.Delete(Column::kOriginals, summary.sha256);
  const int64_t freed = !shared && size.has_value() && size->size() == 8
                            ? static_cast<int64_t>(DecodeFixed64(*size))
                            : 0;
  QUIRE_RETURN_IF_ERROR(AddToTally(batch, {.documents = -1,
                                           .pages = -summary.pages,
                                           .needs_review = summary.needs_review ? -1 : 0,
                                           .originals = shared ? 0 : -1,
                                           .original_bytes = -freed}));
  if (summary.needs_review) MarkForReview(batch, id, false);

  AuditEvent deleted = event;
  deleted.action = "deleted";
  QUIRE_RETURN_IF_ERROR(AddAuditEvent(batch, id, std::move(deleted)));
  return WriteIndexed(batch, "deleting " + DocumentName(id));
}

Status RocksArchive::WriteCommit(ArchiveBatch& batch, DocId id, DeferredWrites::Mark before,
                                 const std::string& what) {
  const bool indexed = pending_.End() != before;
  if (indexed) batch.Put(Column::kMeta, UnindexedKey(id), "");
  QUIRE_RETURN_IF_ERROR(batch.Write(*db_, what, sync_commits_));
  if (indexed) {
    marked_.push_back(id);
    has_pending_ = true;
  }
  return Status::Ok();
}

Status RocksArchive::WriteIndexed(ArchiveBatch& batch, const std::string& what) {
  BatchWrites out(batch.batch());
  QUIRE_RETURN_IF_ERROR(batch.deferred()
                            .Write(*db_, handle(Column::kIndexTermStats),
                                   handle(Column::kIndexPostings), indexer_.get(), written_through_,
                                   out)
                            .WithContext(what));
  return batch.Write(*db_, what, sync_commits_);
}

Status RocksArchive::IngestDeferred(const DeferredWrites& writes, const std::vector<DocId>& marked,
                                    DocId written_through) {
  IndexTables tables(*db_, dir_);
  QUIRE_RETURN_IF_ERROR(writes.Write(*db_, handle(Column::kIndexTermStats),
                                     handle(Column::kIndexPostings), indexer_.get(),
                                     written_through, tables));
  std::vector<DocId> ids = marked;  // in commit order, ascending but for imported ids
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (DocId id : ids) tables.Delete(handle(Column::kMeta), UnindexedKey(id));
  // An ingested file is on disk at once, unlike unsynced commits: the commits of its documents
  // are synced first, so that a power loss never keeps the index of a document it took. A synced
  // write of nothing syncs the log, and RocksDB refuses it once a log write has failed (a full
  // disk), where DB::SyncWAL fails an assertion and aborts the process.
  if (!sync_commits_) {
    rocksdb::WriteOptions synced;
    synced.sync = true;
    rocksdb::WriteBatch nothing;
    QUIRE_RETURN_IF_ERROR(
        ToStatus(WriteResuming(*db_, synced, &nothing), "syncing the log before the index"));
  }
  return tables.Ingest();
}

Status RocksArchive::WriteDeferred(const DeferredWrites& writes, const std::vector<DocId>& marked,
                                   DocId written_through) {
  if (writes.changes() >= index_table_changes_ && writes.OnlyAppends(written_through)) {
    // Nothing of a failed ingestion is kept: the writes can go through the log instead.
    if (IngestDeferred(writes, marked, written_through).ok()) return Status::Ok();
  }
  rocksdb::WriteBatch batch;
  BatchWrites out(batch);
  QUIRE_RETURN_IF_ERROR(writes.Write(*db_, handle(Column::kIndexTermStats),
                                     handle(Column::kIndexPostings), indexer_.get(),
                                     written_through, out));
  for (DocId id : marked) {
    QUIRE_RETURN_IF_ERROR(
        ToStatus(batch.Delete(handle(Column::kMeta), UnindexedKey(id)), "writing the index"));
  }
  // Not synced, even when commits are: all of it is redone from the marks, which synced commits
  // wrote before it. The log keeps writes in order, so a power loss that takes this write takes
  // what follows it, never what precedes it, and a column flushed to a table file syncs the log
  // first (RocksDB syncs closed logs before such a flush), so the write is never kept in part.
  // `quire ingest` (a flush with every commit) spent half its index time in that second sync.
  return ToStatus(WriteResuming(*db_, rocksdb::WriteOptions(), &batch), "writing the index");
}

Status RocksArchive::FlushLocked() {
  QUIRE_RETURN_IF_ERROR(JoinFlush());
  if (marked_.empty()) {
    has_pending_ = false;
    return Status::Ok();
  }
  QUIRE_RETURN_IF_ERROR(WriteDeferred(pending_, marked_, written_through_));
  pending_.Clear();
  marked_.clear();
  written_through_ = next_id_ - 1;
  has_pending_ = false;
  return Status::Ok();
}

Status RocksArchive::StartFlush() {
  QUIRE_RETURN_IF_ERROR(JoinFlush());
  flushing_ = std::make_unique<Flushing>(
      Flushing{std::move(pending_), std::move(marked_), written_through_, Status::Ok()});
  pending_ = std::move(spare_);
  marked_.clear();
  written_through_ = next_id_ - 1;
  flusher_ = std::thread([this, flushing = flushing_.get()] {
    flushing->status = WriteDeferred(flushing->writes, flushing->marked, flushing->written_through);
  });
  return Status::Ok();
}

Status RocksArchive::JoinFlush() {
  if (!flusher_.joinable()) return Status::Ok();
  flusher_.join();
  std::unique_ptr<Flushing> done = std::move(flushing_);
  if (done->status.ok()) {
    done->writes.Clear();
    spare_ = std::move(done->writes);
    return Status::Ok();
  }
  // Nothing of them was written: they go before the later commits' writes, into the next flush.
  done->writes.Take(std::move(pending_));
  pending_ = std::move(done->writes);
  done->marked.insert(done->marked.end(), marked_.begin(), marked_.end());
  marked_ = std::move(done->marked);
  written_through_ = done->written_through;
  return done->status;
}

Status RocksArchive::FlushIndex() {
  if (!index_readable_) {
    return Status::Unsupported("the search index of " + dir_ +
                               " was written by an older quire; it is rebuilt when a command "
                               "that writes to the archive (such as quire serve, watch or "
                               "ingest) next opens it");
  }
  if (read_only_ || !has_pending_) return Status::Ok();
  std::lock_guard<std::mutex> lock(write_mu_);
  return FlushLocked();
}

Status RocksArchive::Writable() {
  QUIRE_RETURN_IF_ERROR(CheckWritable());
  // Returns OK at once when writes were never stopped.
  return ToStatus(db_->Resume(), "the archive " + dir_ + " stopped taking writes after an error");
}

Result<std::optional<std::string>> RocksArchive::GetIndexValue(IndexColumn column,
                                                               std::string_view key) {
  return GetValue(ToColumn(column), rocksdb::ReadOptions(), key);
}

std::unique_ptr<ListIterator> RocksArchive::NewListIterator(IndexColumn column,
                                                            std::string_view list) {
  return NewBlockListIterator(*db_, handle(ToColumn(column)), list);
}

std::unique_ptr<KvIterator> RocksArchive::NewIndexIterator(IndexColumn column) {
  return std::make_unique<RocksKvIterator>(std::unique_ptr<rocksdb::Iterator>(
      db_->NewIterator(rocksdb::ReadOptions(), handle(ToColumn(column)))));
}

}  // namespace quire::store
