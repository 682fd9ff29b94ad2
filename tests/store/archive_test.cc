#include "quire/store/archive.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "documents.h"
#include "quire/common/hash.h"
#include "rocks_archive.h"
#include "schema.h"
#include "temp_dir.h"

namespace quire::store {
namespace {

using quire::testing::TempDir;
using testing::IndexedBy;
using testing::MakeDocument;
using testing::Record;
using testing::RecordedSource;

std::unique_ptr<Archive> OpenOrFail(const std::string& dir, const ArchiveOptions& options = {}) {
  Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, options);
  INFO(archive.status().ToString());
  REQUIRE(archive.ok());
  return std::move(*archive);
}

DocId CommitOrFail(Archive& archive, const NewDocument& doc) {
  Result<CommitResult> result = archive.Commit(doc);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  REQUIRE_FALSE(result->duplicate);
  return result->id;
}

std::vector<DocId> ListedIds(Archive& archive) {
  Result<std::vector<DocumentSummary>> list = archive.List();
  INFO(list.status().ToString());
  REQUIRE(list.ok());
  std::vector<DocId> ids;
  for (const DocumentSummary& s : *list) ids.push_back(s.id);
  return ids;
}

int64_t TermStat(Archive& archive, const std::string& key) {
  Result<std::optional<std::string>> value = archive.GetIndexValue(IndexColumn::kTermStats, key);
  REQUIRE(value.ok());
  if (!value->has_value()) return 0;
  REQUIRE((*value)->size() == 8);
  return DecodeInt64Le(**value);
}

// The records of one kind the archive holds for a document, read below the API.
int CountRaw(Archive& archive, Column column, const std::string& prefix) {
  auto& rocks = dynamic_cast<RocksArchive&>(archive);
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db().NewIterator(rocksdb::ReadOptions(), rocks.handle(column)));
  int count = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++count;
  return count;
}

void PutRaw(Archive& archive, Column column, const std::string& key, const std::string& value) {
  auto& rocks = dynamic_cast<RocksArchive&>(archive);
  REQUIRE(rocks.db().Put(rocksdb::WriteOptions(), rocks.handle(column), key, value).ok());
}

void DeleteRaw(Archive& archive, Column column, const std::string& key) {
  auto& rocks = dynamic_cast<RocksArchive&>(archive);
  REQUIRE(rocks.db().Delete(rocksdb::WriteOptions(), rocks.handle(column), key).ok());
}

AuditEvent Event(const std::string& action, const std::string& by, const std::string& detail) {
  return AuditEvent{0, action, by, detail};
}

TEST_CASE("a committed document reads back as it was given") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  NewDocument doc = MakeDocument("acme-invoice", 3);
  doc.by = "scanner-1";
  const DocId id = CommitOrFail(*archive, doc);

  Result<DocumentRecord> record = archive->Get(id);
  REQUIRE(record.ok());
  CHECK(record->summary.id == id);
  CHECK(record->summary.sha256 == Sha256Hex(doc.original));
  CHECK(record->summary.source == "acme-invoice.pdf");
  CHECK(record->summary.format == "pdf");
  CHECK(record->summary.type == DocumentType::kInvoice);
  CHECK(record->summary.pages == 3);
  CHECK(record->summary.ingested > 0);
  REQUIRE(record->pages.size() == 3);
  CHECK(record->pages[2].text == "page 2 of acme-invoice");
  REQUIRE(record->pages[0].words.size() == 1);
  CHECK(record->pages[0].words[0].box == Box{10, 20, 30, 40});
  CHECK(record->extraction.fields.at("total").value == "120.00");
  REQUIRE(record->history.size() == 1);
  CHECK(record->history[0].action == "ingested");
  CHECK(record->history[0].by == "scanner-1");

  Result<DocumentContent> content = archive->GetContent(id);
  REQUIRE(content.ok());
  REQUIRE(content->pages.size() == 3);
  CHECK(content->pages[2].text == "page 2 of acme-invoice");
  CHECK(content->pages[0].words[0].box == Box{10, 20, 30, 40});
  CHECK(content->extraction.fields.at("total").value == "120.00");

  Result<std::string> original = archive->GetOriginal(id);
  REQUIRE(original.ok());
  CHECK(*original == doc.original);

  Result<std::optional<DocId>> found = archive->FindBySha256(Sha256Hex(doc.original));
  REQUIRE(found.ok());
  CHECK(*found == std::optional<DocId>(id));
}

std::vector<std::string> BlobFiles(const std::string& dir) {
  std::vector<std::string> blobs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".blob") blobs.push_back(entry.path().string());
  }
  return blobs;
}

TEST_CASE("a large original is kept in a blob file") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const NewDocument doc = MakeDocument("big-scan", 1, 3 * kMinBlobSize);
  { CommitOrFail(*OpenOrFail(dir), doc); }
  auto archive = OpenOrFail(dir);  // reopening flushes the write-ahead log to tables
  CHECK(BlobFiles(dir).size() == 1);
  Result<std::string> original = archive->GetOriginal(1);
  REQUIRE(original.ok());
  CHECK(*original == doc.original);
}

TEST_CASE("asking for a document that does not exist is NotFound") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  CHECK(archive->Get(42).status().code() == Status::Code::kNotFound);
  CHECK(archive->GetContent(42).status().code() == Status::Code::kNotFound);
  CHECK(archive->GetOriginal(42).status().code() == Status::Code::kNotFound);
  CHECK(archive->AppendAudit(42, Event("exported", "ann", "")).code() == Status::Code::kNotFound);
  Result<std::optional<DocId>> found = archive->FindBySha256(Sha256Hex("nothing"));
  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());
  CHECK(archive->FindBySha256("abc").status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("the same original committed twice is stored once and names the first document") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(Record));
  const DocId first = CommitOrFail(*archive, MakeDocument("receipt"));
  CommitOrFail(*archive, MakeDocument("other"));

  NewDocument again = MakeDocument("receipt");
  again.source = "a copy of receipt.pdf";
  Result<CommitResult> result = archive->Commit(again);
  REQUIRE(result.ok());
  CHECK(result->duplicate);
  CHECK(result->id == first);

  CHECK(ListedIds(*archive) == std::vector<DocId>{2, 1});
  CHECK(TermStat(*archive, "documents") == 2);  // the copy was not indexed
  Result<Archive::Stats> stats = archive->GetStats();
  REQUIRE(stats.ok());
  CHECK(stats->originals == 2);
  CHECK(stats->original_bytes == 200);
}

