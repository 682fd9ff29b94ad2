#include "form_pairs.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "text.h"

namespace quire::extract {

// The text of extract/model/forms.yml, compiled in (form_model.cc, made by CMake).
extern const char* const kFormModel;

namespace {

// How far a value may lie from its key, in text heights: keys near the top of a column reach
// its last rows, yet a page holds a few hundred segments, so only the nearest are candidates.
constexpr double kMaxBelow = 40;
constexpr double kMaxLeft = 6;
constexpr size_t kNearest = 24;
constexpr double kEmptyReach = 8;  // text heights right of a label where its value would be
constexpr double kCap = 50;        // distances beyond this many text heights read alike
// The confidence of a key reported empty: 6 of the 77 such reports on funsd-dev were right
// (scripts/train-forms.sh, pooled over the folds); a linked pair's is its link's score, which
// is right about as often as it says (the same run, by tenths).
constexpr double kEmptyKeyConfidence = 0.1;

bool EndsWithColon(std::string_view word) { return !word.empty() && word.back() == ':'; }

// Words further apart than this many text heights are in different cells.
constexpr double kCellGap = 1.0;

Segment MakePiece(const Line& line, size_t first, size_t last, bool after_colon) {
  Segment s;
  s.page = line.page;
  s.lines = {&line};
  s.after_colon = after_colon;
  for (size_t w = first; w < last; ++w) {
    if (!s.text.empty()) s.text += ' ';
    s.text += line.words[w].text;
    s.words.push_back(&line.words[w]);
    s.box = s.box.empty() ? line.words[w].box : s.box.Union(line.words[w].box);
  }
  s.checkbox = last == first + 1 && CheckboxGlyph(line.words[first].text).has_value();
  return s;
}

double VerticalOverlap(const Box& a, const Box& b) {
  const int overlap = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
  return std::max(0, overlap) / static_cast<double>(std::max(1, std::min(a.h, b.h)));
}

double HorizontalOverlap(const Box& a, const Box& b) {
  const int overlap = std::min(a.right(), b.right()) - std::max(a.x, b.x);
  return std::max(0, overlap) / static_cast<double>(std::max(1, std::min(a.w, b.w)));
}

double Capped(double v) { return std::clamp(v, -kCap, kCap); }

double Height(const Document& doc, const Segment& s) { return std::max(1, doc.TextHeight(s.page)); }

bool ShareLine(const Segment& a, const Segment& b) {
  return std::any_of(a.lines.begin(), a.lines.end(), [&](const Line* l) {
    return std::find(b.lines.begin(), b.lines.end(), l) != b.lines.end();
  });
}

// How a segment reads, whichever side of a link it is on: 15 features.
void AddTextFeatures(const Document& doc, const Segment& s, std::vector<float>& f) {
  int letters = 0, digits = 0, upper = 0, chars = 0;
  for (unsigned char c : s.text) {
    if (c == ' ') continue;
    ++chars;
    if (std::isdigit(c)) ++digits;
    if (std::isalpha(c) || c >= 0x80) ++letters;
    if (std::isupper(c)) ++upper;
  }
  double conf = 0;
  for (const OcrWord* w : s.words) conf += w->conf;
  const PageText& page = doc.page(s.page);
  f.push_back(EndsWithColon(s.text) ? 1 : 0);
  f.push_back(s.text.find(':') != std::string::npos ? 1 : 0);
  f.push_back(static_cast<float>(s.words.size()));
  f.push_back(static_cast<float>(chars));
  f.push_back(chars ? static_cast<float>(letters) / chars : 0);
  f.push_back(chars ? static_cast<float>(digits) / chars : 0);
  f.push_back(letters ? static_cast<float>(upper) / letters : 0);
  f.push_back(static_cast<float>(conf / std::max<size_t>(1, s.words.size())));
  f.push_back(static_cast<float>(s.box.h / Height(doc, s)));
  f.push_back(static_cast<float>(s.box.x) / std::max(1, page.width));
  f.push_back(static_cast<float>(s.box.y) / std::max(1, page.height));
  f.push_back(static_cast<float>(s.box.w) / std::max(1, page.width));
  f.push_back(s.checkbox ? 1 : 0);
  f.push_back(s.after_colon ? 1 : 0);
  f.push_back(!s.text.empty() && s.text.back() == '?' ? 1 : 0);
}

enum class Direction { kRight, kLeft, kBelow };

std::optional<Direction> DirectionOf(const Box& key, const Box& value, double h) {
  if (VerticalOverlap(key, value) >= 0.3) {
    if (value.x >= key.right() - h / 2) return Direction::kRight;
    if (value.right() <= key.x + h / 2 && key.x - value.right() <= kMaxLeft * h) {
      return Direction::kLeft;
    }
    return std::nullopt;
  }
  const double below = (value.y - key.bottom()) / h;
  if (value.y + value.h / 2 > key.bottom() && below <= kMaxBelow &&
      value.right() >= key.x - 3 * h) {
    return Direction::kBelow;
  }
  return std::nullopt;
}

// Gaps between the boxes, in text heights (0 where they overlap).
double GapX(const Box& a, const Box& b, double h) {
  return std::max(0, std::max(b.x - a.right(), a.x - b.right())) / h;
}
double GapY(const Box& a, const Box& b, double h) {
  return std::max(0, std::max(b.y - a.bottom(), a.y - b.bottom())) / h;
}
double Distance(const Box& a, const Box& b, double h) { return GapX(a, b, h) + 2 * GapY(a, b, h); }

// Segments whose middle lies inside the box spanning `a` and `b`, other than those two.
int SegmentsBetween(const std::vector<Segment>& segments, size_t a, size_t b) {
  const Box span = segments[a].box.Union(segments[b].box);
  int n = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i == a || i == b || segments[i].page != segments[a].page) continue;
    const int cx = segments[i].box.x + segments[i].box.w / 2;
    const int cy = segments[i].box.y + segments[i].box.h / 2;
    if (cx > span.x && cx < span.right() && cy > span.y && cy < span.bottom()) ++n;
  }
  return n;
}

