// Boolean queries against an evaluation of their own: an archive of real receipts as OCR read
// them (../shared/data/sroie-train/*.ocr.json, each indexed as quire indexes a commit), and for
// random words of them, the documents each query must return, worked out here from the stored
// words with Snowball (libstemmer) directly. Skipped, with a message, when the shared data folder
// is absent.
#include <libstemmer.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "quire/common/json.h"
#include "quire/index/index.h"
#include "temp_dir.h"

namespace quire::index {
namespace {

namespace fs = std::filesystem;
using quire::testing::TempDir;
using store::DocId;
using Ids = std::set<DocId>;

// The lower-case letter and digit runs of a word: what a word of a query made of letters can
// equal. Accented Latin letters count as their base letter, "™" as "tm" (Unicode's compatibility
// form); any other character ends a run.
std::vector<std::string> Runs(const std::string& word) {
  static const std::map<std::string, std::string> kLatin = {
      {"À", "a"}, {"à", "a"}, {"ä", "a"}, {"É", "e"}, {"é", "e"}, {"è", "e"}, {"ë", "e"},
      {"Î", "i"}, {"î", "i"}, {"Ï", "i"}, {"ù", "u"}, {"û", "u"}, {"ÿ", "y"}, {"™", "tm"}};
  std::vector<std::string> runs(1);
  for (size_t i = 0; i < word.size();) {
    const unsigned char c = word[i];
    if (c < 0x80) {
      if (std::isalnum(c)) {
        runs.back() += static_cast<char>(std::tolower(c));
      } else if (!runs.back().empty()) {
        runs.emplace_back();
      }
      ++i;
      continue;
    }
    const size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    const auto latin = kLatin.find(word.substr(i, length));
    if (latin != kLatin.end()) {
      runs.back() += latin->second;
    } else if (!runs.back().empty()) {
      runs.emplace_back();
    }
    i += length;
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

bool IsLetters(const std::string& run) {
  return std::all_of(run.begin(), run.end(), [](unsigned char c) { return std::isalpha(c); });
}

class Stemmer {
 public:
  Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) { REQUIRE(stemmer_ != nullptr); }
  ~Stemmer() { sb_stemmer_delete(stemmer_); }
  std::string operator()(const std::string& word) {
    const sb_symbol* stem = sb_stemmer_stem(
        stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    return std::string(reinterpret_cast<const char*>(stem), sb_stemmer_length(stemmer_));
  }

 private:
  sb_stemmer* stemmer_;
};

// A document of the archive and the stems of its words made of letters: a word of a query
// finds the documents holding a word with its stem.
struct Receipt {
  DocId id = 0;
  std::set<std::string> stems;
  std::vector<std::string> words;  // its words made of letters, 3 or more, to query
};

class ReceiptArchive {
 public:
  explicit ReceiptArchive(const fs::path& folder) {
    auto archive = store::Archive::Open(dir_.path(), IndexedArchiveOptions());
    REQUIRE(archive.ok());
    archive_ = std::move(*archive);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.path().string().ends_with(".ocr.json")) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    Stemmer stem;
    for (const fs::path& file : files) {
      std::ifstream in(file);
      const nlohmann::json ocr = nlohmann::json::parse(in);
      store::NewDocument doc;
      doc.source = file.filename().string();
      doc.original = ocr.dump();
      doc.format = "jpeg";
      Receipt receipt;
      for (const nlohmann::json& page : ocr.at("pages")) {
        Result<PageText> text = PageTextFromJson(page);
        REQUIRE(text.ok());
        for (const OcrWord& word : text->words) {
          for (const std::string& run : Runs(word.text)) {
            if (!IsLetters(run) || run.size() > 64) continue;
            receipt.stems.insert(stem(run));
            if (run.size() >= 3) receipt.words.push_back(run);
          }
        }
        doc.pages.push_back(std::move(*text));
      }
      auto committed = archive_->Commit(doc);
      REQUIRE(committed.ok());
      receipt.id = committed->id;
      if (!receipt.words.empty()) receipts_.push_back(std::move(receipt));
      all_.insert(committed->id);
    }
    searcher_ = std::make_unique<Searcher>(*archive_);
  }

  const std::vector<Receipt>& receipts() const { return receipts_; }
  const Ids& all() const { return all_; }

  // The documents holding a word with the stem of `word`.
  Ids With(const std::string& word) {
    const std::string wanted = stem_(word);
    Ids ids;
    for (const Receipt& receipt : receipts_) {
      if (receipt.stems.contains(wanted)) ids.insert(receipt.id);
    }
    return ids;
  }

  SearchResults Search(const std::string& query) {
    auto results = searcher_->Search(query, SearchOptions{.limit = 1000});
    INFO(query << ": " << results.status().ToString());
    REQUIRE(results.ok());
    return *results;
  }

 private:
  TempDir dir_;
  std::unique_ptr<store::Archive> archive_;
  std::unique_ptr<Searcher> searcher_;
  std::vector<Receipt> receipts_;
  Ids all_;
  Stemmer stem_;
};

Ids Intersect(const Ids& a, const Ids& b) {
  Ids out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}
Ids Unite(const Ids& a, const Ids& b) {
  Ids out = a;
  out.insert(b.begin(), b.end());
  return out;
}
Ids Minus(const Ids& a, const Ids& b) {
  Ids out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

Ids Found(const SearchResults& results) {
  Ids ids;
  for (const SearchHit& hit : results.hits) ids.insert(hit.id);
  return ids;
}

}  // namespace

TEST_CASE("boolean queries return exactly the documents whose words satisfy them") {
  const fs::path folder = QUIRE_SOURCE_DIR "/../shared/data/sroie-train";
  if (!fs::exists(folder)) {
    WARN("skipped: ../shared/data/sroie-train is not beside the repository");
    return;
  }
  ReceiptArchive archive(folder);
  REQUIRE(archive.receipts().size() > 300);
  std::mt19937 random(17);
  // A word of a random receipt: words of every frequency, from those on every receipt to those
  // on one.
  const auto word = [&] {
    const auto& receipts = archive.receipts();
    const Receipt& receipt = receipts[random() % receipts.size()];
    return receipt.words[random() % receipt.words.size()];
  };
  int checked = 0;
  for (int round = 0; round < 120; ++round) {
    const std::string a = word(), b = word(), c = word();
    const Ids with_a = archive.With(a), with_b = archive.With(b), with_c = archive.With(c);
    const std::map<std::string, Ids> expected = {
        {a + " AND " + b, Intersect(with_a, with_b)},
        {a + " OR " + b, Unite(with_a, with_b)},
        {a + " -" + b, Minus(with_a, with_b)},
        {a + " NOT " + b, Minus(with_a, with_b)},
        {"NOT " + a, Minus(archive.all(), with_a)},
        {"(" + a + " OR " + b + ") AND " + c, Intersect(Unite(with_a, with_b), with_c)},
        {a + " OR " + b + " " + c, Unite(with_a, Intersect(with_b, with_c))},
        {"-(" + a + " OR " + b + ") -" + c,
         Minus(Minus(archive.all(), Unite(with_a, with_b)), with_c)},
    };
    for (const auto& [query, ids] : expected) {
      const SearchResults results = archive.Search(query);
      INFO(query);
      CHECK(results.all_words);
      CHECK(results.total == static_cast<int64_t>(ids.size()));
      CHECK(Found(results) == ids);
      ++checked;
    }
    // Terms side by side: when nothing has them all, the documents with some of them come,
    // marked as such.
    for (const auto& [query, ids] : std::map<std::string, Ids>{
             {a + " " + b, Intersect(with_a, with_b)},
             {a + " " + b + " " + c, Intersect(Intersect(with_a, with_b), with_c)},
             {"(" + a + " OR " + b + ") " + c, Intersect(Unite(with_a, with_b), with_c)}}) {
      const SearchResults results = archive.Search(query);
      INFO(query);
      if (ids.empty()) {
        CHECK_FALSE(results.all_words);
      } else {
        CHECK(results.all_words);
        CHECK(Found(results) == ids);
      }
      ++checked;
    }
  }
  CHECK(checked == 120 * 11);
}

}  // namespace quire::index
