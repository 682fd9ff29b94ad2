// The archive: every document quire has read, kept on RocksDB.
//
// Originals are kept byte for byte, addressed by their SHA-256, and never stored twice. Each
// document is committed with one atomic write (original, metadata, pages, fields, the index's
// entries and an audit event), so a crash leaves all of a document or none of it. Document ids
// are allocated in that same write: increasing, stable, never reused.
//
// The archive knows no OCR and no query language. It offers a small key-value API over named
// columns so the index can keep its postings beside the documents and in the same commit. The
// index is given once, when the archive opens (ArchiveOptions::indexer), and every write that
// changes a document changes its index entries with it.
//
// Thread safety: all methods may be called from several threads; commits are serialised.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/fields.h"
#include "quire/common/page.h"
#include "quire/common/status.h"

namespace quire::store {

using DocId = uint64_t;

// The key-value columns the index owns inside the archive (RocksDB column families).
enum class IndexColumn {
  kPostings,   // term -> documents and positions
  kTermStats,  // term and corpus statistics; values merged as little-endian int64 sums
  kDocTerms,   // per-document data the index needs (lengths, fields for filters)
};

// Writes gathered for one commit. Not thread-safe; lives for one Commit() call.
//
// Put and Delete are written with the commit. Add, Set, Append and Remove are deferred: the archive
// gathers them from many commits in memory and writes them in bulk (one sum per key, one block of
// entries per list), as ArchiveOptions::index_buffer_documents says. A crash before then loses
// them but not the commit: opening the archive indexes the document again (Indexer::Index).
// Edits and Delete write theirs with the change. Archive::FlushIndex makes them readable.
class IndexBatch {
 public:
  virtual ~IndexBatch() = default;
  virtual void Put(IndexColumn column, std::string_view key, std::string_view value) = 0;
  virtual void Delete(IndexColumn column, std::string_view key) = 0;
  // Adds `delta` to the int64 stored at `key` (missing counts as 0). Only for kTermStats.
  virtual void Add(IndexColumn column, std::string_view key, int64_t delta) = 0;
  // Stores the int64 `value` at `key`. Only for kTermStats, for keys that are set and never added
  // to (the spelling index's): a compaction copies a stored value as it is but must merge a sum,
  // and millions of keys made that a tenth of a bulk import. REQUIRES: no Add to `key`.
  virtual void Set(IndexColumn column, std::string_view key, int64_t value) = 0;
  // Sets the entry of document `id` in the list `list` (see ListIterator). Only for kPostings.
  // REQUIRES: no list name is a prefix of another (end names with a byte they never hold).
  virtual void Append(IndexColumn column, std::string_view list, DocId id,
                      std::string_view entry) = 0;
  // Removes the entry of document `id` from `list`, if any. Only for kPostings.
  virtual void Remove(IndexColumn column, std::string_view list, DocId id) = 0;
  // A number that names the open archive this batch writes to, distinct for every Archive::Open
  // in the process: for what the index remembers per archive.
  virtual uint64_t archive_instance() const = 0;
};

// The entries of one list in increasing document order, LevelDB style. A list is stored as
// blocks of entries under the keys `list` + 8-byte big-endian id of the block's last entry (the
// grammar is at the top of store/src/index_lists.cc), so a column iterator sees each list as
// keys `list` + 8 bytes. The archive also keeps each list's number of entries in kTermStats,
// under the key `list` (an int64 sum as IndexBatch::Add's; 0 once the list is emptied).
class ListIterator {
 public:
  virtual ~ListIterator() = default;
  virtual bool Valid() const = 0;
  // Moves to the first entry whose document is >= target.
  virtual void Seek(DocId target) = 0;
  // REQUIRES: Valid()
  virtual void Next() = 0;
  virtual DocId id() const = 0;
  // Valid until the iterator moves to another block.
  virtual std::string_view entry() const = 0;
  // The last document of the block holding the current entry. REQUIRES: Valid()
  virtual DocId BlockLast() const = 0;
  // What Indexer::SummarizeList made of the entries of the block holding the current
  // entry ("" without one), so that a reader can bound what a block holds (its best score) and
  // skip it whole without reading its entries. REQUIRES: Valid()
  virtual std::string_view BlockSummary() const = 0;
  // Non-OK when iteration stopped on an error (a damaged block) rather than at the end.
  virtual Status status() const = 0;
};

// Iterates a column in key order, LevelDB style.
class KvIterator {
 public:
  virtual ~KvIterator() = default;
  virtual bool Valid() const = 0;
  virtual void Seek(std::string_view target) = 0;  // first key >= target
  virtual void Next() = 0;
  // REQUIRES: Valid()
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  // Non-OK when iteration stopped on an error rather than at the end.
  virtual Status status() const = 0;
};

struct AuditEvent {
  int64_t time = 0;    // Unix time, seconds; 0 is replaced by the time the event is stored
  std::string action;  // "ingested", "corrected", "exported", "deleted"
  std::string by;      // a person's name or "quire"
  std::string detail;  // e.g. "total: 120.00 -> 112.00"
  bool operator==(const AuditEvent&) const = default;
};

// What a document moved from another archive (`quire import`) had there, kept as it was.
struct ImportedRecord {
  // Kept when it is above every id this archive has given (ids stay increasing and are never
  // reused); otherwise the document gets the next id, after this archive's own.
  uint64_t id = 0;
  int64_t ingested = 0;             // Unix time, seconds
  std::vector<AuditEvent> history;  // oldest first; stored instead of a new "ingested" event
};

// What ingest hands the archive.
struct NewDocument {
  std::string original;  // the file's bytes
  std::string source;    // where it came from: the file name as given
  std::string format;    // "png", "jpeg", "tiff", "pdf"
  std::vector<PageText> pages;
  Extraction extraction;
  std::string by = "quire";  // who ingested it, for the audit log
  // Labels given at ingest (the hot folder's subfolder names with `quire watch --tags`),
  // outermost first; stored with the document and indexed as the filter tag:NAME.
  std::vector<std::string> tags;
  // A person's title and notes (DocumentSummary::title, notes): `quire import` brings them, and
  // the indexed form of a stored document has them. The index shows the title in results.
  std::string title;
  std::string notes;
  // Set by `quire import` only: the document's id, dates and history elsewhere.
  std::optional<ImportedRecord> imported;
};

struct DocumentSummary {
  DocId id = 0;
  std::string sha256;
  std::string source;
  std::string format;
  DocumentType type = DocumentType::kOther;
  int pages = 0;
  int64_t ingested = 0;  // Unix time, seconds
  bool needs_review = false;
  std::vector<std::string> tags;  // as given in NewDocument::tags, then as people edit them
  std::string title;              // given by a person; empty for none
  std::string notes;              // a person's notes; empty for none
};

// Which documents Archive::ListPage gives.
struct ListQuery {
  size_t offset = 0;                                  // Default: from the newest
  size_t limit = std::numeric_limits<size_t>::max();  // Default: all
  bool needs_review = false;  // only the documents waiting for review. Default: every document
};

struct DocumentList {
  size_t total = 0;  // the documents the query matches, beyond this page too
  std::vector<DocumentSummary> documents;
};

// What people give a document, beside what was read from it.
struct DocumentLabels {
  std::vector<std::string> tags;
  std::string title;
  std::string notes;
};

struct DocumentRecord {
  DocumentSummary summary;
  std::vector<PageText> pages;
  Extraction extraction;
  std::vector<AuditEvent> history;  // oldest first
};

// A document people deleted: what the archive keeps of it (Archive::Delete), its history.
struct DeletedDocument {
  DocId id = 0;
  std::vector<AuditEvent> history;  // oldest first; the last event is its deletion
};

// A stored document as the Indexer receives it (edits, Delete, indexing at open): its source,
// format, tags, pages and fields, without the original.
NewDocument IndexedForm(DocumentRecord record);

// What a document shows (a search hit's snippet, boxes and fields): its records without the
// summary and history.
struct DocumentContent {
  std::vector<PageText> pages;
  Extraction extraction;
};

struct CommitResult {
  DocId id = 0;
  bool duplicate = false;  // the same bytes were already stored as document `id`
};

class Archive;

// The index an archive keeps beside its documents (ArchiveOptions::indexer), given once at open so
// that archive and index never disagree. The archive calls Index in each Commit, Unindex then Index
// in each edit (UpdateFields, UpdateLabels), Unindex in Delete, and Index when it opens, for the
// documents whose deferred index writes a crash lost. Each call adds its writes to the batch of the
// document's own write; an error it returns aborts that write, and nothing of it is written.
//
// The calls run while their write holds the archive's lock: they may read the archive (they see it
// as before this write) but must not write to it.
//
// Thread safety: all methods may be called from several threads (blocks are summarized on the
// archive's flushing thread while commits go on).
class Indexer {
 public:
  virtual ~Indexer() = default;
  // Adds the entries of document `id`: a new document, or a stored one (IndexedForm, `original`
  // empty) as an edit changes it or as a crash left it unindexed.
  virtual Status Index(DocId id, const NewDocument& doc, IndexBatch& batch) const = 0;
  // Removes the entries Index added for document `id`, given as stored (IndexedForm); nothing when
  // it is not indexed. The index's own per-document values are read through `archive`.
  virtual Status Unindex(DocId id, const NewDocument& indexed, Archive& archive,
                         IndexBatch& batch) const = 0;
  // Summarizes a block of one list's entries (IndexBatch::Append), in document order, when the
  // block is written; ListIterator::BlockSummary gives the summary back.
  virtual std::string SummarizeList(const std::vector<std::string_view>& entries) const = 0;
};

struct ArchiveOptions {
  // Create the archive folder when it does not exist.
  // Default: true.
  bool create_if_missing = true;

