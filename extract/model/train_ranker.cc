// train_ranker: learns the ranking of field candidates (candidates.h) from documents with ground
// truth, and writes the model file that quire compiles in (ranker.h gives its format).
//
//   train_ranker [--date-order DMY|MDY|YMD] [--today YYYY-MM-DD] LIST OUT
//
// LIST names folders, one a line ('#' starts a comment; relative paths from the list's folder).
// Each folder holds NAME.ocr.json (the output of `quire ocr --json`) beside NAME.truth.json. A
// candidate is right when it matches the truth as `quire eval fields` judges it.
//
// For each field: five-fold cross-validation by document scores each held-out document's best
// candidate, and the share of right choices per score band (the lower end of its 95% interval)
// becomes the calibration table (so a confidence says how often such a choice was at least right
// on documents not trained on); then the
// forest is trained on all documents. Prints, per field, how often the rules and the ranking
// chose right in cross-validation.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>
#include <random>
#include <sstream>

#include "candidates.h"
#include "page_files.h"
#include "quire/common/json.h"
#include "quire/extract/evaluate.h"
#include "random_forest.h"

namespace fs = std::filesystem;
using namespace quire;
using namespace quire::extract;

namespace {

constexpr int kFolds = 5;
constexpr ForestSize kForest{.trees = 50, .max_depth = 6, .min_samples = 8};
constexpr int kCalibrationBands = 8;
constexpr double kCalibrationZ = 1.64;  // one-sided 95%

struct Example {
  std::string document;
  std::map<std::string, std::string> truth;
  std::map<std::string, std::vector<RankedCandidate>> candidates;  // by field
  Fields rules;
};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> ListedFolders(const fs::path& list) {
  std::vector<fs::path> folders;
  std::ifstream in(list);
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (line.empty()) continue;
    const fs::path p(line);
    folders.push_back(p.is_absolute() ? p : list.parent_path() / p);
  }
  return folders;
}

std::optional<Example> LoadExample(const fs::path& pages_file, DateOrder order,
                                   const std::string& today) {
  const std::string stem = pages_file.string().substr(0, pages_file.string().size() - 9);
  const fs::path truth_file = stem + ".truth.json";
  if (!fs::exists(truth_file)) return std::nullopt;
  const nlohmann::json pages_json = nlohmann::json::parse(ReadText(pages_file));
  const nlohmann::json truth_json = nlohmann::json::parse(ReadText(truth_file));
  std::vector<PageText> pages;
  for (const nlohmann::json& p : pages_json.at("pages")) {
    Result<PageText> page = PageTextFromJson(p);
    if (!page.ok()) return std::nullopt;
    pages.push_back(std::move(*page));
  }
  Example ex;
  ex.document = fs::path(stem).filename().string();
  const nlohmann::json fields = truth_json.value("fields", nlohmann::json::object());
  for (const auto& [name, value] : fields.items()) {
    if (value.is_string()) ex.truth[name] = value.get<std::string>();
  }
  const Document doc(pages);
  const Conventions conventions = GuessConventions(doc, order);
  ex.rules = ExtractInvoiceFields(doc, conventions, today);
  for (std::string_view field : kRankedFields) {
    if (!ex.truth.count(std::string(field))) continue;
    ex.candidates[std::string(field)] = CandidatesFor(field, doc, conventions, today, ex.rules);
  }
  return ex;
}

bool Right(std::string_view field, const Example& ex, const std::string& value, DateOrder order) {
  return FieldValuesMatch(field, ex.truth.at(std::string(field)), value, order);
}

cv::Ptr<cv::ml::RTrees> Train(std::string_view field, const std::vector<const Example*>& examples,
                              DateOrder order) {
  cv::Mat samples(0, static_cast<int>(FeatureCount(field)), CV_32F);
  cv::Mat responses(0, 1, CV_32F);
  for (const Example* ex : examples) {
    auto it = ex->candidates.find(std::string(field));
    if (it == ex->candidates.end()) continue;
    for (const RankedCandidate& c : it->second) {
      samples.push_back(cv::Mat(c.features).reshape(1, 1));
      responses.push_back(Right(field, *ex, c.candidate.value, order) ? 1.0f : 0.0f);
    }
  }
  return TrainForest(samples, responses, kForest);
}

// The chosen candidate's score and whether it is right; nullopt when the rules' value stays.
std::optional<std::pair<double, bool>> Choose(std::string_view field, const Example& ex,
                                              const cv::ml::RTrees& forest, DateOrder order,
                                              const std::string& today) {
  auto it = ex.candidates.find(std::string(field));
  if (it == ex.candidates.end()) return std::nullopt;
  const std::optional<Choice> chosen = ChooseCandidate(
      field, it->second,
      [&](const RankedCandidate& c) { return forest.predict(cv::Mat(c.features).reshape(1, 1)); },
      ex.rules, today);
  if (!chosen) return std::nullopt;
  return std::make_pair(chosen->score, Right(field, ex, chosen->candidate->candidate.value, order));
}

