// Bucket lifecycle rules (S3 "PutBucketLifecycleConfiguration", as R2 supports them): per-prefix
// rules that abort incomplete multipart uploads, expire objects, or move them to STANDARD_IA.
// Every bucket has R2's default rule: incomplete uploads are aborted 7 days after initiation; a
// rule with AbortIncompleteMultipartUpload replaces that default for the keys it matches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time_format.h"

namespace cairn::core {

inline constexpr uint32_t kDefaultAbortDays = 7;
inline constexpr std::string_view kDefaultAbortRuleId = "Default Multipart Abort Rule";

// NoncurrentVersionExpiration / NoncurrentVersionTransition (S3's versioning-era actions).
struct NoncurrentAction {
  uint32_t noncurrent_days = 0;                       // NoncurrentDays
  std::optional<uint32_t> newer_noncurrent_versions;  // NewerNoncurrentVersions
  std::string storage_class;                          // a transition's StorageClass
  bool operator==(const NoncurrentAction&) const = default;
};

struct LifecycleRule {
  std::string id;              // generated at Put when the client sends none (AssignRuleIds)
  std::string prefix;          // Filter/Prefix (or the legacy top-level Prefix); empty: every key
  bool legacy_prefix = false;  // given as the top-level <Prefix>, so it is rendered back that way
  bool enabled = true;         // Status Enabled / Disabled
  std::optional<uint32_t>
      abort_incomplete_days;                 // AbortIncompleteMultipartUpload/DaysAfterInitiation
  std::optional<uint32_t> expiration_days;   // Expiration/Days
  std::optional<TimePoint> expiration_date;  // Expiration/Date (midnight UTC)
  std::optional<uint32_t> transition_days;   // Transition/Days
  std::optional<TimePoint> transition_date;  // Transition/Date
  std::string transition_storage_class;      // "STANDARD_IA"
  // Versioning-era actions, common in Terraform and CLI templates. cairn buckets have no versions
  // and so no noncurrent versions or delete markers: as on an S3 bucket without versioning, these
  // are kept and returned but never act.
  std::optional<NoncurrentAction> noncurrent_expiration;
  std::vector<NoncurrentAction> noncurrent_transitions;
  std::optional<bool> expired_object_delete_marker;  // Expiration/ExpiredObjectDeleteMarker
};

struct LifecycleConfiguration {
  std::vector<LifecycleRule> rules;
};

// Checks a configuration as S3 does: 1..1000 rules, unique IDs of at most 255 characters, each rule
// with at least one action, days > 0, a Date at midnight UTC, only STANDARD_IA as transition class.
// Errors: InvalidArgument or MalformedXML with a message naming the rule.
Status ValidateLifecycle(const LifecycleConfiguration& config);

// Gives each rule without an ID a new one, unique in the configuration: S3 does so rather than
// keep rules nameless (Get returns the ID), and a client that put a rule without one can then
// name it. Called at Put, so the ID is stored and every Get returns the same one.
void AssignRuleIds(LifecycleConfiguration& config);

// Stored form (JSON), so the metadata store keeps an engine-neutral document.
std::string EncodeLifecycle(const LifecycleConfiguration& config);
Result<LifecycleConfiguration> DecodeLifecycle(std::string_view json);

// When an upload of `key` initiated at `initiated` is aborted, and by which rule: the enabled
// rules with AbortIncompleteMultipartUpload that match the key (the one with the fewest days wins),
// else R2's default of 7 days. `config` may be null (no configuration).
struct AbortSchedule {
  std::string rule_id;
  TimePoint abort_at;
};
AbortSchedule AbortScheduleFor(const LifecycleConfiguration* config, std::string_view key,
                               TimePoint initiated);

// What the rules do to an object at `now`: expire it, move it to STANDARD_IA, or nothing. A rule of
// N days acts from the first midnight UTC at or after last_modified + N days (S3 rounds up to
// midnight), a dated rule from its date. Expiration wins over transition; only STANDARD objects
// transition. (Abort dates above are not rounded.)
enum class ObjectAction { kNone, kExpire, kTransition };
ObjectAction ObjectActionAt(const LifecycleConfiguration& config, std::string_view key,
                            TimePoint last_modified, std::string_view storage_class, TimePoint now);

}  // namespace cairn::core
