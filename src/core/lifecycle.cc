// Bucket lifecycle rules: the checks of PutBucketLifecycleConfiguration, the stored JSON form, and
// the two questions the sweeper and CreateMultipartUpload ask (when is this upload aborted, what
// happens to this object now). Day arithmetic follows the S3 user guide's "Lifecycle rules:
// based on an object's age": a rule of N days acts at the first midnight UTC at or after
// last_modified + N days. R2's default abort rule ("Incomplete multipart uploads are automatically
// aborted after 7 days") applies wherever no rule of the bucket says otherwise.
#include "core/lifecycle.h"

#include <algorithm>
#include <exception>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "common/header_field.h"
#include "common/random.h"
#include "common/utf8.h"

namespace cairn::core {
namespace {

using nlohmann::json;

constexpr size_t kMaxRules = 1000;  // PutBucketLifecycleConfiguration: "up to 1,000 rules"
constexpr size_t kMaxIdLength = 255;
// S3's generated rule IDs are 48 characters long (Ozone's OmLCRule.LC_ID_LENGTH follows them).
constexpr size_t kGeneratedIdLength = 48;
constexpr std::string_view kIdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// S3's TransitionStorageClass values: a noncurrent transition never acts on cairn, so any class a
// template names for S3 is kept as it is.
constexpr std::string_view kS3TransitionClasses[] = {
    "GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"};
constexpr uint32_t kMaxNewerNoncurrentVersions = 100;  // S3: "up to 100 noncurrent versions"
constexpr std::chrono::milliseconds kDay = std::chrono::hours(24);

// How error messages name a rule: by its ID, or by its place when it has none.
std::string RuleName(const LifecycleRule& rule, size_t index) {
  return rule.id.empty() ? "rule " + std::to_string(index + 1) : "rule '" + rule.id + "'";
}

Error Invalid(const LifecycleRule& rule, size_t index, std::string_view why) {
  return Error(ErrorCode::kInvalidArgument, std::string(why) + " (" + RuleName(rule, index) + ")");
}

Error Malformed(const LifecycleRule& rule, size_t index, std::string_view why) {
  return Error(ErrorCode::kMalformedXML, std::string(why) + " (" + RuleName(rule, index) + ")");
}

int64_t DayNumber(TimePoint t, bool round_up) {
  const int64_t ms = t.time_since_epoch().count();
  const int64_t day = kDay.count();
  int64_t q = ms / day;
  const int64_t r = ms % day;
  if (r < 0) --q;  // floor for times before 1970
  if (round_up && r != 0) ++q;
  return q;
}

bool IsMidnightUtc(TimePoint t) { return t.time_since_epoch().count() % kDay.count() == 0; }

// S3 user guide, "Lifecycle rules: based on an object's age": "Amazon S3 calculates the time by
// adding the number of days specified in the rule to the object creation time and rounding up
// the resulting time to the next day midnight UTC."
TimePoint DueAfterDays(TimePoint start, uint32_t days) {
  const TimePoint due = start + days * kDay;
  return TimePoint(DayNumber(due, /*round_up=*/true) * kDay);
}

bool Matches(const LifecycleRule& rule, std::string_view key) {
  return rule.enabled && key.starts_with(rule.prefix);
}

bool Due(std::optional<uint32_t> days, std::optional<TimePoint> date, TimePoint last_modified,
         TimePoint now) {
  if (days && now >= DueAfterDays(last_modified, *days)) return true;
  return date && now >= *date;
}

Status ValidateNoncurrent(const LifecycleRule& rule, size_t index, const NoncurrentAction& action,
                          std::string_view element) {
  if (action.noncurrent_days == 0) {
    return Invalid(
        rule, index,
        "'NoncurrentDays' for " + std::string(element) + " action must be a positive integer");
  }
  if (action.newer_noncurrent_versions &&
      (*action.newer_noncurrent_versions == 0 ||
       *action.newer_noncurrent_versions > kMaxNewerNoncurrentVersions)) {
    return Invalid(rule, index, "'NewerNoncurrentVersions' must be between 1 and 100");
  }
  return Status::Ok();
}

// What S3 checks of the actions that only concern versioned buckets.
Status ValidateVersioningActions(const LifecycleRule& rule, size_t index) {
  if (rule.expired_object_delete_marker && (rule.expiration_days || rule.expiration_date)) {
    return Invalid(rule, index,
                   "ExpiredObjectDeleteMarker cannot be specified with Days or Date in a "
                   "Lifecycle Expiration Policy");
  }
  if (rule.noncurrent_expiration) {
    Status s =
        ValidateNoncurrent(rule, index, *rule.noncurrent_expiration, "NoncurrentVersionExpiration");
    if (!s.ok()) return s;
  }
  for (const NoncurrentAction& transition : rule.noncurrent_transitions) {
    Status s = ValidateNoncurrent(rule, index, transition, "NoncurrentVersionTransition");
    if (!s.ok()) return s;
    if (std::find(std::begin(kS3TransitionClasses), std::end(kS3TransitionClasses),
                  transition.storage_class) == std::end(kS3TransitionClasses)) {
      return Invalid(rule, index,
                     "The storage class of a NoncurrentVersionTransition is not valid");
    }
  }
  return Status::Ok();
}

Status ValidateRule(const LifecycleRule& rule, size_t index) {
  if (rule.id.size() > kMaxIdLength) {
    return Invalid(rule, index, "ID length should not exceed allowed limit of 255");
  }
  if (!IsValidUtf8(rule.id) || !IsValidUtf8(rule.prefix)) {
    return Invalid(rule, index, "The ID and the prefix must be UTF-8");
  }
  // The ID is sent back as the x-amz-abort-rule-id header.
  if (!IsHeaderValueSafe(rule.id)) return Invalid(rule, index, "The ID has a control character");
  const bool expires = rule.expiration_days || rule.expiration_date;
  const bool transitions = rule.transition_days || rule.transition_date;
  if (!expires && !transitions && !rule.abort_incomplete_days && !rule.noncurrent_expiration &&
      rule.noncurrent_transitions.empty() && !rule.expired_object_delete_marker) {
    return Invalid(rule, index, "At least one action needs to be specified in a rule");
  }
  if (Status s = ValidateVersioningActions(rule, index); !s.ok()) return s;
  if (rule.expiration_days && rule.expiration_date) {
    return Malformed(rule, index, "Expiration takes Days or Date, not both");
  }
  if (rule.transition_days && rule.transition_date) {
    return Malformed(rule, index, "Transition takes Days or Date, not both");
  }
  if (rule.abort_incomplete_days && *rule.abort_incomplete_days == 0) {
    return Invalid(rule, index,
                   "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a "
                   "positive integer");
  }
  if (rule.expiration_days && *rule.expiration_days == 0) {
    return Invalid(rule, index, "'Days' for Expiration action must be a positive integer");
  }
  if (rule.transition_days && *rule.transition_days == 0) {
    return Invalid(rule, index, "'Days' for Transition action must be a positive integer");
  }
  if ((rule.expiration_date && !IsMidnightUtc(*rule.expiration_date)) ||
      (rule.transition_date && !IsMidnightUtc(*rule.transition_date))) {
    return Invalid(rule, index, "'Date' must be at midnight GMT");
  }
  // R2 lifecycle: objects can move to Infrequent Access only.
  if (transitions && rule.transition_storage_class != "STANDARD_IA") {
    return Invalid(rule, index,
                   "The only storage class a Transition can move objects to is STANDARD_IA");
  }
  // S3: an expiration must come after the transition of the same rule, or the transition is moot.
  if (rule.expiration_days && rule.transition_days &&
      *rule.expiration_days <= *rule.transition_days) {
    return Invalid(rule, index,
                   "'Days' in the Expiration action must be greater than 'Days' in the "
                   "Transition action");
  }
  if (rule.expiration_date && rule.transition_date &&
      *rule.expiration_date <= *rule.transition_date) {
    return Invalid(rule, index,
                   "'Date' in the Expiration action must be later than 'Date' in the Transition "
                   "action");
  }
  return Status::Ok();
}

// nlohmann's get<uint32_t>() accepts -1 and 2^40 by converting them; a stored day count must be
// what was written.
uint32_t DayCount(const json& value) {
  if (!value.is_number_unsigned() || value.get<uint64_t>() > UINT32_MAX) {
    throw std::invalid_argument("a day count must be an unsigned 32-bit integer");
  }
  return static_cast<uint32_t>(value.get<uint64_t>());
}

TimePoint StoredDate(const json& value) {
  std::optional<TimePoint> t = ParseIso8601(value.get<std::string>());
  if (!t) throw std::invalid_argument("a date must be ISO 8601");
  return *t;
}

json EncodeNoncurrent(const NoncurrentAction& action) {
  json out = {{"days", action.noncurrent_days}};
  if (action.newer_noncurrent_versions) out["newer_versions"] = *action.newer_noncurrent_versions;
  if (!action.storage_class.empty()) out["storage_class"] = action.storage_class;
  return out;
}

NoncurrentAction DecodeNoncurrent(const json& value) {
  NoncurrentAction action;
  action.noncurrent_days = DayCount(value.at("days"));
  if (value.contains("newer_versions")) {
    action.newer_noncurrent_versions = DayCount(value["newer_versions"]);
  }
  action.storage_class = value.value("storage_class", "");
  return action;
}

}  // namespace

Status ValidateLifecycle(const LifecycleConfiguration& config) {
  if (config.rules.empty()) {
    return Status(ErrorCode::kMalformedXML, "A lifecycle configuration needs at least one Rule");
  }
  if (config.rules.size() > kMaxRules) {
    return Status(ErrorCode::kInvalidArgument,
                  "A lifecycle configuration can have at most 1000 rules");
  }
  std::set<std::string_view> ids;
  for (size_t i = 0; i < config.rules.size(); ++i) {
    const LifecycleRule& rule = config.rules[i];
    if (Status s = ValidateRule(rule, i); !s.ok()) return s;
    if (!rule.id.empty() && !ids.insert(rule.id).second) {
      return Invalid(rule, i, "Rule ID must be unique. Found same ID for more than one rule");
    }
  }
  return Status::Ok();
}

void AssignRuleIds(LifecycleConfiguration& config) {
  std::set<std::string> ids;
  for (const LifecycleRule& rule : config.rules) ids.insert(rule.id);
  for (LifecycleRule& rule : config.rules) {
    if (!rule.id.empty()) continue;
    do {
      rule.id = RandomString(kGeneratedIdLength, kIdAlphabet);
    } while (!ids.insert(rule.id).second);
  }
}

// {"rules":[{"id":..,"prefix":..,"legacy_prefix":bool,"enabled":bool,
//   "abort_incomplete_days":N,"expiration_days":N,"expiration_date":"ISO 8601",
//   "transition_days":N,"transition_date":"ISO 8601","transition_storage_class":"..",
//   "noncurrent_expiration":{"days":N,"newer_versions":N},
//   "noncurrent_transitions":[{"days":N,"newer_versions":N,"storage_class":".."}],
//   "expired_object_delete_marker":bool}]}
// Absent actions are left out. Decoding ignores keys it does not know, so a newer cairn can add
// fields without an older one refusing the document.
std::string EncodeLifecycle(const LifecycleConfiguration& config) {
  json rules = json::array();
  for (const LifecycleRule& rule : config.rules) {
    json r = {{"id", rule.id},
              {"prefix", rule.prefix},
              {"legacy_prefix", rule.legacy_prefix},
              {"enabled", rule.enabled}};
    if (rule.abort_incomplete_days) r["abort_incomplete_days"] = *rule.abort_incomplete_days;
    if (rule.expiration_days) r["expiration_days"] = *rule.expiration_days;
    if (rule.expiration_date) r["expiration_date"] = FormatIso8601(*rule.expiration_date);
    if (rule.transition_days) r["transition_days"] = *rule.transition_days;
    if (rule.transition_date) r["transition_date"] = FormatIso8601(*rule.transition_date);
    if (!rule.transition_storage_class.empty()) {
      r["transition_storage_class"] = rule.transition_storage_class;
    }
    if (rule.noncurrent_expiration) {
      r["noncurrent_expiration"] = EncodeNoncurrent(*rule.noncurrent_expiration);
    }
    if (!rule.noncurrent_transitions.empty()) {
      json& transitions = r["noncurrent_transitions"] = json::array();
      for (const NoncurrentAction& t : rule.noncurrent_transitions) {
        transitions.push_back(EncodeNoncurrent(t));
      }
    }
    if (rule.expired_object_delete_marker) {
      r["expired_object_delete_marker"] = *rule.expired_object_delete_marker;
    }
    rules.push_back(std::move(r));
  }
  // ValidateLifecycle refuses text that is not UTF-8; the replacing handler only keeps dump()
  // from throwing should an unvalidated configuration arrive here.
  return json{{"rules", std::move(rules)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<LifecycleConfiguration> DecodeLifecycle(std::string_view text) {
  try {
    const json doc = json::parse(text);
    LifecycleConfiguration config;
    for (const json& r : doc.at("rules")) {
      LifecycleRule rule;
      rule.id = r.at("id").get<std::string>();
      rule.prefix = r.at("prefix").get<std::string>();
      rule.legacy_prefix = r.value("legacy_prefix", false);
      rule.enabled = r.at("enabled").get<bool>();
      if (r.contains("abort_incomplete_days")) {
        rule.abort_incomplete_days = DayCount(r["abort_incomplete_days"]);
      }
      if (r.contains("expiration_days")) rule.expiration_days = DayCount(r["expiration_days"]);
      if (r.contains("expiration_date")) rule.expiration_date = StoredDate(r["expiration_date"]);
      if (r.contains("transition_days")) rule.transition_days = DayCount(r["transition_days"]);
      if (r.contains("transition_date")) rule.transition_date = StoredDate(r["transition_date"]);
      rule.transition_storage_class = r.value("transition_storage_class", "");
      if (r.contains("noncurrent_expiration")) {
        rule.noncurrent_expiration = DecodeNoncurrent(r["noncurrent_expiration"]);
      }
      for (const json& t : r.value("noncurrent_transitions", json::array())) {
        rule.noncurrent_transitions.push_back(DecodeNoncurrent(t));
      }
      if (r.contains("expired_object_delete_marker")) {
        rule.expired_object_delete_marker = r["expired_object_delete_marker"].get<bool>();
      }
      config.rules.push_back(std::move(rule));
    }
    return config;
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternalError,
                 std::string("stored lifecycle configuration does not parse: ") + e.what());
  }
}

// PutBucketLifecycleConfiguration, AbortIncompleteMultipartUpload: the upload is aborted
// DaysAfterInitiation days after it was initiated. With several matching rules the one with the
// fewest days wins (the first of equals). No matching rule: R2's default rule of 7 days. Neither
// is rounded to midnight, so the x-amz-abort-date a client sees is the moment its upload becomes
// eligible.
AbortSchedule AbortScheduleFor(const LifecycleConfiguration* config, std::string_view key,
                               TimePoint initiated) {
  const LifecycleRule* winner = nullptr;
  if (config != nullptr) {
    for (const LifecycleRule& rule : config->rules) {
      if (!rule.abort_incomplete_days || !Matches(rule, key)) continue;
      if (winner == nullptr || *rule.abort_incomplete_days < *winner->abort_incomplete_days) {
        winner = &rule;
      }
    }
  }
  if (winner == nullptr) {
    return {std::string(kDefaultAbortRuleId), initiated + kDefaultAbortDays * kDay};
  }
  return {winner->id, initiated + *winner->abort_incomplete_days * kDay};
}

// S3 user guide, "How Amazon S3 handles conflicts in lifecycle configurations": when expiration
// and transition are both due, expiration wins. A transition applies only to STANDARD objects
// (what is already STANDARD_IA stays).
ObjectAction ObjectActionAt(const LifecycleConfiguration& config, std::string_view key,
                            TimePoint last_modified, std::string_view storage_class,
                            TimePoint now) {
  bool transition = false;
  for (const LifecycleRule& rule : config.rules) {
    if (!Matches(rule, key)) continue;
    if (Due(rule.expiration_days, rule.expiration_date, last_modified, now)) {
      return ObjectAction::kExpire;
    }
    if (storage_class == "STANDARD" && !rule.transition_storage_class.empty() &&
        Due(rule.transition_days, rule.transition_date, last_modified, now)) {
      transition = true;
    }
  }
  return transition ? ObjectAction::kTransition : ObjectAction::kNone;
}

}  // namespace cairn::core
