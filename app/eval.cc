// `quire eval ocr|fields DIR`: capture and extraction scored against the ground truth in DIR
// (NAME.truth.json beside each NAME.EXT; format in README.md, "Sample documents and ground truth").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "commands.h"
#include "ingest.h"
#include "parallel.h"
#include "quire/capture/evaluate.h"
#include "quire/common/file.h"
#include "quire/extract/evaluate.h"

namespace quire::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTruthSuffix = ".truth.json";
constexpr std::string_view kPagesSuffix = ".ocr.json";

// A document with its ground truth; read from `pages_file` (a `quire ocr --json` output) when
// one stands beside the truth, else captured from `file`.
struct TruthDocument {
  std::string file;
  std::string pages_file;
  std::string text;
  std::map<std::string, std::string> fields;
  std::vector<extract::TruthPair> pairs;  // a form's key -> value links, when the truth has them
};

// NAME.EXT and NAME.ocr.json -> NAME, with its folder.
std::string DocumentStem(const std::string& file) {
  if (file.ends_with(kPagesSuffix)) return file.substr(0, file.size() - kPagesSuffix.size());
  fs::path p(file);
  return (p.parent_path() / p.stem()).string();
}

std::string TruthPath(const std::string& file) {
  return DocumentStem(file) + std::string(kTruthSuffix);
}

