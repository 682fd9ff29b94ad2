#include "rocks_status.h"

namespace quire::store {

Status ToStatus(const rocksdb::Status& status, const std::string& context) {
  if (status.ok()) return Status::Ok();
  const std::string message = context + ": " + status.ToString();
  if (status.IsNoSpace()) {
    return Status::ResourceExhausted(message + "; free disk space and try again");
  }
  if (status.IsNotFound()) return Status::NotFound(message);
  if (status.IsCorruption()) return Status::Corruption(message);
  if (status.IsInvalidArgument()) return Status::InvalidArgument(message);
  if (status.IsNotSupported()) return Status::Unsupported(message);
  if (status.IsMemoryLimit()) return Status::ResourceExhausted(message);
  return Status::IoError(message);
}

bool FileVanished(const rocksdb::Status& status) {
  return status.IsPathNotFound() ||
         status.ToString().find("No such file or directory") != std::string::npos;
}

}  // namespace quire::store
