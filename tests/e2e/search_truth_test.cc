// Search on real OCR: the documents of sample-docs/ and ../shared/data/sroie-dev/ (real SROIE
// receipts) are ingested by the built program, as a user would, and each is searched for by three
// words of its ground-truth text, the way someone holding the paper would type them. Words that
// OCR misread carry `~`. The sroie-dev part is skipped, with a message, when the shared data folder
// is absent.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "papers.h"
#include "quire_process.h"
#include "temp_dir.h"
#include "word_runs.h"

using nlohmann::json;
using quire::testing::IngestPapers;
using quire::testing::Paper;
using quire::testing::PapersIn;
using quire::testing::RunQuireJson;
using quire::testing::TempDir;
using quire::testing::WordRuns;

namespace {

namespace fs = std::filesystem;

std::vector<Paper> LoadPapers() {
  std::vector<Paper> papers = PapersIn(QUIRE_SOURCE_DIR "/sample-docs");
  const fs::path sroie = QUIRE_SOURCE_DIR "/../shared/data/sroie-dev";
  if (fs::exists(sroie)) {
    for (Paper& paper : PapersIn(sroie)) papers.push_back(std::move(paper));
  } else {
    WARN("sroie-dev skipped: ../shared/data/sroie-dev is not beside the repository");
  }
  return papers;
}

// Ingests every paper into `archive` and fills in its id and the text OCR made of it.
void Ingest(const std::string& archive, std::vector<Paper>& papers) {
  IngestPapers(archive, papers);
  for (Paper& paper : papers) {
    const json shown =
        RunQuireJson({"show", std::to_string(paper.id), "--json", "--archive", archive});
    for (const json& page : shown["pages"]) paper.ocr += page["text"].get<std::string>() + "\n";
  }
}

constexpr const char* kPunctuation = ".,:;()[]!?'\"*#";

// The words of the printed text someone would type: names, codes and numbers of four or more
// plain letters and digits, without the punctuation around them.
std::vector<std::string> TypeableWords(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) {
    const auto first = word.find_first_not_of(kPunctuation);
    if (first == std::string::npos) continue;
    word = word.substr(first, word.find_last_not_of(kPunctuation) - first + 1);
    const bool plain =
        word.size() >= 4 &&
        std::all_of(word.begin(), word.end(), [](unsigned char c) { return std::isalnum(c); });
    if (!plain) continue;
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
  }
  return words;
}

// The query for `paper`: the three of its words that the fewest papers print, `~` on each the
// archive's text does not hold as printed.
std::string QueryFor(const Paper& paper, const std::map<std::string, int>& papers_with_word) {
  std::vector<std::string> words = TypeableWords(paper.text);
  std::stable_sort(words.begin(), words.end(), [&](const std::string& a, const std::string& b) {
    return papers_with_word.at(a) < papers_with_word.at(b);
  });
  words.resize(std::min<size_t>(words.size(), 3));
  const std::set<std::string> read = WordRuns(paper.ocr);
  std::string query;
  for (const std::string& word : words) query += word + (read.contains(word) ? " " : "~ ");
  return query;
}

}  // namespace

TEST_CASE("search finds a document from three words of its printed text, as OCR read it",
          "[slow]") {
  TempDir dir;
  std::vector<Paper> papers = LoadPapers();
  Ingest(dir.Sub("archive"), papers);

  std::map<std::string, int> papers_with_word;
  std::map<uint64_t, const Paper*> by_id;
  for (const Paper& paper : papers) {
    for (const std::string& word : TypeableWords(paper.text)) ++papers_with_word[word];
    by_id[paper.id] = &paper;
  }
  int found = 0;
  std::string missed;
  for (const Paper& paper : papers) {
    const std::string query = QueryFor(paper, papers_with_word);
    const json results =
        RunQuireJson({"search", "--json", "--limit", "10", "--archive", dir.Sub("archive"), query});
    // Scans of the same paper (a clean and a skewed copy) print the same words, so they rank
    // together: the document counts as found when fewer than 3 *other* papers rank above it.
    std::set<std::string> other_papers_above;
    bool in_top = false;
    for (const json& hit : results["results"]) {
      const Paper* other = by_id.at(hit["id"].get<uint64_t>());
      if (other == &paper) {
        in_top = other_papers_above.size() < 3;
        break;
      }
      if (other->text != paper.text) other_papers_above.insert(other->text);
    }
    if (in_top) {
      ++found;
    } else {
      missed += fs::path(paper.file).filename().string() + ": " + query + "\n";
    }
  }
  INFO(found << " of " << papers.size() << " documents found; not in the top 3:\n" << missed);
  CHECK(found >= 0.95 * static_cast<double>(papers.size()));
}
