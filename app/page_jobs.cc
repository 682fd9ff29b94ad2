// The broker's keys (Redis), with the fields of each stream entry as name value pairs:
//
//   quire:jobs              stream of page jobs, read by the consumer group "quire-workers"
//     entry: v 1 | client CLIENT | job N | page INDEX | lang LANGUAGE | dpi DPI | image BYTES
//            (IMAGE: a one-page PNG or JPEG; DPI 0: as the image says)
//   quire:results:CLIENT    stream of results for the archive-side process CLIENT
//     entry: v 1 | job N | worker NAME | seconds S | page JSON        (common/json.h's page)
//            v 1 | job N | worker NAME | seconds S | error MESSAGE    (fails the document)
//   quire:client:CLIENT     "1" while CLIENT runs; set to expire 60 s after its last refresh
//   quire:worker:NAME       hash: host, pid, jobs, started, pages, pages_per_second, reading;
//                           expires 10 s after its worker's last refresh
//   quire:counts            hash: redelivered, failed, dropped (see page_jobs.h)
//
// A worker acknowledges (XACK) and deletes (XDEL) a job only after its result is in the results
// stream, so after a broker restart every job an archive side waits for is in one of the two
// streams, or was lost with the last writes before the restart and is sent again.
#include "page_jobs.h"

#include <charconv>
#include <map>

#include "quire/common/json.h"

namespace quire::app {
namespace {

constexpr char kVersion[] = "1";

// The fields of an entry as a map; Corruption when it is not a list of name value pairs.
Result<std::map<std::string, std::string>> Fields(const RedisReply& fields) {
  if (fields.type != RedisReply::Type::kArray || fields.elements.size() % 2 != 0) {
    return Status::Corruption("a broker entry that is not a list of fields");
  }
  std::map<std::string, std::string> map;
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    map[fields.elements[i].str] = fields.elements[i + 1].str;
  }
  if (map["v"] != kVersion) {
    return Status::Corruption("a broker entry of version '" + map["v"] +
                              "': run the same quire version on the archive and its workers");
  }
  return map;
}

template <typename T>
bool ParseNumber(const std::string& text, T& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

}  // namespace

std::string ResultStream(const std::string& client) { return "quire:results:" + client; }
std::string ClientKey(const std::string& client) { return "quire:client:" + client; }

std::vector<std::string> EncodeJob(const PageJobEntry& entry) {
  return {"v",      kVersion,
          "client", entry.client,
          "job",    std::to_string(entry.job),
          "page",   std::to_string(entry.page.index),
          "lang",   entry.page.language,
          "dpi",    std::to_string(entry.page.dpi),
          "image",  entry.page.image};
}

Result<PageJobEntry> DecodeJob(const RedisReply& fields) {
  Result<std::map<std::string, std::string>> map = Fields(fields);
  if (!map.ok()) return map.status();
  PageJobEntry entry;
  entry.client = (*map)["client"];
  entry.page.language = (*map)["lang"];
  entry.page.image = std::move((*map)["image"]);
  if (entry.client.empty() || !ParseNumber((*map)["job"], entry.job) ||
      !ParseNumber((*map)["page"], entry.page.index) ||
      !ParseNumber((*map)["dpi"], entry.page.dpi)) {
    return Status::Corruption("a page job without its client, number, page or dpi");
  }
  return entry;
}

std::vector<std::string> EncodeResult(const PageResultEntry& entry) {
  std::vector<std::string> fields = {
      "v",      kVersion,     "job",     std::to_string(entry.job),
      "worker", entry.worker, "seconds", std::to_string(entry.seconds)};
  if (!entry.error.empty()) {
    fields.insert(fields.end(), {"error", entry.error});
  } else {
    fields.insert(fields.end(), {"page", ToJson(entry.page).dump()});
  }
  return fields;
}

Result<PageResultEntry> DecodeResult(const RedisReply& fields) {
  Result<std::map<std::string, std::string>> map = Fields(fields);
  if (!map.ok()) return map.status();
  PageResultEntry entry;
  entry.worker = (*map)["worker"];
  entry.error = (*map)["error"];
  if (!ParseNumber((*map)["job"], entry.job)) {
    return Status::Corruption("a page result without its job number");
  }
  entry.seconds = std::atof((*map)["seconds"].c_str());
  if (!entry.error.empty()) return entry;
  const nlohmann::json page = nlohmann::json::parse((*map)["page"], nullptr, false);
  if (page.is_discarded()) return Status::Corruption("a page result whose page is not JSON");
  QUIRE_ASSIGN_OR_RETURN(PageText read, PageTextFromJson(page));
  entry.page = std::move(read);
  return entry;
}

std::vector<StreamEntry> StreamEntries(const RedisReply& list) {
  std::vector<StreamEntry> entries;
  for (const RedisReply& entry : list.elements) {
    if (entry.type != RedisReply::Type::kArray || entry.elements.empty()) continue;
    StreamEntry e;
    e.id = entry.elements[0].str;
    if (entry.elements.size() > 1) e.fields = entry.elements[1];
    entries.push_back(std::move(e));
  }
  return entries;
}

std::vector<StreamEntry> ReadEntries(const RedisReply& reply) {
  // [[stream, [entries]]], or nil when the read timed out
  if (reply.elements.empty() || reply.elements[0].elements.size() != 2) return {};
  return StreamEntries(reply.elements[0].elements[1]);
}

}  // namespace quire::app