TEST_CASE("commits from several threads get distinct ids and duplicates are caught") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(Record));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::vector<CommitResult>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every thread commits the same documents, so each is new to exactly one of them.
      for (int i = 0; i < kPerThread; ++i) {
        Result<CommitResult> result = archive->Commit(MakeDocument("doc" + std::to_string(i)));
        if (result.ok()) results[t].push_back(*result);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<DocId> new_ids;
  int duplicates = 0;
  for (const auto& thread_results : results) {
    CHECK(thread_results.size() == kPerThread);
    for (const CommitResult& r : thread_results) {
      if (r.duplicate) {
        ++duplicates;
      } else {
        CHECK(new_ids.insert(r.id).second);
      }
    }
  }
  CHECK(new_ids.size() == kPerThread);
  CHECK(duplicates == (kThreads - 1) * kPerThread);
  CHECK(TermStat(*archive, "documents") == kPerThread);
}

TEST_CASE("List gives every document newest first") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  for (int i = 0; i < 5; ++i) CommitOrFail(*archive, MakeDocument("doc" + std::to_string(i)));
  Result<std::vector<DocumentSummary>> list = archive->List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 5);
  CHECK((*list)[0].id == 5);
  CHECK((*list)[0].source == "doc4.pdf");
  CHECK((*list)[4].id == 1);
}

TEST_CASE("ListPage pages the documents and the review queue, and counts them all") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  for (int i = 0; i < 7; ++i) {
    NewDocument doc = MakeDocument("doc" + std::to_string(i));
    doc.extraction.needs_review = i % 3 == 0;  // documents 1, 4 and 7
    CommitOrFail(*archive, doc);
  }
  auto ids = [&](const ListQuery& query, size_t total) {
    Result<DocumentList> list = archive->ListPage(query);
    REQUIRE(list.ok());
    CHECK(list->total == total);
    std::vector<DocId> listed;
    for (const DocumentSummary& s : list->documents) listed.push_back(s.id);
    return listed;
  };
  CHECK(ids({.offset = 2, .limit = 3}, 7) == std::vector<DocId>{5, 4, 3});
  CHECK(ids({.offset = 6, .limit = 3}, 7) == std::vector<DocId>{1});
  CHECK(ids({.offset = 9}, 7).empty());
  CHECK(ids({.needs_review = true}, 3) == std::vector<DocId>{7, 4, 1});
  CHECK(ids({.offset = 1, .limit = 1, .needs_review = true}, 3) == std::vector<DocId>{4});

  // A correction takes a document out of the queue or puts it in; a deletion takes it out.
  Result<DocumentRecord> four = archive->Get(4);
  REQUIRE(four.ok());
  four->extraction.needs_review = false;
  REQUIRE(archive->UpdateFields(4, four->extraction, Event("corrected", "ann", "")).ok());
  Result<DocumentRecord> two = archive->Get(2);
  REQUIRE(two.ok());
  two->extraction.needs_review = true;
  REQUIRE(archive->UpdateFields(2, two->extraction, Event("corrected", "ann", "")).ok());
  REQUIRE(archive->Delete(7, Event("deleted", "ann", "")).ok());
  CHECK(ids({.needs_review = true}, 2) == std::vector<DocId>{2, 1});
  CHECK(ids({.limit = 2}, 6) == std::vector<DocId>{6, 5});
}

TEST_CASE("the archive's counts follow commits, corrections and deletions, without a scan") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  NewDocument first = MakeDocument("first", /*pages=*/3, /*original_bytes=*/1000);
  first.extraction.needs_review = true;
  CommitOrFail(*archive, first);
  CommitOrFail(*archive, MakeDocument("second", /*pages=*/2, /*original_bytes=*/500));
  auto stats = [&] {
    Result<Archive::Stats> s = archive->GetStats();
    REQUIRE(s.ok());
    return std::vector<int64_t>{s->documents, s->pages, s->needs_review, s->originals,
                                s->original_bytes};
  };
  CHECK(stats() == std::vector<int64_t>{2, 5, 1, 2, 1500});
  Result<DocumentRecord> doc = archive->Get(1);
  REQUIRE(doc.ok());
  doc->extraction.needs_review = false;
  REQUIRE(archive->UpdateFields(1, doc->extraction, Event("corrected", "ann", "")).ok());
  CHECK(stats() == std::vector<int64_t>{2, 5, 0, 2, 1500});
  REQUIRE(archive->Delete(2, Event("deleted", "ann", "")).ok());
  CHECK(stats() == std::vector<int64_t>{1, 3, 0, 1, 1000});
  std::vector<std::string> problems;
  CHECK(archive->Verify(problems).ok());
  CHECK(problems.empty());

  // The counts are kept, not counted: verify checks them against the records.
  PutRaw(*archive, Column::kMeta, std::string(kTallyKey),
         EncodeTally({.documents = 9, .pages = 3, .originals = 1, .original_bytes = 1000}));
  PutRaw(*archive, Column::kMeta, ReviewKey(1), "");
  CHECK(stats() == std::vector<int64_t>{9, 3, 0, 1, 1000});
  CHECK(archive->Verify(problems).code() == Status::Code::kCorruption);
  CHECK(problems == std::vector<std::string>{
                        "the archive's counts (9 documents, 3 pages, 0 to review, 1 originals of "
                        "1000 bytes) disagree with its records (1 documents, 3 pages, 0 to review, "
                        "1 originals of 1000 bytes)",
                        "document 1 is in the review queue but needs no review",
                        "0 documents need review, but 1 are in the review queue"});
}

TEST_CASE("ids increase and are never reused, across deletes and reopening") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  {
    auto archive = OpenOrFail(dir);
    CHECK(CommitOrFail(*archive, MakeDocument("a")) == 1);
    CHECK(CommitOrFail(*archive, MakeDocument("b")) == 2);
    REQUIRE(archive->Delete(2, Event("deleted", "ann", "scanned twice")).ok());
    CHECK(CommitOrFail(*archive, MakeDocument("c")) == 3);
    REQUIRE(archive->Delete(3, Event("deleted", "ann", "")).ok());
  }
  auto archive = OpenOrFail(dir);
  CHECK(CommitOrFail(*archive, MakeDocument("d")) == 4);
  // The same bytes as a deleted document are a new document with a new id.
  CHECK(CommitOrFail(*archive, MakeDocument("b")) == 5);
  CHECK(ListedIds(*archive) == std::vector<DocId>{5, 4, 1});
}

