// Indexing and searching through a real archive (RocksDB in a temporary folder).
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <sstream>

#include "quire/index/index.h"
#include "spelling.h"
#include "temp_dir.h"

namespace quire::index {
namespace {

using quire::testing::TempDir;
using store::Archive;
using store::DocId;
using store::NewDocument;

// A page whose words sit on one line, 100 pixels apart, each with its own box.
PageText Page(const std::string& text) {
  PageText page;
  page.width = 2480;
  page.height = 3508;
  page.text = text;
  std::istringstream words(text);
  int x = 0;
  for (std::string word; words >> word; x += 100) {
    page.words.push_back(OcrWord{word, Box{x, 50, 90, 30}, 90});
  }
  return page;
}

FieldValue Field(const std::string& value, Box box = {}) {
  FieldValue field;
  field.value = value;
  field.box = box;
  return field;
}

NewDocument Document(const std::string& source, std::vector<std::string> pages,
                     DocumentType type = DocumentType::kOther,
                     std::map<std::string, std::string> fields = {}) {
  NewDocument doc;
  doc.source = source;
  doc.original = "original bytes of " + source;
  doc.format = "png";
  for (const std::string& text : pages) doc.pages.push_back(Page(text));
  doc.extraction.type = type;
  int y = 1000;
  for (const auto& [name, value] : fields) {
    doc.extraction.fields[name] = Field(value, Box{10, y += 100, 500, 40});
  }
  return doc;
}

class SearchFixture {
 public:
  SearchFixture() { Reopen(IndexedArchiveOptions()); }

  // Closes the archive and opens it again with `options`: with another indexer, or none.
  void Reopen(const store::ArchiveOptions& options) {
    searcher_.reset();
    archive_.reset();
    auto opened = Archive::Open(dir_.path(), options);
    REQUIRE(opened.ok());
    archive_ = std::move(*opened);
    searcher_ = std::make_unique<Searcher>(*archive_);
  }

  DocId Add(const NewDocument& doc) {
    auto committed = archive_->Commit(doc);
    INFO(committed.status().ToString());
    REQUIRE(committed.ok());
    return committed->id;
  }

  std::vector<SearchHit> Search(const std::string& query, SearchOptions options = {}) {
    return Results(query, options).hits;
  }
  SearchResults Results(const std::string& query, SearchOptions options = {}) {
    auto results = searcher_->Search(query, options);
    INFO(query << ": " << results.status().ToString());
    REQUIRE(results.ok());
    return *results;
  }

  // The ids found, best first.
  std::vector<DocId> Ids(const std::string& query) {
    std::vector<DocId> ids;
    for (const SearchHit& hit : Search(query, SearchOptions{.limit = 100})) ids.push_back(hit.id);
    return ids;
  }
  std::set<DocId> IdSet(const std::string& query) {
    const std::vector<DocId> ids = Ids(query);
    return std::set<DocId>(ids.begin(), ids.end());
  }

  std::vector<std::string> Problems() {
    std::vector<std::string> problems;
    REQUIRE(searcher_->Verify(problems).ok());
    return problems;
  }

  Archive& archive() { return *archive_; }
  Searcher& searcher() { return *searcher_; }

 private:
  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::unique_ptr<Searcher> searcher_;
};

// Four documents that most tests search.
struct Corpus {
  explicit Corpus(SearchFixture& f)
      : acme(f.Add(Document("acme.png",
                            {"ACME GmbH Invoice INV-2024-00731 Date 15.03.2024 "
                             "Total amount due 2.450,00 EUR"},
                            DocumentType::kInvoice,
                            {{"vendor_name", "ACME GmbH"},
                             {"invoice_number", "INV-2024-00731"},
                             {"invoice_date", "2024-03-15"},
                             {"total", "2450.00"},
                             {"currency", "EUR"}}))),
        globex(f.Add(Document(
            "globex.tiff",
            {"Globex Corporation lnvoice 4711", "Services rendered in January T0TAL 120.50 USD"},
            DocumentType::kInvoice,
            {{"vendor_name", "Globex Corporation"},
             {"invoice_number", "4711"},
             {"invoice_date", "2024-01-20"},
             {"total", "120.50"}}))),
        cafe(f.Add(Document(
            "cafe.jpeg", {"Corner Café Über den Wolken receipt total 35.90"},
            DocumentType::kReceipt,
            {{"vendor_name", "Corner Café"}, {"invoice_date", "2024-03-02"}, {"total", "35.90"}}))),
        letter(f.Add(Document("letter.pdf",
                              {"Dear customer we have received your invoices and will pay them "
                               "soon"},
                              DocumentType::kLetter))) {}
  DocId acme, globex, cafe, letter;
};

using Ids = std::set<DocId>;

// An archive whose postings are written in bulk, in full blocks of 128: where block bounds skip.
std::unique_ptr<Archive> BulkArchive(const TempDir& dir) {
  store::ArchiveOptions options = IndexedArchiveOptions();
  options.index_buffer_documents = 1000;
  auto archive = Archive::Open(dir.path(), options);
  REQUIRE(archive.ok());
  return std::move(*archive);
}

// The first k hits of `query`, counted to one match so that ranking skips by score bounds, are
// those of the exhaustive ranking, with the same scores.
void CheckBestAsExhaustive(Searcher& searcher, const std::string& query, int documents) {
  const auto all = searcher.Search(query, SearchOptions{.limit = documents});
  REQUIRE(all.ok());
  for (int k : {1, 10}) {
    const auto top = searcher.Search(query, SearchOptions{.limit = k, .count_limit = 1});
    REQUIRE(top.ok());
    REQUIRE(top->hits.size() == static_cast<size_t>(k));
    for (int i = 0; i < k; ++i) {
      INFO(query << " k=" << k << " i=" << i);
      CHECK(top->hits[i].id == all->hits[i].id);
      CHECK(top->hits[i].score == Approx(all->hits[i].score));
    }
  }
}

}  // namespace

TEST_CASE("search finds documents by word, folded and stemmed") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.IdSet("globex") == Ids{c.globex});
  CHECK(f.IdSet("GLOBEX corporation") == Ids{c.globex});
  CHECK(f.IdSet("uber") == Ids{c.cafe});               // "Über"
  CHECK(f.IdSet("cafe") == Ids{c.cafe});               // "Café"
  CHECK(f.IdSet("invoice") == Ids{c.acme, c.letter});  // "invoices" shares the stem
  CHECK(f.IdSet("invoices") == Ids{c.acme, c.letter});
  CHECK(f.IdSet("nothing-like-this").empty());
}

