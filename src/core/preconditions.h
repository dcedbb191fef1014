// Conditional requests (RFC 9110 section 13, as S3 applies them).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time_format.h"

namespace cairn::core {

struct Conditions {
  std::optional<std::string> if_match;  // header values as sent (may list several etags, or *)
  std::optional<std::string> if_none_match;
  std::optional<TimePoint> if_modified_since;
  std::optional<TimePoint> if_unmodified_since;
  bool empty() const {
    return !if_match && !if_none_match && !if_modified_since && !if_unmodified_since;
  }
};

// The state of the object the conditions are checked against.
struct ObjectState {
  std::string etag;  // unquoted
  TimePoint last_modified;
};

// GET/HEAD (and CopyObject's x-amz-copy-source-if-*): S3's order of evaluation. If-Match failing ->
// PreconditionFailed; If-None-Match matching -> NotModified; If-Modified-Since not modified (and no
// If-None-Match) -> NotModified; If-Unmodified-Since failing (and no If-Match) ->
// PreconditionFailed. For a missing object, pass nullopt: If-Match then fails, the others pass.
Status CheckReadConditions(const Conditions& c, const std::optional<ObjectState>& object);

// PutObject (R2 honours all four, S3 the first two): If-None-Match: * fails when the key exists;
// If-Match fails with NoSuchKey when the key has no object and PreconditionFailed when the etag
// differs; the date conditions compare with the current object's last-modified and fail
// (PreconditionFailed) when they do not hold; an absent object fails If-Unmodified-Since.
Status CheckWriteConditions(const Conditions& c, const std::optional<ObjectState>& object);

// DeleteObject's If-Match (the one condition S3 honours on a delete of a general purpose bucket):
// an absent key fails with NoSuchKey, an object none of whose listed etags match ("*" matches any)
// with PreconditionFailed.
Status CheckDeleteCondition(std::string_view if_match, const std::optional<ObjectState>& object);

}  // namespace cairn::core
