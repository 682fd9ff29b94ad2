// The archive's record encodings, byte for byte: a change to any of them must be a new schema
// version with a migration (schema.h), so each kind has its golden bytes here, and an archive of
// the previous schema is opened, read and brought up to date.
#include <rocksdb/db.h>

#include <catch2/catch.hpp>

#include "documents.h"
#include "quire/index/index.h"
#include "quire/store/varint.h"
#include "rocks_archive.h"
#include "schema.h"
#include "temp_dir.h"

namespace quire::store {
namespace {

using quire::testing::TempDir;
using std::string_literals::operator""s;

PageText GoldenPage() {
  PageText page;
  page.width = 10;
  page.height = 20;
  page.dpi = 300;
  page.rotation = 90;
  page.skew = 0.5;
  page.source = TextSource::kTextLayer;
  page.language = "eng";
  page.text = "Hi";
  page.words = {OcrWord{"Hi", Box{1, 2, 3, 4}, 96.5f, 0, 1, {"Hl", "H1"}}};
  return page;
}

// The word "Hi" at (1, 2, 3, 4), conf 96.5, block 0, line 1: the same in schemas 3 and 4.
const std::string kGoldenWord =
    "\x02Hi"                                             // its text
    "\x02\x04\x06\x08"                                   // zigzag x, y, w, h
    "\x00\x00\xC1\x42"                                   // conf: float32 96.5, little-endian
    "\x00\x02"s;                                         // zigzag block 0, line 1
const std::string kGoldenWords = "\x01"s + kGoldenWord;  // one word

const std::string kGoldenPageFields =
    "\x14\x28\xD8\x04\xB4\x01"          // zigzag width 10, height 20, dpi 300, rotation 90
    "\x00\x00\x00\x00\x00\x00\xE0\x3F"  // skew: float64 0.5, little-endian
    "\x01\x00"                          // a text layer, not blank
    "\x03"
    "eng"
    "\x02"
    "Hi"
    "\x00"    // language, text, no error
    "\x00"s;  // no barcodes

const std::string kGoldenPage = "\x03"s  // schema 9's page record
                                + kGoldenPageFields + "\x01" + kGoldenWord +
                                "\x02\x02Hl\x02H1";  // the word's two alternatives

// As schema 4 wrote the same page: no alternatives.
const std::string kSchema4Page = "\x02"s + kGoldenPageFields + kGoldenWords;

// As schema 3 wrote the same page: its fields as JSON, then the words.
const std::string kPageJson =
    R"({"blank":false,"dpi":300,"height":20,"language":"eng","rotation":90,"skew":0.5,)"
    R"("source":"text-layer","text":"Hi","width":10,"words":[]})";
std::string Schema3Page() {
  std::string record = "\x01";
  PutString(record, kPageJson);
  return record + kGoldenWords;
}
const std::string kSchema3Page = Schema3Page();

// `page` is the golden page; its word has `alternatives` (older schemas kept none).
void CheckGoldenPage(const PageText& page, const std::vector<std::string>& alternatives) {
  const PageText golden = GoldenPage();
  CHECK(page.width == golden.width);
  CHECK(page.height == golden.height);
  CHECK(page.dpi == golden.dpi);
  CHECK(page.rotation == golden.rotation);
  CHECK(page.skew == golden.skew);
  CHECK(page.source == golden.source);
  CHECK(page.blank == golden.blank);
  CHECK(page.language == golden.language);
  CHECK(page.text == golden.text);
  CHECK(page.error == golden.error);
  REQUIRE(page.words.size() == 1);
  CHECK(page.words[0].text == "Hi");
  CHECK(page.words[0].box == Box{1, 2, 3, 4});
  CHECK(page.words[0].conf == 96.5f);
  CHECK(page.words[0].line == 1);
  CHECK(page.words[0].alternatives == alternatives);
}

}  // namespace

TEST_CASE("page records: golden bytes, and schema 3's and 4's read as well") {
  CHECK(EncodePage(GoldenPage()) == kGoldenPage);
  Result<PageText> page = DecodePage(kGoldenPage);
  REQUIRE(page.ok());
  CheckGoldenPage(*page, {"Hl", "H1"});

  for (const std::string& record : {kSchema3Page, kSchema4Page}) {
    Result<PageText> old = DecodePage(record);
    REQUIRE(old.ok());
    CheckGoldenPage(*old, {});
  }
  Result<std::optional<std::string>> migrated = MigratePageRecord(kSchema3Page);
  REQUIRE(migrated.ok());
  CHECK(*migrated ==
        std::optional<std::string>("\x03"s + kGoldenPageFields + kGoldenWords + "\x00"s));
  migrated = MigratePageRecord(kGoldenPage);
  REQUIRE(migrated.ok());
  CHECK_FALSE(migrated->has_value());

  // The barcodes read on a page (schema 3 had none).
  PageText coded = GoldenPage();
  coded.barcodes = {"ASN00042", "QUIRE-SEP"};
  const std::string with_codes = EncodePage(coded);
  CHECK(with_codes.find("\x02"
                        "\x08"
                        "ASN00042"
                        "\x09"
                        "QUIRE-SEP") != std::string::npos);
  Result<PageText> read_codes = DecodePage(with_codes);
  REQUIRE(read_codes.ok());
  CHECK(read_codes->barcodes == coded.barcodes);

  // Cut short, a byte too many, an unknown format: damaged, never misread.
  for (const std::string& bad : {kGoldenPage.substr(0, kGoldenPage.size() - 1), kGoldenPage + "x",
                                 "\x04"s + kGoldenPage.substr(1), ""s}) {
    CHECK(DecodePage(bad).status().code() == Status::Code::kCorruption);
  }
}

TEST_CASE("field records: golden bytes") {
  Extraction extraction;
  extraction.type = DocumentType::kInvoice;
  extraction.type_score = 0.75;
  extraction.needs_review = true;
  extraction.review_reasons = {"total: check failed"};
  FieldValue total;
  total.value = "12.50";
  total.source_text = "12,50";
  total.page = 0;
  total.box = Box{1, 2, 3, 4};
  total.confidence = 0.5;
  total.valid = false;
  total.problems = {"subtotal + tax != total"};
  total.set_by = "ann";
  extraction.fields["total"] = total;
  const std::string golden =
      R"({"fields":{"total":{"box":[1,2,3,4],"confidence":0.5,"page":0,)"
      R"("problems":["subtotal + tax != total"],"set_by":"ann","source_text":"12,50",)"
      R"("valid":false,"value":"12.50"}},"needs_review":true,)"
      R"("review_reasons":["total: check failed"],"type":"invoice","type_score":0.75})";
  CHECK(EncodeExtraction(extraction) == golden);
  Result<Extraction> read = DecodeExtraction(golden);
  REQUIRE(read.ok());
  CHECK(read->type == DocumentType::kInvoice);
  CHECK(read->type_score == 0.75);
  CHECK(read->review_reasons == extraction.review_reasons);
  REQUIRE(read->fields.count("total") == 1);
  const FieldValue& f = read->fields.at("total");
  CHECK(f.value == "12.50");
  CHECK(f.source_text == "12,50");
  CHECK(f.box == Box{1, 2, 3, 4});
  CHECK(f.confidence == 0.5);
  CHECK_FALSE(f.valid);
  CHECK(f.problems == total.problems);
  CHECK(f.set_by == "ann");
  CHECK(DecodeExtraction(R"({"type":"invoice"})").status().code() == Status::Code::kCorruption);
}

TEST_CASE("field records: a form's pairs, golden bytes") {
  Extraction extraction;
  extraction.type = DocumentType::kForm;
  extraction.type_score = 0.5;
  extraction.pairs = {{"DATE:", "date", "3/4/92", 0, Box{1, 2, 3, 4}, Box{5, 6, 7, 8}, 0.75},
                      {"TO:", "to", "", 1, Box{9, 10, 11, 12}, Box{}, 0.5}};
  const std::string golden =
      R"({"fields":{},"needs_review":false,"pairs":[{"confidence":0.75,"key":"DATE:",)"
      R"("key_box":[1,2,3,4],"key_name":"date","page":0,"value":"3/4/92",)"
      R"("value_box":[5,6,7,8]},{"confidence":0.5,"key":"TO:","key_box":[9,10,11,12],)"
      R"("key_name":"to","page":1,"value":"","value_box":[0,0,0,0]}],"review_reasons":[],)"
      R"("type":"form","type_score":0.5})";
  CHECK(EncodeExtraction(extraction) == golden);
  Result<Extraction> read = DecodeExtraction(golden);
  REQUIRE(read.ok());
  REQUIRE(read->pairs.size() == 2);
  CHECK(read->pairs[0].key == "DATE:");
  CHECK(read->pairs[0].key_name == "date");
  CHECK(read->pairs[0].value == "3/4/92");
  CHECK(read->pairs[0].key_box == Box{1, 2, 3, 4});
  CHECK(read->pairs[0].value_box == Box{5, 6, 7, 8});
  CHECK(read->pairs[0].confidence == 0.75);
  CHECK(read->pairs[1].page == 1);
  CHECK(read->pairs[1].value.empty());
}

TEST_CASE("document and audit records: golden bytes") {
  DocumentSummary summary;
  summary.id = 7;
  summary.sha256 = std::string(64, 'a');
  summary.source = "scan.png";
  summary.format = "png";
  summary.type = DocumentType::kReceipt;
  summary.pages = 1;
  summary.ingested = 1700000000;
  summary.tags = {"acme"};
  summary.title = "T";
  const std::string golden_summary =
      R"({"format":"png","ingested":1700000000,"needs_review":false,"pages":1,"sha256":")" +
      std::string(64, 'a') +
      R"(","source":"scan.png","tags":["acme"],"title":"T","type":"receipt"})";
  CHECK(EncodeSummary(summary) == golden_summary);
  Result<DocumentSummary> read = DecodeSummary(7, golden_summary);
  REQUIRE(read.ok());
  CHECK(read->tags == summary.tags);
  CHECK(read->title == "T");
  CHECK(read->ingested == 1700000000);

  const AuditEvent event{1700000000, "corrected", "ann", "total: 1 -> 2"};
  const std::string golden_audit =
      R"({"action":"corrected","by":"ann","detail":"total: 1 -> 2","time":1700000000})";
  CHECK(EncodeAudit(event) == golden_audit);
  Result<AuditEvent> event_read = DecodeAudit(golden_audit);
  REQUIRE(event_read.ok());
  CHECK(event_read->detail == "total: 1 -> 2");
}