TEST_CASE("when no document has every word, those with some of them come, marked as such") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.Search("globex corporation").at(0).all_words);
  // Words are ANDed: no document has both, so each document with one of them comes, marked.
  const std::vector<SearchHit> some = f.Search("globex acme");
  CHECK(f.IdSet("globex acme") == Ids{c.acme, c.globex});
  CHECK(std::none_of(some.begin(), some.end(), [](const SearchHit& h) { return h.all_words; }));
  // A word OCR garbled beyond what `~` forgives does not hide the document with the other two.
  CHECK(f.Ids("acme invoice zzqxv~").at(0) == c.acme);
  // Exclusions and filters still hold.
  CHECK(f.IdSet("globex acme -corporation") == Ids{c.acme});
  CHECK(f.IdSet("globex acme type:receipt").empty());
  CHECK(f.IdSet("nothing-like-this zzqxv").empty());
}

TEST_CASE("a hit carries the vendor, date and total a clerk looks for") {
  SearchFixture f;
  const Corpus c(f);
  const SearchHit hit = f.Search("INV-2024-00731").at(0);
  CHECK(hit.id == c.acme);
  CHECK(hit.vendor == "ACME GmbH");
  CHECK(hit.date == "2024-03-15");
  CHECK(hit.total == "2450.00");
  CHECK(hit.currency == "EUR");
}

TEST_CASE("search finds an invoice number whole and by its parts") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.IdSet("INV-2024-00731") == Ids{c.acme});
  CHECK(f.IdSet("inv-2024-00731") == Ids{c.acme});
  CHECK(f.IdSet("00731") == Ids{c.acme});
  CHECK(f.IdSet("2024-00731") == Ids{c.acme});
  CHECK(f.IdSet("4711") == Ids{c.globex});
  CHECK(f.IdSet("INV-2024-00732").empty());
}

TEST_CASE("phrases, prefixes, OR and exclusion") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.IdSet("\"total amount due\"") == Ids{c.acme});
  CHECK(f.IdSet("\"amount total\"").empty());
  CHECK(f.IdSet("\"invoice INV-2024-00731\"") == Ids{c.acme});
  CHECK(f.IdSet("\"globex services\"").empty());  // the words are on different pages
  CHECK(f.IdSet("glob*") == Ids{c.globex});
  CHECK(f.IdSet("inv-2024*") == Ids{c.acme});
  CHECK(f.IdSet("invoice*") == Ids{c.acme, c.letter});
  CHECK(f.IdSet("globex OR acme") == Ids{c.acme, c.globex});
  CHECK(f.IdSet("invoice -letter -dear") == Ids{c.acme});
  CHECK(f.IdSet("total -\"amount due\"") == Ids{c.cafe});
}

TEST_CASE("fuzzy words find OCR misreads") {
  SearchFixture f;
  const Corpus c(f);
  // "invoice", the misread "lnvoice" and "invoices" are all within 2 edits.
  CHECK(f.IdSet("lnvoice~") == Ids{c.acme, c.globex, c.letter});
  CHECK(f.IdSet("lnvoice") == Ids{c.globex});                 // without ~, only the misread itself
  CHECK(f.IdSet("T0TAL~") == Ids{c.acme, c.globex, c.cafe});  // "total" and "t0tal"
  CHECK(f.IdSet("total~ -t0tal") == Ids{c.acme, c.cafe});
  CHECK(f.IdSet("globexx~") == Ids{c.globex});
  // Mostly digits: found by walking the dictionary, not through the spelling index.
  CHECK(f.IdSet("4712~") == Ids{c.globex});
  CHECK(f.IdSet("00781~") == Ids{c.acme});
}

TEST_CASE("a fuzzy word keeps its nearest matches when it has more than it can expand to") {
  SearchFixture f;
  // 100 words two edits from "abcdefg", each in two documents, and one a single edit away in one.
  for (char a = 'h'; a <= 'q'; ++a) {
    for (char b = 'h'; b <= 'q'; b += 2) {
      const std::string words = std::string("abcde") + a + b + " abcde" + a + char(b + 1);
      f.Add(Document(words + "-1.png", {words}));
      f.Add(Document(words + "-2.png", {words}));
    }
  }
  const DocId near = f.Add(Document("near.png", {"abcdefx"}));
  CHECK(f.IdSet("abcdefg~").contains(near));
}

