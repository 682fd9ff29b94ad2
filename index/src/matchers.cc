#include "matchers.h"

#include <algorithm>
#include <limits>

namespace quire::index {
namespace {

constexpr DocId kNoDoc = std::numeric_limits<DocId>::max();

Status FirstError(const std::vector<std::unique_ptr<DocMatcher>>& children) {
  for (const auto& child : children) {
    if (!child->status().ok()) return child->status();
  }
  return Status::Ok();
}

class AndMatcher : public DocMatcher {
 public:
  explicit AndMatcher(std::vector<std::unique_ptr<DocMatcher>> children)
      : children_(std::move(children)) {
    std::sort(children_.begin(), children_.end(),
              [](const auto& a, const auto& b) { return a->Estimate() < b->Estimate(); });
  }

  // Leapfrog: the rarest child proposes a document, the others skip to it; whoever lands past it
  // proposes the next candidate.
  void SkipTo(DocId target) override {
    for (size_t i = 0; i < children_.size();) {
      children_[i]->SkipTo(target);
      if (children_[i]->AtEnd()) {
        at_end_ = true;
        return;
      }
      if (children_[i]->doc() != target && i > 0) {
        target = children_[i]->doc();
        i = 0;
        continue;
      }
      target = children_[i]->doc();
      ++i;
    }
  }
  bool AtEnd() const override { return at_end_; }
  DocId doc() const override { return children_.front()->doc(); }
  double Score() override {
    double score = 0;
    for (auto& child : children_) score += child->Score();
    return score;
  }
  double MaxScore() const override {
    double bound = 0;
    for (const auto& child : children_) bound += child->MaxScore();
    return bound;
  }
  // Each child must make up what the others cannot.
  void SetMinScore(double min_score) override {
    const double bound = MaxScore();
    for (auto& child : children_) child->SetMinScore(min_score - (bound - child->MaxScore()));
  }
  void CollectPositions(std::vector<Position>& positions) override {
    for (auto& child : children_) child->CollectPositions(positions);
  }
  int64_t Estimate() const override { return children_.front()->Estimate(); }
  Status status() const override { return FirstError(children_); }

 private:
  std::vector<std::unique_ptr<DocMatcher>> children_;
  bool at_end_ = false;
};

// Children are kept in increasing order of their upper bounds. The first `optional_` of them are
// "non-essential": together they cannot reach the minimum score, so a document only they match
// is skipped; they are only moved to the documents the essential children propose.
//
// An essential child is told where the others' next documents lie: before them it scores alone
// and needs nearly the whole minimum, so a frequent word's blocks are skipped up to a rare
// alternative's next match (a fuzzy word and its split readings: "txtal~" scored every one of a
// million documents holding "total", bench_search).
class OrMatcher : public DocMatcher {
 public:
  explicit OrMatcher(std::vector<std::unique_ptr<DocMatcher>> children)
      : children_(std::move(children)) {
    std::sort(children_.begin(), children_.end(),
              [](const auto& a, const auto& b) { return a->MaxScore() < b->MaxScore(); });
    for (size_t i = 0; i < children_.size(); ++i) rarest_first_.push_back(i);
    std::sort(rarest_first_.begin(), rarest_first_.end(), [this](size_t a, size_t b) {
      return children_[a]->Estimate() < children_[b]->Estimate();
    });
  }

  // The rare children move first, so that the frequent ones know where those lie.
  void SkipTo(DocId target) override {
    doc_ = kNoDoc;
    for (size_t i : rarest_first_) {
      if (i < optional_) continue;
      if (min_score_ > 0 && started_) SetChildMinScores(i, target);
      children_[i]->SkipTo(target);
      if (!children_[i]->AtEnd()) doc_ = std::min(doc_, children_[i]->doc());
    }
    started_ = true;
    if (doc_ == kNoDoc) return;
    for (size_t i = 0; i < optional_; ++i) children_[i]->SkipTo(doc_);
  }
  bool AtEnd() const override { return doc_ == kNoDoc; }
  DocId doc() const override { return doc_; }
  double Score() override {
    double score = 0;
    for (auto& child : children_) {
      if (AtDoc(*child)) score += child->Score();
    }
    return score;
  }
  double MaxScore() const override {
    double bound = 0;
    for (const auto& child : children_) bound += child->MaxScore();
    return bound;
  }
  void SetMinScore(double min_score) override {
    min_score_ = min_score;
    optional_bound_ = 0;
    for (optional_ = 0; optional_ < children_.size(); ++optional_) {
      const double bound = optional_bound_ + children_[optional_]->MaxScore();
      if (bound >= min_score) break;
      optional_bound_ = bound;
    }
  }
  void CollectPositions(std::vector<Position>& positions) override {
    for (auto& child : children_) {
      if (AtDoc(*child)) child->CollectPositions(positions);
    }
  }
  int64_t Estimate() const override {
    int64_t sum = 0;
    for (const auto& child : children_) sum += child->Estimate();
    return sum;
  }
  Status status() const override { return FirstError(children_); }

