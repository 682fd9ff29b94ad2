#include "corpus.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace quire::bench {
namespace {

// Share of body words drawn from the learned vocabulary (the rest from the generated tail), of
// body tokens that are amounts, and of words carrying an OCR confusion.
constexpr double kLearnedShare = 0.8;
constexpr double kAmountShare = 0.15;
constexpr double kMisreadShare = 0.05;
constexpr int kTailWords = 50000;
constexpr int kVendors = 5000;

// splitmix64 (Steele, Lea & Flood 2014): one 64-bit state, fast, and good enough for sampling.
uint64_t Next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}
uint64_t Uniform(uint64_t& state, uint64_t n) { return Next(state) % n; }
double Unit(uint64_t& state) { return static_cast<double>(Next(state) >> 11) * 0x1.0p-53; }
bool Chance(uint64_t& state, double p) { return Unit(state) < p; }

bool HasLetter(const std::string& token) {
  return std::any_of(token.begin(), token.end(),
                     [](unsigned char c) { return std::isalpha(c) || c >= 0x80; });
}
bool IsLetterWord(const std::string& token) {
  return token.size() >= 3 &&
         std::all_of(token.begin(), token.end(), [](unsigned char c) { return std::isalpha(c); });
}

std::vector<std::string> Tokens(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> tokens;
  for (std::string token; in >> token;) tokens.push_back(token);
  return tokens;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// What OCR engines confuse, as seen in Tesseract's output on receipts.
struct Confusion {
  std::string_view printed;
  std::string_view read;
};
constexpr Confusion kConfusions[] = {{"l", "1"}, {"1", "l"},  {"O", "0"},  {"0", "O"},
                                     {"I", "l"}, {"rn", "m"}, {"m", "rn"}, {"M", "RN"}};

// `word` with one confusion applied where one applies; unchanged otherwise.
std::string Misread(const std::string& word, uint64_t& state) {
  std::vector<std::pair<size_t, const Confusion*>> places;
  for (const Confusion& c : kConfusions) {
    for (size_t at = word.find(c.printed); at != std::string::npos;
         at = word.find(c.printed, at + 1)) {
      places.emplace_back(at, &c);
    }
  }
  if (places.empty()) return word;
  const auto [at, c] = places[Uniform(state, places.size())];
  std::string out = word;
  out.replace(at, c->printed.size(), c->read);
  return out;
}

std::string Syllables(uint64_t& state) {
  static constexpr std::string_view kOnsets[] = {"B", "K", "D", "G",  "L",  "M",  "N",  "P", "R",
                                                 "S", "T", "W", "CH", "SH", "TR", "ST", "H"};
  static constexpr std::string_view kVowels[] = {"A", "E", "I", "O", "U", "AI", "EE", "OO"};
  std::string word;
  for (uint64_t n = 2 + Uniform(state, 3); n > 0; --n) {
    word += kOnsets[Uniform(state, std::size(kOnsets))];
    word += kVowels[Uniform(state, std::size(kVowels))];
  }
  if (Chance(state, 0.5)) word += "N";
  return word;
}

std::string Amount(uint64_t& state) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", std::exp(Unit(state) * std::log(10000.0)));
  return text;
}

struct Day {
  int year, month, day;
};
Day RandomDay(uint64_t& state) {
  using namespace std::chrono;
  const sys_days first = year{2015} / January / 1;
  const year_month_day ymd{first + days(Uniform(state, 3653))};
  return {int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day()))};
}

}  // namespace

const char* QueryKindName(QueryKind kind) {
  switch (kind) {
    case QueryKind::kWord: return "single word";
    case QueryKind::kAnd3: return "3-word AND";
    case QueryKind::kPhrase: return "phrase";
    case QueryKind::kPrefix: return "prefix";
    case QueryKind::kFuzzy: return "fuzzy";
    case QueryKind::kRange: return "word + field range";
  }
  return "";
}

