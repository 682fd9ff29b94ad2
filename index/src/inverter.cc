#include "inverter.h"

#include <algorithm>

#include "document_words.h"
#include "filter_fields.h"
#include "quire/index/index.h"
#include "spelling.h"

namespace quire::index {
namespace {

std::string FieldText(const Extraction& extraction, std::string_view name) {
  const auto it = extraction.fields.find(std::string(name));
  return it == extraction.fields.end() ? std::string() : it->second.value;
}

// "ACME GmbH, INV-2024-00731"; the source file name when neither is known.
std::string Title(const Extraction& extraction, const std::string& source) {
  std::string title = FieldText(extraction, field_name::kVendorName);
  const std::string number = FieldText(extraction, field_name::kInvoiceNumber);
  if (!title.empty() && !number.empty()) title += ", ";
  title += number;
  return title.empty() ? source : title;
}

// The filter terms of each word of `value`, as the query parser splits a filter's words: each
// word whole, and its parts ("INV-2024" is found by number:2024) unless `whole_only`.
void AddFilterWords(std::string_view filter, const std::string& value, Inverter& inverter,
                    bool whole_only = false) {
  for (std::string_view word : SplitWhitespace(value)) {
    const WordPieces pieces = SplitWord(word);
    if (!pieces.whole.empty()) inverter.AddFilterTerm(FilterTerm(filter, pieces.whole));
    if (whole_only) continue;
    for (const std::string& part : pieces.parts) inverter.AddFilterTerm(FilterTerm(filter, part));
  }
}

// Filter terms and range values of the document's fields, tags and barcodes.
void AddFilters(const store::NewDocument& doc, Inverter& inverter, DocMeta& meta) {
  for (const FilterField& filter : FilterFields()) {
    if (filter.kind == FilterKind::kType) {
      inverter.AddFilterTerm(FilterTerm(filter.name, meta.type));
      continue;
    }
    if (filter.kind == FilterKind::kTag) {
      // tag:acme finds the tag acme, not acme-corp.
      for (const std::string& tag : doc.tags) {
        AddFilterWords(filter.name, tag, inverter, /*whole_only=*/true);
      }
      continue;
    }
    if (filter.kind == FilterKind::kReview) {
      // Documents stored before review was decided (needs_review unset) match neither value.
      if (meta.needs_review) {
        inverter.AddFilterTerm(FilterTerm(filter.name, ReviewValue(*meta.needs_review)));
      }
      continue;
    }
    if (filter.kind == FilterKind::kBarcode) {
      for (const PageText& page : doc.pages) {
        for (const std::string& code : page.barcodes) AddFilterWords(filter.name, code, inverter);
      }
      continue;
    }
    const std::string value = FieldText(doc.extraction, filter.field);
    if (value.empty()) continue;
    if (filter.kind == FilterKind::kWords) {
      AddFilterWords(filter.name, value, inverter);
    } else if (EncodeFilterValue(filter.kind, value)) {
      meta.ranges[std::string(filter.name)] = value;
    }
  }
}

// Adds the document's words and filter terms to `inverter`; returns its entry.
DocMeta Invert(const store::NewDocument& doc, Inverter& inverter) {
  ForEachWord(doc,
              [&](Position position, std::string_view text) { inverter.AddWord(position, text); });
  DocMeta meta;
  meta.type = DocumentTypeName(doc.extraction.type);
  meta.title = doc.title.empty() ? Title(doc.extraction, doc.source) : doc.title;
  meta.vendor = FieldText(doc.extraction, field_name::kVendorName);
  meta.tags = doc.tags;
  meta.needs_review = doc.extraction.needs_review;
  AddFilters(doc, inverter, meta);
  return meta;
}

Status IndexDocument(DocId id, const store::NewDocument& doc, const IndexOptions& options,
                     store::IndexBatch& batch) {
  QUIRE_ASSIGN_OR_RETURN(Tokenizer * tokenizer, ThreadTokenizer(options.language));
  Inverter inverter(*tokenizer);
  DocMeta meta = Invert(doc, inverter);
  inverter.Flush(id, std::move(meta), batch);
  return Status::Ok();
}

// The index as the archive keeps it: every write of a document indexes, re-indexes or
// unindexes it.
class PostingsIndexer final : public store::Indexer {
 public:
  explicit PostingsIndexer(IndexOptions options) : options_(std::move(options)) {}