TEST_CASE("Delete removes a document's records and keeps its history") {
  TempDir tmp;
  auto unindex = [](DocId id, const NewDocument& stored, Archive&, IndexBatch& batch) {
    CHECK(stored.pages.size() == 3);  // the indexer sees the document as it was
    CHECK(stored.extraction.fields.count("total") == 1);
    batch.Delete(IndexColumn::kDocTerms, "doc:" + std::to_string(id));
    batch.Add(IndexColumn::kTermStats, "documents", -1);
    return Status::Ok();
  };
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(Record, unindex));
  const NewDocument doc = MakeDocument("to-delete", 3);
  const DocId id = CommitOrFail(*archive, doc);
  const DocId kept = CommitOrFail(*archive, MakeDocument("to-keep"));
  CHECK(TermStat(*archive, "documents") == 2);

  REQUIRE(archive->Delete(id, Event("", "ann", "scanned twice")).ok());

  CHECK(archive->Get(id).status().code() == Status::Code::kNotFound);
  CHECK(archive->GetContent(id).status().code() == Status::Code::kNotFound);
  CHECK(ListedIds(*archive) == std::vector<DocId>{kept});
  CHECK(CountRaw(*archive, Column::kPages, DocKey(id)) == 0);
  CHECK(CountRaw(*archive, Column::kFields, DocKey(id)) == 0);
  CHECK(CountRaw(*archive, Column::kOriginals, Sha256Hex(doc.original)) == 0);
  CHECK(CountRaw(*archive, Column::kAudit, DocKey(id)) == 2);  // "ingested", "deleted"
  Result<std::optional<DocId>> found = archive->FindBySha256(Sha256Hex(doc.original));
  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());
  CHECK(RecordedSource(*archive, id).empty());
  CHECK(RecordedSource(*archive, kept) == "to-keep.pdf");
  CHECK(TermStat(*archive, "documents") == 1);

  CHECK(archive->Delete(id, Event("", "ann", "")).code() == Status::Code::kNotFound);
  std::vector<std::string> problems;
  CHECK(archive->Verify(problems).ok());
  CHECK(problems.empty());
}

TEST_CASE(
    "ListDeleted gives what is kept of deleted documents, and ImportDeleted keeps it elsewhere") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  CommitOrFail(*archive, MakeDocument("a"));
  const DocId gone = CommitOrFail(*archive, MakeDocument("b"));
  CommitOrFail(*archive, MakeDocument("c"));
  REQUIRE(archive->AppendAudit(gone, Event("corrected", "ann", "total: 1 -> 2")).ok());
  REQUIRE(archive->Delete(gone, Event("", "bob", "scanned twice")).ok());

  Result<std::vector<DeletedDocument>> deleted = archive->ListDeleted();
  REQUIRE(deleted.ok());
  REQUIRE(deleted->size() == 1);
  CHECK((*deleted)[0].id == gone);
  REQUIRE((*deleted)[0].history.size() == 3);
  CHECK((*deleted)[0].history[1].action == "corrected");
  CHECK((*deleted)[0].history[2].action == "deleted");
  CHECK((*deleted)[0].history[2].by == "bob");

  // Into another archive: under its own id when free, and the next documents come after it.
  auto other = OpenOrFail(tmp.Sub("other"));
  Result<DocId> kept = other->ImportDeleted((*deleted)[0]);
  REQUIRE(kept.ok());
  CHECK(*kept == gone);
  CHECK(CommitOrFail(*other, MakeDocument("d")) == gone + 1);
  // Under the next id when its own is given already.
  Result<DocId> again = other->ImportDeleted((*deleted)[0]);
  REQUIRE(again.ok());
  CHECK(*again == gone + 2);
  Result<std::vector<DeletedDocument>> other_deleted = other->ListDeleted();
  REQUIRE(other_deleted.ok());
  REQUIRE(other_deleted->size() == 2);
  CHECK((*other_deleted)[0].history == (*deleted)[0].history);
  CHECK(other->Get(gone).status().code() == Status::Code::kNotFound);
  std::vector<std::string> problems;
  CHECK(other->Verify(problems).ok());
  CHECK(problems.empty());
}

TEST_CASE("Delete keeps an original another document still references") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  const NewDocument doc = MakeDocument("shared");
  const std::string sha256 = Sha256Hex(doc.original);
  const DocId first = CommitOrFail(*archive, doc);
  // Commit never shares an original, so a second holder is written below the API: a document
  // record and its reference, as an archive written by another version could have.
  const DocId second = 99;
  auto& rocks = dynamic_cast<RocksArchive&>(*archive);
  std::string summary;
  REQUIRE(
      rocks.db()
          .Get(rocksdb::ReadOptions(), rocks.handle(Column::kDocuments), DocKey(first), &summary)
          .ok());
  PutRaw(*archive, Column::kDocuments, DocKey(second), summary);
  PutRaw(*archive, Column::kOriginalRefs, RefKey(sha256, second), EncodeFixed64(100));

  REQUIRE(archive->Delete(first, Event("", "ann", "")).ok());
  CHECK(CountRaw(*archive, Column::kOriginals, sha256) == 1);
  Result<std::optional<DocId>> found = archive->FindBySha256(sha256);
  REQUIRE(found.ok());
  CHECK(*found == std::optional<DocId>(second));

  REQUIRE(archive->Delete(second, Event("", "ann", "")).ok());
  CHECK(CountRaw(*archive, Column::kOriginals, sha256) == 0);
}

TEST_CASE("the indexer's writes land with the document") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(Record));
  const DocId id = CommitOrFail(*archive, MakeDocument("indexed"));
  CHECK(RecordedSource(*archive, id) == "indexed.pdf");
  CHECK(TermStat(*archive, "documents") == 1);
}

TEST_CASE("a failing indexer means nothing of the document is written") {
  TempDir tmp;
  auto failing = [](DocId id, const NewDocument& doc, IndexBatch& batch) {
    Status recorded = Record(id, doc, batch);
    REQUIRE(recorded.ok());
    return Status::InvalidArgument("the tokenizer refused the text");
  };
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(failing));
  const NewDocument doc = MakeDocument("refused");
  Result<CommitResult> result = archive->Commit(doc);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().message().find("the tokenizer refused the text") != std::string::npos);

  CHECK(ListedIds(*archive).empty());
  Result<std::optional<DocId>> found = archive->FindBySha256(Sha256Hex(doc.original));
  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());
  CHECK(RecordedSource(*archive, 1).empty());
  CHECK(TermStat(*archive, "documents") == 0);
  for (Column column : {Column::kOriginals, Column::kPages, Column::kFields, Column::kAudit}) {
    CHECK(CountRaw(*archive, column, "") == 0);
  }
}

TEST_CASE("IndexBatch::Add sums int64 values, negative ones too, and only in kTermStats") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  {
    int n = 0;
    auto add = [&n](DocId, const NewDocument& doc, IndexBatch& batch) {
      if (doc.source == "misplaced.pdf") {
        batch.Add(IndexColumn::kPostings, "acme", 1);
        return Status::Ok();
      }
      batch.Add(IndexColumn::kTermStats, "acme", 5);
      batch.Add(IndexColumn::kTermStats, "acme", -2);
      batch.Add(IndexColumn::kTermStats, "big", int64_t{1} << 40);
      ++n;
      return Status::Ok();
    };
    auto archive = OpenOrFail(dir, IndexedBy(add));
    CommitOrFail(*archive, MakeDocument("one"));
    CommitOrFail(*archive, MakeDocument("two"));
    CHECK(n == 2);
    CHECK(TermStat(*archive, "acme") == 6);

    CHECK(archive->Commit(MakeDocument("misplaced")).status().code() == Status::Code::kInternal);
  }
  auto archive = OpenOrFail(dir);  // the merge operator is set again on reopening
  CHECK(TermStat(*archive, "acme") == 6);
  CHECK(TermStat(*archive, "big") == int64_t{2} << 40);
}

