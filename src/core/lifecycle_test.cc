// Lifecycle rules: S3's configuration checks, the JSON round trip, R2's default abort rule and
// rule precedence, and the midnight-UTC rounding of day-based expiration and transition.
#include "core/lifecycle.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

TimePoint Iso(std::string_view text) {
  std::optional<TimePoint> t = ParseIso8601(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(TimePoint());
}

LifecycleRule AbortRule(std::string id, std::string prefix, uint32_t days) {
  LifecycleRule rule;
  rule.id = std::move(id);
  rule.prefix = std::move(prefix);
  rule.abort_incomplete_days = days;
  return rule;
}

LifecycleRule ExpireAfter(std::string id, std::string prefix, uint32_t days) {
  LifecycleRule rule;
  rule.id = std::move(id);
  rule.prefix = std::move(prefix);
  rule.expiration_days = days;
  return rule;
}

LifecycleRule TransitionAfter(std::string id, std::string prefix, uint32_t days) {
  LifecycleRule rule;
  rule.id = std::move(id);
  rule.prefix = std::move(prefix);
  rule.transition_days = days;
  rule.transition_storage_class = "STANDARD_IA";
  return rule;
}

ErrorCode CodeOf(const LifecycleConfiguration& config) {
  Status s = ValidateLifecycle(config);
  return s.ok() ? ErrorCode::kCount : s.code();
}

TEST(ValidateLifecycle, AcceptsEachAction) {
  LifecycleConfiguration config;
  config.rules.push_back(AbortRule("abort", "", 3));
  config.rules.push_back(ExpireAfter("logs", "logs/", 30));
  config.rules.push_back(TransitionAfter("ia", "old/", 60));
  LifecycleRule dated;
  dated.id = "dated";
  dated.expiration_date = Iso("2031-02-03T00:00:00Z");
  dated.transition_date = Iso("2030-01-01T00:00:00Z");
  dated.transition_storage_class = "STANDARD_IA";
  dated.enabled = false;
  config.rules.push_back(dated);
  Status s = ValidateLifecycle(config);
  EXPECT_TRUE(s.ok()) << s.error().Message();
}

TEST(ValidateLifecycle, RuleCount) {
  EXPECT_EQ(CodeOf({}), ErrorCode::kMalformedXML);
  LifecycleConfiguration many;
  for (int i = 0; i < 1001; ++i) many.rules.push_back(AbortRule("r" + std::to_string(i), "", 1));
  EXPECT_EQ(CodeOf(many), ErrorCode::kInvalidArgument);
  many.rules.pop_back();
  EXPECT_EQ(CodeOf(many), ErrorCode::kCount);
}

TEST(ValidateLifecycle, IdsAreUniqueAndShort) {
  LifecycleConfiguration config;
  config.rules = {AbortRule("same", "a/", 1), AbortRule("same", "b/", 2)};
  Status s = ValidateLifecycle(config);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("'same'"), std::string::npos) << s.error().message;

  config.rules = {AbortRule(std::string(255, 'x'), "", 1)};
  EXPECT_EQ(CodeOf(config), ErrorCode::kCount);
  config.rules = {AbortRule(std::string(256, 'x'), "", 1)};
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
  // Rules without an ID do not collide with each other.
  config.rules = {AbortRule("", "a/", 1), AbortRule("", "b/", 1)};
  EXPECT_EQ(CodeOf(config), ErrorCode::kCount);
}

TEST(ValidateLifecycle, NeedsAnAction) {
  LifecycleConfiguration config;
  config.rules.emplace_back();
  config.rules[0].id = "idle";
  Status s = ValidateLifecycle(config);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("'idle'"), std::string::npos);
}

TEST(ValidateLifecycle, DaysArePositive) {
  LifecycleConfiguration config;
  config.rules = {AbortRule("a", "", 0)};
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
  config.rules = {ExpireAfter("e", "", 0)};
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
  config.rules = {TransitionAfter("t", "", 0)};
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
}

TEST(ValidateLifecycle, DatesAreMidnightUtc) {
  LifecycleConfiguration config;
  LifecycleRule rule;
  rule.id = "d";
  rule.expiration_date = Iso("2030-01-01T00:00:01Z");
  config.rules = {rule};
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
  config.rules[0].expiration_date = Iso("2030-01-01T00:00:00Z");
  EXPECT_EQ(CodeOf(config), ErrorCode::kCount);
  config.rules[0].expiration_days = 3;  // Days and Date together
  EXPECT_EQ(CodeOf(config), ErrorCode::kMalformedXML);
}

