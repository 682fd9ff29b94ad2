#include <algorithm>
#include <map>
#include <optional>
#include <queue>

#include "document_words.h"
#include "planner.h"
#include "query_parser.h"
#include "quire/index/index.h"
#include "snippet.h"
#include "verify.h"

namespace quire::index {
namespace {

struct Ranked {
  DocId id = 0;
  double score = 0;
};

// Better first: higher score, then the newer document (higher id).
bool Better(const Ranked& a, const Ranked& b) {
  return a.score != b.score ? a.score > b.score : a.id > b.id;
}

// The best `limit` documents seen so far.
class TopScores {
 public:
  explicit TopScores(size_t limit) : limit_(limit), best_(&Better) {}

  void Add(const Ranked& candidate) {
    if (best_.size() < limit_) {
      best_.push(candidate);
    } else if (Better(candidate, best_.top())) {
      best_.pop();
      best_.push(candidate);
    }
  }
  // The score a later document needs, once there are `limit` (ties go to the newer document):
  // the margin keeps floating-point rounding in summed bounds from skipping such a tie.
  std::optional<double> MinScore() const {
    if (best_.size() < limit_) return std::nullopt;
    return best_.top().score * (1 - 1e-9);
  }
  std::vector<Ranked> Take() {
    std::vector<Ranked> ranked;
    for (; !best_.empty(); best_.pop()) ranked.push_back(best_.top());
    std::reverse(ranked.begin(), ranked.end());
    return ranked;
  }

 private:
  size_t limit_;
  // A heap whose top is the worst of the best so far.
  std::priority_queue<Ranked, std::vector<Ranked>, decltype(&Better)> best_;
};

// Documents' index entries, read through one iterator: a search reads those of its matches, in
// id order.
class DocEntries {
 public:
  explicit DocEntries(store::Archive& archive)
      : it_(archive.NewIndexIterator(store::IndexColumn::kDocTerms)) {}

  Result<DocMeta> Read(DocId id) {
    const std::string key = DocMetaKey(id);
    // Matches are often neighbours: a few steps cost less than a seek.
    constexpr int kSteps = 4;
    for (int i = 0; i < kSteps && it_->Valid() && it_->key() < key; ++i) it_->Next();
    if (!it_->Valid() || it_->key() != key) it_->Seek(key);
    QUIRE_RETURN_IF_ERROR(it_->status());
    if (!it_->Valid() || it_->key() != key) {
      return Status::Corruption("document " + std::to_string(id) +
                                " has postings but no index entry: run quire verify");
    }
    return DecodeDocMeta(it_->value());
  }

