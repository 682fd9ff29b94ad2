// train_forms: learns the linking of a form's keys and values (form_pairs.h) from forms whose
// truth holds the annotators' `pairs`, measures it by cross-validation, and writes the model file
// that quire compiles in.
//
//   train_forms [--folds N] [--threshold T] [--misses] [--diagnose] [--oracle] [--out MODEL]
//               FOLDER...
//
// Each FOLDER holds NAME.ocr.json (the output of `quire ocr --json`) beside NAME.truth.json.
// Two pieces are one text when, joined, they are part of a truth pair's key or value. A link
// between the texts so joined is right when its key reads as a truth pair's key and its value
// is part of that pair's value (both with the OCR tolerance of `quire eval fields`).
//
// Cross-validation: the forms are dealt into N folds by a fixed shuffle; for each fold the forests
// are trained on the others and the fold's forms are linked and scored as `quire eval fields`
// scores them (only forms the classifier calls forms get pairs, as in quire). Prints each fold's
// precision, recall and F1 at each threshold tried, their means, and the pooled scores by value
// position at T (with --misses, every pair missed or wrong; with --diagnose, the stage at which
// each truth pair is lost: its key or value not one text, no candidate link, scored low, or
// decoded away); then, with --out, trains on all forms and writes MODEL with threshold T.
// --oracle instead scores every join and link by its label: the ceiling that the pieces and
// candidates allow.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>
#include <random>
#include <sstream>

#include "classify.h"
#include "form_pairs.h"
#include "page_files.h"
#include "quire/common/json.h"
#include "quire/extract/evaluate.h"
#include "random_forest.h"
#include "text.h"

namespace fs = std::filesystem;
using namespace quire;
using namespace quire::extract;

