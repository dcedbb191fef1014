// What a CompleteMultipartUpload request is checked against besides R2's part rules, and what its
// completion leaves behind: the object checksum the client expects (x-amz-checksum-<algorithm>),
// the name of its part list that recognizes a retry, and how long the record of the completion
// is kept (core::CompletedUploadRecord).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/hashing.h"
#include "common/status.h"
#include "common/time_format.h"
#include "core/lifecycle.h"
#include "core/multipart_rules.h"

namespace cairn::core {

// The x-amz-checksum-<algorithm> header of a CompleteMultipartUpload: the checksum the client
// expects the completed object to have ("<base64>-<N>" for COMPOSITE, plain base64 for
// FULL_OBJECT), not a checksum of the request's XML body.
struct ExpectedChecksum {
  ChecksumAlgorithm algorithm;
  std::string value;
};

// Checks `expected` against the object's checksums as the parts combine them (`object_checksums`,
// by algorithm name) under the upload's algorithm (`upload_algorithm`: "" when the upload has
// none). Errors: InvalidRequest when the algorithm is not the upload's or the value is not a
// checksum of that algorithm; BadDigest, naming both values, when they differ. A COMPOSITE value
// sent without its "-N" is compared by its checksum alone.
Status CheckExpectedChecksum(const ExpectedChecksum& expected, std::string_view upload_algorithm,
                             const std::map<std::string, std::string>& object_checksums);

// Names a Complete request's part list: the hex SHA-256 of each part's number and ETag (unquoted,
// lowercase), in the order sent. A retried Complete sends the same list, so the same digest.
std::string PartListDigest(const std::vector<RequestedPart>& requested);

// Until when the record of an upload completed at `completed` is kept: as long as the bucket's
// abort rule for the key (R2's default: 7 days) would have let an upload started then stay
// incomplete, and 7 days at most. `config` may be null (no configuration).
TimePoint CompletionKeptUntil(const LifecycleConfiguration* config, std::string_view key,
                              TimePoint completed);

}  // namespace cairn::core
