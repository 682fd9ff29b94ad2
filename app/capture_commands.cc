// ingest, ocr and extract: the commands that read files.
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "broker_pages.h"
#include "commands.h"
#include "document_pdf.h"
#include "ingest.h"
#include "parallel.h"
#include "progress.h"
#include "quire/common/file.h"
#include "quire/common/json.h"
#include "separated_ingest.h"
#include "server_link.h"
#include "stop_on_signal.h"

namespace quire::app {
namespace {

struct Pipeline {
  std::unique_ptr<capture::Capturer> capturer;
  std::unique_ptr<extract::Extractor> extractor;
  std::shared_ptr<BrokerPageReader> broker;  // with --broker
};

Result<Pipeline> MakePipeline(const PipelineOptions& options) {
  capture::CaptureOptions capture_options = options.capture;
  QUIRE_RETURN_IF_ERROR(UseBroker(options.broker, capture_options, [](const std::string& message) {
    std::cerr << "quire: " << message << "\n";
  }));
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<capture::Capturer> capturer,
                         capture::Capturer::Create(capture_options));
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<extract::Extractor> extractor,
                         extract::Extractor::Create(options.extract));
  return Pipeline{std::move(capturer), std::move(extractor),
                  std::static_pointer_cast<BrokerPageReader>(capture_options.remote)};
}

// A file that is there but cannot be read is that file's failure (exit 1, as ingest reports it),
// not a bad command line; a file that is not there is exit 4.
int ReportBadFile(const Status& status) {
  const int code = ReportError(status);
  return code == kExitNotFound ? code : kExitFailed;
}

// " pages 1-3" for a document of a stack split by --separate.
std::string FilePages(const IngestResult& r) {
  return r.file_pages.empty() ? "" : " pages " + r.file_pages;
}

void PrintResultLine(const IngestResult& r) {
  switch (r.outcome) {
    case IngestResult::Outcome::kStored:
      std::cout << "stored     " << r.file << FilePages(r) << " -> " << r.id << " (" << r.type
                << ", " << r.pages << (r.pages == 1 ? " page" : " pages")
                << (r.needs_review ? ", needs review" : "") << ")\n";
      break;
    case IngestResult::Outcome::kDuplicate:
      std::cout << "duplicate  " << r.file << FilePages(r) << " = document " << r.id << "\n";
      break;
    case IngestResult::Outcome::kFailed:
      std::cout << "failed     " << r.file << FilePages(r) << ": " << r.error << "\n";
      break;
  }
  std::cout.flush();
}

void PrintSummary(const std::map<IngestResult::Outcome, int>& counts, const BatchProgress& progress,
                  const std::vector<IngestResult>& failures) {
  auto count = [&](IngestResult::Outcome o) { return counts.contains(o) ? counts.at(o) : 0; };
  std::cerr << count(IngestResult::Outcome::kStored) << " stored, "
            << count(IngestResult::Outcome::kDuplicate) << " duplicates, "
            << count(IngestResult::Outcome::kFailed) << " failed; " << progress.pages()
            << (progress.pages() == 1 ? " page in " : " pages in ")
            << static_cast<int>(progress.Seconds() + 0.5) << " s\n";
  for (const IngestResult& f : failures) {
    std::cerr << "  failed: " << f.file << FilePages(f) << ": " << f.error << "\n";
  }
}

}  // namespace

