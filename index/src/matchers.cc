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
class OrMatcher : public DocMatcher {
 public:
  explicit OrMatcher(std::vector<std::unique_ptr<DocMatcher>> children)
      : children_(std::move(children)) {
    std::sort(children_.begin(), children_.end(),
              [](const auto& a, const auto& b) { return a->MaxScore() < b->MaxScore(); });
  }

  void SkipTo(DocId target) override {
    doc_ = kNoDoc;
    for (size_t i = optional_; i < children_.size(); ++i) {
      children_[i]->SkipTo(target);
      if (!children_[i]->AtEnd()) doc_ = std::min(doc_, children_[i]->doc());
    }
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
    double optional_bound = 0;
    for (optional_ = 0; optional_ < children_.size(); ++optional_) {
      optional_bound += children_[optional_]->MaxScore();
      if (optional_bound >= min_score) break;
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

  std::vector<std::unique_ptr<DocMatcher>> children_;
  size_t optional_ = 0;
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

  void SkipTo(DocId target) override {
    for (all_.SkipTo(target); !all_.AtEnd(); all_.SkipTo(all_.doc() + 1)) {
      if (!Starts().empty()) return;
    }
  }
  bool AtEnd() const override { return all_.AtEnd(); }
  DocId doc() const override { return all_.doc(); }
  double Score() override { return all_.Score(); }
  double MaxScore() const override { return all_.MaxScore(); }
  void SetMinScore(double min_score) override { all_.SetMinScore(min_score); }
  void CollectPositions(std::vector<Position>& positions) override {
    for (const Position& start : Starts()) {
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

  // Positions where every term of the slot occurs.
  static std::vector<Position> SlotPositions(const std::vector<DocMatcher*>& slot) {
    std::vector<Position> common;
    for (size_t i = 0; i < slot.size(); ++i) {
      std::vector<Position> positions;
      slot[i]->CollectPositions(positions);
      // One form of a term gives its positions in order; only several forms need merging.
      if (!std::is_sorted(positions.begin(), positions.end())) {
        std::sort(positions.begin(), positions.end());
      }
      if (i == 0) {
        common = std::move(positions);
        continue;
      }
      std::vector<Position> both;
      std::set_intersection(common.begin(), common.end(), positions.begin(), positions.end(),
                            std::back_inserter(both));
      common = std::move(both);
    }
    return common;
  }

  // Where the phrase starts in the current document.
  std::vector<Position> Starts() const {
    std::vector<Position> starts = SlotPositions(slots_[0]);
    for (uint32_t i = 1; i < slots_.size() && !starts.empty(); ++i) {
      const std::vector<Position> next = SlotPositions(slots_[i]);
      std::erase_if(starts, [&](const Position& s) {
        return !std::binary_search(next.begin(), next.end(), Position{s.page, s.word + i});
      });
    }
    return starts;
  }

  std::vector<std::vector<DocMatcher*>> slots_;
  AndMatcher all_;
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

}  // namespace

TermMatcher::TermMatcher(std::vector<PostingCursor> cursors, Bm25Weight weight, int64_t estimate)
    : cursors_(std::move(cursors)), weight_(weight), estimate_(estimate) {}

void TermMatcher::SkipTo(DocId target) {
  for (;;) {
    for (PostingCursor& cursor : cursors_) cursor.SkipTo(target);
    Settle();
    if (at_end_ || min_score_ <= 0) return;
    const DocId hopeless = HopelessThrough();
    if (hopeless == 0) return;
    target = hopeless + 1;
  }
}

// A document's frequency sums the cursors' (the term's forms), so the bound sums their blocks'.
DocId TermMatcher::HopelessThrough() {
  PostingCursor::BlockBound all{kNoDoc, 0, UINT32_MAX};
  for (PostingCursor& cursor : cursors_) {
    if (cursor.AtEnd()) continue;
    const PostingCursor::BlockBound block = cursor.Bound();
    all.last = std::min(all.last, block.last);
    all.frequency += block.frequency;
    all.doc_length = std::min(all.doc_length, block.doc_length);
  }
  return weight_.Score(all.frequency, all.doc_length) < min_score_ ? all.last : 0;
}

PostingCursor::BlockBound PostingCursor::Bound() {
  if (bound_.last == it_->BlockLast()) return bound_;
  bound_ = BlockBound{it_->BlockLast(), 0, UINT32_MAX};
  it_->ForEachInBlock([this](std::string_view entry) {
    // A damaged posting bounds nothing: keep the block, and let reading it report the damage.
    Result<Posting> posting = DecodePosting(entry, /*positions=*/false);
    const Posting best = posting.ok() ? *posting : Posting{0, UINT32_MAX / 2, {}};
    bound_.frequency = std::max(bound_.frequency, best.frequency);
    bound_.doc_length = std::min(bound_.doc_length, best.doc_length);
  });
  return bound_;
}

void TermMatcher::Settle() {
  doc_ = kNoDoc;
  for (const PostingCursor& cursor : cursors_) {
    if (!cursor.AtEnd()) doc_ = std::min(doc_, cursor.doc());
  }
  at_end_ = doc_ == kNoDoc;
}

// Every document's score is at most the bound: if that is too low, none can qualify.
void TermMatcher::SetMinScore(double min_score) {
  min_score_ = min_score;
  if (weight_.MaxScore() < min_score) at_end_ = true;
}

void TermMatcher::Fail(const Status& status) {
  error_ = status;
  at_end_ = true;
}

double TermMatcher::Score() {
  uint32_t frequency = 0;
  uint32_t doc_length = 0;
  for (const PostingCursor& cursor : cursors_) {
    if (cursor.AtEnd() || cursor.doc() != doc_) continue;
    Result<Posting> posting = cursor.Read(/*positions=*/false);
    if (!posting.ok()) {
      Fail(posting.status());
      return 0;
    }
    frequency += posting->frequency;
    doc_length = posting->doc_length;
  }
  return weight_.Score(frequency, doc_length);
}

void TermMatcher::CollectPositions(std::vector<Position>& positions) {
  for (const PostingCursor& cursor : cursors_) {
    if (cursor.AtEnd() || cursor.doc() != doc_) continue;
    Result<Posting> posting = cursor.Read(/*positions=*/true);
    if (!posting.ok()) {
      Fail(posting.status());
      return;
    }
    positions.insert(positions.end(), posting->positions.begin(), posting->positions.end());
  }
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

}  // namespace quire::index
