// How `quire` commands find the server that owns an archive, and talk to it.
//
// `quire serve` writes serve.json into the archive folder while it runs:
//   {"url": "http://127.0.0.1:8080", "pid": 1234, "token": "<hex>"}
// readable by the archive's owner only (mode 0600): the token is an admin session for commands
// run by someone who may open the archive's files anyway. A command that writes and finds a live
// server there sends its work to it (ServerClient) instead of opening the archive, and names the
// person who runs it (X-Quire-User) for the audit log.
#pragma once

#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "quire/common/status.h"

namespace quire::app {

struct ServerLink {
  std::string url;
  int pid = 0;
  std::string token;
};

// Writes serve.json into `archive_dir`, replacing any left by a server that died.
Status WriteServerLink(const std::string& archive_dir, const ServerLink& link);
void RemoveServerLink(const std::string& archive_dir);
// The server that owns `archive_dir`, when its serve.json names a process that is alive.
std::optional<ServerLink> FindServer(const std::string& archive_dir);

// A JSON API client for one server. Thread-compatible.
class ServerClient {
 public:
  // Requests name `user` as the person acting, for the audit log.
  ServerClient(const ServerLink& link, std::string user);

  // The response's JSON for a 2xx status; else a Status with the server's "error" message, of
  // the code that fits the HTTP status (404 NotFound, 400/422 InvalidArgument, ...).
  Result<nlohmann::json> Get(const std::string& path);
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> Patch(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> Delete(const std::string& path);
  // POST `path` with one file (multipart part "file") and the form fields `fields`.
  Result<nlohmann::json> Upload(
      const std::string& name, const std::string& bytes, const std::string& path = "/api/documents",
      const std::vector<std::pair<std::string, std::string>>& fields = {});

 private:
  Result<nlohmann::json> Send(
      const std::function<httplib::Result(httplib::Client&, const httplib::Headers&)>& send);
  ServerLink link_;
  std::string user_;
};

}  // namespace quire::app