// The lower end of the Wilson score interval (z = kCalibrationZ) of `right` in `n`: the share
// of right choices the evidence supports, so a band seen on few documents claims less.
double WilsonLower(double right, double n) {
  const double z = kCalibrationZ, p = right / n;
  const double centre = p + z * z / (2 * n);
  const double spread = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return (centre - spread) / (1 + z * z / n);
}

// Bands of equal count by score (a short last band joins the one before), each its mean score and
// the share of right choices its evidence supports (WilsonLower), made monotone by pooling
// neighbours that disagree (isotonic regression).
std::vector<double> Calibrate(std::vector<std::pair<double, bool>> outcomes) {
  std::sort(outcomes.begin(), outcomes.end());
  struct Band {
    double score = 0, right = 0, n = 0;
    double Share() const { return WilsonLower(right, n); }
  };
  std::vector<Band> bands;
  const size_t per = std::max<size_t>(1, outcomes.size() / kCalibrationBands);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (i % per == 0 && outcomes.size() - i >= per / 2) bands.emplace_back();
    bands.back().score += outcomes[i].first;
    bands.back().right += outcomes[i].second ? 1 : 0;
    bands.back().n += 1;
  }
  for (size_t i = 1; i < bands.size();) {
    if (bands[i - 1].Share() < bands[i].Share()) {
      ++i;
      continue;
    }
    bands[i - 1].score += bands[i].score;
    bands[i - 1].right += bands[i].right;
    bands[i - 1].n += bands[i].n;
    bands.erase(bands.begin() + static_cast<long>(i));
    if (i > 1) --i;
  }
  std::vector<double> points;
  for (const Band& b : bands) {
    points.push_back(b.score / b.n);
    points.push_back(b.Share());
  }
  return points;
}

}  // namespace

int main(int argc, char** argv) {
  DateOrder order = DateOrder::kDMY;
  std::string today;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--date-order" && i + 1 < argc) {
      const std::string o = argv[++i];
      order = o == "MDY" ? DateOrder::kMDY : o == "YMD" ? DateOrder::kYMD : DateOrder::kDMY;
    } else if (a == "--today" && i + 1 < argc) {
      today = argv[++i];
    } else {
      args.push_back(a);
    }
  }
  if (args.size() != 2) {
    std::cerr << "usage: train_ranker [--date-order DMY|MDY|YMD] [--today YYYY-MM-DD] LIST OUT\n";
    return 2;
  }
  std::vector<Example> examples;
  for (const fs::path& folder : ListedFolders(args[0])) {
    if (!fs::is_directory(folder)) {
      std::cerr << "train_ranker: " << folder << ": no such folder\n";
      return 4;
    }
    for (const fs::path& f : PageFilesIn(folder)) {
      if (auto ex = LoadExample(f, order, today)) examples.push_back(std::move(*ex));
    }
  }
  std::cerr << "train_ranker: " << examples.size() << " documents\n";
  if (examples.empty()) return 4;

  // Folds by a fixed shuffle, so training is reproducible.
  std::vector<int> fold(examples.size());
  for (size_t i = 0; i < fold.size(); ++i) fold[i] = static_cast<int>(i % kFolds);
  std::shuffle(fold.begin(), fold.end(), std::mt19937(20261206));
  cv::setRNGSeed(20261206);

  cv::FileStorage out(args[1], cv::FileStorage::WRITE);
  for (std::string_view field : kRankedFields) {
    std::vector<std::pair<double, bool>> outcomes;
    int with_truth = 0, rules_right = 0, ranked_right = 0, any_right = 0;
    for (int k = 0; k < kFolds; ++k) {
      std::vector<const Example*> train;
      for (size_t i = 0; i < examples.size(); ++i) {
        if (fold[i] != k) train.push_back(&examples[i]);
      }
      const cv::Ptr<cv::ml::RTrees> forest = Train(field, train, order);
      for (size_t i = 0; i < examples.size(); ++i) {
        const Example& ex = examples[i];
        if (fold[i] != k || !ex.truth.count(std::string(field))) continue;
        ++with_truth;
        auto rule = ex.rules.find(std::string(field));
        const bool rule_right =
            rule != ex.rules.end() && Right(field, ex, rule->second.value, order);
        rules_right += rule_right ? 1 : 0;
        const auto& cands = ex.candidates.at(std::string(field));
        if (std::any_of(cands.begin(), cands.end(), [&](const RankedCandidate& c) {
              return Right(field, ex, c.candidate.value, order);
            })) {
          ++any_right;
        }
        if (auto chosen = Choose(field, ex, *forest, order, today)) {
          outcomes.push_back(*chosen);
          ranked_right += chosen->second ? 1 : 0;
        } else {
          ranked_right += rule_right ? 1 : 0;
        }
      }
    }
    std::cerr << field << ": " << with_truth << " documents; right: rules " << rules_right
              << ", ranking " << ranked_right << " (cross-validated), some candidate " << any_right
              << "\n";
    std::vector<const Example*> all;
    for (const Example& ex : examples) all.push_back(&ex);
    const cv::Ptr<cv::ml::RTrees> forest = Train(field, all, order);
    out << std::string(field) << "{";
    out << "forest"
        << "{";
    forest->write(out);
    out << "}";
    out << "calibration" << Calibrate(outcomes);
    out << "}";
  }
  out.release();
  return 0;
}