struct Link {
  size_t key;
  size_t value;
  bool same_row;
  double score;
};

// Whether some text lies where a label's value would be: on its row within a few text heights to
// its right, or just under it. A label with such a neighbour that no value was linked to has a
// value the model missed, not an empty one.
bool HasNeighbour(const Document& doc, const std::vector<Segment>& segments, size_t k) {
  const Segment& key = segments[k];
  const double h = Height(doc, key);
  return std::any_of(segments.begin(), segments.end(), [&](const Segment& s) {
    if (&s == &key || s.page != key.page) return false;
    const Box &a = key.box, &b = s.box;
    const bool right = VerticalOverlap(a, b) >= 0.3 && b.x >= a.right() - h / 2 &&
                       b.x - a.right() <= kEmptyReach * h;
    const bool under =
        HorizontalOverlap(a, b) > 0 && b.y >= a.bottom() - h / 2 && b.y - a.bottom() <= h;
    return right || under;
  });
}

size_t Root(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

std::vector<Segment> FormPieces(const Document& doc) {
  std::vector<Segment> pieces;
  for (const Line& line : doc.lines()) {
    const double h = std::max(1, doc.TextHeight(line.page));
    size_t first = 0;
    bool after_colon = false;
    auto cut = [&](size_t end) {
      if (end > first) pieces.push_back(MakePiece(line, first, end, after_colon));
      for (size_t w = first; w < end; ++w)
        after_colon = after_colon || EndsWithColon(line.words[w].text);
      first = end;
    };
    for (size_t w = 0; w < line.words.size(); ++w) {
      const bool box = CheckboxGlyph(line.words[w].text).has_value();
      if (box || (w > 0 && line.words[w].box.x - line.words[w - 1].box.right() > kCellGap * h)) {
        cut(w);
      }
      if (box || EndsWithColon(line.words[w].text)) cut(w + 1);
    }
    cut(line.words.size());
  }
  return pieces;
}

std::vector<MergeCandidate> MergeCandidates(const Document& doc,
                                            const std::vector<Segment>& pieces) {
  std::vector<MergeCandidate> out;
  auto add = [&](size_t upper, size_t lower, bool right) {
    const Segment &a = pieces[upper], &b = pieces[lower];
    const double h = Height(doc, a);
    MergeCandidate c{upper, lower, {}};
    c.features.reserve(kMergeFeatures);
    AddTextFeatures(doc, a, c.features);
    AddTextFeatures(doc, b, c.features);
    c.features.push_back(right ? 1 : 0);
    c.features.push_back(static_cast<float>(
        Capped(right ? (b.box.x - a.box.right()) / h : (b.box.y - a.box.bottom()) / h)));
    c.features.push_back(static_cast<float>(Capped((b.box.x - a.box.x) / h)));
    c.features.push_back(a.words.front()->block == b.words.front()->block ? 1 : 0);
    out.push_back(std::move(c));
  };
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i + 1 < pieces.size() && pieces[i + 1].lines.front() == pieces[i].lines.front()) {
      add(i, i + 1, true);
    }
    const double h = Height(doc, pieces[i]);
    size_t below = pieces.size();
    int gap = 0;
    for (size_t j = 0; j < pieces.size(); ++j) {
      const Box &a = pieces[i].box, &b = pieces[j].box;
      if (pieces[j].page != pieces[i].page || b.y + b.h / 2 <= a.bottom() ||
          HorizontalOverlap(a, b) <= 0 || b.y - a.bottom() > 2 * h) {
        continue;
      }
      if (below == pieces.size() || b.y - a.bottom() < gap) {
        below = j;
        gap = b.y - a.bottom();
      }
    }
    if (below < pieces.size()) add(i, below, false);
  }
  return out;
}

