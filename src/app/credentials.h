// The server's own credentials. The admin key: from CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY
// when set, else the key stored in the data directory, else a newly generated one that is stored
// there (mode 0600) and printed once.
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

// The master key that seals access keys' secrets and temporary credentials' tokens (32 bytes):
// CAIRN_MASTER_KEY (64 hex digits) when set, else the data dir's master.key (hex, mode 0600),
// made at the first start. Gateways that share a metadata store must share it.
Result<std::string> LoadOrCreateMasterKey(const DataDir& dir);

}  // namespace cairn::app
