// Documents for the archive tests: small, made up, and different for every `seed`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quire/store/archive.h"

namespace quire::store::testing {

// A document with `pages` pages whose text and original bytes depend on `seed`, an invoice with a
// "total" field. `original_bytes` sets the original's size (large ones go to blob files).
NewDocument MakeDocument(const std::string& seed, int pages = 2, size_t original_bytes = 100);

// An Indexer made of functions, so that each test gives the index it needs (recording, failing,
// writing to the wrong column...). A function left empty adds nothing, or summarizes as "".
class TestIndexer final : public Indexer {
 public:
  using IndexFunction = std::function<Status(DocId id, const NewDocument& doc, IndexBatch& batch)>;
  using UnindexFunction = std::function<Status(DocId id, const NewDocument& indexed,
                                               Archive& archive, IndexBatch& batch)>;
  using SummaryFunction = std::function<std::string(const std::vector<std::string_view>& entries)>;

  explicit TestIndexer(IndexFunction index, UnindexFunction unindex = nullptr,
                       SummaryFunction summarize = nullptr)
      : index_(std::move(index)), unindex_(std::move(unindex)), summarize_(std::move(summarize)) {}

  Status Index(DocId id, const NewDocument& doc, IndexBatch& batch) const override;
  Status Unindex(DocId id, const NewDocument& indexed, Archive& archive,
                 IndexBatch& batch) const override;
  std::string SummarizeList(const std::vector<std::string_view>& entries) const override;

 private:
  const IndexFunction index_;
  const UnindexFunction unindex_;
  const SummaryFunction summarize_;
};

// Archive options whose indexer is a TestIndexer of these functions.
ArchiveOptions IndexedBy(TestIndexer::IndexFunction index,
                         TestIndexer::UnindexFunction unindex = nullptr,
                         TestIndexer::SummaryFunction summarize = nullptr);

// Records, in kDocTerms, "doc:<id>" -> the document's source, and counts documents in kTermStats
// under "documents".
Status Record(DocId id, const NewDocument& doc, IndexBatch& batch);

// What Record wrote for `id`, or "" when nothing.
std::string RecordedSource(Archive& archive, DocId id);

}  // namespace quire::store::testing
