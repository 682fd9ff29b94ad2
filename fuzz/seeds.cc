// Writes the seed corpora of fuzz_records and fuzz_postings: real records, as the archive's and
// the index's encoders write them, of a few documents made from sample-docs/*.truth.json, each
// file its target's selector byte followed by the value.
//
//   fuzz_seeds SAMPLE_DOCS RECORDS_CORPUS POSTINGS_CORPUS
#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "index_lists.h"
#include "postings.h"
#include "schema.h"

namespace {

using namespace quire;
namespace fs = std::filesystem;

struct Document {
  PageText page;
  Extraction extraction;
  store::DocumentSummary summary;
};

Document FromTruth(const fs::path& truth, int n) {
  std::ifstream in(truth);
  const nlohmann::json j = nlohmann::json::parse(in);
  Document doc;
  doc.page.width = 2480;
  doc.page.height = 3508;
  doc.page.dpi = 300;
  doc.page.skew = -0.25 * n;
  doc.page.language = "eng";
  doc.page.text = j.at("text").get<std::string>();
  if (n % 2 == 1) doc.page.barcodes = {"QR-" + std::to_string(n)};
  std::istringstream words(doc.page.text);
  int x = 0;
  for (std::string word; words >> word; x += 40) {
    doc.page.words.push_back(
        OcrWord{word, Box{x % 2000, 100 + x / 2000 * 30, 35, 20}, 91.5f, x / 4000, x / 2000, {}});
  }
  doc.extraction.type = ParseDocumentType(j.at("type").get<std::string>());
  doc.extraction.type_score = 0.875;
  for (const auto& [name, value] : j.at("fields").items()) {
    FieldValue field;
    field.value = value.is_string() ? value.get<std::string>() : value.dump();
    field.source_text = field.value;
    field.box = Box{120, 340, 400, 28};
    field.confidence = 0.75;
    field.valid = !field.value.empty();
    if (!field.valid) field.problems = {"not found"};
    doc.extraction.fields.emplace(name, std::move(field));
  }
  if (doc.extraction.type == DocumentType::kForm) {
    doc.extraction.pairs = {
        FormPair{"DATE:", "date", "2024-03-11", 0, Box{10, 10, 50, 20}, Box{70, 10, 90, 20}, 0.5}};
  }
  doc.extraction.needs_review = n % 2 == 0;
  if (doc.extraction.needs_review) doc.extraction.review_reasons = {"a total does not add up"};
  doc.summary = store::DocumentSummary{.sha256 = std::string(64, 'a' + n),
                                       .source = truth.filename().string(),
                                       .format = "png",
                                       .type = doc.extraction.type,
                                       .pages = 1,
                                       .ingested = 1710000000 + n,
                                       .needs_review = doc.extraction.needs_review,
                                       .tags = {"inbox"},
                                       .title = n == 0 ? "" : "Scan " + std::to_string(n)};
  return doc;
}

void WriteSeed(const fs::path& dir, const std::string& name, char selector,
               std::string_view value) {
  std::ofstream(dir / name, std::ios::binary) << selector << value;
}

// The index's lists as the archive writes them, blocks captured instead of written.
class CapturedBlocks final : public store::IndexWrites {
 public:
  void Put(rocksdb::ColumnFamilyHandle*, std::string_view key, std::string_view value) override {
    blocks.emplace_back(store::DecodeFixed64(key.substr(key.size() - 8)), value);
  }
  void Merge(rocksdb::ColumnFamilyHandle*, std::string_view, std::string_view) override {}
  void Delete(rocksdb::ColumnFamilyHandle*, std::string_view) override {}
  Status status() const override { return Status::Ok(); }
  std::vector<std::pair<store::DocId, std::string>> blocks;  // last id, block
};

// The index's block summaries alone: the seeds' blocks are written without indexing documents.
class Summarizer final : public store::Indexer {
 public:
  Status Index(store::DocId, const store::NewDocument&, store::IndexBatch&) const override {
    return Status::Ok();
  }
  Status Unindex(store::DocId, const store::NewDocument&, store::Archive&,
                 store::IndexBatch&) const override {
    return Status::Ok();
  }
  std::string SummarizeList(const std::vector<std::string_view>& entries) const override {
    return index::SummarizePostings(entries);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: fuzz_seeds SAMPLE_DOCS RECORDS_CORPUS POSTINGS_CORPUS\n";
    return 2;
  }
  std::vector<fs::path> truths;
  for (const fs::directory_entry& entry : fs::directory_iterator(argv[1])) {
    if (entry.path().string().ends_with(".truth.json")) truths.push_back(entry.path());
  }
  std::sort(truths.begin(), truths.end());
  const fs::path records = argv[2], postings = argv[3];
  fs::create_directories(records);
  fs::create_directories(postings);

