#include "meta/inline_data.h"

#include <utility>

namespace cairn::meta {

Status AttachInlineData(std::string data, core::ObjectRecord* record) {
  if (data.size() != record->size) {
    return Status(ErrorCode::kStorageCorruption, "the stored bytes of an object are not its size");
  }
  record->inline_data = std::move(data);
  return Status::Ok();
}

}  // namespace cairn::meta
