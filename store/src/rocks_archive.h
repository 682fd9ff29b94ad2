// The Archive on RocksDB. The layout is in schema.cc; opening (and its error messages) in
// archive_open.cc; verify, backup and stats in maintenance.cc.
//
// Writes hold write_mu_: it makes the duplicate check, the id and audit sequence allocation and the
// write one step. Reads take no lock; RocksDB gives each read a consistent view.
//
// A commit's deferred index writes (index_lists.h) are gathered in pending_, also under write_mu_,
// and its write marks the document unindexed (schema.cc); FlushLocked writes them all in one batch
// that also deletes the marks. A crash loses pending_ but not the marks: opening the archive for
// writing indexes the marked documents again. Edits and Delete write their index changes with
// the document's, once pending_ is written. With ArchiveOptions::index_buffer_documents above 1, a
// full pending_ is written on a thread of its own while later commits fill the next.
//
// The indexer (ArchiveOptions::indexer) runs under write_mu_, inside each write: Index in Commit,
// Unindex then Index in edits (on the stored document, read once), Unindex in Delete.
#pragma once

#include <rocksdb/db.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "archive_batch.h"
#include "quire/store/archive.h"
#include "schema.h"

namespace quire::store {

// Read options pinned to one snapshot, for reads that span several records.
class SnapshotReads {
 public:
  explicit SnapshotReads(rocksdb::DB* db) : snapshot_(db) {
    options_.snapshot = snapshot_.snapshot();
  }
  const rocksdb::ReadOptions& options() const { return options_; }

 private:
  rocksdb::ManagedSnapshot snapshot_;
  rocksdb::ReadOptions options_;
};

class RocksArchive final : public Archive {
 public:
  // Archive::Open, writing its files through `env` (Archive::Open gives rocksdb::Env::Default()).
  // The seam for tests that lose power in-process (tests/store/power_loss_fs.h): an internal
  // parameter rather than an option, so that no RocksDB type reaches quire/store/archive.h.
  // REQUIRES: `env` outlives the archive.
  static Result<std::unique_ptr<Archive>> Open(const std::string& dir,
                                               const ArchiveOptions& options, rocksdb::Env* env);
  ~RocksArchive() override;

  Result<CommitResult> Commit(const NewDocument& doc) override;
  Result<std::optional<DocId>> FindBySha256(const std::string& sha256) override;
  Result<DocumentRecord> Get(DocId id) override;
  Result<DocumentContent> GetContent(DocId id) override;
  Result<std::string> GetOriginal(DocId id) override;
  Result<DocumentList> ListPage(const ListQuery& query) override;
  Result<std::vector<DeletedDocument>> ListDeleted() override;
  Result<DocId> ImportDeleted(const DeletedDocument& doc) override;
  Status AppendAudit(DocId id, const AuditEvent& event) override;
  Status UpdateLabels(DocId id, const DocumentLabels& labels, const AuditEvent& event) override;
  Status UpdateFields(DocId id, const Extraction& extraction, const AuditEvent& event) override;
  Status Delete(DocId id, const AuditEvent& event) override;
  Status Writable() override;
  Result<std::optional<std::string>> GetIndexValue(IndexColumn column,
                                                   std::string_view key) override;
  std::unique_ptr<KvIterator> NewIndexIterator(IndexColumn column) override;
  std::unique_ptr<ListIterator> NewListIterator(IndexColumn column, std::string_view list) override;
  Status FlushIndex() override;
  Status Verify(std::vector<std::string>& problems) override;
  Status Backup(const std::string& dest) override;
  Status Compact() override;
  Result<Stats> GetStats() override;

  // The raw database, for tests that damage an archive on purpose.
  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* handle(Column column) const {
    return columns_[static_cast<int>(column)];
  }

 private:
  using Visitor = std::function<Status(std::string_view key, std::string_view value)>;

  RocksArchive(std::string dir, bool read_only, rocksdb::Env* env, std::unique_ptr<rocksdb::DB> db,
               const ColumnHandles& columns);

