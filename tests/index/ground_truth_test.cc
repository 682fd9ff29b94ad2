// Field filters against the ground truth of real documents: sample-docs/ and
// ../shared/data/sroie-dev/ (SROIE receipts), each indexed from its ground-truth text and fields.
// (Finding documents by words of their text, as OCR read them, is tests/e2e/search_truth_test.cc.)
// The SROIE half is skipped, with a message, when the shared data folder is absent; the
// sample-docs half always runs.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "quire/index/index.h"
#include "temp_dir.h"
#include "word_runs.h"

namespace quire::index {
namespace {

namespace fs = std::filesystem;
using quire::testing::WordRuns;
using store::DocId;

struct TruthDocument {
  std::string name;
  std::string text;  // as printed
  DocumentType type = DocumentType::kOther;
  std::map<std::string, std::string> fields;
};

constexpr char kSroieDev[] = QUIRE_SOURCE_DIR "/../shared/data/sroie-dev";

std::vector<std::string> TruthFolders() {
  std::vector<std::string> folders = {QUIRE_SOURCE_DIR "/sample-docs"};
  if (fs::exists(kSroieDev)) {
    folders.push_back(kSroieDev);
  } else {
    WARN("the SROIE half is skipped: ../shared/data/sroie-dev is not beside the repository");
  }
  return folders;
}

std::vector<TruthDocument> LoadTruth() {
  std::vector<TruthDocument> docs;
  for (const std::string& folder : TruthFolders()) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (!entry.path().string().ends_with(".truth.json")) continue;
      std::ifstream in(entry.path());
      const nlohmann::json truth = nlohmann::json::parse(in);
      TruthDocument doc{entry.path().filename().string(),
                        truth.at("text"),
                        ParseDocumentType(truth.value("type", "other")),
                        {}};
      const nlohmann::json fields = truth.value("fields", nlohmann::json::object());
      for (const auto& [name, value] : fields.items()) {
        if (value.is_string()) doc.fields[name] = value.get<std::string>();
      }
      docs.push_back(std::move(doc));
    }
  }
  std::sort(docs.begin(), docs.end(),
            [](const TruthDocument& a, const TruthDocument& b) { return a.name < b.name; });
  return docs;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

PageText Page(const std::string& text) {
  PageText page;
  page.text = text;
  int x = 0;
  for (const std::string& word : Words(text))
    page.words.push_back({word, Box{x += 50, 10, 40, 20}, 80});
  return page;
}

class TruthArchive {
 public:
  TruthArchive() : docs_(LoadTruth()) {
    auto archive = store::Archive::Open(dir_.path(), IndexedArchiveOptions());
    REQUIRE(archive.ok());
    archive_ = std::move(*archive);
    for (const TruthDocument& truth : docs_) {
      store::NewDocument doc;
      doc.original = truth.name;
      doc.source = truth.name;
      doc.format = "png";
      doc.pages.push_back(Page(truth.text));
      doc.extraction.type = truth.type;
      for (const auto& [name, value] : truth.fields) doc.extraction.fields[name].value = value;
      auto committed = archive_->Commit(doc);
      REQUIRE(committed.ok());
      ids_.push_back(committed->id);
    }
    searcher_ = std::make_unique<Searcher>(*archive_);
  }

  const std::vector<TruthDocument>& docs() const { return docs_; }

  std::vector<DocId> Search(const std::string& query, int limit) {
    auto hits = searcher_->Search(query, SearchOptions{.limit = limit});
    INFO(query << ": " << hits.status().ToString());
    REQUIRE(hits.ok());
    std::vector<DocId> ids;
    for (const SearchHit& hit : hits->hits) ids.push_back(hit.id);
    return ids;
  }

  // The documents whose truth satisfies `match`.
  std::set<DocId> Where(const std::function<bool(const TruthDocument&)>& match) const {
    std::set<DocId> ids;
    for (size_t i = 0; i < docs_.size(); ++i) {
      if (match(docs_[i])) ids.insert(ids_[i]);
    }
    return ids;
  }

 private:
  quire::testing::TempDir dir_;
  std::vector<TruthDocument> docs_;
  std::unique_ptr<store::Archive> archive_;
  std::unique_ptr<Searcher> searcher_;
  std::vector<DocId> ids_;
};

bool IsAsciiWord(const std::string& s) {
  return s.size() >= 4 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c); });
}

bool IsAscii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

// A normalised amount ("1234.50"), or nullopt for anything else (the index ignores those).
std::optional<double> Amount(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::string Field(const TruthDocument& doc, const std::string& name) {
  const auto it = doc.fields.find(name);
  return it == doc.fields.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("field filters and ranges return exactly the documents whose fields match") {
  TruthArchive archive;
  REQUIRE(archive.docs().size() >= 52);  // sample-docs/ alone has 52 documents with their truth
  std::set<std::string> months;
  std::set<std::string> vendor_words;
  for (const TruthDocument& doc : archive.docs()) {
    if (const std::string date = Field(doc, "invoice_date"); date.size() == 10) {
      months.insert(date.substr(0, 7));
    }
    if (const std::string vendor = Field(doc, "vendor_name"); IsAscii(vendor)) {
      for (const std::string& run : WordRuns(vendor)) {
        if (IsAsciiWord(run)) vendor_words.insert(run);
      }
    }
  }
  REQUIRE_FALSE(months.empty());
  REQUIRE_FALSE(vendor_words.empty());
  const auto all = [&](const std::string& query) {
    const std::vector<DocId> ids = archive.Search(query, 1000);
    return std::set<DocId>(ids.begin(), ids.end());
  };
  for (const std::string& month : months) {
    CHECK(all("date:" + month) == archive.Where([&](const TruthDocument& d) {
      return Field(d, "invoice_date").starts_with(month);
    }));
  }
  for (const auto& [low, high] :
       {std::pair{0.0, 10.0}, {10.0, 50.0}, {50.0, 100.0}, {100.0, 1000.0}, {1000.0, 1e9}}) {
    const std::string query = "total:" + std::to_string(static_cast<int>(low)) + ".." +
                              std::to_string(static_cast<int64_t>(high));
    CHECK(all(query) == archive.Where([&](const TruthDocument& d) {
      const std::optional<double> total = Amount(Field(d, "total"));
      return total && *total >= low && *total <= high;
    }));
  }
  for (const std::string& word : vendor_words) {
    CHECK(all("vendor:" + word) == archive.Where([&](const TruthDocument& d) {
      return WordRuns(Field(d, "vendor_name")).contains(word);
    }));
  }
  CHECK(all("type:receipt") ==
        archive.Where([](const TruthDocument& d) { return d.type == DocumentType::kReceipt; }));
}

}  // namespace quire::index
