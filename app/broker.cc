#include "broker.h"

#include <hiredis/hiredis.h>

#include <charconv>

namespace quire::app {
namespace {

Status BadUrl(const std::string& url, const std::string& why) {
  return Status::InvalidArgument("--broker " + url + ": " + why +
                                 "; give redis://HOST:PORT, e.g. redis://127.0.0.1:6379 "
                                 "(redis://:PASSWORD@HOST:PORT/DB with a password or database)");
}

bool ParseNumber(const std::string& text, int& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000),
                 static_cast<suseconds_t>(ms.count() % 1000 * 1000)};
}

RedisReply Copy(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < reply->elements; ++i) out.elements.push_back(Copy(reply->element[i]));
      break;
    default: out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

Result<BrokerAddress> ParseBrokerUrl(const std::string& url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return BadUrl(url, "not a redis:// URL");
  BrokerAddress address;
  address.url = url;
  std::string rest = url.substr(kScheme.size());
  if (const size_t at = rest.rfind('@'); at != std::string::npos) {
    const std::string credentials = rest.substr(0, at);
    const size_t colon = credentials.find(':');
    address.password = colon == std::string::npos ? credentials : credentials.substr(colon + 1);
    rest = rest.substr(at + 1);
  }
  if (const size_t slash = rest.find('/'); slash != std::string::npos) {
    const std::string db = rest.substr(slash + 1);
    if (!db.empty() && (!ParseNumber(db, address.db) || address.db < 0)) {
      return BadUrl(url, "the database after / must be a number");
    }
    rest = rest.substr(0, slash);
  }
  if (const size_t colon = rest.rfind(':'); colon != std::string::npos) {
    if (!ParseNumber(rest.substr(colon + 1), address.port) || address.port <= 0 ||
        address.port > 65535) {
      return BadUrl(url, "the port must be a number from 1 to 65535");
    }
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return BadUrl(url, "no host");
  address.host = rest;
  return address;
}

Result<std::unique_ptr<BrokerConnection>> BrokerConnection::Connect(
    const BrokerAddress& address, std::chrono::milliseconds timeout) {
  const timeval tv = ToTimeval(timeout);
  redisContext* context = redisConnectWithTimeout(address.host.c_str(), address.port, tv);
  if (context == nullptr) return Status::IoError("cannot allocate a connection to the broker");
  std::unique_ptr<BrokerConnection> connection(new BrokerConnection(address, context));
  if (context->err != 0) return connection->Unreachable(context->errstr);
  redisSetTimeout(context, tv);
  redisEnableKeepAlive(context);
  if (!address.password.empty()) {
    QUIRE_ASSIGN_OR_RETURN(RedisReply auth, connection->Run({"AUTH", address.password}));
    if (auth.is_error()) {
      return Status::InvalidArgument("the broker at " + address.url + " refused the password (" +
                                     auth.str + "): check the password in --broker");
    }
  }
  if (address.db != 0) {
    QUIRE_ASSIGN_OR_RETURN(RedisReply select,
                           connection->RunOk({"SELECT", std::to_string(address.db)}));
  }
  return connection;
}

BrokerConnection::~BrokerConnection() { redisFree(context_); }

Status BrokerConnection::Unreachable(const std::string& why) const {
  return Status::IoError("the broker at " + address_.url + " cannot be reached (" + why +
                         "): start redis-server there, or check --broker");
}

Result<RedisReply> BrokerConnection::Run(const std::vector<std::string>& args) {
  if (broken_) return Unreachable("the connection was lost");
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  void* raw =
      redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data());
  if (raw == nullptr) {
    broken_ = true;
    return Unreachable(context_->err != 0 ? context_->errstr : "no reply");
  }
  redisReply* reply = static_cast<redisReply*>(raw);
  RedisReply copied = Copy(reply);
  freeReplyObject(reply);
  return copied;
}

Result<RedisReply> BrokerConnection::RunOk(const std::vector<std::string>& args) {
  Result<RedisReply> reply = Run(args);
  if (reply.ok() && reply->is_error()) {
    return Status::Internal("the broker at " + address_.url + " answered " + args.front() +
                            " with: " + reply->str);
  }
  return reply;
}

}  // namespace quire::app