  // Each term's postings across the documents, in document order, for the lists' blocks.
  std::map<std::string, std::vector<std::pair<store::DocId, std::string>>> lists;
  store::Tally tally;
  for (size_t i = 0; i < truths.size(); i += truths.size() / 4 + 1) {
    const int n = static_cast<int>(i);
    const Document doc = FromTruth(truths[i], n);
    const std::string name = "seed-" + std::to_string(n);
    WriteSeed(records, name + "-page", 0, store::EncodePage(doc.page));
    WriteSeed(records, name + "-fields", 1, store::EncodeExtraction(doc.extraction));
    WriteSeed(records, name + "-audit", 2,
              store::EncodeAudit({1710000000 + n, "corrected", "Ana", "total: 120.00 -> 112.00"}));
    WriteSeed(records, name + "-document", 3, store::EncodeSummary(doc.summary));
    tally += {.documents = 1, .pages = 1, .originals = 1, .original_bytes = 40000 + n};

    std::map<std::string, std::vector<index::Position>> positions;
    for (uint32_t w = 0; w < doc.page.words.size(); ++w) {
      positions[doc.page.words[w].text].push_back({1, w});
    }
    const auto length = static_cast<uint32_t>(doc.page.words.size());
    for (const auto& [term, at] : positions) {
      lists[term].emplace_back(n + 1, index::EncodePosting({length, uint32_t(at.size()), at}));
    }
    WriteSeed(postings, name + "-posting", 0, lists[positions.begin()->first].back().second);
    const index::Posting often{length, 3, {{1, 2}, {1, 9}, {2, 4}}};
    WriteSeed(postings, name + "-posting-pages", 0, index::EncodePosting(often));
    index::DocMeta meta{.length = length,
                        .type = DocumentTypeName(doc.extraction.type),
                        .title = doc.summary.title,
                        .ranges = {{"date", "2024-03-11"}, {"total", "120.50"}},
                        .vendor = "Evergreen Mutual",
                        .tags = doc.summary.tags};
    if (n % 2 == 0) meta.needs_review = doc.extraction.needs_review;
    WriteSeed(postings, name + "-meta", 3, index::EncodeDocMeta(meta));
    WriteSeed(postings, name + "-count", 2, store::EncodeInt64Le(n + 1));
  }
  WriteSeed(records, "seed-tally", 4, store::EncodeTally(tally));

  // The blocks of the lists of terms in two documents or more, as DeferredWrites writes them.
  store::DeferredWrites writes;
  int summaries = 0;
  for (const auto& [term, entries] : lists) {
    if (entries.size() < 2) continue;
    std::vector<std::string_view> bytes;
    for (const auto& [id, posting] : entries) {
      writes.Change(index::PostingList(term), id, posting);
      bytes.push_back(posting);
    }
    if (summaries < 6) {
      WriteSeed(postings, "seed-summary-" + std::to_string(summaries++), 1,
                index::SummarizePostings(bytes));
    }
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  const fs::path scratch = fs::temp_directory_path() / "quire-fuzz-seeds";
  fs::remove_all(scratch);
  if (!rocksdb::DB::Open(options, scratch.string(), &db).ok()) return 1;
  CapturedBlocks blocks;
  const Summarizer summarizer;
  const Status written = writes.Write(*db, db->DefaultColumnFamily(), db->DefaultColumnFamily(),
                                      &summarizer, /*written_through=*/0, blocks);
  delete db;
  fs::remove_all(scratch);
  if (!written.ok()) return 1;
  for (size_t i = 0; i < blocks.blocks.size() && i < 8; ++i) {
    const auto& [last, block] = blocks.blocks[i];
    WriteSeed(postings, "seed-block-" + std::to_string(i), 4, static_cast<char>(last) + block);
  }
  return 0;
}