Result<TruthDocument> LoadTruth(const std::string& file) {
  const std::string path = TruthPath(file);
  QUIRE_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  try {
    const nlohmann::json j = nlohmann::json::parse(bytes);
    TruthDocument truth;
    truth.file = file;
    truth.text = j.value("text", "");
    const nlohmann::json fields = j.value("fields", nlohmann::json::object());
    for (const auto& [name, value] : fields.items()) {
      truth.fields[name] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    for (const nlohmann::json& pair : j.value("pairs", nlohmann::json::array())) {
      truth.pairs.push_back({pair.at(0).get<std::string>(), pair.at(1).get<std::string>()});
    }
    return truth;
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(path + ": not valid ground truth (" + e.what() + ")");
  }
}

// The NAME.ocr.json files under `dir`, by NAME.
std::map<std::string, std::string> PagesFiles(const std::string& dir) {
  std::map<std::string, std::string> found;
  std::error_code ec;
  for (auto it =
           fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string path = it->path().string();
    if (path.ends_with(kPagesSuffix) && !it->is_directory()) found[DocumentStem(path)] = path;
  }
  return found;
}

// Every document in `dir` that has a NAME.truth.json beside it: images, TIFFs, PDFs, and page
// files (NAME.ocr.json), which stand in for the image of the same NAME when both are there.
// With `need_images`, page files are left out: the caller reads the images themselves.
Result<std::vector<TruthDocument>> LoadTruthDocuments(const std::string& dir, bool need_images) {
  if (!fs::is_directory(dir)) return Status::NotFound(dir + ": no such folder");
  std::map<std::string, std::string> pages_files =
      need_images ? std::map<std::string, std::string>{} : PagesFiles(dir);
  std::vector<std::string> files = ListDocumentFiles({dir});
  for (const auto& [stem, pages_file] : pages_files) {
    const bool has_image = std::any_of(
        files.begin(), files.end(), [&](const std::string& f) { return DocumentStem(f) == stem; });
    if (!has_image) files.push_back(pages_file);
  }
  std::sort(files.begin(), files.end());
  std::vector<TruthDocument> docs;
  for (const std::string& file : files) {
    if (!fs::exists(TruthPath(file))) continue;
    QUIRE_ASSIGN_OR_RETURN(TruthDocument truth, LoadTruth(file));
    auto pages = pages_files.find(DocumentStem(file));
    if (pages != pages_files.end()) truth.pages_file = pages->second;
    docs.push_back(std::move(truth));
  }
  if (docs.empty()) {
    return Status::NotFound(dir + ": no document with a NAME.truth.json beside it");
  }
  return docs;
}

struct Captured {
  Result<std::vector<PageText>> pages = Status::Internal("not captured");
  double seconds = 0;
};

// Reads every document, `jobs` files at a time, timing each: its page file when it has one,
// else its image through `capturer`.
std::vector<Captured> CaptureAll(capture::Capturer& capturer,
                                 const std::vector<TruthDocument>& docs) {
  std::vector<Captured> results(docs.size());
  ForEachInParallel(docs.size(), capturer.jobs(), [&](size_t i) {
    const auto start = std::chrono::steady_clock::now();
    if (!docs[i].pages_file.empty()) {
      results[i].pages = ReadPagesFile(docs[i].pages_file);
    } else {
      Result<std::string> bytes = ReadFile(docs[i].file);
      Result<capture::CapturedDocument> doc =
          bytes.ok() ? capturer.Capture(*bytes) : bytes.status();
      results[i].pages =
          doc.ok() ? Result<std::vector<PageText>>(std::move(doc->pages)) : doc.status();
    }
    results[i].seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  return results;
}

// Extracts `pages`, reading figures again from the document's image when it has one (also
// beside a page file), as ingest does.
Extraction Extract(const extract::Extractor& extractor, const TruthDocument& doc,
                   const std::vector<PageText>& pages, const capture::CaptureOptions& options) {
  if (doc.file.ends_with(kPagesSuffix)) return extractor.Extract(pages);
  Result<std::string> bytes = ReadFile(doc.file);
  if (!bytes.ok()) return extractor.Extract(pages);
  return ExtractWithImages(extractor, *bytes, pages, options);
}

std::string JoinPages(const std::vector<PageText>& pages) {
  std::string text;
  for (const PageText& page : pages) text += page.text + "\n";
  return text;
}

nlohmann::json ToJson(const capture::TextScore& s) {
  return {{"cer", s.Cer()},
          {"wer", s.Wer()},
          {"word_recall", s.WordRecall()},
          {"ref_chars", s.ref_chars},
          {"ref_words", s.ref_words}};
}

std::string Name(const std::string& file) { return fs::path(file).filename().string(); }

constexpr extract::ValuePosition kPositions[] = {
    extract::ValuePosition::kSameLine, extract::ValuePosition::kBelow,
    extract::ValuePosition::kTable, extract::ValuePosition::kEmpty,
    extract::ValuePosition::kUnplaced};

// "0.2-0.3" for the tenth 2 of a by-confidence count (ReviewScore, PairEvaluation).
std::string ConfidenceRange(int tenth) {
  char range[16];
  std::snprintf(range, sizeof(range), "%.1f-%.1f", tenth / 10.0, (tenth + 1) / 10.0);
  return range;
}

nlohmann::json ByConfidenceJson(const std::map<int, extract::FieldScore>& by_confidence) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [tenth, score] : by_confidence) {
    out[ConfidenceRange(tenth)] = {{"precision", score.Precision()},
                                   {"found", score.tp + score.fp}};
  }
  return out;
}

void PrintByConfidence(const char* what, const std::map<int, extract::FieldScore>& by_confidence) {
  std::printf("\n%s by confidence:\n%-24s %9s %7s\n", what, "confidence", "precision", "found");
  for (const auto& [tenth, s] : by_confidence) {
    std::printf("%-24s %9.3f %7d\n", ConfidenceRange(tenth).c_str(), s.Precision(), s.tp + s.fp);
  }
}

template <typename Row>
nlohmann::json PairReport(const extract::PairEvaluation& e, int documents, const Row& row) {
  nlohmann::json by_position = nlohmann::json::object();
  for (const auto& [position, score] : e.ByPosition()) {
    by_position[extract::ValuePositionName(position)] = row(score);
  }
  nlohmann::json misses = nlohmann::json::array();
  for (const extract::FieldMiss& m : e.Misses()) {
    misses.push_back(
        {{"document", m.document}, {"key", m.field}, {"expected", m.expected}, {"found", m.found}});
  }
  return {{"documents", documents},
          {"overall", row(e.Overall())},
          {"by_position", by_position},
          {"by_confidence", ByConfidenceJson(e.ByConfidence())},
          {"unclaimed_empty", e.unclaimed_empty()},
          {"misses", misses}};
}

void PrintPairReport(const extract::PairEvaluation& e, int documents) {
  std::printf("\nform pairs (key -> value) of %d documents:\n", documents);
  std::printf("%-24s %9s %7s %7s %5s %5s %5s\n", "value position", "precision", "recall", "F1",
              "tp", "fp", "fn");
  auto print = [](const char* name, const extract::FieldScore& s) {
    std::printf("%-24s %9.3f %7.3f %7.3f %5d %5d %5d\n", name, s.Precision(), s.Recall(), s.F1(),
                s.tp, s.fp, s.fn);
  };
  for (extract::ValuePosition p : kPositions) {
    const auto it = e.ByPosition().find(p);
    if (it != e.ByPosition().end()) print(extract::ValuePositionName(p), it->second);
  }
  print("overall", e.Overall());
  std::printf("keys left empty that the truth does not pair (not scored): %d\n",
              e.unclaimed_empty());
  PrintByConfidence("found pairs", e.ByConfidence());
  std::printf("\npair misses (key: expected -> found):\n");
  for (const extract::FieldMiss& m : e.Misses()) {
    std::printf("  %s  %s: \"%s\" -> \"%s\"\n", m.document.c_str(), m.field.c_str(),
                m.expected.c_str(), m.found.c_str());
  }
}

}  // namespace

