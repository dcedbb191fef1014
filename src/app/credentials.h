// The admin key: from CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY when set, else the key stored in
// the data directory, else a newly generated one that is stored there (mode 0600) and printed once.
#pragma once

#include <string>

#include "app/data_dir.h"
#include "common/status.h"

namespace cairn::app {

struct AdminKey {
  std::string access_key_id;
  std::string secret_access_key;
  enum class Source { kEnvironment, kStored, kGenerated } source = Source::kGenerated;
};

Result<AdminKey> LoadOrCreateAdminKey(const DataDir& dir);

}  // namespace cairn::app