 private:
  bool AtDoc(const DocMatcher& child) const { return !child.AtEnd() && child.doc() == doc_; }

  // Essential child i must make up what the others cannot; before the next document of any
  // other essential child (at least `target`), only the optional ones can add to it.
  void SetChildMinScores(size_t i, DocId target) {
    DocId alone_until = kNoDoc;
    for (size_t j = optional_; j < children_.size(); ++j) {
      if (j == i || children_[j]->AtEnd()) continue;
      alone_until = std::min(alone_until, std::max(children_[j]->doc(), target));
    }
    const double others = MaxScore() - children_[i]->MaxScore();
    children_[i]->SetMinScores(min_score_ - others, alone_until, min_score_ - optional_bound_);
  }

  std::vector<std::unique_ptr<DocMatcher>> children_;
  std::vector<size_t> rarest_first_;  // children_'s indexes by increasing Estimate
  size_t optional_ = 0;
  double optional_bound_ = 0;  // the optional children's upper bounds summed
  double min_score_ = 0;
  bool started_ = false;  // every essential child has been moved
  DocId doc_ = kNoDoc;
};

class AndNotMatcher : public DocMatcher {
 public:
  AndNotMatcher(std::unique_ptr<DocMatcher> required, std::unique_ptr<DocMatcher> excluded)
      : required_(std::move(required)), excluded_(std::move(excluded)) {}

  void SkipTo(DocId target) override {
    for (required_->SkipTo(target); !required_->AtEnd(); required_->SkipTo(target + 1)) {
      target = required_->doc();
      excluded_->SkipTo(target);
      if (excluded_->AtEnd() || excluded_->doc() != target) return;
    }
  }
  bool AtEnd() const override { return required_->AtEnd(); }
  DocId doc() const override { return required_->doc(); }
  double Score() override { return required_->Score(); }
  double MaxScore() const override { return required_->MaxScore(); }
  void SetMinScore(double min_score) override { required_->SetMinScore(min_score); }
  void CollectPositions(std::vector<Position>& positions) override {
    required_->CollectPositions(positions);
  }
  int64_t Estimate() const override { return required_->Estimate(); }
  Status status() const override {
    return required_->status().ok() ? excluded_->status() : required_->status();
  }

 private:
  std::unique_ptr<DocMatcher> required_;
  std::unique_ptr<DocMatcher> excluded_;
};

class PhraseMatcher : public DocMatcher {
 public:
  explicit PhraseMatcher(std::vector<std::vector<std::unique_ptr<TermMatcher>>> slots)
      : slots_(InPhraseOrder(slots)), all_(Flatten(std::move(slots))) {}

  // Positions are decoded only for documents that have every word and can still reach the
  // minimum score: the costly check comes last.
  void SkipTo(DocId target) override {
    for (all_.SkipTo(target); !all_.AtEnd(); all_.SkipTo(all_.doc() + 1)) {
      // Counting sets no minimum: it need not score.
      if ((min_score_ <= 0 || all_.Score() >= min_score_) && FindStarts()) return;
    }
  }
  bool AtEnd() const override { return all_.AtEnd(); }
  DocId doc() const override { return all_.doc(); }
  double Score() override { return all_.Score(); }
  double MaxScore() const override { return all_.MaxScore(); }
  void SetMinScore(double min_score) override {
    min_score_ = min_score;
    all_.SetMinScore(min_score);
  }
  void CollectPositions(std::vector<Position>& positions) override {
    for (const Position& start : starts_) {
      for (uint32_t i = 0; i < slots_.size(); ++i) {
        positions.push_back({start.page, start.word + i});
      }
    }
  }
  int64_t Estimate() const override { return all_.Estimate(); }
  Status status() const override { return all_.status(); }