  // Opens the RocksDB database in `dir` with every column family, creating missing ones, and the
  // database itself when `create`.
  static Result<std::unique_ptr<RocksArchive>> OpenDatabase(const std::string& dir, bool read_only,
                                                            bool create, rocksdb::Env* env);
  // Creates a new archive at `dir`, a missing or empty folder.
  static Status Create(const std::string& dir, rocksdb::Env* env);
  // Reads the schema version and the id counter; stamps the version into a new archive.
  Status LoadMeta();
  // Rewrites the records of schema `from` (schema.h) as this one writes them.
  Status Migrate(int from);
  Status CheckWritable() const;
  // Indexes the documents marked unindexed: a crash lost their deferred index writes. Without an
  // indexer they stay marked, for an open with one.
  Status IndexMarked();
  // Writes the commit of document `id`, whose deferred index writes the batch gathered into
  // pending_ after `before`; when it has any, the document is marked unindexed. REQUIRES:
  // write_mu_ held.
  Status WriteCommit(ArchiveBatch& batch, DocId id, DeferredWrites::Mark before,
                     const std::string& what);
  // Writes `batch` with its deferred index writes. REQUIRES: write_mu_ held, pending_ written.
  Status WriteIndexed(ArchiveBatch& batch, const std::string& what);
  // Writes pending_ and deletes the marks of its documents, once a flush on flusher_ is done.
  // REQUIRES: write_mu_ held.
  Status FlushLocked();
  // Hands pending_ and its marks to flusher_, to be written while commits go on (bulk imports).
  // REQUIRES: write_mu_ held.
  Status StartFlush();
  // Waits for flusher_, if it runs. When its write failed, its writes and marks go back in front
  // of pending_ for the next flush, and the error is returned. REQUIRES: write_mu_ held.
  Status JoinFlush();
  // Writes `writes` and deletes the marks of `marked` in one write: a batch through the log, or
  // table files ingested at once (IngestDeferred). Called on flusher_ too: it reads only what is
  // fixed at open (the database, its columns, the options).
  Status WriteDeferred(const DeferredWrites& writes, const std::vector<DocId>& marked,
                       DocId written_through);
  // WriteDeferred for a bulk import's appends: as table files ingested at once (index_tables.h).
  Status IngestDeferred(const DeferredWrites& writes, const std::vector<DocId>& marked,
                        DocId written_through);

  // The original with this SHA-256, or nullopt when there is none.
  Result<std::optional<std::string>> ReadOriginal(const rocksdb::ReadOptions& options,
                                                  std::string_view sha256);
  // Reads it through a newer view of the archive. REQUIRES: read_only_.
  Result<std::optional<std::string>> ReadMovedOriginal(std::string_view sha256);
  // The value at `key`, or nullopt when there is none.
  Result<std::optional<std::string>> GetValue(Column column, const rocksdb::ReadOptions& options,
                                              std::string_view key);
  // Calls `visit` on every record whose key starts with `prefix`, in key order, until it fails.
  Status ForEach(Column column, const rocksdb::ReadOptions& options, std::string_view prefix,
                 const Visitor& visit);

  Result<DocumentSummary> ReadSummary(const rocksdb::ReadOptions& options, DocId id);
  Result<std::vector<PageText>> ReadPages(const rocksdb::ReadOptions& options, DocId id);
  Result<Extraction> ReadExtraction(const rocksdb::ReadOptions& options, DocId id);
  Result<std::vector<AuditEvent>> ReadHistory(const rocksdb::ReadOptions& options, DocId id);
  // Every document referencing the original, lowest id first.
  Result<std::vector<DocId>> Holders(const rocksdb::ReadOptions& options, std::string_view sha256);
  // The archive's counts: its tally, or a count of every record in an archive of an older schema
  // opened read-only. CountRecords is that count, and what verify checks the tally against.
  Result<Tally> ReadTally(const rocksdb::ReadOptions& options);
  // With `to_review`, also gives the documents that need review.
  Result<Tally> CountRecords(const rocksdb::ReadOptions& options,
                             std::vector<DocId>* to_review = nullptr);
  // Adds `change` to the tally and marks or unmarks `id` for review, in `batch`.
  // REQUIRES: write_mu_ held.
  Status AddToTally(ArchiveBatch& batch, const Tally& change);
  static void MarkForReview(ArchiveBatch& batch, DocId id, bool needs_review);
  // A page of ListPage read by a scan, for an archive of an older schema opened read-only.
  Result<DocumentList> ScanPage(const rocksdb::ReadOptions& options, const ListQuery& query);
  // The stored document with this summary as the indexer receives it (IndexedForm).
  Result<NewDocument> ReadIndexedForm(const DocumentSummary& summary);
  // The indexer's calls, with the document's name in their errors. Index does nothing without an
  // indexer; Unindex REQUIRES one. REQUIRES: write_mu_ held.
  Status Index(DocId id, const NewDocument& doc, ArchiveBatch& batch);
  Status Unindex(DocId id, const NewDocument& indexed, ArchiveBatch& batch);
  // Re-indexes a document an edit changes: unindexes it as stored (`stored`), then indexes it with
  // the summary `edited` and `extraction` as its fields or, when null, its stored ones. Nothing
  // without an indexer. REQUIRES: write_mu_ held.
  Status Reindex(const DocumentSummary& stored, const DocumentSummary& edited,
                 const Extraction* extraction, ArchiveBatch& batch);