 private:
  std::unique_ptr<store::KvIterator> it_;
};

// Every match, ordered by document date (the "date" filter's value); undated documents last.
Result<std::vector<Ranked>> TopByDate(store::Archive& archive, DocMatcher& root, SortOrder order,
                                      size_t limit) {
  struct Dated {
    Ranked ranked;
    std::string date;
  };
  std::vector<Dated> matches;
  DocEntries entries(archive);
  for (root.SkipTo(0); !root.AtEnd(); root.SkipTo(root.doc() + 1)) {
    QUIRE_ASSIGN_OR_RETURN(DocMeta meta, entries.Read(root.doc()));
    const auto date = meta.ranges.find("date");
    matches.push_back({{root.doc(), root.Score()}, date == meta.ranges.end() ? "" : date->second});
  }
  QUIRE_RETURN_IF_ERROR(root.status());
  const bool newest = order == SortOrder::kDateNewest;
  std::sort(matches.begin(), matches.end(), [newest](const Dated& a, const Dated& b) {
    if (a.date.empty() != b.date.empty()) return b.date.empty();
    if (a.date != b.date) return newest ? a.date > b.date : a.date < b.date;
    return newest ? a.ranked.id > b.ranked.id : a.ranked.id < b.ranked.id;
  });
  std::vector<Ranked> ranked;
  for (size_t i = 0; i < matches.size() && i < limit; ++i) ranked.push_back(matches[i].ranked);
  return ranked;
}

// The positions of the matched words of each document in `ids`.
Result<std::map<DocId, std::vector<Position>>> MatchedPositions(DocMatcher& root,
                                                                std::vector<DocId> ids) {
  std::sort(ids.begin(), ids.end());
  std::map<DocId, std::vector<Position>> matched;
  for (DocId id : ids) {
    root.SkipTo(id);
    if (root.AtEnd()) break;
    if (root.doc() != id) continue;
    std::vector<Position>& positions = matched[id];
    root.CollectPositions(positions);
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  }
  QUIRE_RETURN_IF_ERROR(root.status());
  return matched;
}

Result<SearchHit> MakeHit(store::Archive& archive, DocEntries& entries, const Ranked& ranked,
                          const std::vector<Position>& positions) {
  QUIRE_ASSIGN_OR_RETURN(DocMeta meta, entries.Read(ranked.id));
  Result<store::DocumentContent> record = archive.GetContent(ranked.id);
  if (!record.ok()) {
    return record.status().WithContext("document " + std::to_string(ranked.id) +
                                       " is in the index (run quire verify)");
  }
  SearchHit hit;
  hit.id = ranked.id;
  hit.score = ranked.score;
  hit.type = meta.type;
  hit.title = meta.title;
  const auto field = [&](const char* name) {
    const auto it = record->extraction.fields.find(name);
    return it == record->extraction.fields.end() ? std::string() : it->second.value;
  };
  hit.vendor = field(field_name::kVendorName);
  hit.date = field(field_name::kInvoiceDate);
  hit.total = field(field_name::kTotal);
  hit.currency = field(field_name::kCurrency);
  hit.snippet = MakeSnippet(record->pages, positions);
  for (const Position& position : positions) {
    std::optional<HitBox> box = BoxAt(record->pages, record->extraction, position);
    const auto same = [&](const HitBox& h) { return h.page == box->page && h.box == box->box; };
    if (box && std::none_of(hit.hits.begin(), hit.hits.end(), same)) hit.hits.push_back(*box);
  }
  return hit;
}

// How many documents match, up to a count limit, and the facets of the first kFacetedMatches.
struct Census {
  int64_t total = 0;
  bool exact = true;
  std::map<std::string, std::map<std::string, int64_t>> facets = {
      {"type", {}}, {"vendor", {}}, {"year", {}}, {"tag", {}}, {"review", {}}};

  void Count(const DocMeta& meta) {
    ++facets["type"][meta.type];
    if (!meta.vendor.empty()) ++facets["vendor"][meta.vendor];
    const auto date = meta.ranges.find("date");
    if (date != meta.ranges.end()) ++facets["year"][date->second.substr(0, 4)];
    for (const std::string& tag : meta.tags) ++facets["tag"][tag];
    if (meta.needs_review) ++facets["review"][std::string(ReviewValue(*meta.needs_review))];
  }
};

// Counts the matches of `root` up to `count_limit` and, with `top`, ranks them by score in the
// same pass: the count visits every match up to its limit, so scoring them on the way costs less
// than a second pass, and past the count the minimum score lets the matchers skip what cannot
// rank.
Result<Census> CountMatches(store::Archive& archive, DocMatcher& root, int64_t count_limit,
                            TopScores* top) {
  Census census;
  DocEntries entries(archive);
  for (root.SkipTo(0); !root.AtEnd(); root.SkipTo(root.doc() + 1)) {
    if (top != nullptr) {
      top->Add({root.doc(), root.Score()});
      if (!census.exact) {
        if (const std::optional<double> min_score = top->MinScore()) root.SetMinScore(*min_score);
        continue;
      }
    }
    if (census.total == count_limit) {
      census.exact = false;
      if (top == nullptr) break;
      continue;
    }
    ++census.total;
    if (census.total > kFacetedMatches) continue;
    QUIRE_ASSIGN_OR_RETURN(DocMeta meta, entries.Read(root.doc()));
    census.Count(meta);
  }
  QUIRE_RETURN_IF_ERROR(root.status());
  return census;
}

// The results for `query`: its count and facets, and its hits from options.offset on, in
// `order`.
Result<SearchResults> ResultsFor(store::Archive& archive, QueryPlanner& planner, const Query& query,
                                 SortOrder order, const SearchOptions& options) {
  // Matchers only move forward: counting (with ranking by relevance), ranking by date and the
  // hits' positions each plan anew.
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<DocMatcher> root, planner.Plan(query));
  // Filters and exclusions alone score every document 0: relevance orders nothing there.
  if (order == SortOrder::kRelevance && root->MaxScore() == 0) order = SortOrder::kDateNewest;
  const size_t wanted = static_cast<size_t>(options.offset) + static_cast<size_t>(options.limit);
  std::optional<TopScores> top;
  if (order == SortOrder::kRelevance && options.limit > 0) top.emplace(wanted);
  QUIRE_ASSIGN_OR_RETURN(Census census,
                         CountMatches(archive, *root, options.count_limit, top ? &*top : nullptr));
  SearchResults results;
  results.total = census.total;
  results.total_exact = census.exact;
  results.facets = std::move(census.facets);
  if (results.total == 0 || options.limit == 0) return results;