std::vector<Segment> JoinPieces(const std::vector<Segment>& pieces,
                                const std::vector<MergeCandidate>& candidates,
                                const std::vector<bool>& join) {
  std::vector<size_t> parent(pieces.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  for (size_t c = 0; c < candidates.size(); ++c) {
    if (join[c]) parent[Root(parent, candidates[c].lower)] = Root(parent, candidates[c].upper);
  }
  std::map<size_t, Segment> joined;  // by root; pieces in reading order
  std::vector<size_t> order;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const size_t root = Root(parent, i);
    auto [it, fresh] = joined.try_emplace(root, pieces[i]);
    if (fresh) {
      order.push_back(root);
      continue;
    }
    Segment& s = it->second;
    s.text += ' ' + pieces[i].text;
    s.words.insert(s.words.end(), pieces[i].words.begin(), pieces[i].words.end());
    if (std::find(s.lines.begin(), s.lines.end(), pieces[i].lines.front()) == s.lines.end()) {
      s.lines.push_back(pieces[i].lines.front());
    }
    s.box = s.box.Union(pieces[i].box);
    s.checkbox = false;
  }
  std::vector<Segment> segments;
  for (size_t root : order) segments.push_back(std::move(joined.at(root)));
  return segments;
}

std::vector<Segment> FormSegments(const Document& doc, const FormScorers& scorers) {
  const std::vector<Segment> pieces = FormPieces(doc);
  const std::vector<MergeCandidate> candidates = MergeCandidates(doc, pieces);
  std::vector<bool> join;
  for (const MergeCandidate& c : candidates) join.push_back(scorers.merge(c.features) >= 0.5);
  return JoinPieces(pieces, candidates, join);
}