namespace {

constexpr ForestSize kForest{.trees = 40, .max_depth = 10, .min_samples = 10};
constexpr double kThresholds[] = {0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5};

struct Form {
  std::string name;
  std::vector<PageText> pages;
  std::unique_ptr<Document> doc;
  bool classified_form = false;
  std::vector<TruthPair> truth;
  std::vector<LinkCandidate> links;
  std::vector<float> link_labels;
  std::vector<std::vector<float>> merges;
  std::vector<float> merge_labels;
};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Ticked(std::string_view value) {
  const std::string v = LettersAndDigits(value);
  return v.empty() || v == "x";
}

// The training samples of one form: each pair of neighbouring pieces, one text or two, and each
// link candidate between the texts they truly form, right or wrong.
void Label(Form& form) {
  const std::vector<Segment> pieces = FormPieces(*form.doc);
  const std::vector<MergeCandidate> merges = MergeCandidates(*form.doc, pieces);
  std::vector<bool> join;
  for (const MergeCandidate& m : merges) {
    const std::string joined = pieces[m.upper].text + " " + pieces[m.lower].text;
    const bool one = std::any_of(form.truth.begin(), form.truth.end(), [&](const TruthPair& t) {
      return ContainedWithOcrErrors(joined, t.key) || ContainedWithOcrErrors(joined, t.value);
    });
    join.push_back(one);
    form.merges.push_back(m.features);
    form.merge_labels.push_back(one ? 1.0f : 0.0f);
  }
  const std::vector<Segment> segments = JoinPieces(pieces, merges, join);
  form.links = LinkCandidates(*form.doc, segments);
  // Which truth pairs each segment is the key of, and is part of the value of.
  std::vector<std::vector<size_t>> key_of(segments.size()), part_of(segments.size());
  for (size_t s = 0; s < segments.size(); ++s) {
    for (size_t t = 0; t < form.truth.size(); ++t) {
      if (TextsMatchWithOcrErrors(form.truth[t].key, segments[s].text)) key_of[s].push_back(t);
      const std::string& value = form.truth[t].value;
      const bool part = segments[s].checkbox ? Ticked(value) && !Trim(value).empty()
                                             : ContainedWithOcrErrors(segments[s].text, value);
      if (part) part_of[s].push_back(t);
    }
  }
  for (const LinkCandidate& c : form.links) {
    const bool right = std::any_of(key_of[c.key].begin(), key_of[c.key].end(), [&](size_t t) {
      return std::find(part_of[c.value].begin(), part_of[c.value].end(), t) !=
             part_of[c.value].end();
    });
    form.link_labels.push_back(right ? 1.0f : 0.0f);
  }
}

std::optional<Form> LoadForm(const fs::path& pages_file) {
  const std::string stem = pages_file.string().substr(0, pages_file.string().size() - 9);
  const fs::path truth_file = stem + ".truth.json";
  if (!fs::exists(truth_file)) return std::nullopt;
  const nlohmann::json truth = nlohmann::json::parse(ReadText(truth_file));
  if (!truth.contains("pairs")) return std::nullopt;
  Form form;
  form.name = fs::path(stem).filename().string();
  const nlohmann::json pages = nlohmann::json::parse(ReadText(pages_file));
  for (const nlohmann::json& p : pages.at("pages")) {
    Result<PageText> page = PageTextFromJson(p);
    if (!page.ok()) return std::nullopt;
    form.pages.push_back(std::move(*page));
  }
  for (const nlohmann::json& p : truth["pairs"]) {
    form.truth.push_back({p.at(0).get<std::string>(), p.at(1).get<std::string>()});
  }
  form.doc = std::make_unique<Document>(form.pages);
  const DocumentType type = Classify(*form.doc).type;
  form.classified_form = type == DocumentType::kForm || type == DocumentType::kOther;
  Label(form);
  return form;
}

cv::Ptr<cv::ml::RTrees> Train(const cv::Mat& samples, const cv::Mat& responses) {
  return TrainForest(samples, responses, kForest);
}

struct Forests {
  cv::Ptr<cv::ml::RTrees> merge, link;
};

Forests TrainOn(const std::vector<const Form*>& forms) {
  cv::Mat link_x(0, static_cast<int>(kLinkFeatures), CV_32F), link_y(0, 1, CV_32F);
  cv::Mat merge_x(0, static_cast<int>(kMergeFeatures), CV_32F), merge_y(0, 1, CV_32F);
  for (const Form* f : forms) {
    for (size_t i = 0; i < f->links.size(); ++i) {
      link_x.push_back(cv::Mat(f->links[i].features).reshape(1, 1));
      link_y.push_back(f->link_labels[i]);
    }
    for (size_t i = 0; i < f->merges.size(); ++i) {
      merge_x.push_back(cv::Mat(f->merges[i]).reshape(1, 1));
      merge_y.push_back(f->merge_labels[i]);
    }
  }
  return {Train(merge_x, merge_y), Train(link_x, link_y)};
}

FormScorers ScorersOf(const Forests& forests, double threshold) {
  auto predict = [](cv::Ptr<cv::ml::RTrees> forest) {
    return [forest](const std::vector<float>& f) {
      return std::clamp(static_cast<double>(forest->predict(cv::Mat(f).reshape(1, 1))), 0.0, 1.0);
    };
  };
  return {predict(forests.merge), predict(forests.link), threshold};
}

// Why each truth pair is missed: the stage of the linker that loses it (--diagnose). Positions
// as PairEvaluation places them; a pair counts as found when a found pair reads as it (dates
// aside, which the evaluation also takes as ISO dates).
enum class Stage {
  kFound,         // linked as the truth links it
  kKeyMerged,     // no text reads as the key, but one holds it with more
  kKeySplit,      // no text reads as the key; its parts are texts of their own
  kKeyMissing,    // the key is not in the OCR text
  kValueMerged,   // no text reads as the value, but one holds it with more
  kValueSplit,    // no text reads as the value; its parts are texts of their own
  kValueMissing,  // the value is not in the OCR text
  kNotCandidate,  // key and value are texts, but no link between them is a candidate
  kScoredLow,     // a candidate, scored under the threshold
  kDecodedAway,   // scored over it, but the value or the key went to another link
  kNotForm,       // the classifier did not call the document a form
};
constexpr const char* kStageNames[] = {
    "found",         "key merged",    "key split",  "key missing",  "value merged", "value split",
    "value missing", "not candidate", "scored low", "decoded away", "not a form"};

struct Diagnosis {
  std::map<std::string, std::map<Stage, int>> stages;  // by position name
  std::map<std::string, int> not_candidate_where;      // where the value lies from its key
  FieldScore joins;  // the merge forest's joins against the labels' (at 0.5, as FormSegments)
};

double RowOverlap(const Box& a, const Box& b) {
  const int overlap = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
  return std::max(0, overlap) / static_cast<double>(std::max(1, std::min(a.h, b.h)));
}

void Diagnose(const Form& form, const FormScorers& scorers, const std::vector<FormPair>& found,
              Diagnosis& d) {
  const Document& doc = *form.doc;
  const std::vector<Segment> segments = FormSegments(doc, scorers);
  const std::vector<LinkCandidate> candidates = LinkCandidates(doc, segments);
  std::map<std::pair<size_t, size_t>, double> score;
  for (const LinkCandidate& c : candidates) score[{c.key, c.value}] = scorers.link(c.features);
  std::map<std::string, int> values_per_key;
  for (const TruthPair& t : form.truth) {
    if (!Trim(t.value).empty()) ++values_per_key[LettersAndDigits(t.key)];
  }
  for (size_t m = 0; m < form.merges.size(); ++m) {
    const bool joined = scorers.merge(form.merges[m]) >= 0.5, one = form.merge_labels[m] > 0.5;
    if (joined && one) ++d.joins.tp;
    if (joined && !one) ++d.joins.fp;
    if (!joined && one) ++d.joins.fn;
  }
  std::vector<bool> used(found.size(), false);
  for (const TruthPair& t : form.truth) {
    if (Trim(t.value).empty()) continue;
    std::string position = "table";
    if (values_per_key[LettersAndDigits(t.key)] <= 1) {
      const std::optional<Placement> k = LocateText(doc, t.key), v = LocateText(doc, t.value);
      position = !k || !v || k->page != v->page ? "unplaced"
                                                : ValuePositionName(PositionOf(k->box, v->box));
    }
    Stage stage = Stage::kFound;
    bool hit = false;
    for (size_t j = 0; j < found.size() && !hit; ++j) {
      if (!used[j] && TextsMatchWithOcrErrors(t.key, found[j].key) &&
          TextsMatchWithOcrErrors(t.value, found[j].value)) {
        used[j] = hit = true;
      }
    }
    if (!hit && !form.classified_form) {
      stage = Stage::kNotForm;
    } else if (!hit) {
      std::vector<size_t> keys, values;
      bool key_inside = false, key_parts = false, value_inside = false, value_parts = false;
      for (size_t s = 0; s < segments.size(); ++s) {
        const std::string& text = segments[s].text;
        if (TextsMatchWithOcrErrors(t.key, text)) {
          keys.push_back(s);
        } else {
          key_inside = key_inside || ContainedWithOcrErrors(t.key, text);
          key_parts = key_parts || ContainedWithOcrErrors(text, t.key);
        }
        if (TextsMatchWithOcrErrors(t.value, text)) {
          values.push_back(s);
        } else {
          value_inside = value_inside || ContainedWithOcrErrors(t.value, text);
          value_parts = value_parts || ContainedWithOcrErrors(text, t.value);
        }
      }
      if (keys.empty()) {
        stage = key_inside ? Stage::kKeyMerged : key_parts ? Stage::kKeySplit : Stage::kKeyMissing;
      } else if (values.empty()) {
        stage = value_inside  ? Stage::kValueMerged
                : value_parts ? Stage::kValueSplit
                              : Stage::kValueMissing;
      } else {
        double best = -1;
        for (size_t k : keys) {
          for (size_t v : values) {
            auto it = score.find({k, v});
            if (it != score.end()) best = std::max(best, it->second);
          }
        }
        if (best < 0) {
          stage = Stage::kNotCandidate;
          // Where the nearest value lies from the nearest key.
          const Box &kb = segments[keys.front()].box, &vb = segments[values.front()].box;
          const double h = std::max(1, doc.TextHeight(segments[keys.front()].page));
          const char* where = "below";
          if (RowOverlap(kb, vb) >= 0.3) {
            where = vb.x >= kb.x ? "row right" : "row left";
          } else if (vb.y + vb.h / 2 <= kb.bottom()) {
            where = "above";
          } else if ((vb.y - kb.bottom()) / h > 40) {
            where = "below far";
          }
          ++d.not_candidate_where[where];
        } else {
          stage = best < scorers.threshold ? Stage::kScoredLow : Stage::kDecodedAway;
        }
      }
    }
    ++d.stages[position][stage];
  }
}

void PrintDiagnosis(const Diagnosis& d) {
  std::printf("\nwhere each truth pair is lost, by value position:\n%-14s", "stage");
  for (const auto& [position, _] : d.stages) std::printf(" %9s", position.c_str());
  std::printf("\n");
  for (size_t s = 0; s < std::size(kStageNames); ++s) {
    std::printf("%-14s", kStageNames[s]);
    for (const auto& [position, counts] : d.stages) {
      auto it = counts.find(static_cast<Stage>(s));
      std::printf(" %9d", it == counts.end() ? 0 : it->second);
    }
    std::printf("\n");
  }
  std::printf("not candidates, where the value lies:");
  for (const auto& [where, n] : d.not_candidate_where) std::printf(" %s %d,", where.c_str(), n);
  std::printf("\npieces joined against the labels: precision %.3f recall %.3f (%d of %d joins)\n",
              d.joins.Precision(), d.joins.Recall(), d.joins.tp, d.joins.tp + d.joins.fn);
}

}  // namespace