  // Open without writing (several readers, e.g. `quire search` while `quire watch` runs, use a
  // RocksDB read-only open). A read-only archive sees the documents committed before it opened;
  // its writing methods return InvalidArgument.
  // Default: false.
  bool read_only = false;

  // Sync every commit to disk before Commit() returns. Bulk imports and benchmarks may turn it off:
  // each document is still one atomic write, but a power loss (not a process crash) can lose the
  // last commits; the archive syncs its log when it closes.
  // Default: true.
  bool sync_commits = true;

  // How many commits' deferred index writes (IndexBatch::Add, Set, Append, Remove) are gathered
  // in memory before they are written in bulk. 1 writes them with each commit, so other processes
  // (a read-only `quire search`) find a document as soon as it is committed. Larger values make
  // bulk imports much faster (one block per term per flush instead of one key per term per
  // document), and a full buffer is then written on a thread of its own while the next commits
  // fill another (twice the buffer's memory at most); the buffer is also written when the
  // archive closes, by FlushIndex (a Searcher calls it before each search), and by UpdateFields,
  // Delete and Backup. A read-only archive sees only what was written before it opened.
  // Default: 1.
  int index_buffer_documents = 1;

  // A buffer of deferred index writes is also written once it holds this many list changes
  // (IndexBatch::Append, Remove), so that long documents do not fill memory before
  // index_buffer_documents of them are gathered. A change takes about 70 bytes, and a document
  // makes one per distinct word: bench_search's receipts about 220 (8192 of them, 1.8 million),
  // a document of ten pages several times that.
  // Default: 4,000,000 (about 280 MB a buffer, two at most).
  size_t index_buffer_changes = 4'000'000;