Result<CorpusModel> CorpusModel::Learn(const std::vector<std::string>& folders) {
  CorpusModel model;
  std::map<std::string, uint64_t> counts;
  for (const std::string& folder : folders) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
      const std::string path = entry.path().string();
      if (!path.ends_with(".truth.json")) continue;
      std::ifstream in(path);
      const nlohmann::json truth = nlohmann::json::parse(in, nullptr, false);
      if (!truth.is_object() || !truth.contains("text")) continue;
      const std::vector<std::string> tokens = Tokens(truth["text"].get<std::string>());
      for (const std::string& token : tokens) {
        if (HasLetter(token)) ++counts[token];
      }
      model.lengths_.push_back(static_cast<int>(tokens.size()));
      ++model.truth_files_;
    }
  }
  if (model.truth_files_ == 0) {
    return Status::NotFound(
        "no *.truth.json files found to learn the vocabulary from; pass --truth DIR");
  }
  std::vector<std::pair<uint64_t, std::string>> by_count;
  for (auto& [word, count] : counts) by_count.emplace_back(count, word);
  std::sort(by_count.rbegin(), by_count.rend());
  uint64_t sum = 0;
  for (auto& [count, word] : by_count) {
    model.words_.push_back(word);
    model.cumulative_.push_back(sum += count);
  }
  uint64_t state = 42;
  double zipf = 0;
  for (int rank = 1; rank <= kTailWords; ++rank) {
    model.tail_.push_back(Syllables(state));
    model.tail_cumulative_.push_back(zipf += 1.0 / rank);
  }
  static constexpr std::string_view kSuffixes[] = {"SDN BHD",    "GMBH", "LTD",  "TRADING",
                                                   "ENTERPRISE", "S.A.", "& CO", "INC"};
  for (int i = 0; i < kVendors; ++i) {
    std::string vendor = model.tail_[Uniform(state, 2000)];
    if (Chance(state, 0.5)) vendor += " " + model.Word(state);
    model.vendors_.push_back(vendor + " " + std::string(kSuffixes[Uniform(state, 8)]));
  }
  return model;
}

std::string CorpusModel::Word(uint64_t& state) const {
  if (Chance(state, kLearnedShare)) {
    const uint64_t r = Uniform(state, cumulative_.back());
    return words_[std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                  cumulative_.begin()];
  }
  const double r = Unit(state) * tail_cumulative_.back();
  const size_t i = std::upper_bound(tail_cumulative_.begin(), tail_cumulative_.end(), r) -
                   tail_cumulative_.begin();
  return tail_[std::min(i, tail_.size() - 1)];
}

BenchDocument CorpusModel::Generate(uint64_t index) const {
  uint64_t state = index * 0x2545f4914f6cdd1d + 1;
  BenchDocument doc;
  const bool invoice = Chance(state, 0.4);
  doc.type = invoice ? "invoice" : "receipt";
  doc.vendor = vendors_[Uniform(state, vendors_.size())];
  const Day day = RandomDay(state);
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", day.year, day.month, day.day);
  doc.date = text;
  doc.total = Amount(state);
  if (invoice) {
    std::snprintf(text, sizeof(text), "INV-%04d-%05d", day.year, int(Uniform(state, 100000)));
  } else {
    std::snprintf(text, sizeof(text), "TD%08d", int(Uniform(state, 100000000)));
  }
  doc.number = text;

  std::vector<std::vector<std::string>> lines = {
      Tokens(doc.vendor),
      {Word(state), Word(state), Word(state), std::to_string(10000 + Uniform(state, 90000))},
      {invoice ? "INVOICE" : "DOCUMENT", "NO:", doc.number},
      {"DATE:", std::string(text, std::snprintf(text, sizeof(text), "%02d/%02d/%04d", day.day,
                                                day.month, day.year))}};
  const int length = lengths_[Uniform(state, lengths_.size())];
  for (int words = 0; words < length;) {
    std::vector<std::string>& line = lines.emplace_back();
    for (uint64_t n = 3 + Uniform(state, 5); n > 0; --n, ++words) {
      line.push_back(Chance(state, kAmountShare) ? Amount(state) : Word(state));
    }
  }
  lines.push_back({"TOTAL:", doc.total});
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      if (i > 0) doc.body += ' ';
      doc.body += Chance(state, kMisreadShare) ? Misread(line[i], state) : line[i];
    }
    doc.body += '\n';
  }
  return doc;
}