int main(int argc, char** argv) {
  int folds = 5;
  double threshold = 0.5;
  std::string out;
  bool oracle = false, misses = false, diagnose = false;
  std::vector<std::string> folders;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--folds" && i + 1 < argc) {
      folds = std::stoi(argv[++i]);
    } else if (a == "--threshold" && i + 1 < argc) {
      threshold = std::stod(argv[++i]);
    } else if (a == "--misses") {
      misses = true;
    } else if (a == "--diagnose") {
      diagnose = true;
    } else if (a == "--oracle") {
      oracle = true;
    } else if (a == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else {
      folders.push_back(a);
    }
  }
  if (folders.empty() || folds < 2) {
    std::cerr
        << "usage: train_forms [--folds N] [--threshold T] [--misses] [--diagnose] [--oracle] "
           "[--out MODEL] FOLDER...\n";
    return 2;
  }
  std::vector<Form> forms;
  for (const std::string& folder : folders) {
    if (!fs::is_directory(folder)) {
      std::cerr << "train_forms: " << folder << ": no such folder\n";
      return 4;
    }
    for (const fs::path& f : PageFilesIn(folder)) {
      if (auto form = LoadForm(f)) forms.push_back(std::move(*form));
    }
  }
  size_t links = 0, right = 0, merges = 0, joined = 0, classified = 0;
  for (const Form& f : forms) {
    links += f.links.size();
    right += std::count(f.link_labels.begin(), f.link_labels.end(), 1.0f);
    merges += f.merges.size();
    joined += std::count(f.merge_labels.begin(), f.merge_labels.end(), 1.0f);
    classified += f.classified_form ? 1 : 0;
  }
  std::cerr << "train_forms: " << forms.size() << " forms (" << classified
            << " classified as forms), " << links << " link candidates (" << right << " right), "
            << merges << " neighbouring pieces (" << joined << " one text)\n";
  if (forms.size() < static_cast<size_t>(folds)) return 4;

  std::vector<int> fold(forms.size());
  for (size_t i = 0; i < fold.size(); ++i) fold[i] = static_cast<int>(i % folds);
  std::shuffle(fold.begin(), fold.end(), std::mt19937(20261206));
  cv::setRNGSeed(20261206);

  if (oracle) {
    // The ceiling the segments and candidates allow: every link and wrap scored by its label.
    PairEvaluation best, best_all;
    Diagnosis diagnosis;
    for (const Form& f : forms) {
      std::map<std::vector<float>, float> link, merge;
      for (size_t i = 0; i < f.links.size(); ++i) link[f.links[i].features] = f.link_labels[i];
      for (size_t i = 0; i < f.merges.size(); ++i) merge[f.merges[i]] = f.merge_labels[i];
      const FormScorers labels{[&](const std::vector<float>& x) { return merge[x]; },
                               [&](const std::vector<float>& x) { return link[x]; }, 0.5};
      const std::vector<FormPair> pairs = LinkFormPairs(*f.doc, labels);
      best_all.Add(f.name, f.pages, pairs, f.truth);
      if (diagnose) {
        Diagnose(f, labels, f.classified_form ? pairs : std::vector<FormPair>{}, diagnosis);
      }
      best.Add(f.name, f.pages, f.classified_form ? pairs : std::vector<FormPair>{}, f.truth);
    }
    for (const auto& [name, e] :
         {std::pair{"classified forms", &best}, std::pair{"all", &best_all}}) {
      std::printf("oracle (%s): precision %.3f recall %.3f F1 %.3f\n", name,
                  e->Overall().Precision(), e->Overall().Recall(), e->Overall().F1());
      for (const auto& [position, sc] : e->ByPosition()) {
        std::printf("  %-10s P %.3f R %.3f tp %d fp %d fn %d\n", ValuePositionName(position),
                    sc.Precision(), sc.Recall(), sc.tp, sc.fp, sc.fn);
      }
    }
    if (diagnose) PrintDiagnosis(diagnosis);
    return 0;
  }
  std::map<double, std::vector<FieldScore>> fold_scores;  // by threshold
  PairEvaluation pooled;
  Diagnosis diagnosis;
  for (int k = 0; k < folds; ++k) {
    std::vector<const Form*> train;
    for (size_t i = 0; i < forms.size(); ++i) {
      if (fold[i] != k) train.push_back(&forms[i]);
    }
    const Forests forests = TrainOn(train);
    for (double t : kThresholds) {
      PairEvaluation evaluation;
      for (size_t i = 0; i < forms.size(); ++i) {
        if (fold[i] != k) continue;
        const Form& f = forms[i];
        const std::vector<FormPair> pairs = f.classified_form
                                                ? LinkFormPairs(*f.doc, ScorersOf(forests, t))
                                                : std::vector<FormPair>{};
        evaluation.Add(f.name, f.pages, pairs, f.truth);
        if (t == threshold) pooled.Add(f.name, f.pages, pairs, f.truth);
        if (t == threshold && diagnose) Diagnose(f, ScorersOf(forests, t), pairs, diagnosis);
      }
      fold_scores[t].push_back(evaluation.Overall());
      std::printf("fold %d threshold %.2f: precision %.3f recall %.3f F1 %.3f\n", k + 1, t,
                  evaluation.Overall().Precision(), evaluation.Overall().Recall(),
                  evaluation.Overall().F1());
    }
    std::fflush(stdout);
  }
  std::printf("\nmean over %d folds (train on %d/%d, score the rest):\n", folds, folds - 1, folds);
  std::printf("%-10s %9s %7s %7s\n", "threshold", "precision", "recall", "F1");
  for (const auto& [t, scores] : fold_scores) {
    double p = 0, r = 0, f1 = 0;
    for (const FieldScore& s : scores) {
      p += s.Precision();
      r += s.Recall();
      f1 += s.F1();
    }
    std::printf("%-10.2f %9.3f %7.3f %7.3f%s\n", t, p / folds, r / folds, f1 / folds,
                t == threshold ? "   <- model threshold" : "");
  }
  std::printf("\npooled over the folds at threshold %.2f, by value position:\n", threshold);
  std::printf("%-12s %9s %7s %7s %5s %5s %5s\n", "position", "precision", "recall", "F1", "tp",
              "fp", "fn");
  for (const auto& [position, s] : pooled.ByPosition()) {
    std::printf("%-12s %9.3f %7.3f %7.3f %5d %5d %5d\n", ValuePositionName(position), s.Precision(),
                s.Recall(), s.F1(), s.tp, s.fp, s.fn);
  }
  if (misses) {
    std::printf("\nmisses at threshold %.2f (key: expected -> found):\n", threshold);
    for (const FieldMiss& m : pooled.Misses()) {
      std::printf("  %s  %s: \"%s\" -> \"%s\"\n", m.document.c_str(), m.field.c_str(),
                  m.expected.c_str(), m.found.c_str());
    }
  }
  const FieldScore all = pooled.Overall();
  std::printf("%-12s %9.3f %7.3f %7.3f %5d %5d %5d\n", "overall", all.Precision(), all.Recall(),
              all.F1(), all.tp, all.fp, all.fn);
  std::printf("\npooled found pairs by confidence:\n%-12s %9s %7s\n", "confidence", "precision",
              "pairs");
  for (const auto& [tenth, s] : pooled.ByConfidence()) {
    std::printf("%.1f-%.1f    %9.3f %7d\n", tenth / 10.0, (tenth + 1) / 10.0, s.Precision(),
                s.tp + s.fp);
  }
  if (diagnose) PrintDiagnosis(diagnosis);

  if (out.empty()) return 0;
  std::vector<const Form*> all_forms;
  for (const Form& f : forms) all_forms.push_back(&f);
  const Forests forests = TrainOn(all_forms);
  cv::FileStorage file(out, cv::FileStorage::WRITE);
  file << "merge"
       << "{";
  forests.merge->write(file);
  file << "}";
  file << "link"
       << "{";
  forests.link->write(file);
  file << "}";
  file << "threshold" << threshold;
  file.release();
  std::cerr << "train_forms: wrote " << out << "\n";
  return 0;
}