  // A buffer of deferred index writes with at least this many list changes (IndexBatch::Append),
  // all for documents newer than any indexed before, is written as table files added to the
  // archive at once, rather than through its log and memtables, which a bulk import's buffer
  // (millions of changes) would fill and flush to tables anyway. Either way a crash keeps all of
  // a buffer's writes or none.
  // Default: 65536 (a buffer of a few hundred documents of a page or more).
  size_t index_table_changes = 65536;

  // The index written with every document (see Indexer). quire passes the search index's
  // (index::IndexedArchiveOptions), whose block summaries bound a block of postings so that
  // searches skip blocks that cannot hold a good enough match. Opening for writing also indexes
  // the committed documents whose deferred index writes a crash lost (they wait in memory until
  // written; a mark in each commit says which documents they are for). Without an indexer nothing
  // is indexed, blocks are written with an empty summary, and those documents stay unsearchable,
  // and marked, until an open with one.
  // Default: none.
  std::shared_ptr<const Indexer> indexer;
};

// `options` as a bulk import sets them (quire import, bench_search): commits unsynced, and the
// index writes of 8192 commits gathered and written as table files. Written with each commit,
// through the log and memtables, an import's index writes were 60% of its CPU (quire import of
// 10,000 documents: 27.3 s, 6.4 s so). A power loss during an import can lose its last commits;
// importing again adds them, as it skips the documents already stored.
inline ArchiveOptions ForBulkImport(ArchiveOptions options) {
  options.sync_commits = false;
  options.index_buffer_documents = 8192;
  return options;
}

class Archive {
 public:
  // Opens or creates the archive in folder `dir`, making and syncing the folders above it that are
  // missing. The message says what to do when the folder is not an archive, is locked by another
  // quire, or is damaged. A creation is built in a hidden folder beside `dir`
  // (".NAME.creating-PID") and renamed into place; an open for writing removes those that crashes
  // left, and never one whose process is alive or whose database another process holds open.
  static Result<std::unique_ptr<Archive>> Open(const std::string& dir,
                                               const ArchiveOptions& options = {});
  // The version of the archive's layout this quire writes; Open migrates older ones.
  static int SchemaVersion();
  virtual ~Archive() = default;

  // Stores the document in one atomic, synced write, unless its original is already stored, in
  // which case nothing is written and the result names the earlier document.
  virtual Result<CommitResult> Commit(const NewDocument& doc) = 0;

