#include "s3/r2_binding/binding_conditions.h"

#include <algorithm>

namespace cairn::s3::binding {
namespace {

bool IsWildcard(const EtagCondition& e) { return e.kind == EtagCondition::Kind::kWildcard; }

}  // namespace

bool ConditionHolds(const Conditional& c, const std::optional<core::ObjectState>& current) {
  if (!current) return c.etag_matches.empty() && !c.uploaded_after;
  const std::string& etag = current->etag;
  const bool if_match =
      c.etag_matches.empty() ||
      std::any_of(c.etag_matches.begin(), c.etag_matches.end(), [&](const EtagCondition& e) {
        return IsWildcard(e) || (e.kind == EtagCondition::Kind::kStrong && e.value == etag);
      });
  const bool if_none_match =
      c.etag_does_not_match.empty() ||
      std::none_of(c.etag_does_not_match.begin(), c.etag_does_not_match.end(),
                   [&](const EtagCondition& e) { return IsWildcard(e) || e.value == etag; });
  // With seconds granularity (the Headers form: HTTP dates have whole seconds) every time is
  // truncated to its second before the comparison.
  auto at = [&](uint64_t ms) { return c.seconds_granularity ? ms / 1000 * 1000 : ms; };
  const uint64_t uploaded =
      at(static_cast<uint64_t>(current->last_modified.time_since_epoch().count()));
  const bool modified_since = !c.uploaded_after || at(*c.uploaded_after) < uploaded ||
                              (!c.etag_does_not_match.empty() && if_none_match);
  const bool unmodified_since = !c.uploaded_before || uploaded < at(*c.uploaded_before) ||
                                (!c.etag_matches.empty() && if_match);
  return if_match && if_none_match && modified_since && unmodified_since;
}

}  // namespace cairn::s3::binding