TEST_CASE("the spelling index covers every term a fuzzy word can match") {
  CHECK(Deletions("abc", 1) == std::vector<std::string>{"abc", "ab", "ac", "bc"});
  CHECK(Deletions("über", 2).size() == 1 + 4 + 6);
  CHECK(IsSpelled("t0tal"));
  CHECK_FALSE(IsSpelled("inv-2024-00731"));  // more digits than letters
  CHECK_FALSE(IsSpelled("Zinvoic"));         // a stem term
  CHECK(UsesSpelling("lnvoice", 2));
  CHECK(UsesSpelling("t0tal", 1));
  CHECK_FALSE(UsesSpelling("t0t4l", 1));  // "t0t41", one edit away, is not spelled
  CHECK_FALSE(UsesSpelling("4711", 1));
}

TEST_CASE("field filters and ranges return exactly the matching documents") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.IdSet("type:invoice") == Ids{c.acme, c.globex});
  CHECK(f.IdSet("type:Receipt") == Ids{c.cafe});
  CHECK(f.IdSet("type:form").empty());
  CHECK(f.IdSet("vendor:acme") == Ids{c.acme});
  CHECK(f.IdSet("vendor:\"globex corporation\"") == Ids{c.globex});
  CHECK(f.IdSet("vendor:cafe") == Ids{c.cafe});
  CHECK(f.IdSet("number:4711") == Ids{c.globex});
  CHECK(f.IdSet("number:INV-2024-00731") == Ids{c.acme});
  CHECK(f.IdSet("number:00731") == Ids{c.acme});
  CHECK(f.IdSet("currency:eur") == Ids{c.acme});
  CHECK(f.IdSet("total:>2000") == Ids{c.acme});
  CHECK(f.IdSet("total:>=2450") == Ids{c.acme});
  CHECK(f.IdSet("total:>2450").empty());
  CHECK(f.IdSet("total:100..500") == Ids{c.globex});
  CHECK(f.IdSet("total:<=35.90") == Ids{c.cafe});
  CHECK(f.IdSet("total:<35.90").empty());
  CHECK(f.IdSet("total:120.5") == Ids{c.globex});
  CHECK(f.IdSet("date:2024-03") == Ids{c.acme, c.cafe});
  CHECK(f.IdSet("date:2024-01-01..2024-02-29") == Ids{c.globex});
  CHECK(f.IdSet("date:2024-03-02") == Ids{c.cafe});
  CHECK(f.IdSet("date:>2024-03-02") == Ids{c.acme});
  CHECK(f.IdSet("date:2024") == Ids{c.acme, c.globex, c.cafe});
  CHECK(f.IdSet("type:invoice date:2024-03 total:>2000 acme") == Ids{c.acme});
  CHECK(f.IdSet("(type:invoice OR type:receipt) -vendor:acme") == Ids{c.globex, c.cafe});
  CHECK(f.IdSet("type:invoice OR type:receipt -vendor:acme") == Ids{c.acme, c.globex, c.cafe});
  // Field values are searchable words too: the normalised date is not on the page.
  CHECK(f.IdSet("2024-03-15") == Ids{c.acme});
}

TEST_CASE("results can be sorted by date") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.Ids("date:2024 sort:date") == std::vector<DocId>{c.acme, c.cafe, c.globex});
  CHECK(f.Ids("date:2024 sort:oldest") == std::vector<DocId>{c.globex, c.cafe, c.acme});
  SearchOptions newest;
  newest.sort = SortOrder::kDateNewest;
  newest.limit = 2;
  const auto hits = f.Search("total", newest);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].id == c.acme);
  CHECK(hits[1].id == c.cafe);
}

TEST_CASE("BM25 ranks the document with more matches higher") {
  SearchFixture f;
  const DocId once = f.Add(Document("once.png", {"payment reminder for the open amount a b c"}));
  const DocId thrice = f.Add(Document("thrice.png", {"payment payment payment reminder x y z"}));
  f.Add(Document("other.png", {"reminder only here"}));
  const auto hits = f.Search("payment");
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].id == thrice);
  CHECK(hits[1].id == once);
  CHECK(hits[0].score > hits[1].score);
}

TEST_CASE("BM25 weighs a rarer word more than a common one") {
  SearchFixture f;
  // Documents of the same length, each with one query word once: only the words' rarity differs.
  // "payment" is in three documents, "reminder" in one.
  f.Add(Document("a.png", {"payment due alpha beta"}));
  f.Add(Document("b.png", {"payment due gamma delta"}));
  f.Add(Document("c.png", {"payment due epsilon zeta"}));
  const DocId rare = f.Add(Document("d.png", {"reminder due eta theta"}));
  const auto hits = f.Search("payment OR reminder");
  REQUIRE(hits.size() == 4);
  CHECK(hits[0].id == rare);
  CHECK(hits[0].score > hits[1].score);
  CHECK(hits[1].score == Approx(hits[3].score));  // the three with the common word tie
}