TEST(ValidateLifecycle, TransitionOnlyToStandardIa) {
  LifecycleConfiguration config;
  config.rules = {TransitionAfter("t", "", 30)};
  config.rules[0].transition_storage_class = "GLACIER";
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
  config.rules[0].transition_storage_class = "";
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
}

TEST(ValidateLifecycle, ExpirationAfterTransition) {
  LifecycleConfiguration config;
  LifecycleRule rule = TransitionAfter("both", "", 30);
  rule.expiration_days = 30;
  config.rules = {rule};
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
  config.rules[0].expiration_days = 31;
  EXPECT_EQ(CodeOf(config), ErrorCode::kCount);
}

TEST(ValidateLifecycle, TextMustBeUtf8) {
  LifecycleConfiguration config;
  config.rules = {AbortRule("ok", "bad\xff", 1)};
  EXPECT_EQ(CodeOf(config), ErrorCode::kInvalidArgument);
}

TEST(LifecycleJson, RoundTrip) {
  LifecycleConfiguration config;
  config.rules.push_back(AbortRule("abort \"all\"", "", 3));
  LifecycleRule full = TransitionAfter("caf\xc3\xa9", "logs/", 10);
  full.legacy_prefix = true;
  full.enabled = false;
  full.expiration_date = Iso("2031-02-03T00:00:00Z");
  full.noncurrent_expiration = NoncurrentAction{365, 3, ""};
  full.noncurrent_transitions = {{30, std::nullopt, "GLACIER"}, {90, 2, "DEEP_ARCHIVE"}};
  full.expired_object_delete_marker = false;
  config.rules.push_back(full);
  LifecycleRule dated;
  dated.id = "dated";
  dated.transition_date = Iso("2030-01-01T00:00:00Z");
  dated.transition_storage_class = "STANDARD_IA";
  dated.expiration_days = 400;
  config.rules.push_back(dated);

  const std::string json = EncodeLifecycle(config);
  auto back = DecodeLifecycle(json);
  ASSERT_TRUE(back.ok()) << back.error().Message();
  ASSERT_EQ(back->rules.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const LifecycleRule& a = config.rules[i];
    const LifecycleRule& b = back->rules[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.prefix, b.prefix);
    EXPECT_EQ(a.legacy_prefix, b.legacy_prefix);
    EXPECT_EQ(a.enabled, b.enabled);
    EXPECT_EQ(a.abort_incomplete_days, b.abort_incomplete_days);
    EXPECT_EQ(a.expiration_days, b.expiration_days);
    EXPECT_EQ(a.expiration_date, b.expiration_date);
    EXPECT_EQ(a.transition_days, b.transition_days);
    EXPECT_EQ(a.transition_date, b.transition_date);
    EXPECT_EQ(a.transition_storage_class, b.transition_storage_class);
    EXPECT_EQ(a.noncurrent_expiration, b.noncurrent_expiration);
    EXPECT_EQ(a.noncurrent_transitions, b.noncurrent_transitions);
    EXPECT_EQ(a.expired_object_delete_marker, b.expired_object_delete_marker);
  }
  // The stored text is stable: encoding what was decoded gives the same document.
  EXPECT_EQ(EncodeLifecycle(*back), json);
}

TEST(ValidateLifecycle, VersioningActionsAloneAreActions) {
  LifecycleRule noncurrent;
  noncurrent.noncurrent_expiration = NoncurrentAction{30, std::nullopt, ""};
  LifecycleRule transition;
  transition.noncurrent_transitions = {{30, std::nullopt, "GLACIER_IR"}};
  LifecycleRule markers;
  markers.expired_object_delete_marker = true;
  for (const LifecycleRule& rule : {noncurrent, transition, markers}) {
    Status s = ValidateLifecycle(LifecycleConfiguration{{rule}});
    EXPECT_TRUE(s.ok()) << s.error().Message();
  }
}

