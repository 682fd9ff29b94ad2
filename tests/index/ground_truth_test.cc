// Search against the ground truth of real documents: sample-docs/ and ../shared/data/sroie-dev/
// (SROIE receipts). Each document is indexed from its ground-truth text and fields, the text with
// the misreads OCR makes (l/1, O/0, I/l, rn/m) put into a share of its words, so fuzzy search has
// something to find. Skipped, with a message, when the shared data folder is absent.
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

namespace quire::index {
namespace {

namespace fs = std::filesystem;
using store::DocId;

struct TruthDocument {
  std::string name;
  std::string text;  // as printed
  DocumentType type = DocumentType::kOther;
  std::map<std::string, std::string> fields;
};

std::vector<TruthDocument> LoadTruth() {
  std::vector<TruthDocument> docs;
  for (const char* folder : {"/sample-docs", "/../shared/data/sroie-dev"}) {
    std::error_code error;
    for (const auto& entry :
         fs::directory_iterator(QUIRE_SOURCE_DIR + std::string(folder), error)) {
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

// Every fifth word that has a confusable letter is misread, as Tesseract misreads on receipts.
std::string Misread(const std::string& text) {
  static const std::pair<std::string, std::string> kConfusions[] = {
      {"rn", "m"}, {"l", "1"}, {"O", "0"}, {"I", "l"}, {"o", "0"}};
  std::string out;
  int confusable = 0;
  for (std::string word : Words(text)) {
    for (const auto& [printed, read] : kConfusions) {
      const size_t at = word.find(printed);
      if (at == std::string::npos) continue;
      if (++confusable % 5 == 0) word.replace(at, printed.size(), read);
      break;
    }
    out += word + " ";
  }
  return out;
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
    auto archive = store::Archive::Open(dir_.path());
    REQUIRE(archive.ok());
    archive_ = std::move(*archive);
    for (const TruthDocument& truth : docs_) {
      store::NewDocument doc;
      doc.original = truth.name;
      doc.source = truth.name;
      doc.format = "png";
      doc.pages.push_back(Page(Misread(truth.text)));
      doc.extraction.type = truth.type;
      for (const auto& [name, value] : truth.fields) doc.extraction.fields[name].value = value;
      auto committed = archive_->Commit(doc, MakeIndexHook());
      REQUIRE(committed.ok());
      ids_.push_back(committed->id);
    }
    searcher_ = std::make_unique<Searcher>(*archive_);
  }

  const std::vector<TruthDocument>& docs() const { return docs_; }
  DocId id(size_t i) const { return ids_[i]; }

  std::vector<DocId> Search(const std::string& query, int limit) {
    auto hits = searcher_->Search(query, SearchOptions{.limit = limit});
    INFO(query << ": " << hits.status().ToString());
    REQUIRE(hits.ok());
    std::vector<DocId> ids;
    for (const SearchHit& hit : *hits) ids.push_back(hit.id);
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

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsAsciiWord(const std::string& s) {
  return s.size() >= 4 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c); });
}

// The letter/digit runs of `text`, lower-cased: what a field filter matches words against.
// Non-ASCII bytes count as letters, so "Müller" is one run that no ASCII word matches.
std::set<std::string> Runs(const std::string& text) {
  std::set<std::string> runs;
  std::string run;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      run += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!run.empty()) {
      runs.insert(run);
      run.clear();
    }
  }
  return runs;
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

bool HaveData() {
  if (fs::exists(QUIRE_SOURCE_DIR "/../shared/data/sroie-dev")) return true;
  WARN("skipped: ../shared/data/sroie-dev is not beside the repository");
  return false;
}

}  // namespace

TEST_CASE("search finds a document from three words of its printed text despite misreads") {
  if (!HaveData()) return;
  TruthArchive archive;
  std::map<std::string, int> document_frequency;  // per folded word
  for (const TruthDocument& doc : archive.docs()) {
    std::set<std::string> seen;
    for (const std::string& word : Words(doc.text)) seen.insert(Lower(word));
    for (const std::string& word : seen) ++document_frequency[word];
  }
  int found = 0;
  for (size_t i = 0; i < archive.docs().size(); ++i) {
    const TruthDocument& doc = archive.docs()[i];
    // The three most distinctive words of the printed text, as someone who holds the paper would
    // pick them; `~` where the archive's (misread) text does not hold the word as printed.
    std::vector<std::string> words;
    for (const std::string& word : Words(doc.text)) {
      if (IsAsciiWord(word) && std::find(words.begin(), words.end(), Lower(word)) == words.end()) {
        words.push_back(Lower(word));
      }
    }
    std::stable_sort(words.begin(), words.end(), [&](const std::string& a, const std::string& b) {
      return document_frequency[a] < document_frequency[b];
    });
    words.resize(std::min<size_t>(words.size(), 3));
    const std::string indexed = " " + Lower(Misread(doc.text));
    std::string query;
    for (const std::string& word : words) {
      query += word + (indexed.find(" " + word + " ") == std::string::npos ? "~ " : " ");
    }
    const std::vector<DocId> top = archive.Search(query, 3);
    if (std::find(top.begin(), top.end(), archive.id(i)) != top.end()) {
      ++found;
    } else {
      UNSCOPED_INFO(doc.name << " not in the top 3 for: " << query);
    }
  }
  const double share = static_cast<double>(found) / static_cast<double>(archive.docs().size());
  INFO(found << " of " << archive.docs().size() << " documents found");
  CHECK(share >= 0.95);
}

TEST_CASE("field filters and ranges return exactly the documents whose fields match") {
  if (!HaveData()) return;
  TruthArchive archive;
  std::set<std::string> months;
  std::set<std::string> vendor_words;
  for (const TruthDocument& doc : archive.docs()) {
    if (const std::string date = Field(doc, "invoice_date"); date.size() == 10) {
      months.insert(date.substr(0, 7));
    }
    if (const std::string vendor = Field(doc, "vendor_name"); IsAscii(vendor)) {
      for (const std::string& run : Runs(vendor)) {
        if (IsAsciiWord(run)) vendor_words.insert(run);
      }
    }
  }
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
      return Runs(Field(d, "vendor_name")).contains(word);
    }));
  }
  CHECK(all("type:receipt") ==
        archive.Where([](const TruthDocument& d) { return d.type == DocumentType::kReceipt; }));
}

}  // namespace quire::index
