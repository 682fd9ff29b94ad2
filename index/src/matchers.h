// Document matchers: streams of matching documents in increasing id order, each scoring the
// current document (Xapian's postlist tree). Leaves read postings; inner nodes intersect (AND),
// unite (OR), exclude (AND NOT) and check word positions (phrases).
//
// A matcher starts before its first document: call SkipTo(0). Errors (a failing iterator, a
// corrupt posting) end the stream and are reported by status().
//
// Top-k search raises a minimum score as its k-th best score rises; matchers use their
// children's upper bounds to skip documents that cannot reach it (the MaxScore algorithm of
// Turtle & Flood, 1995, as in Xapian's matcher).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bm25.h"
#include "postings.h"
#include "quire/store/archive.h"

namespace quire::index {

class DocMatcher {
 public:
  virtual ~DocMatcher() = default;
  // Moves to the first matching document >= target; never moves back.
  virtual void SkipTo(DocId target) = 0;
  virtual bool AtEnd() const = 0;
  // REQUIRES: !AtEnd()
  virtual DocId doc() const = 0;
  // The current document's score. REQUIRES: !AtEnd()
  virtual double Score() = 0;
  // No document scores more than this.
  virtual double MaxScore() const = 0;
  // From now on, documents scoring below `min_score` may be left out. Default: none are.
  virtual void SetMinScore(double /*min_score*/) {}
  // As SetMinScore, for a matcher that others add to: documents before `alone_until`, where
  // none of the others can add, may be left out below the higher `alone_min`. Default: only
  // `min_score` is used.
  virtual void SetMinScores(double min_score, DocId /*alone_until*/, double /*alone_min*/) {
    SetMinScore(min_score);
  }
  // Appends the positions of the words matched in the current document. REQUIRES: !AtEnd()
  virtual void CollectPositions(std::vector<Position>& positions) = 0;
  // How many documents it matches at most; intersections lead with the rarest.
  virtual int64_t Estimate() const = 0;
  virtual Status status() const = 0;
};

// One term's postings, read through the archive's list iterator.
class PostingCursor {
 public:
  explicit PostingCursor(std::unique_ptr<store::ListIterator> it) : it_(std::move(it)) {}

  // Moves to the first posting >= target; never moves back.
  void SkipTo(DocId target) {
    if (started_ && (at_end_ || doc_ >= target)) return;
    started_ = true;
    it_->Seek(target);
    at_end_ = !it_->Valid();
    if (!at_end_) doc_ = it_->id();
  }
  bool AtEnd() const { return at_end_; }
  // Kept here, not asked of the iterator: a term's heap compares documents at every step.
  DocId doc() const { return doc_; }
  // The current posting's length and frequency; false when it is damaged. REQUIRES: !AtEnd()
  bool ReadCounts(uint32_t& doc_length, uint32_t& frequency) const {
    return DecodePostingCounts(it_->entry(), doc_length, frequency);
  }
  // Appends the current posting's positions; false when it is damaged. REQUIRES: !AtEnd()
  bool ReadPositions(std::vector<Position>& positions) const {
    return AppendPositions(it_->entry(), positions);
  }
  Status status() const { return it_->status(); }

  // The last document of the current block. REQUIRES: !AtEnd()
  DocId BlockLast() const { return it_->BlockLast(); }
  // What the current block's summary says of its postings, for block-max pruning (Ding & Suel,
  // 2011); read once per block. A block without a summary bounds nothing.
  struct BlockBound {
    double score;             // the best score `weight` gives one of them
    uint32_t max_frequency;   // the highest frequency among them
    uint32_t min_doc_length;  // the shortest document among them
  };
  // REQUIRES: !AtEnd()
  const BlockBound& CurrentBlockBound(const Bm25Weight& weight);
  // The current block's summary pairs (see SummarizePostings), after CurrentBlockBound: for a
  // block without a summary, one pair of any frequency in a document of length 0.
  const std::vector<PostingBound>& CurrentBlockPairs() const { return summary_; }

