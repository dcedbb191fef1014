// cairn's admin API (docs/access-keys.md) as the key and bucket-public commands call it: JSON
// requests under /_cairn/admin/, signed with SigV4 by the session's client exactly as its S3
// requests are, and failing as they do (an S3Error with the code of the XML error document), so
// that errors.h gives them the same exit codes. Bad input the server refuses (400 InvalidArgument)
// is a usage error, since the command's arguments are all it sent.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/client.h"
#include "cli/output.h"

namespace cairn::cli {

class AdminApi {
 public:
  explicit AdminApi(Client& client) : client_(client) {}

  // Query parameters, names and values unencoded.
  using Query = std::vector<std::pair<std::string, std::string>>;

  // `method` on /_cairn/admin/`path` with `body` (null: none) and `query`. Returns the JSON
  // answer, null for an empty one (204). Throws S3Error, CliError (InvalidArgument; a server
  // without the admin API; an answer that is not JSON) or TransportError.
  Json Call(const std::string& method, const std::string& path, const Json& body = nullptr,
            const Query& query = {});

 private:
  Client& client_;
};

// `value` as one segment of an admin API path ("keys/ID"), checked: a usage error naming `what`
// when it is empty or would change the path ("/", "." or "..").
std::string PathSegment(std::string_view what, std::string_view value);

}  // namespace cairn::cli