int RunIngest(const GlobalOptions& global, const PipelineOptions& options,
              const std::vector<std::string>& paths, const capture::Separation& separation) {
  // A server that owns the archive reads the files itself (server_link.h).
  const std::optional<ServerLink> server = FindServer(ArchivePath(global));
  const bool separate = separation.kind != capture::Separation::Kind::kNone;
  std::optional<Pipeline> pipeline;
  std::unique_ptr<store::Archive> archive;
  if (!server) {
    Result<Pipeline> made = MakePipeline(options);
    if (!made.ok()) return ReportError(made.status());
    pipeline = std::move(*made);
    Result<std::unique_ptr<store::Archive>> opened = OpenArchive(global, /*read_only=*/false);
    if (!opened.ok()) return ReportError(opened.status());
    archive = std::move(*opened);
  }

  const std::vector<std::string> files = ListDocumentFiles(paths);
  if (files.empty()) {
    std::cerr << "quire: no PNG, JPEG, TIFF or PDF files found in the given paths\n";
    return kExitNotFound;
  }
  BatchProgress progress(files.size());
  const StopOnSignal stop;
  const std::function<bool()> stopped = [&] { return stop.requested(); };
  size_t files_done = 0;
  std::map<IngestResult::Outcome, int> counts;
  std::vector<IngestResult> failures;
  // In the order given, for scripts; with --separate, a file's documents in stack order.
  std::vector<std::vector<nlohmann::json>> results(files.size());
  auto report = [&](size_t index, const IngestResult& r) {
    ++counts[r.outcome];
    if (r.outcome == IngestResult::Outcome::kFailed) failures.push_back(r);
    if (global.json) {
      results[index].push_back(r.ToJson());
    } else {
      progress.Finish();
      PrintResultLine(r);
    }
  };
  auto on_result = [&](size_t index, const IngestResult& r) {
    report(index, r);
    progress.FileDone();
    ++files_done;
  };
  auto on_file = [&](size_t index, const std::vector<IngestResult>& parts) {
    for (const IngestResult& r : parts) report(index, r);
    progress.FileDone();
    ++files_done;
  };
  if (server && separate) {
    IngestSeparatedThroughServer(
        files, separation, *server,
        [&](size_t index, const std::vector<IngestResult>& parts) {
          for (const IngestResult& r : parts) progress.PagesDone(r.pages);
          on_file(index, parts);
        },
        stopped);
  } else if (separate) {
    std::mutex report_mutex;
    ForEachInParallel(
        files.size(), pipeline->capturer->jobs(),
        [&](size_t i) {
          const std::vector<IngestResult> parts =
              IngestSeparatedFile(files[i], separation, *pipeline->capturer, *pipeline->extractor,
                                  *archive, [&](int, int) { progress.PagesDone(); });
          std::lock_guard lock(report_mutex);
          on_file(i, parts);
        },
        stopped);
  } else if (server) {
    IngestThroughServer(
        files, *server,
        [&](size_t index, const IngestResult& r) {
          progress.PagesDone(r.pages);
          on_result(index, r);
        },
        stopped);
  } else {
    IngestFiles(
        files, pipeline->capturer->jobs(), *pipeline->capturer, *pipeline->extractor, *archive,
        on_result, [&](int, int) { progress.PagesDone(); }, stopped);
  }
  progress.Finish();
  if (global.json) {
    nlohmann::json all = nlohmann::json::array();
    for (std::vector<nlohmann::json>& file_results : results) {
      for (nlohmann::json& r : file_results) all.push_back(std::move(r));
    }
    PrintJson({{"results", std::move(all)}});
  }
  PrintSummary(counts, progress, failures);
  if (pipeline && pipeline->broker) {
    const BrokerPageReader::Overhead overhead = pipeline->broker->overhead();
    char ms[32];
    snprintf(ms, sizeof ms, "%.1f", 1000 * overhead.mean_seconds);
    std::cerr << "through the broker: " << overhead.pages << " pages, " << ms
              << " ms each beyond its reading (time in the queue included)\n";
  }
  if (stop.requested()) {
    std::cerr << "quire: stopped with " << files.size() - files_done << " of " << files.size()
              << " files not done: ingest the same paths again to finish (what is stored already "
                 "is reported as a duplicate, not stored twice)\n";
    return kExitStopped;
  }
  return failures.empty() ? kExitOk : kExitFailed;
}