 private:
  std::unique_ptr<store::ListIterator> it_;
  bool started_ = false;
  bool at_end_ = false;
  DocId doc_ = 0;
  DocId bound_last_ = 0;  // the block bound_ is of
  BlockBound bound_{};
  std::vector<PostingBound> summary_;  // its summary, kept to reuse the memory
};

// Documents holding any of several terms, scored as one term: a word with its stem, a prefix or a
// fuzzy word's expansions (Xapian's OP_SYNONYM). Scores 0 with a default-constructed weight.
//
// The cursors are kept in a heap on their documents, so that moving on costs the log of the number
// of forms, and a document's score reads only the forms at it: a prefix or fuzzy word has many.
// Once a minimum score is set, it skips whole blocks whose best postings cannot reach it, and
// then single documents that do not: a document's score is computed once, where it is found.
class TermMatcher : public DocMatcher {
 public:
  TermMatcher(std::vector<PostingCursor> cursors, Bm25Weight weight, int64_t estimate);

  void SkipTo(DocId target) override;
  bool AtEnd() const override { return at_end_; }
  DocId doc() const override { return doc_; }
  double Score() override;
  double MaxScore() const override { return weight_.MaxScore(); }
  void SetMinScore(double min_score) override { SetMinScores(min_score, 0, min_score); }
  void SetMinScores(double min_score, DocId alone_until, double alone_min) override;
  void CollectPositions(std::vector<Position>& positions) override;
  int64_t Estimate() const override { return estimate_; }
  Status status() const override;

 private:
  // Moves every cursor before `target` to it.
  void Advance(DocId target);
  // Moves the cursor at the top of heap_, which may have moved on, down to its place.
  void SinkTop();
  // Calls fn(cursor) for each cursor whose document is <= `through` (a heap's subtree whose root
  // is past it holds none).
  template <typename Fn>
  void ForEachThrough(DocId through, Fn fn);
  // The last document up to which the cursors' current blocks cannot reach MinScoreAt, or 0
  // when they can.
  DocId HopelessThrough();
  // The minimum score `doc` needs (SetMinScores).
  double MinScoreAt(DocId doc) const { return doc < alone_until_ ? alone_min_ : min_score_; }
  double ComputeScore();
  void Fail(const Status& status);

  std::vector<PostingCursor> cursors_;
  bool started_ = false;
  std::vector<size_t> heap_;   // cursors_ not at their end: a min-heap on their documents
  std::vector<size_t> visit_;  // ForEachThrough's stack, kept to reuse its memory
  // HopelessThrough's (frequency, length) pairs of the forms combined, kept likewise.
  std::vector<PostingBound> combined_, combining_;
  // The blocks through this document were found able to reach this score: until the term moves
  // past it or the minimum rises above it, they need no new check.
  DocId hopeful_through_ = 0;
  double hopeful_bound_ = 0;
  Bm25Weight weight_;
  int64_t estimate_;
  double min_score_ = 0;
  DocId alone_until_ = 0;
  double alone_min_ = 0;
  bool at_end_ = false;
  DocId doc_ = 0;
  bool scored_ = false;  // score_ is doc_'s
  double score_ = 0;
  Status error_;
};

std::unique_ptr<DocMatcher> MakeAnd(std::vector<std::unique_ptr<DocMatcher>> children);
std::unique_ptr<DocMatcher> MakeOr(std::vector<std::unique_ptr<DocMatcher>> children);
std::unique_ptr<DocMatcher> MakeAndNot(std::unique_ptr<DocMatcher> required,
                                       std::unique_ptr<DocMatcher> excluded);
// Documents where the terms of each slot sit at one word, and slot i + 1 at the word after slot
// i. A slot of several terms is a code typed whole ("inv-2024" -> "inv", "2024" at one word).
// REQUIRES: at least one slot, none empty.
std::unique_ptr<DocMatcher> MakePhrase(
    std::vector<std::vector<std::unique_ptr<TermMatcher>>> slots);
// A fixed list of documents (a range filter's matches), scoring 0.
std::unique_ptr<DocMatcher> MakeDocList(std::vector<DocId> sorted_ids);
// Every indexed document, as its entries in kDocTerms list them (`doc_entries`, an iterator over
// that column), scoring 0: what a NOT excludes from when nothing else is required.
std::unique_ptr<DocMatcher> MakeAllDocuments(std::unique_ptr<store::KvIterator> doc_entries,
                                             int64_t documents);

}  // namespace quire::index
