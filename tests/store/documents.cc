#include "documents.h"

namespace quire::store::testing {

NewDocument MakeDocument(const std::string& seed, int pages, size_t original_bytes) {
  NewDocument doc;
  doc.original = seed;
  while (doc.original.size() < original_bytes) doc.original += "|" + seed;
  doc.original.resize(original_bytes);
  doc.source = seed + ".pdf";
  doc.format = "pdf";
  for (int i = 0; i < pages; ++i) {
    PageText page;
    page.width = 2480;
    page.height = 3508;
    page.dpi = 300;
    page.text = "page " + std::to_string(i) + " of " + seed;
    page.words.push_back(OcrWord{seed, Box{10, 20, 30, 40}, 95.5f, 0, 0, {}});
    doc.pages.push_back(page);
  }
  doc.extraction.type = DocumentType::kInvoice;
  doc.extraction.type_score = 0.9;
  FieldValue total;
  total.value = "120.00";
  total.source_text = "120,00";
  total.confidence = 0.8;
  doc.extraction.fields["total"] = total;
  return doc;
}

Status TestIndexer::Index(DocId id, const NewDocument& doc, IndexBatch& batch) const {
  return index_ ? index_(id, doc, batch) : Status::Ok();
}

Status TestIndexer::Unindex(DocId id, const NewDocument& indexed, Archive& archive,
                            IndexBatch& batch) const {
  return unindex_ ? unindex_(id, indexed, archive, batch) : Status::Ok();
}

std::string TestIndexer::SummarizeList(const std::vector<std::string_view>& entries) const {
  return summarize_ ? summarize_(entries) : "";
}

ArchiveOptions IndexedBy(TestIndexer::IndexFunction index, TestIndexer::UnindexFunction unindex,
                         TestIndexer::SummaryFunction summarize) {
  ArchiveOptions options;
  options.indexer =
      std::make_shared<TestIndexer>(std::move(index), std::move(unindex), std::move(summarize));
  return options;
}

Status Record(DocId id, const NewDocument& doc, IndexBatch& batch) {
  batch.Put(IndexColumn::kDocTerms, "doc:" + std::to_string(id), doc.source);
  batch.Add(IndexColumn::kTermStats, "documents", 1);
  return Status::Ok();
}

std::string RecordedSource(Archive& archive, DocId id) {
  Result<std::optional<std::string>> value =
      archive.GetIndexValue(IndexColumn::kDocTerms, "doc:" + std::to_string(id));
  return value.ok() && value->has_value() ? **value : "";
}

}  // namespace quire::store::testing