std::vector<LinkCandidate> LinkCandidates(const Document& doc,
                                          const std::vector<Segment>& segments) {
  struct Near {
    size_t value;
    Direction direction;
    double distance;
  };
  std::vector<std::vector<Near>> near(segments.size());
  for (size_t k = 0; k < segments.size(); ++k) {
    const double h = Height(doc, segments[k]);
    for (size_t v = 0; v < segments.size(); ++v) {
      if (v == k || segments[v].page != segments[k].page) continue;
      const std::optional<Direction> d = DirectionOf(segments[k].box, segments[v].box, h);
      if (d) near[k].push_back({v, *d, Distance(segments[k].box, segments[v].box, h)});
    }
    std::sort(near[k].begin(), near[k].end(),
              [](const Near& a, const Near& b) { return a.distance < b.distance; });
    if (near[k].size() > kNearest) near[k].resize(kNearest);
  }
  // How many keys reach each value from nearer than a given key: a value's own key is usually
  // its nearest.
  std::vector<std::vector<double>> reached(segments.size());
  for (size_t k = 0; k < segments.size(); ++k) {
    for (const Near& n : near[k]) reached[n.value].push_back(n.distance);
  }
  std::vector<LinkCandidate> out;
  for (size_t k = 0; k < segments.size(); ++k) {
    const Segment& key = segments[k];
    const double h = Height(doc, key);
    int below_aligned = 0;
    for (const Near& n : near[k]) {
      if (n.direction == Direction::kBelow &&
          HorizontalOverlap(key.box, segments[n.value].box) > 0.5) {
        ++below_aligned;
      }
    }
    for (size_t rank = 0; rank < near[k].size(); ++rank) {
      const Near& n = near[k][rank];
      const Segment& value = segments[n.value];
      LinkCandidate c{k, n.value, n.direction != Direction::kBelow, {}};
      std::vector<float>& f = c.features;
      f.reserve(kLinkFeatures);
      AddTextFeatures(doc, key, f);
      AddTextFeatures(doc, value, f);
      f.push_back(n.direction == Direction::kRight ? 1 : 0);
      f.push_back(n.direction == Direction::kLeft ? 1 : 0);
      f.push_back(n.direction == Direction::kBelow ? 1 : 0);
      f.push_back(static_cast<float>(Capped(GapX(key.box, value.box, h))));
      f.push_back(static_cast<float>(Capped(GapY(key.box, value.box, h))));
      f.push_back(static_cast<float>(Capped((value.box.x - key.box.x) / h)));
      f.push_back(static_cast<float>(Capped((value.box.y - key.box.y) / h)));
      f.push_back(static_cast<float>(VerticalOverlap(key.box, value.box)));
      f.push_back(static_cast<float>(HorizontalOverlap(key.box, value.box)));
      f.push_back(ShareLine(key, value) ? 1 : 0);
      f.push_back(key.words.front()->block == value.words.front()->block ? 1 : 0);
      f.push_back(static_cast<float>(rank));
      f.push_back(static_cast<float>(std::count_if(reached[n.value].begin(), reached[n.value].end(),
                                                   [&](double d) { return d < n.distance; })));
      f.push_back(static_cast<float>(std::min(SegmentsBetween(segments, k, n.value), 50)));
      f.push_back(static_cast<float>(below_aligned));
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::string KeyName(std::string_view key) {
  std::string name;
  for (const std::string& t : FoldedTokens(key)) {
    if (!name.empty()) name += ' ';
    name += t;
  }
  return name;
}

std::vector<FormPair> LinkFormPairs(const Document& doc, const FormScorers& scorers) {
  const std::vector<Segment> segments = FormSegments(doc, scorers);
  std::vector<Link> links;
  for (const LinkCandidate& c : LinkCandidates(doc, segments)) {
    const double score = scorers.link(c.features);
    if (score >= scorers.threshold) links.push_back({c.key, c.value, c.same_row, score});
  }
  // Best links first; a segment is a key or a value, and a value has at most one key beside it
  // and one above it.
  std::stable_sort(links.begin(), links.end(),
                   [](const Link& a, const Link& b) { return a.score > b.score; });
  enum class Role { kNone, kKey, kValue };
  std::vector<Role> role(segments.size(), Role::kNone);
  std::vector<bool> keyed_beside(segments.size(), false), keyed_above(segments.size(), false);
  std::map<size_t, std::vector<std::pair<size_t, double>>> values_of;
  for (const Link& l : links) {
    std::vector<bool>& keyed = l.same_row ? keyed_beside : keyed_above;
    if (role[l.value] == Role::kKey || keyed[l.value] || role[l.key] == Role::kValue) continue;
    role[l.key] = Role::kKey;
    role[l.value] = Role::kValue;
    keyed[l.value] = true;
    values_of[l.key].push_back({l.value, l.score});
  }
  std::vector<FormPair> pairs;
  for (size_t k = 0; k < segments.size(); ++k) {
    const Segment& key = segments[k];
    const FormPair empty{key.text, KeyName(key.text), "", key.page, key.box, {}, 0};
    auto it = values_of.find(k);
    if (it == values_of.end()) {
      // A printed label with nothing filled in. The model does not score it, so it carries
      // what such reports were worth when measured.
      if (role[k] == Role::kNone && EndsWithColon(key.text) && !HasNeighbour(doc, segments, k)) {
        pairs.push_back(empty);
        pairs.back().confidence = kEmptyKeyConfidence;
      }
      continue;
    }
    std::vector<std::pair<size_t, double>>& values = it->second;
    std::sort(values.begin(), values.end(), [&](const auto& a, const auto& b) {
      const Box &x = segments[a.first].box, &y = segments[b.first].box;
      return std::pair(x.y, x.x) < std::pair(y.y, y.x);
    });
    for (const auto& [v, score] : values) {
      FormPair pair = empty;
      pair.value = segments[v].text;
      pair.value_box = segments[v].box;
      pair.confidence = score;
      pairs.push_back(std::move(pair));
    }
  }
  return pairs;
}

struct FormLinker::Model {
  cv::Ptr<cv::ml::RTrees> merge;
  cv::Ptr<cv::ml::RTrees> link;
  double threshold = 0.5;
};

Result<FormLinker> FormLinker::FromText(const std::string& text) {
  auto model = std::make_shared<Model>();
  try {
    cv::FileStorage fs(text, cv::FileStorage::READ | cv::FileStorage::MEMORY);
    if (fs["merge"].empty() || fs["link"].empty()) {
      return Status::InvalidArgument(
          "form model has no merge or link forest: train it again "
          "(scripts/train-forms.sh)");
    }
    model->merge = cv::ml::RTrees::create();
    model->link = cv::ml::RTrees::create();
    model->merge->read(fs["merge"]);
    model->link->read(fs["link"]);
    fs["threshold"] >> model->threshold;
    if (!model->merge->isTrained() ||
        model->merge->getVarCount() != static_cast<int>(kMergeFeatures) ||
        !model->link->isTrained() ||
        model->link->getVarCount() != static_cast<int>(kLinkFeatures)) {
      return Status::InvalidArgument(
          "form model does not fit its features: train it again "
          "(scripts/train-forms.sh)");
    }
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(std::string("form model cannot be read: ") + e.what());
  }
  FormLinker linker;
  linker.model_ = std::move(model);
  return linker;
}

const FormLinker& FormLinker::Builtin() {
  static const FormLinker* builtin = [] {
    Result<FormLinker> r = FromText(kFormModel);
    // The built-in model is checked by the tests; a broken one links nothing.
    return new FormLinker(r.ok() ? std::move(*r) : FormLinker());
  }();
  return *builtin;
}

FormScorers FormLinker::Scorers() const {
  auto predict = [](const cv::Ptr<cv::ml::RTrees>& forest) {
    return [forest](const std::vector<float>& f) {
      const cv::Mat sample(1, static_cast<int>(f.size()), CV_32F, const_cast<float*>(f.data()));
      return std::clamp(static_cast<double>(forest->predict(sample)), 0.0, 1.0);
    };
  };
  return {predict(model_->merge), predict(model_->link), model_->threshold};
}

// ---- Placing printed text, for scoring ----------------------------------------------------

bool ContainedWithOcrErrors(std::string_view part, std::string_view whole) {
  const std::string p = LettersAndDigits(part), w = LettersAndDigits(whole);
  if (p.empty() || w.empty()) return false;
  if (p.size() < 5) return w.find(p) != std::string::npos && 2 * p.size() >= w.size();
  // The best match of p anywhere in w (Sellers' approximate substring search).
  std::vector<size_t> row(w.size() + 1, 0);
  for (size_t i = 1; i <= p.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= w.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (p[i - 1] != w[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return *std::min_element(row.begin(), row.end()) * 5 <= p.size();
}

std::optional<Placement> LocateText(const Document& doc, std::string_view text) {
  const std::string target = LettersAndDigits(text);
  if (target.empty()) return std::nullopt;
  std::optional<Placement> best;
  size_t best_length = 0;
  for (const Line& line : doc.lines()) {
    for (size_t first = 0; first < line.words.size(); ++first) {
      std::string span;
      Box box;
      for (size_t last = first; last < line.words.size(); ++last) {
        span += LettersAndDigits(line.words[last].text);
        box = box.empty() ? line.words[last].box : box.Union(line.words[last].box);
        if (span.size() > target.size() + 3) break;
        // A text longer than the line is placed by its beginning.
        const std::string_view wanted = std::string_view(target).substr(0, span.size());
        if (span.size() < std::min<size_t>(target.size(), 8) || span.size() <= best_length)
          continue;
        const size_t against = span.size() < target.size() ? wanted.size() : target.size();
        if (EditDistance(span, span.size() < target.size() ? wanted : target) * 5 <= against) {
          best = Placement{line.page, box};
          best_length = span.size();
        }
      }
    }
  }
  return best;
}

ValuePosition PositionOf(const Box& key, const Box& value) {
  if (value.empty()) return ValuePosition::kEmpty;
  return VerticalOverlap(key, value) >= 0.3 ? ValuePosition::kSameLine : ValuePosition::kBelow;
}

}  // namespace quire::extract