  Result<std::vector<Ranked>> ranked = std::vector<Ranked>();
  if (top) {
    ranked = top->Take();
  } else {
    QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<DocMatcher> by_date, planner.Plan(query));
    ranked = TopByDate(archive, *by_date, order, wanted);
  }
  if (!ranked.ok()) return ranked.status();
  ranked->erase(ranked->begin(),
                ranked->begin() + std::min(ranked->size(), static_cast<size_t>(options.offset)));

  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<DocMatcher> again, planner.Plan(query));
  std::vector<DocId> ids;
  for (const Ranked& r : *ranked) ids.push_back(r.id);
  Result<std::map<DocId, std::vector<Position>>> positions = MatchedPositions(*again, ids);
  if (!positions.ok()) return positions.status();

  DocEntries entries(archive);
  for (const Ranked& r : *ranked) {
    QUIRE_ASSIGN_OR_RETURN(SearchHit hit, MakeHit(archive, entries, r, (*positions)[r.id]));
    results.hits.push_back(std::move(hit));
  }
  // Past the count, the page itself shows at least how many match.
  if (!results.total_exact) {
    results.total =
        std::max(results.total, static_cast<int64_t>(options.offset + results.hits.size()));
  }
  return results;
}

}  // namespace

struct Searcher::Impl {
  store::Archive& archive;
  IndexOptions options;
};

Searcher::Searcher(store::Archive& archive, const IndexOptions& options)
    : impl_(std::make_unique<Impl>(Impl{archive, options})) {}

Searcher::~Searcher() = default;

Result<SearchResults> Searcher::Search(const std::string& text, const SearchOptions& options) {
  if (options.limit < 0) return Status::InvalidArgument("the result limit cannot be negative");
  if (options.offset < 0) return Status::InvalidArgument("the result offset cannot be negative");
  if (options.count_limit < 1) return Status::InvalidArgument("the count limit must be at least 1");
  QUIRE_RETURN_IF_ERROR(impl_->archive.FlushIndex());  // so every committed document is found
  QUIRE_ASSIGN_OR_RETURN(Query query, ParseQuery(text));
  QUIRE_ASSIGN_OR_RETURN(Tokenizer tokenizer, Tokenizer::Create(impl_->options.language));
  QUIRE_ASSIGN_OR_RETURN(CorpusStats corpus, ReadCorpusStats(impl_->archive));
  QueryPlanner planner(impl_->archive, tokenizer, corpus);

  const SortOrder order = query.sort.value_or(options.sort);
  Result<SearchResults> results = ResultsFor(impl_->archive, planner, query, order, options);
  if (!results.ok() || results->total > 0) return results;
  const std::optional<Query> relaxed = RelaxedQuery(query);
  if (!relaxed) return results;
  results = ResultsFor(impl_->archive, planner, *relaxed, order, options);
  if (results.ok()) {
    results->all_words = false;
    for (SearchHit& hit : results->hits) hit.all_words = false;
  }
  return results;
}

Status Searcher::Verify(std::vector<std::string>& problems) {
  QUIRE_RETURN_IF_ERROR(impl_->archive.FlushIndex());
  return VerifyIndex(impl_->archive, impl_->options, problems);
}

}  // namespace quire::index