  // The document holding the original with this SHA-256, if any.
  virtual Result<std::optional<DocId>> FindBySha256(const std::string& sha256) = 0;

  virtual Result<DocumentRecord> Get(DocId id) = 0;
  // The document's pages and fields, read from one snapshot: half the reads of Get, for a
  // search's hits. NotFound when there is no such document.
  virtual Result<DocumentContent> GetContent(DocId id) = 0;
  virtual Result<std::string> GetOriginal(DocId id) = 0;
  // A page of the documents, newest first, with how many there are in all; read without a scan
  // of the archive, so a page costs the same at a million documents as at ten.
  virtual Result<DocumentList> ListPage(const ListQuery& query) = 0;
  // Every document, newest first.
  Result<std::vector<DocumentSummary>> List();
  // Every deleted document, in increasing id order (`quire export --all`).
  virtual Result<std::vector<DeletedDocument>> ListDeleted() = 0;
  // Keeps the history of a document deleted in another archive (`quire import`): under its id
  // when that is above every id this archive has given, else under the next one. The id is then
  // never given to another document, as for a document deleted here. Returns the id.
  virtual Result<DocId> ImportDeleted(const DeletedDocument& doc) = 0;

  // Appends an audit event to the document's history (corrections, exports).
  virtual Status AppendAudit(DocId id, const AuditEvent& event) = 0;
  // Replaces the document's extracted fields (and the type and review flag in its summary) and
  // logs `event`, in one write, which also re-indexes the document: the indexer unindexes it as
  // stored and indexes it with the new extraction.
  virtual Status UpdateFields(DocId id, const Extraction& extraction, const AuditEvent& event) = 0;

  // Replaces the document's tags, title and notes and logs `event`, in one write, which also
  // re-indexes the document (tags are filter values), as UpdateFields does.
  virtual Status UpdateLabels(DocId id, const DocumentLabels& labels, const AuditEvent& event) = 0;

  // Removes the document (metadata, pages, fields) and its original unless another document still
  // references it, and appends `event` (action "deleted") to its history, in one write. The audit
  // log is kept; the id is never given to another document. The indexer unindexes the document
  // in the same write. NotFound when there is no such document.
  virtual Status Delete(DocId id, const AuditEvent& event) = 0;

  // OK while the archive takes writes. After an I/O error in a write (a full disk), RocksDB stops
  // all writes; the archive tries to resume them at each write, and here. Non-OK when they stay
  // stopped: only reopening the archive (restarting the program) once the cause is fixed helps.
  virtual Status Writable() = 0;

  // The index's key-value API. A kTermStats value is the 8-byte little-endian int64 sum.
  virtual Result<std::optional<std::string>> GetIndexValue(IndexColumn column,
                                                           std::string_view key) = 0;
  // An iterator over a consistent view of the column, positioned at its first key. key() and
  // value() stay valid until the iterator moves. REQUIRES: the archive outlives the iterator.
  virtual std::unique_ptr<KvIterator> NewIndexIterator(IndexColumn column) = 0;
  // The entries of `list` (IndexBatch::Append), not positioned: call Seek first.
  // REQUIRES: the archive outlives the iterator.
  virtual std::unique_ptr<ListIterator> NewListIterator(IndexColumn column,
                                                        std::string_view list) = 0;
  // Writes the deferred index writes gathered so far, so that reads see every commit: index
  // readers call it first. Cheap when nothing is waiting; nothing done on a read-only archive.
  // Unsupported, saying what to do, when a read-only archive's index was written by an older quire
  // in an encoding this one cannot read (a writer rebuilds it when it opens).
  virtual Status FlushIndex() = 0;

  // Re-hashes every original and checks the archive's own cross-references (documents to
  // originals, pages to documents). Each problem found is one line in `problems`.
  virtual Status Verify(std::vector<std::string>& problems) = 0;

  // A consistent copy of the archive in `dest` (a RocksDB checkpoint), safe while in use.
  virtual Status Backup(const std::string& dest) = 0;

  // Writes the deferred index writes, then merges every column's files into its last level: the
  // work RocksDB's background compactions would do for minutes after a bulk import (while
  // competing with searches for the processor), done at once. Searches then read each key from
  // one file. The archive stays usable meanwhile. `quire import` ends with it when it makes at
  // least half of the archive.
  virtual Status Compact() = 0;

  struct Stats {
    int64_t documents = 0;
    int64_t pages = 0;
    int64_t originals = 0;
    int64_t original_bytes = 0;
    int64_t disk_bytes = 0;  // the archive folder's files
    int64_t needs_review = 0;
  };
  virtual Result<Stats> GetStats() = 0;
};

}  // namespace quire::store
