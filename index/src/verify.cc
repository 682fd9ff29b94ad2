#include "verify.h"

#include <map>
#include <set>
#include <unordered_map>

#include "inverter.h"
#include "postings.h"

namespace quire::index {
namespace {

using store::IndexColumn;

std::string Doc(DocId id) { return "document " + std::to_string(id); }
std::string Quoted(std::string_view term) {
  std::string quoted = "'";
  quoted.append(term);
  quoted.push_back('\'');
  return quoted;
}

// Calls fn(key, value) for every key of `column` starting with `prefix`.
template <typename Fn>
Status ForEachKey(store::Archive& archive, IndexColumn column, std::string_view prefix, Fn fn) {
  std::unique_ptr<store::KvIterator> it = archive.NewIndexIterator(column);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    fn(it->key(), it->value());
  }
  return it->status();
}

class IndexVerifier {
 public:
  IndexVerifier(store::Archive& archive, const IndexOptions& options,
                std::vector<std::string>& problems)
      : archive_(archive), options_(options), problems_(problems) {}

  Status Run() {
    QUIRE_RETURN_IF_ERROR(ReadDocuments());
    QUIRE_RETURN_IF_ERROR(ReadPostings());
    QUIRE_RETURN_IF_ERROR(CheckTerms());
    return CheckTotals();
  }

 private:
  // The archive's documents against the index's document entries, and the documents' terms.
  Status ReadDocuments() {
    QUIRE_ASSIGN_OR_RETURN(std::vector<store::DocumentSummary> stored, archive_.List());
    std::set<DocId> in_archive;
    for (const store::DocumentSummary& summary : stored) in_archive.insert(summary.id);
    QUIRE_RETURN_IF_ERROR(ForEachKey(
        archive_, IndexColumn::kDocTerms, kDocMetaKeys, [&](std::string_view key, auto value) {
          DocId id;
          if (!ParseDocMetaKey(key, id)) return;
          Result<DocMeta> meta = DecodeDocMeta(value);
          if (!meta.ok()) {
            problems_.push_back(Doc(id) + ": index entry is damaged: " + meta.status().message());
          }
          indexed_[id] = meta.ok() ? meta->length : 0;
          if (!in_archive.contains(id)) {
            problems_.push_back(Doc(id) + " is in the index but not in the archive");
          }
        }));
    for (DocId id : in_archive) {
      if (!indexed_.contains(id)) problems_.push_back(Doc(id) + " is not indexed");
    }
    return ForEachDocTerms([&](DocId, const std::string& term) { ++listed_[term]; });
  }

  // Calls fn(document, term) for each term of each indexed document, derived from the stored
  // document as un-indexing derives them.
  template <typename Fn>
  Status ForEachDocTerms(Fn fn) {
    for (const auto& [id, length] : indexed_) {
      Result<store::DocumentRecord> stored = archive_.Get(id);
      if (stored.status().code() == Status::Code::kNotFound) continue;  // reported above
      if (!stored.ok()) return stored.status();
      QUIRE_ASSIGN_OR_RETURN(std::vector<std::string> terms,
                             DocumentTerms(store::IndexedForm(std::move(*stored)), options_));
      for (const std::string& term : terms) fn(id, term);
    }
    return Status::Ok();
  }

  Status ReadPostings() {
    std::unique_ptr<store::KvIterator> it = archive_.NewIndexIterator(IndexColumn::kPostings);
    for (it->Seek(kPostingKeys); it->Valid() && it->key().starts_with(kPostingKeys);) {
      std::string_view term;
      if (!ParsePostingBlockKey(it->key(), term)) {
        problems_.push_back("malformed posting key of " + std::to_string(it->key().size()) +
                            " bytes");
        it->Next();
        continue;
      }
      const std::string list = PostingList(term);
      QUIRE_RETURN_IF_ERROR(ReadPostingList(std::string(term)));
      // Past this list's blocks: its name ends with 0x00, the next possible name with 0x01.
      it->Seek(list.substr(0, list.size() - 1) + '\x01');
    }
    QUIRE_RETURN_IF_ERROR(it->status());
    return ForEachKey(archive_, IndexColumn::kPostings, kRangeKeys,
                      [&](std::string_view key, auto) {
                        // "v" filter 0x00 value docid: at least the filter's end and the id.
                        if (key.size() < kRangeKeys.size() + 9) {
                          problems_.push_back("malformed range filter key of " +
                                              std::to_string(key.size()) + " bytes");
                          return;
                        }
                        const DocId id = DecodeDocId(key.substr(key.size() - 8));
                        if (!indexed_.contains(id)) {
                          problems_.push_back("a range filter value points at " + Doc(id) +
                                              ", which is not indexed");
                        }
                      });
  }

