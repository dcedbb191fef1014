// A credential lookup over a fixed set of admin-rw keys, for tests of what signs and verifies.
// The server's own lookup is the key ring (keys/key_ring.h).
#pragma once

#include <map>
#include <string>

#include "auth/request_auth.h"

namespace cairn::auth {

// Access key id -> secret; each an admin-rw key without session token.
CredentialLookup FixedCredentials(std::map<std::string, std::string> secrets);

}  // namespace cairn::auth