store::NewDocument CorpusModel::ToNewDocument(const BenchDocument& doc, uint64_t index) {
  store::NewDocument out;
  out.original = doc.body + std::to_string(index);  // distinct bytes, so no duplicates
  out.source = "bench-" + std::to_string(index) + ".png";
  out.format = "png";
  PageText page;
  page.width = 2480;
  page.height = 3508;
  page.dpi = 300;
  page.text = doc.body;
  std::istringstream lines(doc.body);
  int y = 100;
  for (std::string line; std::getline(lines, line); y += 40) {
    int x = 100;
    for (const std::string& word : Tokens(line)) {
      const int w = static_cast<int>(word.size()) * 20;
      page.words.push_back(OcrWord{word, Box{x, y, w, 32}, 90});
      x += w + 20;
    }
  }
  out.pages.push_back(std::move(page));
  out.extraction.type = ParseDocumentType(doc.type);
  const std::pair<const char*, const std::string*> fields[] = {{"vendor_name", &doc.vendor},
                                                               {"invoice_number", &doc.number},
                                                               {"invoice_date", &doc.date},
                                                               {"total", &doc.total}};
  for (const auto& [name, value] : fields) {
    FieldValue field;
    field.value = *value;
    field.confidence = 0.9;
    out.extraction.fields[name] = std::move(field);
  }
  return out;
}

std::vector<BenchQuery> CorpusModel::Queries(uint64_t documents, int per_kind) const {
  std::vector<BenchQuery> queries;
  uint64_t state = 12345;
  const auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  for (QueryKind kind : kQueryKinds) {
    for (int made = 0; made < per_kind;) {
      const BenchDocument doc = Generate(Uniform(state, documents));
      const std::vector<std::string> tokens = Tokens(doc.body);
      std::vector<size_t> words;  // indexes of letter-only tokens
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (IsLetterWord(tokens[i])) words.push_back(i);
      }
      if (words.size() < 3) continue;
      const auto pick = [&] { return Lower(tokens[words[Uniform(state, words.size())]]); };
      BenchQuery q{kind, "", "", ""};
      switch (kind) {
        case QueryKind::kWord:
          q.quire = pick();
          q.fts_match = quoted(q.quire);
          break;
        case QueryKind::kAnd3: {
          const std::string a = pick(), b = pick(), c = pick();
          q.quire = a + " " + b + " " + c;
          q.fts_match = quoted(a) + " " + quoted(b) + " " + quoted(c);
          break;
        }
        case QueryKind::kPhrase: {
          std::vector<size_t> starts;
          for (size_t i = 0; i + 1 < words.size(); ++i) {
            if (words[i + 1] == words[i] + 1) starts.push_back(words[i]);
          }
          if (starts.empty()) continue;
          const size_t at = starts[Uniform(state, starts.size())];
          q.quire = quoted(Lower(tokens[at] + " " + tokens[at + 1]));
          q.fts_match = q.quire;
          break;
        }
        case QueryKind::kPrefix: {
          const std::string word = pick();
          if (word.size() < 5) continue;
          q.quire = word.substr(0, 4) + "*";
          q.fts_match = quoted(word.substr(0, 4)) + "*";
          break;
        }
        case QueryKind::kFuzzy: {
          std::string word = pick();
          if (word.size() < 5) continue;
          word[1 + Uniform(state, word.size() - 2)] = 'x';  // one substitution inside
          q.quire = word + "~";
          break;
        }
        case QueryKind::kRange: {
          const std::string word = pick();
          q.fts_match = quoted(word);
          if (made % 2 == 0) {
            const std::string month = doc.date.substr(0, 7);
            q.quire = word + " date:" + month;
            q.fts_where = "m.date BETWEEN '" + month + "-01' AND '" + month + "-31'";
          } else {
            const double total = std::stod(doc.total);
            const std::string low = std::to_string(static_cast<int>(total * 0.8));
            const std::string high = std::to_string(static_cast<int>(total * 1.25) + 1);
            q.quire = word + " total:" + low + ".." + high;
            q.fts_where = "m.total BETWEEN " + low + " AND " + high;
          }
          break;
        }
      }
      queries.push_back(std::move(q));
      ++made;
    }
  }
  return queries;
}

}  // namespace quire::bench