 private:
  // The AND below reorders its children, so the slots keep their own pointers in phrase order.
  static std::vector<std::vector<DocMatcher*>> InPhraseOrder(
      const std::vector<std::vector<std::unique_ptr<TermMatcher>>>& slots) {
    std::vector<std::vector<DocMatcher*>> pointers(slots.size());
    for (size_t i = 0; i < slots.size(); ++i) {
      for (const auto& term : slots[i]) pointers[i].push_back(term.get());
    }
    return pointers;
  }
  static std::vector<std::unique_ptr<DocMatcher>> Flatten(
      std::vector<std::vector<std::unique_ptr<TermMatcher>>> slots) {
    std::vector<std::unique_ptr<DocMatcher>> terms;
    for (auto& slot : slots) {
      for (auto& term : slot) terms.push_back(std::move(term));
    }
    return terms;
  }

  // The positions of `matcher`'s words in the current document, in order, into `positions`.
  static void SortedPositions(DocMatcher& matcher, std::vector<Position>& positions) {
    positions.clear();
    matcher.CollectPositions(positions);
    // One form of a term gives its positions in order; only several forms need merging.
    if (!std::is_sorted(positions.begin(), positions.end())) {
      std::sort(positions.begin(), positions.end());
    }
  }

  // Positions where every term of the slot occurs, into `common`.
  void SlotPositions(const std::vector<DocMatcher*>& slot, std::vector<Position>& common) {
    SortedPositions(*slot[0], common);
    for (size_t i = 1; i < slot.size() && !common.empty(); ++i) {
      SortedPositions(*slot[i], term_);
      both_.clear();
      std::set_intersection(common.begin(), common.end(), term_.begin(), term_.end(),
                            std::back_inserter(both_));
      common.swap(both_);
    }
  }

  // Sets starts_ to where the phrase starts in the current document; false when nowhere.
  bool FindStarts() {
    SlotPositions(slots_[0], starts_);
    for (uint32_t i = 1; i < slots_.size() && !starts_.empty(); ++i) {
      SlotPositions(slots_[i], next_);
      std::erase_if(starts_, [&](const Position& s) {
        return !std::binary_search(next_.begin(), next_.end(), Position{s.page, s.word + i});
      });
    }
    return !starts_.empty();
  }

  std::vector<std::vector<DocMatcher*>> slots_;
  AndMatcher all_;
  double min_score_ = 0;
  // Where the phrase starts in the current document, and buffers reused from document to
  // document: the next slot's positions, a term's, and an intersection.
  std::vector<Position> starts_, next_, term_, both_;
};

class DocListMatcher : public DocMatcher {
 public:
  explicit DocListMatcher(std::vector<DocId> ids) : ids_(std::move(ids)) {}

  void SkipTo(DocId target) override {
    next_ = std::lower_bound(ids_.begin() + next_, ids_.end(), target) - ids_.begin();
  }
  bool AtEnd() const override { return next_ == ids_.size(); }
  DocId doc() const override { return ids_[next_]; }
  double Score() override { return 0; }
  double MaxScore() const override { return 0; }
  void CollectPositions(std::vector<Position>&) override {}
  int64_t Estimate() const override { return static_cast<int64_t>(ids_.size()); }
  Status status() const override { return Status::Ok(); }

 private:
  std::vector<DocId> ids_;
  size_t next_ = 0;
};

class AllDocumentsMatcher : public DocMatcher {
 public:
  AllDocumentsMatcher(std::unique_ptr<store::KvIterator> entries, int64_t documents)
      : entries_(std::move(entries)), documents_(documents) {}

  void SkipTo(DocId target) override {
    if (started_ && (AtEnd() || doc_ >= target)) return;
    started_ = true;
    entries_->Seek(DocMetaKey(target));
    if (!entries_->Valid() || !ParseDocMetaKey(entries_->key(), doc_)) doc_ = kNoDoc;
  }
  bool AtEnd() const override { return doc_ == kNoDoc; }
  DocId doc() const override { return doc_; }
  double Score() override { return 0; }
  double MaxScore() const override { return 0; }
  void CollectPositions(std::vector<Position>&) override {}
  int64_t Estimate() const override { return documents_; }
  Status status() const override { return entries_->status(); }