TEST_CASE("IndexBatch::Set stores a value that setting again keeps, and only in kTermStats") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  {
    auto set = [](DocId, const NewDocument& doc, IndexBatch& batch) {
      if (doc.source == "misplaced.pdf") {
        batch.Set(IndexColumn::kDocTerms, "espelled", 1);
        return Status::Ok();
      }
      batch.Set(IndexColumn::kTermStats, "espelled", 1);
      batch.Set(IndexColumn::kTermStats, "espelled", 1);
      batch.Add(IndexColumn::kTermStats, "counted", 1);
      return Status::Ok();
    };
    auto archive = OpenOrFail(dir, IndexedBy(set));
    CommitOrFail(*archive, MakeDocument("one"));
    CommitOrFail(*archive, MakeDocument("two"));
    CHECK(TermStat(*archive, "espelled") == 1);
    CHECK(TermStat(*archive, "counted") == 2);

    CHECK(archive->Commit(MakeDocument("misplaced")).status().code() == Status::Code::kInternal);
  }
  auto archive = OpenOrFail(dir);
  CHECK(TermStat(*archive, "espelled") == 1);
}

TEST_CASE("the index iterator walks a column in key order") {
  TempDir tmp;
  auto postings = [](DocId, const NewDocument&, IndexBatch& batch) {
    for (const char* term : {"delta", "alpha", "charlie", "bravo"}) {
      batch.Put(IndexColumn::kPostings, term, std::string("p:") + term);
    }
    return Status::Ok();
  };
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(postings));
  CommitOrFail(*archive, MakeDocument("terms"));

  std::unique_ptr<KvIterator> it = archive->NewIndexIterator(IndexColumn::kPostings);
  std::vector<std::string> keys;
  for (; it->Valid(); it->Next()) keys.emplace_back(it->key());
  CHECK(it->status().ok());
  CHECK(keys == std::vector<std::string>{"alpha", "bravo", "charlie", "delta"});

  it->Seek("c");
  REQUIRE(it->Valid());
  CHECK(it->key() == "charlie");
  CHECK(it->value() == "p:charlie");
  it->Seek("e");
  CHECK_FALSE(it->Valid());
}

// Every entry of `list`, as "id:entry".
std::vector<std::string> ListEntries(Archive& archive, const std::string& list) {
  std::unique_ptr<ListIterator> it = archive.NewListIterator(IndexColumn::kPostings, list);
  std::vector<std::string> entries;
  for (it->Seek(0); it->Valid(); it->Next()) {
    entries.push_back(std::to_string(it->id()) + ":" + std::string(it->entry()));
  }
  CHECK(it->status().ok());
  return entries;
}

const std::string kAllList("all\0", 4);
const std::string kEvenList("even\0", 5);

// Appends the document's entry to list "all": "e<id>", or the value of its field "entry" when an
// edit set one (WithEntry), none when that is empty; and "" to list "even" for even ids. Counts
// documents.
Status AppendEntries(DocId id, const NewDocument& doc, IndexBatch& batch) {
  const auto field = doc.extraction.fields.find("entry");
  const std::string entry =
      field == doc.extraction.fields.end() ? "e" + std::to_string(id) : field->second.value;
  if (!entry.empty()) batch.Append(IndexColumn::kPostings, kAllList, id, entry);
  if (id % 2 == 0) batch.Append(IndexColumn::kPostings, kEvenList, id, "");
  batch.Add(IndexColumn::kTermStats, "documents", 1);
  return Status::Ok();
}

// Removes what AppendEntries added.
Status RemoveEntries(DocId id, const NewDocument&, Archive&, IndexBatch& batch) {
  batch.Remove(IndexColumn::kPostings, kAllList, id);
  if (id % 2 == 0) batch.Remove(IndexColumn::kPostings, kEvenList, id);
  batch.Add(IndexColumn::kTermStats, "documents", -1);
  return Status::Ok();
}

// Options for an archive indexed by AppendEntries, which gathers `buffer` commits' writes.
ArchiveOptions AppendIndexed(int buffer) {
  ArchiveOptions options = IndexedBy(AppendEntries, RemoveEntries);
  options.index_buffer_documents = buffer;
  return options;
}

// Fields whose edit makes AppendEntries list the document with `entry` (none when empty).
Extraction WithEntry(const std::string& entry) {
  Extraction extraction = MakeDocument("edited").extraction;
  extraction.fields["entry"].value = entry;
  return extraction;
}

TEST_CASE("a buffer of long documents is written before it holds its count of them") {
  TempDir tmp;
  ArchiveOptions options = AppendIndexed(1000);
  options.index_buffer_changes = 100;  // AppendEntries makes 1 or 2 a document
  auto archive = OpenOrFail(tmp.Sub("archive"), options);
  for (int i = 0; i < 80; ++i) CommitOrFail(*archive, MakeDocument("d" + std::to_string(i)));
  // Written on a thread of its own after the 67th commit: the first 67 become readable.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (TermStat(*archive, "documents") == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(TermStat(*archive, "documents") == 67);
  REQUIRE(archive->FlushIndex().ok());
  CHECK(TermStat(*archive, "documents") == 80);
  CHECK(ListEntries(*archive, kAllList).size() == 80);
}