TEST_CASE("top-k search skips documents by score bounds but keeps the true best") {
  SearchFixture f;
  // "common" everywhere, "rare" in a few, "mid" in every third: scores of many sizes and ties.
  for (int i = 0; i < 40; ++i) {
    std::string text = "common filler" + std::to_string(i);
    if (i % 3 == 0) text += " mid";
    if (i % 13 == 5) text += " rare rare";
    f.Add(Document("doc" + std::to_string(i) + ".png", {text}));
  }
  for (const std::string query : {"common OR mid OR rare", "rare OR mid", "common mid OR rare"}) {
    const auto all = f.Search(query, SearchOptions{.limit = 100});
    for (int k : {1, 3, 7}) {
      // Counting one match, the ranking skips from the second on.
      const auto top = f.Search(query, SearchOptions{.limit = k, .count_limit = 1});
      REQUIRE(top.size() == static_cast<size_t>(k));
      for (int i = 0; i < k; ++i) {
        INFO(query << " k=" << k << " i=" << i);
        CHECK(top[i].id == all[i].id);
      }
    }
  }
}

TEST_CASE("block-max pruning over full blocks of postings keeps the true best") {
  TempDir dir;
  auto archive = BulkArchive(dir);
  // "paid" one to four times in documents of many lengths; "payments" and "payment" share a stem,
  // so that word is a synonym of two forms.
  for (int i = 0; i < 500; ++i) {
    std::string text = "paid";
    for (int r = 0; r < (i * 5) % 4; ++r) text += " paid";
    text += i % 5 == 0 ? " payments" : " payment";
    for (int w = 0; w < (i * 7) % 23; ++w) text += " filler" + std::to_string(w);
    REQUIRE(archive->Commit(Document("doc" + std::to_string(i) + ".png", {text})).ok());
  }
  Searcher searcher(*archive);
  for (const std::string query : {"paid", "payments", "paid payment", "\"paid payment\""}) {
    CheckBestAsExhaustive(searcher, query, 500);
  }
}

TEST_CASE("a frequent form beside rare ones skips by block bounds and keeps the true best") {
  TempDir dir;
  auto archive = BulkArchive(dir);
  // "payment" in every document, once or twice; its misreadings "paymant" and "paymenl" (forms of
  // both queries) twice in a few short ones, spread over the frequent form's blocks. Those are the
  // best, and only the rare form lifts them above the rest: a bound that left it out would skip
  // them.
  for (int i = 0; i < 1500; ++i) {
    const bool rare = i % 97 == 11 || i % 89 == 7;
    std::string text = i % 2 == 0 ? "payment payment" : "payment";
    if (i % 97 == 11) text += " paymant paymant";
    if (i % 89 == 7) text += " paymenl paymenl";
    for (int w = 0; w < (rare ? i % 3 : 3 + (i * 7) % 5); ++w)
      text += " filler" + std::to_string(w);
    REQUIRE(archive->Commit(Document("doc" + std::to_string(i) + ".png", {text})).ok());
  }
  Searcher searcher(*archive);
  for (const std::string query : {"pay*", "paymemt~"}) CheckBestAsExhaustive(searcher, query, 1500);
}

TEST_CASE("a frequent word beside rare alternatives skips up to them and keeps the true best") {
  TempDir dir;
  auto archive = BulkArchive(dir);
  // "payment" in every document; in a few, also the rare "remittance", or "payment" split as
  // "pay ment" (a split reading of the fuzzy word). The best documents hold both a rare
  // alternative and "payment" once in a long text: neither alone lifts them above the short
  // documents that hold "payment" twice, so a bound that counted "payment" alone near them would
  // skip them.
  for (int i = 0; i < 3000; ++i) {
    const bool remittance = i % 211 == 17;
    const bool split = i % 173 == 5;
    std::string text =
        remittance || split ? "payment" : (i % 3 == 0 ? "payment payment" : "payment");
    if (remittance) text += " remittance remittance";
    if (split) text += " pay ment pay ment";
    for (int w = 0; w < (remittance || split ? 12 : 2 + (i * 7) % 9); ++w)
      text += " filler" + std::to_string(w);
    REQUIRE(archive->Commit(Document("doc" + std::to_string(i) + ".png", {text})).ok());
  }
  Searcher searcher(*archive);
  for (const std::string query :
       {"payment OR remittance", "paymemt~", "payment~", "(payment OR remittance) filler1"}) {
    CheckBestAsExhaustive(searcher, query, 3000);
  }
}