TEST(AssignRuleIds, RulesWithoutAnIdGetUniqueOnes) {
  LifecycleConfiguration config{
      {AbortRule("", "a/", 1), AbortRule("named", "b/", 1), AbortRule("", "c/", 1)}};
  AssignRuleIds(config);
  EXPECT_EQ(config.rules[1].id, "named");
  EXPECT_EQ(config.rules[0].id.size(), 48u);
  EXPECT_EQ(config.rules[2].id.size(), 48u);
  EXPECT_NE(config.rules[0].id, config.rules[2].id);
  EXPECT_TRUE(ValidateLifecycle(config).ok());
  // Stored IDs are kept: assigning again changes nothing.
  const std::string first = config.rules[0].id;
  AssignRuleIds(config);
  EXPECT_EQ(config.rules[0].id, first);
}

TEST(LifecycleJson, DamagedDocumentsAreInternalErrors) {
  for (std::string_view bad :
       {"", "not json", "{}", R"({"rules":[{"id":"x"}]})",
        R"({"rules":[{"id":"x","prefix":"","enabled":true,"expiration_days":-1}]})",
        R"({"rules":[{"id":"x","prefix":"","enabled":true,"expiration_days":4294967296}]})",
        R"({"rules":[{"id":"x","prefix":"","enabled":true,"expiration_date":"tomorrow"}]})",
        R"({"rules":[{"id":1,"prefix":"","enabled":true}]})"}) {
    auto r = DecodeLifecycle(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInternalError) << bad;
  }
}

TEST(LifecycleJson, UnknownKeysAreIgnored) {
  auto r = DecodeLifecycle(
      R"({"version":2,"rules":[{"id":"x","prefix":"p/","enabled":true,"abort_incomplete_days":2,"tags":[]}]})");
  ASSERT_TRUE(r.ok()) << r.error().Message();
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].abort_incomplete_days, 2u);
  EXPECT_FALSE(r->rules[0].legacy_prefix);
}

TEST(AbortScheduleFor, DefaultIsSevenDaysWithR2RuleId) {
  const TimePoint initiated = Iso("2024-05-01T10:30:00.250Z");
  AbortSchedule s = AbortScheduleFor(nullptr, "any/key", initiated);
  EXPECT_EQ(s.rule_id, "Default Multipart Abort Rule");
  EXPECT_EQ(s.abort_at, Iso("2024-05-08T10:30:00.250Z"));

  // A configuration without abort rules keeps the default.
  LifecycleConfiguration config;
  config.rules = {ExpireAfter("e", "", 1)};
  EXPECT_EQ(AbortScheduleFor(&config, "k", initiated).rule_id, kDefaultAbortRuleId);
}

TEST(AbortScheduleFor, MatchingRuleReplacesTheDefault) {
  LifecycleConfiguration config;
  config.rules = {AbortRule("long", "", 30), AbortRule("uploads", "uploads/", 1)};
  const TimePoint initiated = Iso("2024-05-01T10:30:00Z");
  AbortSchedule s = AbortScheduleFor(&config, "uploads/big.bin", initiated);
  EXPECT_EQ(s.rule_id, "uploads");
  EXPECT_EQ(s.abort_at, initiated + hours(24));
  // A rule with more days than the default still replaces it for the keys it matches.
  s = AbortScheduleFor(&config, "other", initiated);
  EXPECT_EQ(s.rule_id, "long");
  EXPECT_EQ(s.abort_at, initiated + hours(24 * 30));
}

TEST(AbortScheduleFor, FewestDaysWinsAndDisabledRulesDoNotCount) {
  LifecycleConfiguration config;
  config.rules = {AbortRule("five", "a/", 5), AbortRule("two", "a/b/", 2), AbortRule("off", "", 1)};
  config.rules[2].enabled = false;
  const TimePoint initiated = Iso("2024-01-01T00:00:00Z");
  EXPECT_EQ(AbortScheduleFor(&config, "a/b/c", initiated).rule_id, "two");
  EXPECT_EQ(AbortScheduleFor(&config, "a/x", initiated).rule_id, "five");
  EXPECT_EQ(AbortScheduleFor(&config, "z", initiated).rule_id, kDefaultAbortRuleId);
}

TEST(ObjectActionAt, ExpirationRoundsUpToMidnightUtc) {
  // S3's worked example: created 2014-01-15 10:30 UTC, 3 days -> eligible 2014-01-19 00:00 UTC.
  LifecycleConfiguration config;
  config.rules = {ExpireAfter("e", "logs/", 3)};
  const TimePoint created = Iso("2014-01-15T10:30:00Z");
  const TimePoint midnight = Iso("2014-01-19T00:00:00Z");
  EXPECT_EQ(ObjectActionAt(config, "logs/a", created, "STANDARD", midnight - milliseconds(1)),
            ObjectAction::kNone);
  EXPECT_EQ(ObjectActionAt(config, "logs/a", created, "STANDARD", midnight), ObjectAction::kExpire);
  EXPECT_EQ(ObjectActionAt(config, "other", created, "STANDARD", midnight + hours(1000)),
            ObjectAction::kNone);
}

