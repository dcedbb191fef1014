// The bytes of a small object kept in the metadata store (core::ObjectRecord::inline_data), as an
// engine reads them back beside the object's row.
#pragma once

#include <string>

#include "common/status.h"
#include "core/records.h"

namespace cairn::meta {

// Gives `record` (an object stored inline) the bytes `data` read with it (empty when its
// object_data row was missing). Errors: kStorageCorruption when they are not the object's size.
Status AttachInlineData(std::string data, core::ObjectRecord* record);

}  // namespace cairn::meta
