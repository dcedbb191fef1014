// Conditional request evaluation. The order is RFC 9110 section 13.2.2, which is also what the
// S3 GetObject page documents as its two combination rules:
//   If-Match true + If-Unmodified-Since false -> 200 (the date is not looked at),
//   If-None-Match false + If-Modified-Since true -> 304 (the date is not looked at).
// Header values are parsed leniently, as S3 does: an etag list may mix quoted and bare entries and
// weak "W/" prefixes, since clients copy ETag response headers back with or without the quotes.
#include "core/preconditions.h"

#include <chrono>
#include <string_view>

#include "common/ascii.h"

namespace cairn::core {
namespace {

// Strips W/ and the quotes from one entity-tag. S3 etags are strong, so a weak tag is compared by
// its opaque part (weak comparison, RFC 9110 section 8.8.3.2), which is what clients expect when a
// proxy has weakened the ETag they copied.
std::string_view OpaqueTag(std::string_view tag) {
  if (tag.starts_with("W/") || tag.starts_with("w/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
    tag = tag.substr(1, tag.size() - 2);
  } else {
    // A lone quote on one side is a client's typo, not part of the tag.
    if (!tag.empty() && tag.front() == '"') tag.remove_prefix(1);
    if (!tag.empty() && tag.back() == '"') tag.remove_suffix(1);
  }
  return tag;
}

// Whether an If-Match / If-None-Match value matches the current object: "*" matches any object
// that exists; otherwise any listed tag equal to the object's etag.
bool EtagListMatches(std::string_view header, const std::optional<ObjectState>& object) {
  if (!object) return false;
  while (true) {
    const size_t comma = header.find(',');
    const std::string_view item = TrimOws(header.substr(0, comma));
    if (item == "*") return true;
    if (!item.empty() && OpaqueTag(item) == OpaqueTag(object->etag)) return true;
    if (comma == std::string_view::npos) return false;
    header.remove_prefix(comma + 1);
  }
}

// HTTP dates carry whole seconds while cairn keeps milliseconds; an object written at 12:00:00.700
// and a client that sends back its Last-Modified of 12:00:00 must compare as equal.
std::chrono::time_point<Clock, std::chrono::seconds> Seconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

bool ModifiedSince(const ObjectState& object, TimePoint date) {
  return Seconds(object.last_modified) > Seconds(date);
}

// S3 names the failed header in a <Condition> element; cairn's Error has only a message, so the
// header goes there.
Status Failed(std::string_view header) {
  return Status(
      ErrorCode::kPreconditionFailed,
      "At least one of the preconditions you specified did not hold: " + std::string(header) + ".");
}

}  // namespace

Status CheckReadConditions(const Conditions& c, const std::optional<ObjectState>& object) {
  // Step 1-2: If-Match, or If-Unmodified-Since when If-Match is absent.
  if (c.if_match) {
    if (!EtagListMatches(*c.if_match, object)) return Failed("If-Match");
  } else if (c.if_unmodified_since && object) {
    if (ModifiedSince(*object, *c.if_unmodified_since)) return Failed("If-Unmodified-Since");
  }
  // Step 3-4: If-None-Match, or If-Modified-Since when If-None-Match is absent. For GET and HEAD a
  // false condition means "use your cached copy": 304, not 412.
  if (c.if_none_match) {
    if (EtagListMatches(*c.if_none_match, object)) return Status(ErrorCode::kNotModified);
  } else if (c.if_modified_since && object) {
    if (!ModifiedSince(*object, *c.if_modified_since)) return Status(ErrorCode::kNotModified);
  }
  return Status::Ok();
}

Status CheckWriteConditions(const Conditions& c, const std::optional<ObjectState>& object) {
  // Same order as reads, but every false condition is 412 (RFC 9110 section 13.1.2: a write that
  // fails If-None-Match must not be answered with 304). R2 honours the date headers on PutObject.
  if (c.if_match) {
    // S3 answers If-Match on a key with no object 404 NoSuchKey, as it does for a conditional
    // delete: "If there's no current object version with the same name [...] the operation fails
    // with a 404 Not Found error" (S3 User Guide, "How to prevent object overwrites with
    // conditional writes"). 412 is for an object that exists and does not match.
    if (!object) return Status(ErrorCode::kNoSuchKey);
    if (!EtagListMatches(*c.if_match, object)) return Failed("If-Match");
  } else if (c.if_unmodified_since) {
    if (!object || ModifiedSince(*object, *c.if_unmodified_since)) {
      return Failed("If-Unmodified-Since");
    }
  }
  if (c.if_none_match) {
    if (EtagListMatches(*c.if_none_match, object)) return Failed("If-None-Match");
  } else if (c.if_modified_since && object) {
    if (!ModifiedSince(*object, *c.if_modified_since)) return Failed("If-Modified-Since");
  }
  return Status::Ok();
}

Status CheckDeleteCondition(std::string_view if_match, const std::optional<ObjectState>& object) {
  // S3 tells a conditional delete of a missing key 404 rather than 412: the client learns that the
  // object it meant is gone, which is what it wanted.
  if (!object) return Status(ErrorCode::kNoSuchKey);
  if (!EtagListMatches(if_match, object)) return Failed("If-Match");
  return Status::Ok();
}

}  // namespace cairn::core