TEST_CASE("list entries are buffered, written in blocks, and read in document order") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  ArchiveOptions options =
      IndexedBy(AppendEntries, RemoveEntries, [](const std::vector<std::string_view>& entries) {
        return std::string(entries.front()) + ".." + std::string(entries.back());
      });
  options.index_buffer_documents = 1000;
  const std::string& all = kAllList;
  const std::string& even = kEvenList;
  {
    auto archive = OpenOrFail(dir, options);
    for (int i = 0; i < 300; ++i) CommitOrFail(*archive, MakeDocument("d" + std::to_string(i)));
    CHECK(ListEntries(*archive, all).empty());  // still in the buffer
    CHECK(TermStat(*archive, "documents") == 0);
    REQUIRE(archive->FlushIndex().ok());
    CHECK(TermStat(*archive, "documents") == 300);
    const std::vector<std::string> entries = ListEntries(*archive, all);
    REQUIRE(entries.size() == 300);
    CHECK(entries.front() == "1:e1");
    CHECK(entries.back() == "300:e300");
    CHECK(CountRaw(*archive, Column::kIndexPostings, all) == 3);  // blocks of 128, 128 and 44
    CHECK(TermStat(*archive, all) == 300);  // the archive counts each list's entries
    CHECK(TermStat(*archive, even) == 150);

    std::unique_ptr<ListIterator> it = archive->NewListIterator(IndexColumn::kPostings, even);
    it->Seek(129);
    REQUIRE(it->Valid());
    CHECK(it->id() == 130);
    it->Seek(131);  // forward within the block
    CHECK(it->id() == 132);
    it->Seek(299);
    CHECK(it->id() == 300);
    it->Next();
    CHECK_FALSE(it->Valid());
    CHECK(it->status().ok());
    it = archive->NewListIterator(IndexColumn::kPostings, all);
    it->Seek(7);
    CHECK(it->BlockSummary() == "e1..e128");
    it->Seek(it->BlockLast() + 1);  // the next block
    CHECK(it->id() == 129);
    CHECK(it->BlockSummary() == "e129..e256");

    // Changes to documents already written rewrite the blocks that hold them; 128 leaves "all".
    for (DocId id : {5, 128, 129}) {
      REQUIRE(archive
                  ->UpdateFields(id, WithEntry(id == 128 ? "" : "changed"),
                                 Event("corrected", "ann", ""))
                  .ok());
    }
  }
  auto archive = OpenOrFail(dir, options);
  const std::vector<std::string> entries = ListEntries(*archive, all);
  REQUIRE(entries.size() == 299);
  CHECK(entries[4] == "5:changed");
  CHECK(entries[126] == "127:e127");
  CHECK(entries[127] == "129:changed");
  std::unique_ptr<ListIterator> it = archive->NewListIterator(IndexColumn::kPostings, all);
  it->Seek(1);
  CHECK(it->BlockSummary() == "e1..e127");  // rewritten blocks are summarized again
  it->Seek(129);
  CHECK(it->BlockSummary() == "changed..e256");
  CHECK(ListEntries(*archive, even).size() == 150);
  CHECK(TermStat(*archive, all) == 299);
}

TEST_CASE("documents whose index writes a crash lost are indexed when the archive reopens") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const ArchiveOptions options = AppendIndexed(/*buffer=*/1000);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, options);
    for (int i = 0; archive.ok() && i < 10; ++i) {
      if (!(*archive)->Commit(MakeDocument("d" + std::to_string(i))).ok()) _exit(1);
    }
    _exit(archive.ok() ? 0 : 1);  // no destructor: the buffer is never written
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);

  {
    ArchiveOptions without_indexer;  // nothing to index them with: they wait
    without_indexer.index_buffer_documents = options.index_buffer_documents;
    auto unindexed = OpenOrFail(dir, without_indexer);
    CHECK(ListEntries(*unindexed, kAllList).empty());
    CHECK(CountRaw(*unindexed, Column::kMeta, std::string(kUnindexedKeys)) == 10);
  }
  auto archive = OpenOrFail(dir, options);
  const std::vector<std::string> entries = ListEntries(*archive, kAllList);
  REQUIRE(entries.size() == 10);
  CHECK(entries.front() == "1:e1");
  CHECK(entries.back() == "10:e10");
  CHECK(TermStat(*archive, "documents") == 10);
  CHECK(CountRaw(*archive, Column::kMeta, std::string(kUnindexedKeys)) == 0);
  CHECK(CommitOrFail(*archive, MakeDocument("after")) == 11);
  REQUIRE(archive->FlushIndex().ok());
  CHECK(ListEntries(*archive, kAllList).size() == 11);
}

TEST_CASE("a full buffer is written beside the next commits, and edits and reads wait for it") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const std::string& all = kAllList;
  auto archive = OpenOrFail(dir, AppendIndexed(/*buffer=*/100));
  for (int i = 0; i < 250; ++i) CommitOrFail(*archive, MakeDocument("d" + std::to_string(i)));
  // Document 150 was written by the flush that began at 200 (or before): the edit waits for it.
  REQUIRE(archive->UpdateFields(150, WithEntry("changed"), Event("corrected", "ann", "")).ok());
  for (int i = 250; i < 420; ++i) CommitOrFail(*archive, MakeDocument("d" + std::to_string(i)));
  REQUIRE(archive->FlushIndex().ok());
  const std::vector<std::string> entries = ListEntries(*archive, all);
  REQUIRE(entries.size() == 420);
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string entry = i + 1 == 150 ? "changed" : "e" + std::to_string(i + 1);
    CHECK(entries[i] == std::to_string(i + 1) + ":" + entry);
  }
  CHECK(TermStat(*archive, "documents") == 420);
  CHECK(TermStat(*archive, all) == 420);
  CHECK(CountRaw(*archive, Column::kMeta, std::string(kUnindexedKeys)) == 0);
}

TEST_CASE("a crash while a full buffer is being written loses nothing and counts nothing twice") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const ArchiveOptions options =
      AppendIndexed(/*buffer=*/50);  // each open indexes what a crash lost
  for (int crash : {0, 1, 2}) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, options);
      for (int i = 0; archive.ok() && i < 120; ++i) {
        const std::string name = std::to_string(crash) + "-" + std::to_string(i);
        if (!(*archive)->Commit(MakeDocument(name)).ok()) _exit(1);
      }
      _exit(archive.ok() ? 0 : 1);  // no destructor: a flush may be half done
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  auto archive = OpenOrFail(dir, options);
  const std::vector<std::string> entries = ListEntries(*archive, kAllList);
  REQUIRE(entries.size() == 360);
  for (size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i] == std::to_string(i + 1) + ":e" + std::to_string(i + 1));
  }
  CHECK(TermStat(*archive, "documents") == 360);
  CHECK(CountRaw(*archive, Column::kMeta, std::string(kUnindexedKeys)) == 0);
}

// Lowers the process's file size limit while it lives, so that a write past `bytes` fails with
// EFBIG, as a write to a full disk fails, instead of raising SIGXFSZ.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) : old_handler_(signal(SIGXFSZ, SIG_IGN)) {
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit_) == 0);
    rlimit limit = old_limit_;
    limit.rlim_cur = bytes;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_limit_);
    signal(SIGXFSZ, old_handler_);
  }

 private:
  const sighandler_t old_handler_;
  rlimit old_limit_ = {};
};

TEST_CASE("a bulk import whose log write failed reports it when it writes its index") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  ArchiveOptions options = ForBulkImport(AppendIndexed(/*buffer=*/100));
  options.index_table_changes = 1;  // the buffer is written as table files, after a log sync
  {
    auto archive = OpenOrFail(dir, options);
    CommitOrFail(*archive, MakeDocument("small"));
    // The log cannot take the large original; the small table files still fit. Syncing the log
    // after its write failed aborted the process (an assertion in RocksDB's DB::SyncWAL).
    FileSizeLimit limit(256 << 10);
    CHECK_FALSE(archive->Commit(MakeDocument("large", 1, 1 << 20)).ok());
    CHECK_FALSE(archive->FlushIndex().ok());
  }
  auto archive = OpenOrFail(dir, options);
  CHECK(ListedIds(*archive) == std::vector<DocId>{1});
  REQUIRE(archive->FlushIndex().ok());
  CHECK(ListEntries(*archive, kAllList) == std::vector<std::string>{"1:e1"});
}