 private:
  std::unique_ptr<store::KvIterator> entries_;
  int64_t documents_;
  bool started_ = false;
  DocId doc_ = kNoDoc;
};

}  // namespace

TermMatcher::TermMatcher(std::vector<PostingCursor> cursors, Bm25Weight weight, int64_t estimate)
    : cursors_(std::move(cursors)), weight_(weight), estimate_(estimate) {}

void TermMatcher::SkipTo(DocId target) {
  for (;;) {
    Advance(target);
    at_end_ = heap_.empty();
    doc_ = at_end_ ? kNoDoc : cursors_[heap_.front()].doc();
    scored_ = false;
    if (at_end_ || MinScoreAt(doc_) <= 0) return;
    const DocId hopeless = HopelessThrough();
    if (hopeless != 0) {
      target = hopeless + 1;
      continue;
    }
    if (Score() >= MinScoreAt(doc_) || at_end_) return;
    target = doc_ + 1;
  }
}

void TermMatcher::Advance(DocId target) {
  const auto later = [this](size_t a, size_t b) { return cursors_[a].doc() > cursors_[b].doc(); };
  if (!started_) {
    started_ = true;
    for (size_t i = 0; i < cursors_.size(); ++i) {
      cursors_[i].SkipTo(target);
      if (!cursors_[i].AtEnd()) heap_.push_back(i);
    }
    std::make_heap(heap_.begin(), heap_.end(), later);
    return;
  }
  // The cursor at the top moves on and sinks to its place: one pass down the heap, where a pop
  // and a push took two (a fuzzy word's dozens of forms spent a third of its time here).
  while (!heap_.empty() && cursors_[heap_.front()].doc() < target) {
    PostingCursor& cursor = cursors_[heap_.front()];
    cursor.SkipTo(target);
    if (cursor.AtEnd()) {
      heap_.front() = heap_.back();
      heap_.pop_back();
    }
    if (!heap_.empty()) SinkTop();
  }
}

void TermMatcher::SinkTop() {
  const size_t top = heap_.front();
  const DocId doc = cursors_[top].doc();
  size_t node = 0;
  for (size_t child; (child = 2 * node + 1) < heap_.size(); node = child) {
    if (child + 1 < heap_.size() &&
        cursors_[heap_[child + 1]].doc() < cursors_[heap_[child]].doc()) {
      ++child;
    }
    if (cursors_[heap_[child]].doc() >= doc) break;
    heap_[node] = heap_[child];
  }
  heap_[node] = top;
}

template <typename Fn>
void TermMatcher::ForEachThrough(DocId through, Fn fn) {
  if (heap_.size() == 1) {  // most words: one form, or one left
    if (cursors_[heap_[0]].doc() <= through) fn(cursors_[heap_[0]]);
    return;
  }
  visit_.assign(1, 0);
  while (!visit_.empty()) {
    const size_t node = visit_.back();
    visit_.pop_back();
    if (node >= heap_.size() || cursors_[heap_[node]].doc() > through) continue;
    fn(cursors_[heap_[node]]);
    visit_.push_back(2 * node + 1);
    visit_.push_back(2 * node + 2);
  }
}

namespace {

// Most forms (of those in the stretch bounded) and pairs a combination of forms' block summaries
// takes; past them, HopelessThrough keeps to its coarser bounds: a prefix or fuzzy word has up to
// kMaxExpansions forms, and combining them cost more than it saved (bench_search's fuzzy words).
constexpr size_t kMaxCombinedForms = 4;
constexpr size_t kMaxCombinedPairs = 32;
// A stretch where only some forms occur is bounded on its own when it spans at least this
// share (one in kNearStretchShare) of the documents its blocks do.
constexpr DocId kNearStretchShare = 4;

// Folds one form's block pairs into `combined`, the pairs that bound the forms folded so far: a
// document holds this form at most as often as some pair's frequency, and is then at least as
// long as that pair's document, or it holds none of it (and this form bounds nothing). Keeps the
// pairs no other beats in both frequency and length; false when more than kMaxCombinedPairs.
bool CombinePairs(const std::vector<PostingBound>& form, std::vector<PostingBound>& combined,
                  std::vector<PostingBound>& scratch) {
  scratch.clear();
  for (const PostingBound& a : combined) {
    scratch.push_back(a);
    for (const PostingBound& b : form) {
      const uint64_t frequency = uint64_t{a.frequency} + b.frequency;
      scratch.push_back(
          PostingBound{std::max(a.doc_length, b.doc_length),
                       static_cast<uint32_t>(std::min<uint64_t>(frequency, UINT32_MAX))});
    }
  }
  // Highest frequency first, then shortest; a pair is kept when shorter than every one before.
  std::sort(scratch.begin(), scratch.end(), [](const PostingBound& x, const PostingBound& y) {
    return x.frequency != y.frequency ? x.frequency > y.frequency : x.doc_length < y.doc_length;
  });
  combined.clear();
  for (const PostingBound& pair : scratch) {
    if (combined.empty() || pair.doc_length < combined.back().doc_length) combined.push_back(pair);
  }
  return combined.size() <= kMaxCombinedPairs;
}

}  // namespace

// A document's frequency sums the cursors' (the term's forms), over the blocks that hold
// documents up to the first block's end (a cursor whose document lies past that end has no block
// to add, and no earlier end to offer). Three bounds hold, and the lowest is kept: BM25 is
// concave in the frequency and 0 at 0, so the score of a sum is at most the sum of the blocks'
// best scores; it rises with the frequency and falls with the length, so a score is at most that
// of the blocks' highest frequencies summed in their shortest document; and, tighter still, at
// most the best of the blocks' summary pairs combined (CombinePairs), which keep that the
// documents with many occurrences are the long ones. Forms matter: every word is also indexed by
// its stem, so a plain word has two.
DocId TermMatcher::HopelessThrough() {
  const bool alone = doc_ < alone_until_;
  const double needed = alone ? alone_min_ : min_score_;
  if (doc_ <= hopeful_through_ && needed <= hopeful_bound_) return 0;
  DocId last = cursors_[heap_.front()].BlockLast();
  ForEachThrough(last, [&](PostingCursor& cursor) { last = std::min(last, cursor.BlockLast()); });
  // A form whose next posting lies past doc_ adds nothing before it, and a rare form's block
  // spans many of a frequent form's: counted everywhere, it kept a fuzzy word's frequent form
  // from skipping any block (bench_search at 1M: "timihxi~" scored 840,000 documents). So the
  // stretch up to the next such posting is bounded by the forms at doc_ alone, when it is long
  // enough to be worth a check of its own: forms interleaved closely keep the whole stretch.
  DocId near = last;
  ForEachThrough(last, [&](PostingCursor& cursor) {
    if (cursor.doc() > doc_) near = std::min(near, cursor.doc() - 1);
  });
  if ((near - doc_) * kNearStretchShare >= last - doc_) last = near;
  double scores = 0;
  uint64_t frequency = 0;
  uint32_t shortest = UINT32_MAX;
  size_t forms = 0;
  ForEachThrough(last, [&](PostingCursor& cursor) {
    ++forms;
    const PostingCursor::BlockBound& block = cursor.CurrentBlockBound(weight_);
    scores += block.score;
    frequency += block.max_frequency;
    shortest = std::min(shortest, block.min_doc_length);
  });
  double bound = std::min(
      scores,
      weight_.Score(static_cast<uint32_t>(std::min<uint64_t>(frequency, UINT32_MAX)), shortest));
  // The combined pairs cost most, and bound one form as its block's score does: they are
  // combined only for a few forms the bounds above leave hopeful.
  if (bound >= needed && forms > 1 && forms <= kMaxCombinedForms) {
    combined_.assign(1, PostingBound{0, 0});
    bool combinable = true;
    ForEachThrough(last, [&](PostingCursor& cursor) {
      if (combinable) combinable = CombinePairs(cursor.CurrentBlockPairs(), combined_, combining_);
    });
    if (combinable) {
      double best = 0;
      for (const PostingBound& pair : combined_) {
        best = std::max(best, weight_.Score(pair.frequency, pair.doc_length));
      }
      bound = std::min(bound, best);
    }
  }
  if (bound < min_score_) return last;
  // Before alone_until_ the higher minimum holds.
  if (alone && bound < alone_min_) return std::min(last, alone_until_ - 1);
  hopeful_through_ = last;
  hopeful_bound_ = bound;
  return 0;
}

const PostingCursor::BlockBound& PostingCursor::CurrentBlockBound(const Bm25Weight& weight) {
  if (bound_last_ == it_->BlockLast()) return bound_;
  bound_last_ = it_->BlockLast();
  // A block without a summary, or a damaged one, bounds nothing: it is read, and reading it
  // reports the damage.
  if (!DecodePostingSummary(it_->BlockSummary(), summary_)) {
    bound_ = BlockBound{weight.MaxScore(), UINT32_MAX, 0};
    summary_.assign(1, PostingBound{0, UINT32_MAX});
    return bound_;
  }
  // The summary's pairs go from the highest frequency to the shortest document.
  bound_ = BlockBound{0, summary_.front().frequency, summary_.back().doc_length};
  for (const PostingBound& b : summary_) {
    bound_.score = std::max(bound_.score, weight.Score(b.frequency, b.doc_length));
  }
  return bound_;
}

// Every document's score is at most the bound: if that is too low, none can qualify.
void TermMatcher::SetMinScores(double min_score, DocId alone_until, double alone_min) {
  min_score_ = min_score;
  alone_until_ = alone_until;
  alone_min_ = alone_min;
  if (weight_.MaxScore() < min_score) at_end_ = true;
}

void TermMatcher::Fail(const Status& status) {
  error_ = status;
  at_end_ = true;
}

double TermMatcher::Score() {
  if (!scored_) {
    score_ = ComputeScore();
    scored_ = true;
  }
  return score_;
}

double TermMatcher::ComputeScore() {
  uint32_t frequency = 0;
  uint32_t doc_length = 0;
  bool damaged = false;
  ForEachThrough(doc_, [&](const PostingCursor& cursor) {
    uint32_t form_frequency = 0;
    damaged |= !cursor.ReadCounts(doc_length, form_frequency);
    frequency += form_frequency;
  });
  if (damaged) {
    Fail(Status::Corruption("posting value is truncated"));
    return 0;
  }
  return weight_.Score(frequency, doc_length);
}

void TermMatcher::CollectPositions(std::vector<Position>& positions) {
  bool damaged = false;
  ForEachThrough(doc_,
                 [&](const PostingCursor& cursor) { damaged |= !cursor.ReadPositions(positions); });
  if (damaged) Fail(Status::Corruption("posting positions are truncated"));
}

Status TermMatcher::status() const {
  if (!error_.ok()) return error_;
  for (const PostingCursor& cursor : cursors_) {
    if (!cursor.status().ok()) return cursor.status();
  }
  return Status::Ok();
}

std::unique_ptr<DocMatcher> MakeAnd(std::vector<std::unique_ptr<DocMatcher>> children) {
  if (children.size() == 1) return std::move(children.front());
  return std::make_unique<AndMatcher>(std::move(children));
}

std::unique_ptr<DocMatcher> MakeOr(std::vector<std::unique_ptr<DocMatcher>> children) {
  if (children.size() == 1) return std::move(children.front());
  return std::make_unique<OrMatcher>(std::move(children));
}

std::unique_ptr<DocMatcher> MakeAndNot(std::unique_ptr<DocMatcher> required,
                                       std::unique_ptr<DocMatcher> excluded) {
  return std::make_unique<AndNotMatcher>(std::move(required), std::move(excluded));
}

std::unique_ptr<DocMatcher> MakePhrase(
    std::vector<std::vector<std::unique_ptr<TermMatcher>>> slots) {
  return std::make_unique<PhraseMatcher>(std::move(slots));
}

std::unique_ptr<DocMatcher> MakeDocList(std::vector<DocId> sorted_ids) {
  return std::make_unique<DocListMatcher>(std::move(sorted_ids));
}

std::unique_ptr<DocMatcher> MakeAllDocuments(std::unique_ptr<store::KvIterator> doc_entries,
                                             int64_t documents) {
  return std::make_unique<AllDocumentsMatcher>(std::move(doc_entries), documents);
}

}  // namespace quire::index
