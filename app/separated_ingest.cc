#include "separated_ingest.h"

#include "cli.h"
#include "quire/common/file.h"

namespace quire::app {
namespace {

// The pages `indices` of `pages`, in that order.
std::vector<PageText> PagesAt(const std::vector<PageText>& pages, const std::vector<int>& indices) {
  std::vector<PageText> subset;
  subset.reserve(indices.size());
  for (int i : indices) subset.push_back(pages[i]);
  return subset;
}

bool IsWholeStack(const std::vector<int>& indices, size_t page_count) {
  if (indices.size() != page_count) return false;
  for (size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] != static_cast<int>(i)) return false;
  }
  return true;
}

}  // namespace

IngestResult PartResult(const std::string& file, const std::string& file_pages,
                        const Committed& c) {
  const Status& error = !c.bad_file.ok() ? c.bad_file : c.archive_error;
  if (!error.ok()) {
    IngestResult failed = FailedResult(file, error);
    failed.file_pages = file_pages;
    return failed;
  }
  IngestResult r;
  r.file = file;
  r.file_pages = file_pages;
  r.id = c.commit.id;
  if (c.commit.duplicate) {
    r.outcome = IngestResult::Outcome::kDuplicate;
    return r;
  }
  r.outcome = IngestResult::Outcome::kStored;
  r.type = DocumentTypeName(c.type);
  r.pages = c.pages;
  r.needs_review = c.needs_review;
  return r;
}

std::string FormatFilePages(const std::vector<int>& pages) {
  std::string text;
  for (size_t i = 0; i < pages.size();) {
    size_t j = i;
    while (j + 1 < pages.size() && pages[j + 1] == pages[j] + 1) ++j;
    if (!text.empty()) text += ",";
    text += std::to_string(pages[i] + 1);
    if (j > i) text += "-" + std::to_string(pages[j] + 1);
    i = j + 1;
  }
  return text;
}

SeparatedStack CaptureSeparateAndCommit(const std::string& bytes, const std::string& source,
                                        const std::string& by, const std::vector<std::string>& tags,
                                        const capture::Separation& separation,
                                        capture::Capturer& capturer,
                                        const extract::Extractor& extractor,
                                        store::Archive& archive,
                                        const capture::PageProgress& progress) {
  SeparatedStack stack;
  Result<capture::CapturedDocument> captured = capturer.Capture(bytes, progress);
  if (!captured.ok()) {
    stack.bad_file = captured.status();
    return stack;
  }
  const std::vector<PageText>& pages = captured->pages;
  capture::StackSplitter splitter(separation);
  std::vector<std::vector<int>> documents;
  for (const PageText& page : pages) {
    if (std::optional<std::vector<int>> done = splitter.Add(page)) documents.push_back(*done);
  }
  if (std::optional<std::vector<int>> done = splitter.Finish()) documents.push_back(*done);
  stack.separator_pages = splitter.separator_pages();
  if (documents.empty()) {
    stack.bad_file = Status::InvalidArgument(
        "all " + std::to_string(pages.size()) +
        " pages are separator sheets: nothing to store; check the stack, or ingest it without "
        "--separate");
    return stack;
  }
  for (const std::vector<int>& document : documents) {
    StackPart part;
    part.file_pages = FormatFilePages(document);
    std::string original = bytes;
    std::string format = captured->format;
    if (!IsWholeStack(document, pages.size())) {
      Result<capture::PagesFile> copy = capture::CopyPages(bytes, document);
      if (!copy.ok()) {
        stack.bad_file = copy.status();
        return stack;
      }
      original = std::move(copy->bytes);
      format = copy->format;
    }
    part.committed =
        CommitPages(std::move(original), format, PagesAt(pages, document),
                    source + " pages " + part.file_pages, by, tags, extractor, archive);
    const bool failed = !part.committed.archive_error.ok();
    stack.parts.push_back(std::move(part));
    if (failed) break;  // the archive takes no writes: the rest waits for the next try
  }
  return stack;
}

std::vector<IngestResult> IngestSeparatedFile(const std::string& file,
                                              const capture::Separation& separation,
                                              capture::Capturer& capturer,
                                              const extract::Extractor& extractor,
                                              store::Archive& archive,
                                              const capture::PageProgress& progress) {
  Result<std::string> bytes = ReadFile(file);
  if (!bytes.ok()) return {FailedResult(file, bytes.status())};
  const SeparatedStack stack = CaptureSeparateAndCommit(
      *bytes, file, CurrentUser(), /*tags=*/{}, separation, capturer, extractor, archive, progress);
  if (!stack.bad_file.ok()) return {FailedResult(file, stack.bad_file)};
  std::vector<IngestResult> results;
  for (const StackPart& part : stack.parts)
    results.push_back(PartResult(file, part.file_pages, part.committed));
  return results;
}

}  // namespace quire::app