  // A change to a stored document under way: write_mu_ held, the deferred index writes written
  // (the indexer reads the document's entries), and its summary as stored.
  struct Edit {
    std::unique_lock<std::mutex> lock;
    DocumentSummary summary;
  };
  Result<Edit> BeginEdit(DocId id);

  // Verify's checks; each appends the problems it finds.
  Status VerifyOriginal(const rocksdb::ReadOptions& options, std::string_view sha256, DocId holder,
                        std::vector<std::string>& problems);
  Status VerifyOriginals(const rocksdb::ReadOptions& options, std::vector<std::string>& problems);
  Status VerifyDocuments(const rocksdb::ReadOptions& options, std::vector<std::string>& problems);
  Status VerifyTally(const rocksdb::ReadOptions& options, std::vector<std::string>& problems);

  // Adds `event` as the document's next audit record. REQUIRES: write_mu_ held.
  Status AddAuditEvent(ArchiveBatch& batch, DocId id, AuditEvent event);

  const std::string dir_;
  const bool read_only_;
  rocksdb::Env* const env_;  // what the database writes through (Open)
  std::unique_ptr<rocksdb::DB> db_;
  const ColumnHandles columns_;
  const uint64_t instance_;  // IndexBatch::archive_instance
  std::mutex write_mu_;
  DocId next_id_ = 1;                       // guarded by write_mu_; mirrors meta/next_doc_id
  bool tallied_ = true;                     // false for an older schema opened read-only: no tally
  bool index_readable_ = true;              // false for an older index opened read-only
  bool sync_commits_ = true;                // ArchiveOptions::sync_commits
  int index_buffer_documents_ = 1;          // ArchiveOptions::index_buffer_documents
  size_t index_buffer_changes_ = 0;         // ArchiveOptions::index_buffer_changes
  size_t index_table_changes_ = 0;          // ArchiveOptions::index_table_changes
  std::shared_ptr<const Indexer> indexer_;  // ArchiveOptions::indexer; null: no index
  // A read-only archive's newer view, opened for originals moved since its own open.
  std::mutex newer_view_mu_;
  std::unique_ptr<RocksArchive> newer_view_;  // guarded by newer_view_mu_

  // Deferred index writes not yet written, guarded by write_mu_. has_pending_ lets FlushIndex
  // skip the lock when there is nothing to write.
  DeferredWrites pending_;
  std::vector<DocId> marked_;  // the documents whose writes pending_ holds
  // Every list entry written so far is for a document <= this: later ones need no block reads.
  DocId written_through_ = 0;
  std::atomic<bool> has_pending_ = false;  // also true while flusher_ runs
  // Deferred writes being written on flusher_ while commits go on (StartFlush). flushing_ is
  // guarded by write_mu_, but only flusher_ touches it until JoinFlush has joined the thread.
  struct Flushing {
    DeferredWrites writes;
    std::vector<DocId> marked;
    DocId written_through;  // as written_through_ was when the flush began
    Status status;          // the write's
  };
  std::unique_ptr<Flushing> flushing_;
  std::thread flusher_;
  // The last flush's writes, emptied, to be the next pending_: a new one grows into memory the
  // system must first map (page faults were two thirds of the commits' DeferredWrites::Take).
  DeferredWrites spare_;
};

}  // namespace quire::store