TEST_CASE("past the exact count, a phrase ranks as exhaustively, and pages to the bound") {
  TempDir dir;
  auto archive = BulkArchive(dir);
  // More documents hold the phrase "paid invoice" than are counted exactly. The best of them come
  // last, after the count's bound, and so do short documents holding both words often but never
  // side by side, which outscore them if positions go unchecked.
  constexpr int kDocuments = static_cast<int>(kExactTotalLimit) + 300;
  int phrases = 0;
  for (int i = 0; i < kDocuments; ++i) {
    const bool late = i >= kDocuments - 100;
    std::string text;
    if (i % 10 == 3) {
      for (int r = 0; r < (late ? 4 : 1); ++r) text += "paid for invoice ";
    } else {
      ++phrases;
      for (int r = 0; r < (late ? 2 + i % 3 : 1 + i % 2); ++r) text += "paid invoice ";
    }
    for (int w = 0; w < (late ? i % 5 : 3 + (i * 7) % 23); ++w)
      text += "filler" + std::to_string(w) + " ";
    REQUIRE(archive->Commit(Document("doc" + std::to_string(i) + ".png", {text})).ok());
  }
  Searcher searcher(*archive);
  const SearchOptions everything{.limit = kDocuments, .count_limit = 10 * kDocuments};
  for (const std::string query : {"\"paid invoice\"", "invoize~ paid"}) {
    INFO(query);
    const auto all = searcher.Search(query, everything);
    REQUIRE(all.ok());
    REQUIRE(all->total_exact);
    if (query.starts_with('"')) REQUIRE(all->total == phrases);
    REQUIRE(all->total > kExactTotalLimit);
    // The ten best come after the matches counted exactly (in id order): a ranking that
    // stopped at the bound would miss them.
    std::vector<DocId> by_id;
    for (const SearchHit& hit : all->hits) by_id.push_back(hit.id);
    std::sort(by_id.begin(), by_id.end());
    for (int i = 0; i < 10; ++i) REQUIRE(all->hits[i].id > by_id[kExactTotalLimit - 1]);

    const auto top = searcher.Search(query, SearchOptions{});
    REQUIRE(top.ok());
    CHECK(top->total == kExactTotalLimit);
    CHECK_FALSE(top->total_exact);
    REQUIRE(top->hits.size() == 10);
    for (int i = 0; i < 10; ++i) {
      INFO("i=" << i);
      CHECK(top->hits[i].id == all->hits[i].id);
      CHECK(top->hits[i].score == Approx(all->hits[i].score));
    }

    // Pages of 100 up to the bound give the exhaustive ranking's first matches, each once.
    std::vector<DocId> paged;
    for (int offset = 0; offset < kExactTotalLimit; offset += 100) {
      const auto page = searcher.Search(query, SearchOptions{.limit = 100, .offset = offset});
      REQUIRE(page.ok());
      CHECK(page->total == kExactTotalLimit);
      CHECK_FALSE(page->total_exact);
      for (const SearchHit& hit : page->hits) paged.push_back(hit.id);
    }
    // A page past the bound ranks on, and counts at least its own last match.
    const auto past =
        searcher.Search(query, SearchOptions{.limit = 100, .offset = kExactTotalLimit});
    REQUIRE(past.ok());
    CHECK_FALSE(past->total_exact);
    CHECK(past->total == kExactTotalLimit + static_cast<int64_t>(past->hits.size()));
    REQUIRE(past->hits.size() == std::min<size_t>(100, all->total - kExactTotalLimit));
    for (const SearchHit& hit : past->hits) paged.push_back(hit.id);
    REQUIRE(paged.size() == static_cast<size_t>(kExactTotalLimit) + past->hits.size());
    for (size_t i = 0; i < paged.size(); ++i) CHECK(paged[i] == all->hits[i].id);
    CHECK(std::set<DocId>(paged.begin(), paged.end()).size() == paged.size());
  }
}

TEST_CASE("a hit carries the title, type, a snippet and the words' boxes") {
  SearchFixture f;
  const Corpus c(f);
  const auto hits = f.Search("services globex");
  REQUIRE(hits.size() == 1);
  const SearchHit& hit = hits[0];
  CHECK(hit.id == c.globex);
  CHECK(hit.type == "invoice");
  CHECK(hit.title == "Globex Corporation, 4711");
  CHECK(hit.snippet == "[Globex] Corporation lnvoice 4711");
  std::set<std::tuple<int, int, int>> boxes;  // page, x, y
  for (const HitBox& box : hit.hits) boxes.insert({box.page, box.box.x, box.box.y});
  // "Globex" on page 0, "Services" on page 1, and the vendor field (the fourth, at y 1400).
  const std::set<std::tuple<int, int, int>> expected = {{0, 0, 50}, {1, 0, 50}, {0, 10, 1400}};
  CHECK(boxes == expected);
  CHECK(hit.hits[0].box.w == 500);  // field words first, then pages in order

  const auto letter = f.Search("\"will pay\"");
  REQUIRE(letter.size() == 1);
  CHECK(letter[0].title == "letter.pdf");
  CHECK(letter[0].snippet ==
        "Dear customer we have received your invoices and [will] [pay] them soon");
  REQUIRE(letter[0].hits.size() == 2);
  CHECK(letter[0].hits[0].box == Box{800, 50, 90, 30});

  // A title a person gave is the hit's title; taken away, the fields' title is back.
  const store::AuditEvent labelled{0, "labelled", "ann", ""};
  REQUIRE(f.archive().UpdateLabels(c.globex, {{}, "Office move", ""}, labelled).ok());
  CHECK(f.Search("services globex")[0].title == "Office move");
  REQUIRE(f.archive().UpdateLabels(c.globex, {{}, "", ""}, labelled).ok());
  CHECK(f.Search("services globex")[0].title == "Globex Corporation, 4711");
  CHECK(f.Problems().empty());
}

TEST_CASE("the title and notes a person gave are searched and edits re-index them") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.IdSet("relocation").empty());
  const store::AuditEvent labelled{0, "labelled", "ann", ""};
  REQUIRE(
      f.archive()
          .UpdateLabels(c.globex, {{}, "Office relocation", "Approved by Dana in March"}, labelled)
          .ok());
  CHECK(f.IdSet("relocation") == Ids{c.globex});
  CHECK(f.IdSet("dana approved") == Ids{c.globex});
  CHECK(f.IdSet("\"approved by dana\"") == Ids{c.globex});
  CHECK(f.IdSet("relocaton~") == Ids{c.globex});
  // A hit on a note has no box to draw: the snippet is the first page's start.
  const auto hits = f.Search("dana");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].hits.empty());
  CHECK(hits[0].snippet.starts_with("Globex Corporation"));
  // Edited, the old words are gone and the new ones found.
  REQUIRE(f.archive().UpdateLabels(c.globex, {{}, "Office move", ""}, labelled).ok());
  CHECK(f.IdSet("relocation").empty());
  CHECK(f.IdSet("dana").empty());
  CHECK(f.IdSet("office move") == Ids{c.globex});
  CHECK(f.Problems().empty());
}