TEST_CASE("Compact writes the buffered index and keeps every record readable") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"), AppendIndexed(/*buffer=*/1000));
  for (int i = 0; i < 20; ++i) CommitOrFail(*archive, MakeDocument("d" + std::to_string(i)));
  REQUIRE(archive->Compact().ok());
  CHECK(CountRaw(*archive, Column::kMeta, std::string(kUnindexedKeys)) == 0);
  CHECK(ListEntries(*archive, kAllList).size() == 20);
  CHECK(TermStat(*archive, "documents") == 20);
  Result<DocumentRecord> record = archive->Get(20);
  REQUIRE(record.ok());
  CHECK(record->summary.source == "d19.pdf");
}

TEST_CASE("a page reads back with every field") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  NewDocument doc = MakeDocument("page");
  PageText& page = doc.pages[0];
  page.rotation = 270;
  page.skew = -1.25;
  page.source = TextSource::kTextLayer;
  page.blank = true;
  page.error = "Tesseract: no text";
  page.words.push_back(OcrWord{"Grüße", Box{-3, 0, 70000, 12}, 33.25f, 2, 7, {}});
  const DocId id = CommitOrFail(*archive, doc);
  Result<DocumentRecord> record = archive->Get(id);
  REQUIRE(record.ok());
  REQUIRE(record->pages.size() == doc.pages.size());
  const PageText& read = record->pages[0];
  CHECK(read.width == page.width);
  CHECK(read.dpi == page.dpi);
  CHECK(read.rotation == 270);
  CHECK(read.skew == -1.25);
  CHECK(read.source == TextSource::kTextLayer);
  CHECK(read.blank);
  CHECK(read.error == page.error);
  CHECK(read.text == page.text);
  REQUIRE(read.words.size() == 2);
  CHECK(read.words[1].text == "Grüße");
  CHECK(read.words[1].box == Box{-3, 0, 70000, 12});
  CHECK(read.words[1].conf == 33.25f);
  CHECK(read.words[1].block == 2);
  CHECK(read.words[1].line == 7);
}

TEST_CASE("UpdateFields replaces the fields, logs the change and re-indexes, in one write") {
  TempDir tmp;
  // Indexes each document's total, and refuses a total of 1.00.
  auto index = [](DocId id, const NewDocument& doc, IndexBatch& batch) {
    CHECK(doc.pages.size() == 2);
    const std::string& total = doc.extraction.fields.at("total").value;
    if (total == "1.00") return Status::Internal("index broken");
    batch.Put(IndexColumn::kDocTerms, "total:" + std::to_string(id), total);
    return Status::Ok();
  };
  std::vector<std::string> unindexed;  // the totals unindexed, as stored
  auto unindex = [&](DocId id, const NewDocument& stored, Archive&, IndexBatch& batch) {
    unindexed.push_back(stored.extraction.fields.at("total").value);
    batch.Delete(IndexColumn::kDocTerms, "total:" + std::to_string(id));
    return Status::Ok();
  };
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(index, unindex));
  const DocId id = CommitOrFail(*archive, MakeDocument("to-correct"));

  Extraction corrected = archive->Get(id)->extraction;
  corrected.type = DocumentType::kReceipt;
  corrected.fields["total"].value = "112.00";
  corrected.needs_review = true;
  REQUIRE(archive->UpdateFields(id, corrected, Event("corrected", "ann", "total: 120.00 -> 112.00"))
              .ok());
  CHECK(unindexed == std::vector<std::string>{"120.00"});

  Result<DocumentRecord> record = archive->Get(id);
  REQUIRE(record.ok());
  CHECK(record->extraction.fields.at("total").value == "112.00");
  CHECK(record->summary.type == DocumentType::kReceipt);
  CHECK(record->summary.needs_review);
  REQUIRE(record->history.size() == 2);
  CHECK(record->history[1].action == "corrected");
  CHECK(record->history[1].by == "ann");
  CHECK(record->history[1].time > 0);
  Result<std::optional<std::string>> indexed =
      archive->GetIndexValue(IndexColumn::kDocTerms, "total:" + std::to_string(id));
  REQUIRE(indexed.ok());
  CHECK(*indexed == std::optional<std::string>("112.00"));

  corrected.fields["total"].value = "1.00";
  CHECK_FALSE(archive->UpdateFields(id, corrected, Event("corrected", "bob", "")).ok());
  CHECK(archive->Get(id)->extraction.fields.at("total").value == "112.00");
  CHECK(archive->Get(id)->history.size() == 2);
  indexed = archive->GetIndexValue(IndexColumn::kDocTerms, "total:" + std::to_string(id));
  REQUIRE(indexed.ok());
  CHECK(*indexed == std::optional<std::string>("112.00"));
}

TEST_CASE("UpdateLabels re-indexes the document with its new tags, in one write") {
  TempDir tmp;
  auto join = [](const std::vector<std::string>& tags) {
    std::string joined;
    for (const std::string& tag : tags) joined += (joined.empty() ? "" : ",") + tag;
    return joined;
  };
  auto index = [&](DocId id, const NewDocument& doc, IndexBatch& batch) {
    batch.Put(IndexColumn::kDocTerms, "tags:" + std::to_string(id), join(doc.tags));
    return Status::Ok();
  };
  std::vector<std::string> unindexed;  // the tags unindexed, as stored
  auto unindex = [&](DocId id, const NewDocument& stored, Archive&, IndexBatch& batch) {
    unindexed.push_back(join(stored.tags));
    batch.Delete(IndexColumn::kDocTerms, "tags:" + std::to_string(id));
    return Status::Ok();
  };
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(index, unindex));
  NewDocument doc = MakeDocument("labelled");
  doc.tags = {"inbox"};
  const DocId id = CommitOrFail(*archive, doc);

  const DocumentLabels labels{{"paid", "2024"}, "Acme invoice", "paid by card"};
  REQUIRE(archive->UpdateLabels(id, labels, Event("labelled", "ann", "")).ok());
  CHECK(unindexed == std::vector<std::string>{"inbox"});
  Result<std::optional<std::string>> indexed =
      archive->GetIndexValue(IndexColumn::kDocTerms, "tags:" + std::to_string(id));
  REQUIRE(indexed.ok());
  CHECK(*indexed == std::optional<std::string>("paid,2024"));
  Result<DocumentRecord> record = archive->Get(id);
  REQUIRE(record.ok());
  CHECK(record->summary.tags == labels.tags);
  CHECK(record->summary.title == "Acme invoice");
  CHECK(record->history.size() == 2);
}