  Status Index(DocId id, const store::NewDocument& doc, store::IndexBatch& batch) const override {
    return IndexDocument(id, doc, options_, batch);
  }
  Status Unindex(DocId id, const store::NewDocument& indexed, store::Archive& archive,
                 store::IndexBatch& batch) const override {
    return UnindexDocument(archive, id, indexed, options_, batch);
  }
  std::string SummarizeList(const std::vector<std::string_view>& entries) const override {
    return SummarizePostings(entries);
  }

 private:
  const IndexOptions options_;
};

}  // namespace

void Inverter::AddWord(Position position, std::string_view text) {
  bool has_terms = false;
  tokenizer_.ForEachTerm(text, [&](std::string_view term) {
    has_terms = true;
    std::pmr::vector<Position>& positions = Positions(term);
    // A word with spaces can repeat a term; one position is one occurrence.
    if (positions.empty() || positions.back() != position) positions.push_back(position);
  });
  if (has_terms) ++length_;
}

void Inverter::AddFilterTerm(const std::string& term) {
  if (term.size() <= kMaxTermBytes) Positions(term);
}

std::pmr::vector<Position>& Inverter::Positions(std::string_view term) {
  auto it = postings_.find(term);
  if (it == postings_.end()) it = postings_.try_emplace(std::pmr::string(term, &arena_)).first;
  return it->second;
}

std::vector<std::string> Inverter::Terms() const {
  std::vector<std::string> terms;
  terms.reserve(postings_.size());
  for (const auto& [term, positions] : postings_) terms.emplace_back(term);
  return terms;
}

void Inverter::Flush(DocId id, DocMeta meta, store::IndexBatch& batch) const {
  using store::IndexColumn;
  meta.length = length_;
  // Reused from term to term: a document has hundreds.
  std::string list, entry;
  for (const auto& [term, positions] : postings_) {
    AddSpelling(term, batch);
    PostingListInto(term, list);
    EncodePostingInto(length_, positions, entry);
    batch.Append(IndexColumn::kPostings, list, id, entry);
  }
  for (const std::string& key : RangeKeys(id, meta)) batch.Put(IndexColumn::kPostings, key, "");
  batch.Add(IndexColumn::kTermStats, kDocumentCountKey, 1);
  batch.Add(IndexColumn::kTermStats, kTotalLengthKey, length_);
  batch.Put(IndexColumn::kDocTerms, DocMetaKey(id), EncodeDocMeta(meta));
}

std::vector<std::string> RangeKeys(DocId id, const DocMeta& meta) {
  std::vector<std::string> keys;
  for (const auto& [name, value] : meta.ranges) {
    const FilterField* filter = FindFilter(name);
    if (filter == nullptr) continue;
    if (std::optional<std::string> encoded = EncodeFilterValue(filter->kind, value)) {
      keys.push_back(RangeKey(name, *encoded, id));
    }
  }
  return keys;
}

store::ArchiveOptions IndexedArchiveOptions(const IndexOptions& options) {
  store::ArchiveOptions archive_options;
  archive_options.indexer = std::make_shared<PostingsIndexer>(options);
  return archive_options;
}

Result<std::vector<std::string>> DocumentTerms(const store::NewDocument& doc,
                                               const IndexOptions& options) {
  QUIRE_ASSIGN_OR_RETURN(Tokenizer * tokenizer, ThreadTokenizer(options.language));
  Inverter inverter(*tokenizer);
  Invert(doc, inverter);
  return inverter.Terms();
}

Status UnindexDocument(store::Archive& archive, DocId id, const store::NewDocument& indexed,
                       const IndexOptions& options, store::IndexBatch& batch) {
  using store::IndexColumn;
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> meta_value,
                         archive.GetIndexValue(IndexColumn::kDocTerms, DocMetaKey(id)));
  if (!meta_value.has_value()) return Status::Ok();
  Result<DocMeta> meta = DecodeDocMeta(*meta_value);
  if (!meta.ok()) return meta.status().WithContext("document " + std::to_string(id));
  QUIRE_ASSIGN_OR_RETURN(std::vector<std::string> terms, DocumentTerms(indexed, options));
  for (const std::string& term : terms) {
    batch.Remove(IndexColumn::kPostings, PostingList(term), id);
  }
  for (const std::string& key : RangeKeys(id, *meta)) batch.Delete(IndexColumn::kPostings, key);
  batch.Add(IndexColumn::kTermStats, kDocumentCountKey, -1);
  batch.Add(IndexColumn::kTermStats, kTotalLengthKey, -static_cast<int64_t>(meta->length));
  batch.Delete(IndexColumn::kDocTerms, DocMetaKey(id));
  return Status::Ok();
}

}  // namespace quire::index