TEST_CASE("a long page's snippet is a window around the first hit") {
  SearchFixture f;
  std::string text;
  for (int i = 0; i < 100; ++i) text += "filler" + std::to_string(i) + " ";
  text += "needle";
  for (int i = 100; i < 200; ++i) text += " filler" + std::to_string(i);
  f.Add(Document("long.png", {text}));
  const auto hits = f.Search("needle");
  REQUIRE(hits.size() == 1);
  // The window (snippet.h): the hit with the 8 words before it, 30 words in all, and "..." on
  // each side where the page goes on.
  std::istringstream snippet(hits[0].snippet);
  std::vector<std::string> words;
  for (std::string word; snippet >> word;) words.push_back(word);
  INFO(hits[0].snippet);
  REQUIRE(words.size() == 1 + 30 + 1);
  CHECK(words.front() == "...");
  CHECK(words.back() == "...");
  CHECK(words[1 + 8] == "[needle]");
  CHECK(words[1] == "filler92");    // the 8th word before the needle, word 100
  CHECK(words[30] == "filler120");  // the 21st word after it
}

TEST_CASE("a bad query is an InvalidArgument that says where") {
  SearchFixture f;
  const Corpus c(f);
  Searcher searcher(f.archive());
  auto hits = searcher.Search("total \"amount", {});
  REQUIRE_FALSE(hits.ok());
  CHECK(hits.status().code() == Status::Code::kInvalidArgument);
  CHECK(hits.status().message() == "unclosed quote at column 7");
  CHECK(searcher.Search("&&", {}).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("updating fields re-indexes them, deleting un-indexes") {
  SearchFixture f;
  const Corpus c(f);
  auto record = f.archive().Get(c.globex);
  REQUIRE(record.ok());
  Extraction corrected = record->extraction;
  corrected.fields["vendor_name"].value = "Initech";
  corrected.fields["total"].value = "99.00";
  REQUIRE(f.archive()
              .UpdateFields(c.globex, corrected, store::AuditEvent{0, "corrected", "ann", ""})
              .ok());
  CHECK(f.IdSet("vendor:initech") == Ids{c.globex});
  CHECK(f.IdSet("vendor:globex").empty());
  CHECK(f.IdSet("globex") == Ids{c.globex});  // still printed on the page
  CHECK(f.IdSet("total:99") == Ids{c.globex});
  CHECK(f.IdSet("total:100..500").empty());
  CHECK(f.Problems().empty());

  REQUIRE(f.archive().Delete(c.acme, {0, "deleted", "ann", ""}).ok());
  CHECK(f.IdSet("acme").empty());
  CHECK(f.IdSet("total:>2000").empty());
  CHECK(f.IdSet("inv-2024*").empty());
  CHECK(f.IdSet("invoice") == Ids{c.letter});
  CHECK(f.Problems().empty());

  // Un-indexing derives a document's terms from what is stored: once every document is
  // deleted, not one posting is left behind.
  for (DocId id : {c.globex, c.cafe, c.letter}) {
    REQUIRE(f.archive().Delete(id, {0, "deleted", "ann", ""}).ok());
  }
  std::unique_ptr<store::KvIterator> postings =
      f.archive().NewIndexIterator(store::IndexColumn::kPostings);
  postings->Seek("");
  CHECK_FALSE(postings->Valid());
  CHECK(f.Problems().empty());
}

// The index, except that each commit also does `damage` to it, as a damaged index would hold.
class DamagingIndexer final : public store::Indexer {
 public:
  using Damage = std::function<void(store::IndexBatch&)>;
  explicit DamagingIndexer(Damage damage) : damage_(std::move(damage)) {}

  Status Index(DocId id, const NewDocument& doc, store::IndexBatch& batch) const override {
    damage_(batch);
    return index_->Index(id, doc, batch);
  }
  Status Unindex(DocId id, const NewDocument& indexed, Archive& archive,
                 store::IndexBatch& batch) const override {
    return index_->Unindex(id, indexed, archive, batch);
  }
  std::string SummarizeList(const std::vector<std::string_view>& entries) const override {
    return index_->SummarizeList(entries);
  }

 private:
  const std::shared_ptr<const store::Indexer> index_ = IndexedArchiveOptions().indexer;
  const Damage damage_;
};

store::ArchiveOptions Damaging(DamagingIndexer::Damage damage) {
  store::ArchiveOptions options;
  options.indexer = std::make_shared<DamagingIndexer>(std::move(damage));
  return options;
}

TEST_CASE("Verify finds nothing wrong with a fresh index, and catches a missing posting") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.Problems().empty());

  // A later commit that also deletes Globex's posting in the list of "globex" (its only
  // document).
  const std::string posting =
      std::string("tglobex") + '\0' + std::string(7, '\0') + static_cast<char>(c.globex);
  f.Reopen(Damaging([posting](store::IndexBatch& batch) {
    batch.Delete(store::IndexColumn::kPostings, posting);
  }));
  f.Add(Document("damage.png", {"unrelated words"}));
  const std::vector<std::string> problems = f.Problems();
  CHECK(std::find(problems.begin(), problems.end(),
                  "document " + std::to_string(c.globex) + ": term 'globex' has no posting") !=
        problems.end());
  CHECK(std::find(problems.begin(), problems.end(),
                  "term 'globex': the statistics count 1 documents, the postings 0") !=
        problems.end());
  CHECK(problems.size() == 2);
  CHECK(f.IdSet("globex").empty());
}