TEST_CASE("AppendAudit adds events in order") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  const DocId id = CommitOrFail(*archive, MakeDocument("audited"));
  REQUIRE(archive->AppendAudit(id, AuditEvent{1700000000, "exported", "ann", "pdf"}).ok());
  REQUIRE(archive->AppendAudit(id, Event("exported", "bob", "json")).ok());
  Result<DocumentRecord> record = archive->Get(id);
  REQUIRE(record.ok());
  REQUIRE(record->history.size() == 3);
  CHECK(record->history[1].time == 1700000000);
  CHECK(record->history[1].detail == "pdf");
  CHECK(record->history[2].by == "bob");
}

TEST_CASE("Verify passes a sound archive and reports damaged originals and missing pages") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  const NewDocument small = MakeDocument("small", 2);
  const NewDocument large = MakeDocument("large", 2, 2 * kMinBlobSize);
  CommitOrFail(*archive, small);
  CommitOrFail(*archive, large);
  const DocId paged_id = CommitOrFail(*archive, MakeDocument("paged", 4));

  std::vector<std::string> problems;
  REQUIRE(archive->Verify(problems).ok());
  CHECK(problems.empty());

  for (const NewDocument* doc : {&small, &large}) {
    std::string flipped = doc->original;
    flipped[flipped.size() / 2] ^= 0x01;
    PutRaw(*archive, Column::kOriginals, Sha256Hex(doc->original), flipped);
  }
  DeleteRaw(*archive, Column::kPages, PageKey(paged_id, 2));
  auto& rocks = dynamic_cast<RocksArchive&>(*archive);  // read the damage back from disk
  REQUIRE(rocks.db().Flush(rocksdb::FlushOptions(), rocks.handle(Column::kOriginals)).ok());

  const Status status = archive->Verify(problems);
  CHECK(status.code() == Status::Code::kCorruption);
  REQUIRE(problems.size() == 3);
  auto reported = [&](const std::string& text) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(text) != std::string::npos; });
  };
  CHECK(reported("original " + Sha256Hex(small.original) + " (document 1): its bytes hash to"));
  CHECK(reported("original " + Sha256Hex(large.original) + " (document 2): its bytes hash to"));
  CHECK(reported(DocumentName(paged_id) + ": 3 of its 4 pages are stored"));
}

TEST_CASE("Verify reports missing originals and fields, and dangling references") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"));
  const NewDocument doc = MakeDocument("lost");
  const DocId id = CommitOrFail(*archive, doc);
  DeleteRaw(*archive, Column::kOriginals, Sha256Hex(doc.original));
  DeleteRaw(*archive, Column::kFields, DocKey(id));
  PutRaw(*archive, Column::kOriginalRefs, RefKey(Sha256Hex(doc.original), 7), EncodeFixed64(100));

  std::vector<std::string> problems;
  CHECK(archive->Verify(problems).code() == Status::Code::kCorruption);
  const std::string sha256 = Sha256Hex(doc.original);
  CHECK(problems ==
        std::vector<std::string>{
            "original " + sha256 + " (document 1) is missing",
            "original " + sha256 + " is referenced by document 7, which does not hold it",
            "document 1: its fields are missing"});
  CHECK(archive->GetOriginal(id).status().code() == Status::Code::kCorruption);
}

TEST_CASE("Verify reports a blob file damaged on disk") {
  TempDir tmp;
  const NewDocument rotting = MakeDocument("rotting", 1, 2 * kMinBlobSize);
  const std::string dir = tmp.Sub("archive");
  {
    auto archive = OpenOrFail(dir);
    CommitOrFail(*archive, rotting);
    CommitOrFail(*archive, MakeDocument("sound", 1));
  }
  {
    REQUIRE(BlobFiles(dir).empty());  // still in the write-ahead log
    auto flushed = OpenOrFail(dir);
  }
  const std::vector<std::string> blobs = BlobFiles(dir);
  REQUIRE(blobs.size() == 1);
  {
    std::fstream blob(blobs[0], std::ios::in | std::ios::out | std::ios::binary);
    blob.seekp(kMinBlobSize);
    blob.put('\x5a');
  }
  auto archive = OpenOrFail(dir);
  std::vector<std::string> problems;
  CHECK(archive->Verify(problems).code() == Status::Code::kCorruption);
  REQUIRE(problems.size() == 1);  // the damaged one is named, and the sound one still checked
  CHECK(problems[0].find("original " + Sha256Hex(rotting.original) + " (document 1): ") == 0);
  CHECK(problems[0].find("Corruption") != std::string::npos);
  CHECK(archive->GetOriginal(1).status().code() == Status::Code::kCorruption);
  CHECK(archive->GetOriginal(2).ok());
}

TEST_CASE("Backup writes an archive that opens and verifies") {
  TempDir tmp;
  auto archive = OpenOrFail(tmp.Sub("archive"), IndexedBy(Record));
  CommitOrFail(*archive, MakeDocument("small"));
  const NewDocument large = MakeDocument("large", 1, 2 * kMinBlobSize);
  const DocId large_id = CommitOrFail(*archive, large);

  const std::string dest = tmp.Sub("backup");
  REQUIRE(archive->Backup(dest).ok());
  const Status again = archive->Backup(dest);
  CHECK(again.code() == Status::Code::kInvalidArgument);
  CHECK(again.message().find("already exists") != std::string::npos);
  const Status no_parent = archive->Backup(tmp.Sub("missing/backup"));
  CHECK(no_parent.code() == Status::Code::kInvalidArgument);
  CHECK(no_parent.message().find("create it first") != std::string::npos);

  ArchiveOptions read_only;
  read_only.read_only = true;
  auto backup = OpenOrFail(dest, read_only);
  CHECK(ListedIds(*backup) == std::vector<DocId>{2, 1});
  CHECK(*backup->GetOriginal(large_id) == large.original);
  CHECK(TermStat(*backup, "documents") == 2);
  std::vector<std::string> problems;
  CHECK(backup->Verify(problems).ok());
  CHECK(problems.empty());
}

TEST_CASE("an archive reopened after closing keeps everything") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  const NewDocument large = MakeDocument("large", 2, 2 * kMinBlobSize);
  {
    auto archive = OpenOrFail(dir, IndexedBy(Record));
    CommitOrFail(*archive, MakeDocument("small", 3));
    CommitOrFail(*archive, large);
    REQUIRE(archive->AppendAudit(1, Event("exported", "ann", "")).ok());
  }
  auto archive = OpenOrFail(dir);
  Result<DocumentRecord> record = archive->Get(1);
  REQUIRE(record.ok());
  CHECK(record->pages.size() == 3);
  CHECK(record->history.size() == 2);
  CHECK(*archive->GetOriginal(2) == large.original);
  CHECK(RecordedSource(*archive, 2) == "large.pdf");
  CHECK(TermStat(*archive, "documents") == 2);

  Result<Archive::Stats> stats = archive->GetStats();
  REQUIRE(stats.ok());
  CHECK(stats->documents == 2);
  CHECK(stats->pages == 5);
  CHECK(stats->originals == 2);
  CHECK(stats->original_bytes == static_cast<int64_t>(100 + large.original.size()));
  CHECK(stats->disk_bytes > 0);
  CHECK(stats->needs_review == 0);
}