int RunEvalOcr(const GlobalOptions& global, const PipelineOptions& options, const std::string& dir,
               bool fold) {
  Result<std::vector<TruthDocument>> docs = LoadTruthDocuments(dir, /*need_images=*/true);
  if (!docs.ok()) return ReportError(docs.status());
  Result<std::unique_ptr<capture::Capturer>> capturer = capture::Capturer::Create(options.capture);
  if (!capturer.ok()) return ReportError(capturer.status());

  const auto start = std::chrono::steady_clock::now();
  const std::vector<Captured> captured = CaptureAll(**capturer, *docs);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  capture::TextScore total;
  size_t pages = 0;
  int failed = 0;
  nlohmann::json files = nlohmann::json::array();
  if (!global.json)
    std::printf("%-36s %5s %7s %7s %7s %8s\n", "file", "pages", "CER", "WER", "recall", "s/page");
  for (size_t i = 0; i < docs->size(); ++i) {
    const std::string name = Name((*docs)[i].file);
    if (!captured[i].pages.ok()) {
      ++failed;
      std::cerr << "quire: " << name << ": " << captured[i].pages.status().message() << "\n";
      continue;
    }
    const auto& doc_pages = *captured[i].pages;
    const capture::TextScore score =
        capture::ScoreText((*docs)[i].text, JoinPages(doc_pages), fold);
    total += score;
    pages += doc_pages.size();
    const double per_page = captured[i].seconds / std::max<size_t>(doc_pages.size(), 1);
    if (global.json) {
      nlohmann::json j = ToJson(score);
      j.update({{"file", name}, {"pages", doc_pages.size()}, {"seconds_per_page", per_page}});
      files.push_back(j);
    } else {
      std::printf("%-36s %5zu %7.3f %7.3f %7.3f %8.2f\n", name.c_str(), doc_pages.size(),
                  score.Cer(), score.Wer(), score.WordRecall(), per_page);
    }
  }
  const double pages_per_second = wall > 0 ? static_cast<double>(pages) / wall : 0;
  if (global.json) {
    nlohmann::json t = ToJson(total);
    t.update({{"files", files.size()},
              {"pages", pages},
              {"failed", failed},
              {"seconds", wall},
              {"pages_per_second", pages_per_second}});
    PrintJson(
        {{"files", files}, {"total", t}, {"cleanup", options.capture.cleanup}, {"fold", fold}});
  } else {
    std::printf("%-36s %5zu %7.3f %7.3f %7.3f   %.2f pages/s (%s%s)\n", "total", pages, total.Cer(),
                total.Wer(), total.WordRecall(), pages_per_second,
                options.capture.cleanup ? "cleanup" : "raw", fold ? ", case folded" : "");
  }
  return failed == 0 ? kExitOk : kExitFailed;
}