TEST_CASE("tally records: golden bytes") {
  const Tally tally{
      .documents = 3, .pages = 7, .needs_review = 1, .originals = 3, .original_bytes = 0x0102};
  const std::string golden =
      "\0\0\0\0\0\0\0\x03"s
      "\0\0\0\0\0\0\0\x07"s
      "\0\0\0\0\0\0\0\x01"s
      "\0\0\0\0\0\0\0\x03"s
      "\0\0\0\0\0\0\x01\x02"s;
  CHECK(EncodeTally(tally) == golden);
  Result<Tally> read = DecodeTally(golden);
  REQUIRE(read.ok());
  CHECK(*read == tally);
  CHECK(DecodeTally(golden.substr(1)).status().code() == Status::Code::kCorruption);
  CHECK(ReviewKey(0x0A) == "review/\0\0\0\0\0\0\0\x0A"s);
  CHECK(DocIdOfReviewKey(ReviewKey(0x0A)) == 0x0A);
}

TEST_CASE("a schema 4 archive is listed and counted by a scan, and tallied by a writer") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  ArchiveOptions read_only;
  read_only.read_only = true;
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir);
    REQUIRE(archive.ok());
    for (int i = 0; i < 5; ++i) {
      NewDocument doc = testing::MakeDocument("doc" + std::to_string(i), /*pages=*/i + 1);
      doc.extraction.needs_review = i % 2 == 0;  // documents 1, 3 and 5
      REQUIRE((*archive)->Commit(doc).ok());
    }
    // Below the API, the archive as schema 4 wrote it: no tally, no review marks.
    auto& rocks = dynamic_cast<RocksArchive&>(**archive);
    REQUIRE(rocks.db().Delete({}, rocks.handle(Column::kMeta), std::string(kTallyKey)).ok());
    for (DocId id : {1, 3, 5}) {
      REQUIRE(rocks.db().Delete({}, rocks.handle(Column::kMeta), ReviewKey(id)).ok());
    }
    REQUIRE(
        rocks.db().Put({}, rocks.handle(Column::kMeta), std::string(kSchemaVersionKey), "4").ok());
  }
  auto check_counts = [](Archive& archive) {
    Result<DocumentList> review = archive.ListPage({.offset = 1, .limit = 1, .needs_review = true});
    REQUIRE(review.ok());
    CHECK(review->total == 3);
    REQUIRE(review->documents.size() == 1);
    CHECK(review->documents[0].id == 3);
    Result<Archive::Stats> stats = archive.GetStats();
    REQUIRE(stats.ok());
    CHECK(stats->documents == 5);
    CHECK(stats->pages == 1 + 2 + 3 + 4 + 5);
    CHECK(stats->needs_review == 3);
    CHECK(stats->originals == 5);
    CHECK(stats->original_bytes == 5 * 100);
  };
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, read_only);
    REQUIRE(archive.ok());
    check_counts(**archive);
  }
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir);
    REQUIRE(archive.ok());
    check_counts(**archive);
    std::vector<std::string> problems;
    CHECK((*archive)->Verify(problems).ok());
    CHECK(problems.empty());
    auto& rocks = dynamic_cast<RocksArchive&>(**archive);
    std::string version;
    REQUIRE(rocks.db()
                .Get({}, rocks.handle(Column::kMeta), std::string(kSchemaVersionKey), &version)
                .ok());
    CHECK(version == std::to_string(kSchemaVersion));
    std::string mark;
    CHECK(rocks.db().Get({}, rocks.handle(Column::kMeta), ReviewKey(5), &mark).ok());
  }
}