TEST_CASE("a read-only archive reads and refuses to write") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  auto writer = OpenOrFail(dir);
  CommitOrFail(*writer, MakeDocument("first"));

  ArchiveOptions read_only;
  read_only.read_only = true;
  auto reader = OpenOrFail(dir, read_only);  // beside the writer, which holds the lock
  CHECK(ListedIds(*reader) == std::vector<DocId>{1});
  CHECK(reader->Get(1).ok());
  const Result<CommitResult> refused = reader->Commit(MakeDocument("second"));
  CHECK(refused.status().code() == Status::Code::kInvalidArgument);
  CHECK(refused.status().message().find("read-only") != std::string::npos);
}

TEST_CASE("read-only opens beside a writer that compacts all succeed") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  auto writer = OpenOrFail(dir);
  CommitOrFail(*writer, MakeDocument("first"));
  // Each compaction deletes the table files a reader may have just listed (CI saw "Corruption:
  // IO error: No such file or directory" from `quire list` beside `quire serve`).
  std::atomic<bool> writing = true;
  Status written;
  std::thread compacting([&] {
    for (int i = 0; i < 40 && written.ok(); ++i) {
      written = writer->Commit(MakeDocument("more " + std::to_string(i))).status();
      if (written.ok()) written = writer->Compact();
    }
    writing = false;
  });
  ArchiveOptions read_only;
  read_only.read_only = true;
  int opened = 0;
  Status refused;
  while (writing && refused.ok()) {
    refused = Archive::Open(dir, read_only).status();
    if (refused.ok()) ++opened;
  }
  compacting.join();
  INFO(refused.ToString() << " / " << written.ToString());
  CHECK(refused.ok());
  CHECK(written.ok());
  CHECK(opened > 0);
}

// Whether another process would find the archive locked: asked from a child, since a process
// never sees its own POSIX locks as conflicting (RocksDB locks the LOCK file with fcntl).
bool LockedForOthers(const std::string& dir) {
  const std::string lock_file = dir + "/LOCK";
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // async-signal-safe calls only: RocksDB's threads run in the parent
    const int fd = open(lock_file.c_str(), O_RDONLY);
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    _exit(fd >= 0 && fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST_CASE("opening an archive already open for writing says so") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  auto first = OpenOrFail(dir);
  REQUIRE(LockedForOthers(dir));
  Result<std::unique_ptr<Archive>> second = Archive::Open(dir);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == Status::Code::kIoError);
  CHECK(second.status().message().find("already open") != std::string::npos);
  // The failed open must not have released the first one's lock (closing any descriptor of the
  // LOCK file would): another quire would then open the archive beside this writer.
  CHECK(LockedForOthers(dir));
  CommitOrFail(*first, MakeDocument("still writable"));
}

TEST_CASE("Open explains folders that are not archives") {
  TempDir tmp;
  ArchiveOptions no_create;
  no_create.create_if_missing = false;
  Result<std::unique_ptr<Archive>> missing = Archive::Open(tmp.Sub("nowhere"), no_create);
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(missing.status().message().find("no archive at") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(tmp.Sub("nowhere")));

  const std::string documents = tmp.Sub("documents");
  std::filesystem::create_directory(documents);
  std::ofstream(documents + "/letter.txt") << "not an archive";
  Result<std::unique_ptr<Archive>> other = Archive::Open(documents);
  CHECK(other.status().code() == Status::Code::kInvalidArgument);
  CHECK(other.status().message().find("not a quire archive") != std::string::npos);

  auto nested = OpenOrFail(tmp.Sub("archives/2024"));  // missing parents are made
  auto slashed = OpenOrFail(tmp.Sub("slashed") + "/");
  CommitOrFail(*slashed, MakeDocument("in a folder named with a slash"));

  Result<std::unique_ptr<Archive>> file = Archive::Open(documents + "/letter.txt");
  CHECK(file.status().code() == Status::Code::kInvalidArgument);

  const std::string plain_db = tmp.Sub("plain-rocksdb");
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(options, plain_db, &db).ok());
    delete db;
  }
  Result<std::unique_ptr<Archive>> foreign = Archive::Open(plain_db);
  CHECK(foreign.status().code() == Status::Code::kInvalidArgument);
  CHECK(foreign.status().message().find("not a quire archive") != std::string::npos);
}

TEST_CASE("Open reports a damaged archive as corruption") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  { auto archive = OpenOrFail(dir); }
  std::string manifest;
  std::ifstream(dir + "/CURRENT") >> manifest;

  SECTION("a lost file") {
    std::ofstream(dir + "/CURRENT", std::ios::trunc) << "MANIFEST-999999\n";
  }
  SECTION("a garbled file") { std::ofstream(dir + "/" + manifest, std::ios::trunc) << "garbled"; }
  Result<std::unique_ptr<Archive>> damaged = Archive::Open(dir);
  INFO(damaged.status().ToString());
  CHECK(damaged.status().code() == Status::Code::kCorruption);
  CHECK(damaged.status().message().find("the archive " + dir + " is damaged") == 0);
  CHECK(damaged.status().message().find("restore it from a backup") != std::string::npos);
}

TEST_CASE("a reader beside the writer reads originals the writer has moved since") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  auto writer = OpenOrFail(dir);
  // Two large originals in the oldest blob file, then newer files: deleting the first makes
  // garbage collection move the second to a new file and delete the old one.
  const DocId deleted = CommitOrFail(*writer, MakeDocument("a", 1, 2 * kMinBlobSize));
  const DocId kept = CommitOrFail(*writer, MakeDocument("b", 1, 2 * kMinBlobSize));
  REQUIRE(writer->Compact().ok());
  for (int i = 0; i < 4; ++i) {
    CommitOrFail(*writer, MakeDocument("newer " + std::to_string(i), 1, 2 * kMinBlobSize));
    REQUIRE(writer->Compact().ok());
  }
  ArchiveOptions read_only;
  read_only.read_only = true;
  auto reader = OpenOrFail(dir, read_only);
  const auto blob_files = [&] {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".blob") names.insert(entry.path().filename());
    }
    return names;
  };
  const std::set<std::string> before = blob_files();
  REQUIRE(writer->Delete(deleted, Event("deleted", "ann", "")).ok());
  REQUIRE(writer->Compact().ok());
  REQUIRE(blob_files() != before);  // the reader's files are gone

  for (int read = 0; read < 2; ++read) {  // the second read uses the view the first opened
    Result<std::string> original = reader->GetOriginal(kept);
    INFO(original.status().ToString());
    REQUIRE(original.ok());
    CHECK(*original == MakeDocument("b", 1, 2 * kMinBlobSize).original);
  }
}
}  // namespace
}  // namespace quire::store
