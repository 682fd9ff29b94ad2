// `quire ingest` beside a running server: the files go to it as uploads (server_link.h).
#include <chrono>
#include <thread>

#include "cli.h"
#include "ingest.h"
#include "quire/common/file.h"

namespace quire::app {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(200);

// The result of a finished job (GET /api/jobs/ID), with the stored document's summary.
IngestResult Finished(const std::string& file, const nlohmann::json& job, ServerClient& client) {
  const std::string state = job["state"].get<std::string>();
  if (state == "failed") return FailedResult(file, Status::InvalidArgument(job.value("error", "")));
  IngestResult r;
  r.file = file;
  r.id = job["document"].get<store::DocId>();
  if (state == "duplicate") {
    r.outcome = IngestResult::Outcome::kDuplicate;
    return r;
  }
  r.outcome = IngestResult::Outcome::kStored;
  Result<nlohmann::json> doc = client.Get("/api/documents/" + std::to_string(r.id));
  if (doc.ok()) {
    r.type = doc->value("type", "");
    r.pages = static_cast<int>((*doc)["pages"].size());
    r.needs_review = doc->value("needs_review", false);
  }
  return r;
}

// A document's result as the server answers it (IngestResult::ToJson).
IngestResult FromJson(const nlohmann::json& j) {
  IngestResult r;
  r.file = j.value("file", "");
  r.file_pages = j.value("file_pages", "");
  const std::string status = j.value("status", "failed");
  if (status == "stored") {
    r.outcome = IngestResult::Outcome::kStored;
    r.id = j.value("id", store::DocId{0});
    r.type = j.value("type", "");
    r.pages = j.value("pages", 0);
    r.needs_review = j.value("needs_review", false);
  } else if (status == "duplicate") {
    r.outcome = IngestResult::Outcome::kDuplicate;
    r.id = j.value("duplicate_of", store::DocId{0});
  } else {
    r.error = j.value("error", "");
  }
  return r;
}

}  // namespace

void IngestSeparatedThroughServer(
    const std::vector<std::string>& files, const capture::Separation& separation,
    const ServerLink& server,
    const std::function<void(size_t, const std::vector<IngestResult>&)>& on_file,
    const std::function<bool()>& stopped) {
  ServerClient client(server, CurrentUser());
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"separate", capture::SeparationSpec(separation)},
      {"separator_code", separation.code},
      {"duplex", separation.duplex ? "yes" : "no"}};
  for (size_t i = 0; i < files.size() && !(stopped && stopped()); ++i) {
    Result<std::string> bytes = ReadFile(files[i]);
    Result<nlohmann::json> answer =
        bytes.ok() ? client.Upload(files[i], *bytes, "/api/documents/separated", fields)
                   : Result<nlohmann::json>(bytes.status());
    std::vector<IngestResult> results;
    if (!answer.ok()) {
      results.push_back(FailedResult(files[i], answer.status()));
    } else {
      for (const nlohmann::json& part : (*answer)["results"]) results.push_back(FromJson(part));
    }
    on_file(i, results);
  }
}

void IngestThroughServer(const std::vector<std::string>& files, const ServerLink& server,
                         const std::function<void(size_t, const IngestResult&)>& on_result,
                         const std::function<bool()>& stopped) {
  const auto stopping = [&] { return stopped && stopped(); };
  ServerClient client(server, CurrentUser());
  std::vector<std::pair<size_t, uint64_t>> waiting;  // file index, job
  for (size_t i = 0; i < files.size() && !stopping(); ++i) {
    Result<std::string> bytes = ReadFile(files[i]);
    if (!bytes.ok()) {
      on_result(i, FailedResult(files[i], bytes.status()));
      continue;
    }
    Result<nlohmann::json> sent = client.Upload(files[i], *bytes);
    if (!sent.ok()) {
      on_result(i, FailedResult(files[i], sent.status()));
      continue;
    }
    waiting.emplace_back(i, (*sent)["jobs"][0].get<uint64_t>());
  }
  while (!waiting.empty() && !stopping()) {
    std::this_thread::sleep_for(kPollInterval);
    std::erase_if(waiting, [&](const std::pair<size_t, uint64_t>& pending) {
      const auto& [i, job] = pending;
      Result<nlohmann::json> state = client.Get("/api/jobs/" + std::to_string(job));
      if (!state.ok()) {
        on_result(i, FailedResult(files[i], state.status()));
        return true;
      }
      const std::string s = (*state)["state"].get<std::string>();
      if (s == "queued" || s == "reading") return false;
      on_result(i, Finished(files[i], *state, client));
      return true;
    });
  }
}

}  // namespace quire::app