TEST_CASE("a schema 3 archive is read as it is, and brought up to date by a writer") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  DocId id = 0;
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir);
    REQUIRE(archive.ok());
    NewDocument doc = testing::MakeDocument("old", /*pages=*/1);
    doc.pages = {GoldenPage()};
    Result<CommitResult> commit = (*archive)->Commit(doc);
    REQUIRE(commit.ok());
    id = commit->id;
    // Below the API, the document as schema 3 wrote it.
    auto& rocks = dynamic_cast<RocksArchive&>(**archive);
    REQUIRE(rocks.db().Put({}, rocks.handle(Column::kPages), PageKey(id, 0), kSchema3Page).ok());
    REQUIRE(
        rocks.db().Put({}, rocks.handle(Column::kMeta), std::string(kSchemaVersionKey), "3").ok());
  }
  auto raw = [&](Column column, const std::string& key) {
    ArchiveOptions read_only;
    read_only.read_only = true;
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, read_only);
    REQUIRE(archive.ok());
    auto& rocks = dynamic_cast<RocksArchive&>(**archive);
    std::string value;
    REQUIRE(rocks.db().Get({}, rocks.handle(column), key, &value).ok());
    return value;
  };
  {
    ArchiveOptions read_only;
    read_only.read_only = true;
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, read_only);
    REQUIRE(archive.ok());
    Result<DocumentRecord> doc = (*archive)->Get(id);
    REQUIRE(doc.ok());
    REQUIRE(doc->pages.size() == 1);
    CheckGoldenPage(doc->pages[0], {});
  }
  CHECK(raw(Column::kMeta, std::string(kSchemaVersionKey)) == "3");
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir);
    REQUIRE(archive.ok());
    Result<DocumentRecord> doc = (*archive)->Get(id);
    REQUIRE(doc.ok());
    CheckGoldenPage(doc->pages[0], {});
  }
  CHECK(raw(Column::kMeta, std::string(kSchemaVersionKey)) == std::to_string(kSchemaVersion));
  CHECK(raw(Column::kPages, PageKey(id, 0)) ==
        "\x03"s + kGoldenPageFields + kGoldenWords + "\x00"s);

  // Schema 2 is beyond the migration: refused, with what to do.
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir);
    REQUIRE(archive.ok());
    auto& rocks = dynamic_cast<RocksArchive&>(**archive);
    REQUIRE(
        rocks.db().Put({}, rocks.handle(Column::kMeta), std::string(kSchemaVersionKey), "2").ok());
  }
  Result<std::unique_ptr<Archive>> refused = Archive::Open(dir);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kUnsupported);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("ingest its documents into a new archive"));
}