TEST(ObjectActionAt, ExactlyMidnightIsNotPushedADay) {
  LifecycleConfiguration config;
  config.rules = {ExpireAfter("e", "", 1)};
  const TimePoint created = Iso("2024-03-10T00:00:00Z");
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", Iso("2024-03-11T00:00:00Z")),
            ObjectAction::kExpire);
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", Iso("2024-03-10T23:59:59.999Z")),
            ObjectAction::kNone);
}

TEST(ObjectActionAt, ExpirationByDate) {
  LifecycleConfiguration config;
  LifecycleRule rule;
  rule.id = "d";
  rule.expiration_date = Iso("2030-01-01T00:00:00Z");
  config.rules = {rule};
  const TimePoint created = Iso("2020-01-01T00:00:00Z");
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", Iso("2029-12-31T23:59:59Z")),
            ObjectAction::kNone);
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", Iso("2030-01-01T00:00:00Z")),
            ObjectAction::kExpire);
  // An object written after the date is expired as soon as the sweeper sees it, as in S3.
  EXPECT_EQ(ObjectActionAt(config, "k", Iso("2031-01-01T00:00:00Z"), "STANDARD",
                           Iso("2031-01-01T00:00:01Z")),
            ObjectAction::kExpire);
}

TEST(ObjectActionAt, TransitionOnlyFromStandard) {
  LifecycleConfiguration config;
  config.rules = {TransitionAfter("t", "", 30)};
  const TimePoint created = Iso("2024-01-01T12:00:00Z");
  const TimePoint due = Iso("2024-02-01T00:00:00Z");
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", due - milliseconds(1)),
            ObjectAction::kNone);
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", due), ObjectAction::kTransition);
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD_IA", due), ObjectAction::kNone);

  LifecycleRule dated;
  dated.id = "dated";
  dated.transition_date = Iso("2025-01-01T00:00:00Z");
  dated.transition_storage_class = "STANDARD_IA";
  config.rules = {dated};
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", Iso("2025-01-01T00:00:00Z")),
            ObjectAction::kTransition);
}

TEST(ObjectActionAt, ExpirationWinsOverTransition) {
  LifecycleConfiguration config;
  // The transition rule comes first; the expiration of a later rule still wins.
  config.rules = {TransitionAfter("t", "", 1), ExpireAfter("e", "", 2)};
  const TimePoint created = Iso("2024-01-01T12:00:00Z");
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", Iso("2024-01-03T00:00:00Z")),
            ObjectAction::kTransition);
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD", Iso("2024-01-04T00:00:00Z")),
            ObjectAction::kExpire);
  EXPECT_EQ(ObjectActionAt(config, "k", created, "STANDARD_IA", Iso("2024-01-04T00:00:00Z")),
            ObjectAction::kExpire);
}

TEST(ObjectActionAt, VersioningActionsNeverActOnObjects) {
  // Without versions there is no noncurrent version and no delete marker to act on.
  LifecycleRule rule;
  rule.noncurrent_expiration = NoncurrentAction{1, std::nullopt, ""};
  rule.noncurrent_transitions = {{1, std::nullopt, "STANDARD_IA"}};
  rule.expired_object_delete_marker = true;
  const LifecycleConfiguration config{{rule}};
  const TimePoint written = Iso("2030-01-01T00:00:00Z");
  EXPECT_EQ(ObjectActionAt(config, "k", written, "STANDARD", written + hours(24 * 3650)),
            ObjectAction::kNone);
}

TEST(ObjectActionAt, DisabledRulesDoNothing) {
  LifecycleConfiguration config;
  config.rules = {ExpireAfter("e", "", 1)};
  config.rules[0].enabled = false;
  EXPECT_EQ(ObjectActionAt(config, "k", Iso("2000-01-01T00:00:00Z"), "STANDARD",
                           Iso("2024-01-01T00:00:00Z")),
            ObjectAction::kNone);
}

}  // namespace
}  // namespace cairn::core
