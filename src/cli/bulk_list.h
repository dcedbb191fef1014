// The file list of `cairn bulk put`: a JSON array of {"key": .., "file": .., "content_type": ..},
// content_type optional.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::cli {

struct BulkEntry {
  std::string key;
  std::string file;
  std::string content_type;  // empty: guessed from the file name
};

// Throws a usage error naming `what` (the list's file) and the entry at fault.
std::vector<BulkEntry> ParseBulkList(std::string_view text, std::string_view what);

}  // namespace cairn::cli