int RunOcr(const GlobalOptions& global, const PipelineOptions& options, const std::string& file,
           const std::string& pdf) {
  Result<std::unique_ptr<capture::Capturer>> capturer = capture::Capturer::Create(options.capture);
  if (!capturer.ok()) return ReportError(capturer.status());
  Result<std::string> bytes = ReadFile(file);
  if (!bytes.ok()) return ReportBadFile(bytes.status());
  Result<capture::CapturedDocument> doc = (*capturer)->Capture(*bytes);
  if (!doc.ok()) return ReportBadFile(doc.status().WithContext(file));
  if (!pdf.empty()) {
    Result<std::string> written =
        FilePdf(file, *bytes, doc->pages, options.capture, std::time(nullptr));
    if (!written.ok()) return ReportBadFile(written.status().WithContext(file));
    if (const int code = WriteOutputFile(pdf, *written); code != kExitOk) return code;
    if (!global.json) {
      std::cerr << "wrote " << pdf << " (" << doc->pages.size()
                << (doc->pages.size() == 1 ? " page)\n" : " pages)\n");
      return kExitOk;
    }
  }
  if (global.json) {
    nlohmann::json pages = nlohmann::json::array();
    for (const PageText& page : doc->pages) pages.push_back(ToJson(page));
    PrintJson({{"format", doc->format}, {"pages", pages}});
    return kExitOk;
  }
  for (size_t i = 0; i < doc->pages.size(); ++i) {
    const PageText& page = doc->pages[i];
    if (i > 0) std::cout << "\f";
    if (!page.error.empty()) std::cerr << "quire: page " << i + 1 << ": " << page.error << "\n";
    if (page.blank) std::cerr << "quire: page " << i + 1 << " is blank\n";
    std::cout << page.text;
    if (!page.text.empty() && page.text.back() != '\n') std::cout << "\n";
  }
  return kExitOk;
}

Result<std::vector<PageText>> ReadPagesFile(const std::string& path) {
  QUIRE_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  const auto what_to_do = [&](const std::string& why) {
    return Status::InvalidArgument(path + ": " + why +
                                   "; give the output of `quire ocr --json FILE`");
  };
  const nlohmann::json j = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return what_to_do("not JSON");
  if (!j.is_object() || !j.contains("pages") || !j["pages"].is_array()) {
    return what_to_do("no \"pages\" list");
  }
  std::vector<PageText> pages;
  for (const nlohmann::json& page : j["pages"]) {
    Result<PageText> read = PageTextFromJson(page);
    if (!read.ok()) return what_to_do("page " + std::to_string(pages.size() + 1) + " is not valid");
    pages.push_back(std::move(*read));
  }
  return pages;
}

int RunExtract(const GlobalOptions& global, const PipelineOptions& options, const std::string& file,
               const std::string& pages_file) {
  Result<std::unique_ptr<extract::Extractor>> extractor =
      extract::Extractor::Create(options.extract);
  if (!extractor.ok()) return ReportError(extractor.status());
  Extraction extraction;
  if (!pages_file.empty()) {
    Result<std::vector<PageText>> read = ReadPagesFile(pages_file);
    if (!read.ok()) return ReportError(read.status());
    extraction = (*extractor)->Extract(*read);
  } else {
    Result<std::unique_ptr<capture::Capturer>> capturer =
        capture::Capturer::Create(options.capture);
    if (!capturer.ok()) return ReportError(capturer.status());
    Result<std::string> bytes = ReadFile(file);
    if (!bytes.ok()) return ReportBadFile(bytes.status());
    Result<capture::CapturedDocument> doc = (*capturer)->Capture(*bytes);
    if (!doc.ok()) return ReportBadFile(doc.status().WithContext(file));
    extraction = ExtractWithImages(**extractor, *bytes, doc->pages, options.capture, doc->cleaned);
  }
  if (global.json) {
    PrintJson(ToJson(extraction));
    return kExitOk;
  }
  std::cout << "type: " << DocumentTypeName(extraction.type) << "\n";
  for (const auto& [name, field] : extraction.fields) {
    std::cout << "  " << name << ": " << field.value;
    if (!field.valid) std::cout << "  (INVALID)";
    if (field.confidence < options.extract.review_threshold) std::cout << "  (unsure)";
    for (const std::string& p : field.problems) std::cout << "  [" << p << "]";
    std::cout << "\n";
  }
  if (extraction.needs_review) {
    std::cout << "needs review:\n";
    for (const std::string& reason : extraction.review_reasons)
      std::cout << "  - " << reason << "\n";
  }
  return kExitOk;
}

}  // namespace quire::app
