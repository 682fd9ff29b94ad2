#include "server_link.h"

#include <httplib.h>
#include <signal.h>

#include <cerrno>
#include <filesystem>

#include "quire/common/file.h"

namespace quire::app {
namespace {

constexpr char kLinkFile[] = "serve.json";

std::string LinkPath(const std::string& archive_dir) {
  return (std::filesystem::path(archive_dir) / kLinkFile).string();
}

Status FromHttpStatus(int status, const std::string& message) {
  switch (status) {
    case 404: return Status::NotFound(message);
    case 400:
    case 409:
    case 422: return Status::InvalidArgument(message);
    case 413: return Status::ResourceExhausted(message);
    default: return Status::IoError(message);
  }
}

Result<nlohmann::json> Answer(const httplib::Result& response, const ServerLink& link) {
  if (!response) {
    return Status::IoError("the server at " + link.url + " does not answer (" +
                           httplib::to_string(response.error()) +
                           "); is `quire serve` still running? Stop it cleanly, or remove " +
                           kLinkFile + " from the archive folder if it died");
  }
  nlohmann::json body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status / 100 == 2) return body.is_discarded() ? nlohmann::json::object() : body;
  const std::string message = body.is_object() && body.contains("error")
                                  ? body["error"].get<std::string>()
                                  : "the server answered HTTP " + std::to_string(response->status);
  return FromHttpStatus(response->status, message);
}

}  // namespace

Status WriteServerLink(const std::string& archive_dir, const ServerLink& link) {
  const std::string path = LinkPath(archive_dir);
  const nlohmann::json j = {{"url", link.url}, {"pid", link.pid}, {"token", link.token}};
  return WriteFileAtomically(path, j.dump() + "\n", 0600);  // the token: the owner's only
}

void RemoveServerLink(const std::string& archive_dir) {
  std::error_code ignored;
  std::filesystem::remove(LinkPath(archive_dir), ignored);
}

std::optional<ServerLink> FindServer(const std::string& archive_dir) {
  Result<std::string> text = ReadFile(LinkPath(archive_dir));
  if (!text.ok()) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("url") || !j.contains("pid") || !j.contains("token")) {
    return std::nullopt;
  }
  ServerLink link{j["url"].get<std::string>(), j["pid"].get<int>(), j["token"].get<std::string>()};
  // A server killed without cleaning up leaves its file behind: only a live process counts.
  if (link.pid <= 0 || (kill(link.pid, 0) != 0 && errno == ESRCH)) return std::nullopt;
  return link;
}

ServerClient::ServerClient(const ServerLink& link, std::string user)
    : link_(link), user_(std::move(user)) {}

Result<nlohmann::json> ServerClient::Send(
    const std::function<httplib::Result(httplib::Client&, const httplib::Headers&)>& send) {
  httplib::Client client(link_.url);
  client.enable_server_certificate_verification(false);  // our own server, found on disk
  client.set_read_timeout(600);  // a backup of a large archive, a large upload
  client.set_write_timeout(600);
  const httplib::Headers headers = {{"Authorization", "Bearer " + link_.token},
                                    {"X-Quire-User", user_}};
  return Answer(send(client, headers), link_);
}

Result<nlohmann::json> ServerClient::Get(const std::string& path) {
  return Send([&](httplib::Client& c, const httplib::Headers& h) { return c.Get(path, h); });
}

Result<nlohmann::json> ServerClient::Post(const std::string& path, const nlohmann::json& body) {
  return Send([&](httplib::Client& c, const httplib::Headers& h) {
    return c.Post(path, h, body.dump(), "application/json");
  });
}

Result<nlohmann::json> ServerClient::Patch(const std::string& path, const nlohmann::json& body) {
  return Send([&](httplib::Client& c, const httplib::Headers& h) {
    return c.Patch(path, h, body.dump(), "application/json");
  });
}

Result<nlohmann::json> ServerClient::Delete(const std::string& path) {
  return Send([&](httplib::Client& c, const httplib::Headers& h) { return c.Delete(path, h); });
}

Result<nlohmann::json> ServerClient::Upload(
    const std::string& name, const std::string& bytes, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  httplib::MultipartFormDataItems items = {{"file", bytes, name, "application/octet-stream"}};
  for (const auto& [field, value] : fields) items.push_back({field, value, "", ""});
  return Send(
      [&](httplib::Client& c, const httplib::Headers& h) { return c.Post(path, h, items); });
}

}  // namespace quire::app