TEST_CASE("a schema 5 archive's index is rebuilt by a writer, and a reader says so before") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  ArchiveOptions read_only = index::IndexedArchiveOptions();
  read_only.read_only = true;
  DocId id = 0;
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, index::IndexedArchiveOptions());
    REQUIRE(archive.ok());
    Result<CommitResult> commit = (*archive)->Commit(testing::MakeDocument("quokka", 1));
    REQUIRE(commit.ok());
    id = commit->id;
    // Below the API, an index as schema 5 wrote it: a posting this quire cannot read.
    auto& rocks = dynamic_cast<RocksArchive&>(**archive);
    REQUIRE(rocks.db()
                .Put({}, rocks.handle(Column::kIndexPostings), "tstale\0"s + EncodeFixed64(id),
                     "\x01\x05\x00\x01\x90")
                .ok());
    REQUIRE(
        rocks.db().Put({}, rocks.handle(Column::kMeta), std::string(kSchemaVersionKey), "5").ok());
  }
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, read_only);
    REQUIRE(archive.ok());
    Result<index::SearchResults> refused = index::Searcher(**archive).Search("quokka", {});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == Status::Code::kUnsupported);
    CHECK_THAT(refused.status().message(), Catch::Contains("written by an older quire"));
    CHECK((*archive)->Get(id).ok());  // the documents themselves read as ever
  }
  {
    Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, index::IndexedArchiveOptions());
    REQUIRE(archive.ok());
    index::Searcher searcher(**archive);
    Result<index::SearchResults> found = searcher.Search("quokka", {});
    REQUIRE(found.ok());
    REQUIRE(found->hits.size() == 1);
    CHECK(found->hits[0].id == id);
    std::vector<std::string> problems;  // the stale posting went with the old index
    REQUIRE(searcher.Verify(problems).ok());
    CHECK(problems.empty());
  }
  Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, read_only);
  REQUIRE(archive.ok());
  CHECK(index::Searcher(**archive).Search("quokka", {}).ok());
}

}  // namespace quire::store