  Status ReadPostingList(const std::string& term) {
    std::unique_ptr<store::ListIterator> list =
        archive_.NewListIterator(IndexColumn::kPostings, PostingList(term));
    for (list->Seek(0); list->Valid(); list->Next()) {
      ++posted_[term];
      if (!indexed_.contains(list->id())) {
        problems_.push_back("posting " + Quoted(term) + " points at " + Doc(list->id()) +
                            ", which is not indexed");
      }
      if (Result<Posting> p = DecodePosting(list->entry(), true); !p.ok()) {
        problems_.push_back("posting " + Quoted(term) + " of " + Doc(list->id()) +
                            " is damaged: " + p.status().message());
      }
    }
    if (list->status().code() == Status::Code::kCorruption) {
      problems_.push_back("postings of " + Quoted(term) + ": " + list->status().message());
      return Status::Ok();
    }
    return list->status();
  }

  // Per term: documents listing it, postings, and the statistics must agree. Only where the
  // counts differ are the documents looked at one by one, to name them.
  Status CheckTerms() {
    std::unordered_map<std::string, int64_t> counted;
    QUIRE_RETURN_IF_ERROR(ForEachKey(archive_, IndexColumn::kTermStats, kDocFrequencyKeys,
                                     [&](std::string_view key, auto value) {
                                       const std::string term(TermOfDocFrequencyKey(key));
                                       Result<int64_t> count = DecodeCount(value);
                                       counted[term] = count.ok() ? *count : -1;
                                     }));
    std::set<std::string> suspects;
    for (const auto& [term, count] : counted) {
      if (count != Get(listed_, term) || count != Get(posted_, term)) suspects.insert(term);
    }
    for (const auto& [term, count] : listed_) {
      if (count != Get(posted_, term) || !counted.contains(term)) suspects.insert(term);
    }
    for (const auto& [term, count] : posted_) {
      if (!listed_.contains(term)) suspects.insert(term);
    }
    for (const std::string& term : suspects) {
      if (Get(counted, term) != Get(posted_, term)) {
        problems_.push_back("term " + Quoted(term) + ": the statistics count " +
                            std::to_string(Get(counted, term)) + " documents, the postings " +
                            std::to_string(Get(posted_, term)));
      }
    }
    return NameMismatches(suspects);
  }

  Status NameMismatches(const std::set<std::string>& suspects) {
    if (suspects.empty()) return Status::Ok();
    std::map<std::string, std::set<DocId>> listing;
    QUIRE_RETURN_IF_ERROR(ForEachDocTerms([&](DocId id, const std::string& term) {
      if (suspects.contains(term)) listing[term].insert(id);
    }));
    for (const std::string& term : suspects) {
      std::set<DocId> posting;
      std::unique_ptr<store::ListIterator> list =
          archive_.NewListIterator(IndexColumn::kPostings, PostingList(term));
      for (list->Seek(0); list->Valid(); list->Next()) posting.insert(list->id());
      for (DocId id : listing[term]) {
        if (!posting.contains(id)) {
          problems_.push_back(Doc(id) + ": term " + Quoted(term) + " has no posting");
        }
      }
      for (DocId id : posting) {
        if (!listing[term].contains(id)) {
          problems_.push_back("posting " + Quoted(term) + " of " + Doc(id) +
                              " is not among the document's terms");
        }
      }
    }
    return Status::Ok();
  }

  Status CheckTotals() {
    int64_t total_length = 0;
    for (const auto& [id, length] : indexed_) total_length += length;
    const std::pair<std::string_view, int64_t> totals[] = {
        {kDocumentCountKey, static_cast<int64_t>(indexed_.size())},
        {kTotalLengthKey, total_length}};
    for (const auto& [key, expected] : totals) {
      QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> value,
                             archive_.GetIndexValue(IndexColumn::kTermStats, key));
      const Result<int64_t> count = DecodeCount(value.value_or(std::string(8, '\0')));
      if (!count.ok() || *count != expected) {
        problems_.push_back(
            std::string(key == kDocumentCountKey ? "document count" : "total document length") +
            " in the statistics is " + (count.ok() ? std::to_string(*count) : "damaged") +
            ", expected " + std::to_string(expected));
      }
    }
    return Status::Ok();
  }

  template <typename Map>
  static int64_t Get(const Map& map, const std::string& term) {
    const auto it = map.find(term);
    return it == map.end() ? 0 : it->second;
  }

  store::Archive& archive_;
  const IndexOptions& options_;
  std::vector<std::string>& problems_;
  std::map<DocId, uint32_t> indexed_;                // document -> length
  std::unordered_map<std::string, int64_t> listed_;  // term -> documents having it
  std::unordered_map<std::string, int64_t> posted_;  // term -> postings
};

}  // namespace

Status VerifyIndex(store::Archive& archive, const IndexOptions& options,
                   std::vector<std::string>& problems) {
  return IndexVerifier(archive, options, problems).Run();
}

}  // namespace quire::index