int RunEvalFields(const GlobalOptions& global, const PipelineOptions& options,
                  const std::string& dir) {
  Result<std::vector<TruthDocument>> docs = LoadTruthDocuments(dir, /*need_images=*/false);
  if (!docs.ok()) return ReportError(docs.status());
  Result<std::unique_ptr<capture::Capturer>> capturer = capture::Capturer::Create(options.capture);
  if (!capturer.ok()) return ReportError(capturer.status());
  Result<std::unique_ptr<extract::Extractor>> extractor =
      extract::Extractor::Create(options.extract);
  if (!extractor.ok()) return ReportError(extractor.status());

  const std::vector<Captured> captured = CaptureAll(**capturer, *docs);
  std::vector<Extraction> extractions(docs->size());
  ForEachInParallel(docs->size(), (*capturer)->jobs(), [&](size_t i) {
    if (captured[i].pages.ok()) {
      extractions[i] = Extract(**extractor, (*docs)[i], *captured[i].pages, options.capture);
    }
  });
  extract::Evaluation evaluation(options.extract.date_order);
  extract::PairEvaluation pair_evaluation(options.extract.date_order);
  int failed = 0, with_pairs = 0;
  for (size_t i = 0; i < docs->size(); ++i) {
    if (!captured[i].pages.ok()) {
      ++failed;
      std::cerr << "quire: " << Name((*docs)[i].file) << ": "
                << captured[i].pages.status().message() << "\n";
      continue;
    }
    const Extraction& extraction = extractions[i];
    evaluation.Add(Name((*docs)[i].file), extraction, (*docs)[i].fields);
    if (!(*docs)[i].pairs.empty()) {
      ++with_pairs;
      pair_evaluation.Add(Name((*docs)[i].file), *captured[i].pages, extraction.pairs,
                          (*docs)[i].pairs);
    }
  }

  auto row = [](const extract::FieldScore& s) {
    return nlohmann::json{{"precision", s.Precision()},
                          {"recall", s.Recall()},
                          {"f1", s.F1()},
                          {"tp", s.tp},
                          {"fp", s.fp},
                          {"fn", s.fn}};
  };
  if (global.json) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [name, score] : evaluation.Scores()) fields[name] = row(score);
    nlohmann::json misses = nlohmann::json::array();
    for (const extract::FieldMiss& m : evaluation.Misses()) {
      misses.push_back({{"document", m.document},
                        {"field", m.field},
                        {"expected", m.expected},
                        {"found", m.found}});
    }
    const extract::ReviewScore& r = evaluation.Review();
    const nlohmann::json review = {{"documents", r.documents},
                                   {"wrong", r.wrong},
                                   {"needs_review", r.reviewed},
                                   {"precision", r.Precision()},
                                   {"recall", r.Recall()},
                                   {"straight_through", r.StraightThrough()},
                                   {"straight_through_wrong", r.StraightWrong()},
                                   {"confident_fields", r.confident},
                                   {"confident_right", r.ConfidentRight()},
                                   {"by_confidence", ByConfidenceJson(r.by_confidence)}};
    nlohmann::json report = {{"fields", fields},
                             {"overall", row(evaluation.Overall())},
                             {"review", review},
                             {"misses", misses}};
    if (with_pairs > 0) report["pairs"] = PairReport(pair_evaluation, with_pairs, row);
    PrintJson(report);
  } else {
    std::printf("%-24s %9s %7s %7s %5s %5s %5s\n", "field", "precision", "recall", "F1", "tp", "fp",
                "fn");
    auto print = [](const std::string& name, const extract::FieldScore& s) {
      std::printf("%-24s %9.3f %7.3f %7.3f %5d %5d %5d\n", name.c_str(), s.Precision(), s.Recall(),
                  s.F1(), s.tp, s.fp, s.fn);
    };
    for (const auto& [name, score] : evaluation.Scores()) print(name, score);
    print("overall", evaluation.Overall());
    const extract::ReviewScore& r = evaluation.Review();
    std::printf(
        "\nreview: %d of %d documents; precision %.3f, recall %.3f against the %d with a "
        "wrong or missing key field (number, date, total)\n",
        r.reviewed, r.documents, r.Precision(), r.Recall(), r.wrong);
    std::printf("straight through: %.3f of documents, %.3f of them wrong\n", r.StraightThrough(),
                r.StraightWrong());
    std::printf("confidence >= %.1f: %d fields, %.3f right\n", extract::ReviewScore::kConfident,
                r.confident, r.ConfidentRight());
    PrintByConfidence("found fields", r.by_confidence);
    std::printf("\nmisses (expected -> found):\n");
    for (const extract::FieldMiss& m : evaluation.Misses()) {
      std::printf("  %s  %s: \"%s\" -> \"%s\"\n", m.document.c_str(), m.field.c_str(),
                  m.expected.c_str(), m.found.c_str());
    }
    if (with_pairs > 0) PrintPairReport(pair_evaluation, with_pairs);
  }
  return failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace quire::app