TEST_CASE("A range filter key cut short is reported by Verify and by a range search") {
  SearchFixture f;
  const Corpus c(f);
  // Each commit also writes a range filter key cut short before its document id.
  f.Reopen(Damaging([](store::IndexBatch& batch) {
    batch.Put(store::IndexColumn::kPostings, std::string("vtotal") + '\0', "");
  }));
  f.Add(Document("damage.png", {"unrelated words"}));
  const std::vector<std::string> problems = f.Problems();
  CHECK(std::find(problems.begin(), problems.end(), "malformed range filter key of 7 bytes") !=
        problems.end());
  auto results = f.searcher().Search("total:<100", {});
  REQUIRE_FALSE(results.ok());
  CHECK(results.status().code() == Status::Code::kCorruption);
}

TEST_CASE("Verify reports documents the index does not know") {
  SearchFixture f;
  f.Reopen(store::ArchiveOptions());  // no index
  const DocId unindexed = f.Add(Document("plain.png", {"not indexed"}));
  f.Reopen(IndexedArchiveOptions());
  const std::vector<std::string> problems = f.Problems();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "document " + std::to_string(unindexed) + " is not indexed");
}

TEST_CASE("NOT alone finds every document without the term, filters alone list newest first") {
  SearchFixture f;
  const Corpus c(f);
  CHECK(f.IdSet("NOT globex") == Ids{c.acme, c.cafe, c.letter});
  CHECK(f.IdSet("-invoice") == Ids{c.globex, c.cafe});  // "invoices" shares the stem
  CHECK(f.IdSet("NOT (acme OR globex) total") == Ids{c.cafe});
  CHECK(f.IdSet("globex OR NOT total") == Ids{c.globex, c.letter});
  CHECK(f.IdSet("NOT globex NOT acme NOT cafe") == Ids{c.letter});
  // No relevance without words: by the document's date, newest first, undated last.
  CHECK(f.Ids("type:invoice") == std::vector<DocId>{c.acme, c.globex});
  CHECK(f.Ids("date:2024") == std::vector<DocId>{c.acme, c.cafe, c.globex});
  CHECK(f.Ids("-type:invoice") == std::vector<DocId>{c.cafe, c.letter});
  CHECK(f.Ids("NOT zzz") == std::vector<DocId>{c.acme, c.cafe, c.globex, c.letter});
}

TEST_CASE("an AND written out is meant: no fallback to documents with some of the words") {
  SearchFixture f;
  const Corpus c(f);
  const SearchResults some = f.Results("globex acme");
  CHECK_FALSE(some.all_words);
  CHECK(some.total == 2);
  const SearchResults none = f.Results("globex AND acme");
  CHECK(none.total == 0);
  CHECK(none.hits.empty());
  CHECK(none.all_words);
}

TEST_CASE("results say how many match, page with the offset, and count facets") {
  SearchFixture f;
  const Corpus c(f);
  NewDocument tagged = Document("tagged.png", {"invoice for toner"}, DocumentType::kInvoice,
                                {{"vendor_name", "ACME GmbH"}, {"invoice_date", "2023-11-02"}});
  tagged.tags = {"acme", "2023"};
  tagged.extraction.needs_review = true;
  const DocId toner = f.Add(tagged);

  const SearchResults results = f.Results("invoice");
  CHECK(results.total == 3);
  CHECK(results.total_exact);
  CHECK(results.hits.size() == 3);
  using Counts = std::map<std::string, int64_t>;
  CHECK(results.facets.at("type") == Counts{{"invoice", 2}, {"letter", 1}});
  CHECK(results.facets.at("vendor") == Counts{{"ACME GmbH", 2}});
  CHECK(results.facets.at("year") == Counts{{"2023", 1}, {"2024", 1}});
  CHECK(results.facets.at("tag") == Counts{{"2023", 1}, {"acme", 1}});
  CHECK(results.facets.at("review") == Counts{{"no", 2}, {"yes", 1}});

  const SearchResults counted = f.Results("invoice", SearchOptions{.limit = 0});
  CHECK(counted.total == 3);
  CHECK(counted.hits.empty());
  CHECK(counted.facets == results.facets);

  const SearchResults second = f.Results("invoice", SearchOptions{.limit = 2, .offset = 2});
  CHECK(second.total == 3);
  REQUIRE(second.hits.size() == 1);
  CHECK(second.hits[0].id == results.hits[2].id);
  CHECK(f.Results("invoice", SearchOptions{.offset = 3}).hits.empty());
  CHECK(f.Results("tag:acme").hits.at(0).id == toner);
  // A tag is found whole: tag:acme is not acme-corp, whose parts find nothing.
  NewDocument corp = Document("corp.png", {"quote for paper"}, DocumentType::kLetter);
  corp.tags = {"acme-corp"};
  const DocId paper = f.Add(corp);
  CHECK(f.IdSet("tag:acme") == std::set<DocId>{toner});
  CHECK(f.IdSet("tag:ACME-Corp") == std::set<DocId>{paper});
  CHECK(f.IdSet("tag:corp").empty());

  // Past the count limit the total is a lower bound (the matches counted, or the hits shown if
  // more), the facets count the matches counted, and the hits are still the best of all.
  const SearchResults bounded = f.Results("invoice", SearchOptions{.count_limit = 2});
  CHECK(bounded.total == 3);
  CHECK_FALSE(bounded.total_exact);
  int64_t typed = 0;
  for (const auto& [type, count] : bounded.facets.at("type")) typed += count;
  CHECK(typed == 2);
  REQUIRE(bounded.hits.size() == 3);
  for (size_t i = 0; i < 3; ++i) CHECK(bounded.hits[i].id == results.hits[i].id);
  CHECK(f.searcher().Search("invoice", SearchOptions{.count_limit = 0}).status().code() ==
        quire::Status::Code::kInvalidArgument);
}

TEST_CASE("review: filters on what the review facet counts, and follows a correction") {
  SearchFixture f;
  const Corpus c(f);
  NewDocument waiting = Document("waiting.png", {"invoice for toner"}, DocumentType::kInvoice);
  waiting.extraction.needs_review = true;
  const DocId toner = f.Add(waiting);

  CHECK(f.IdSet("review:yes") == Ids{toner});
  CHECK(f.IdSet("invoice review:YES") == Ids{toner});
  CHECK(f.IdSet("invoice review:no") == Ids{c.acme, c.letter});
  CHECK(f.IdSet("invoice -review:yes") == Ids{c.acme, c.letter});

  auto record = f.archive().Get(toner);
  REQUIRE(record.ok());
  Extraction reviewed = record->extraction;
  reviewed.needs_review = false;
  REQUIRE(
      f.archive().UpdateFields(toner, reviewed, store::AuditEvent{0, "corrected", "ann", ""}).ok());
  CHECK(f.IdSet("review:yes").empty());
  CHECK(f.IdSet("invoice review:no") == Ids{c.acme, c.letter, toner});
  CHECK(f.Problems().empty());
}

TEST_CASE("paging through every match gives each once, in every order") {
  SearchFixture f;
  std::set<DocId> all;
  for (int i = 0; i < 45; ++i) {
    // Equal scores in groups of five, dates with ties, some undated.
    std::string text = "common word" + std::to_string(i % 5);
    for (int r = 0; r < i % 3; ++r) text += " common";
    std::map<std::string, std::string> fields;
    if (i % 4 != 0) fields["invoice_date"] = "2024-0" + std::to_string(1 + i % 7) + "-10";
    all.insert(
        f.Add(Document("doc" + std::to_string(i) + ".png", {text}, DocumentType::kOther, fields)));
  }
  f.Add(Document("other.png", {"unrelated"}));
  for (const SortOrder sort :
       {SortOrder::kRelevance, SortOrder::kDateNewest, SortOrder::kDateOldest}) {
    for (const std::string query : {"common", "-unrelated"}) {
      const std::vector<SearchHit> whole = f.Search(query, {.limit = 100, .sort = sort});
      std::vector<DocId> paged;
      for (int offset = 0; offset < 50; offset += 7) {
        const SearchResults page = f.Results(query, {.limit = 7, .offset = offset, .sort = sort});
        CHECK(page.total == 45);
        for (const SearchHit& hit : page.hits) paged.push_back(hit.id);
      }
      INFO(query << " sort " << static_cast<int>(sort));
      REQUIRE(paged.size() == whole.size());
      for (size_t i = 0; i < paged.size(); ++i) CHECK(paged[i] == whole[i].id);
      CHECK(std::set<DocId>(paged.begin(), paged.end()) == all);
    }
  }
}

TEST_CASE("each hit box carries the word read there") {
  SearchFixture f;
  const Corpus c(f);
  const SearchHit hit = f.Search("corporation").at(0);
  std::set<std::pair<int, std::string>> words;  // page, word
  for (const HitBox& box : hit.hits) words.insert({box.page, box.word});
  // The page word, and the word of the vendor field on the field's page.
  CHECK(words == std::set<std::pair<int, std::string>>{{0, "Corporation"}});
  REQUIRE(hit.hits.size() == 2);
  CHECK(hit.hits[0].box.w == 500);  // the field's box
}

TEST_CASE("fuzzy words forgive OCR's confusions at half an edit, and words it split or joined") {
  SearchFixture f;
  const DocId exact = f.Add(Document("exact.png", {"total due now"}));
  const DocId split = f.Add(Document("split.png", {"TOT AL due"}));
  const DocId confused = f.Add(Document("confused.png", {"T0TA1 amount"}));
  const DocId far = f.Add(Document("far.png", {"TQTAX amount"}));
  const DocId joined = f.Add(Document("joined.png", {"ORINGKANCIL handicraft"}));
  const DocId rn = f.Add(Document("rn.png", {"rnodern art"}));
  // "t0ta1" is two confusions, one edit; "tqtax" two plain edits, beyond a 5-letter word's one.
  CHECK(f.IdSet("total~") == Ids{exact, split, confused});
  CHECK(f.IdSet("total~2").contains(far));
  CHECK(f.IdSet("modern~1") == Ids{rn});
  // A split reading ranks as the word would, below the word read right.
  const auto hits = f.Search("total~ due");
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].id == exact);
  CHECK(hits[1].id == split);
  // Two fuzzy words side by side also match the two joined into one.
  CHECK(f.IdSet("oring~ kancil~") == Ids{joined});
  CHECK(f.IdSet("handicraft~ oring~ kancil~") == Ids{joined});
  CHECK(f.Results("oring kancil").total == 0);  // without ~, words are taken as typed
}

}  // namespace quire::index
