// The binding's onlyIf, by R2's rules (docs/r2-binding-protocol.md §2.4; Miniflare's R2 simulator
// evaluates them the same way, "adapted from the internal R2 gateway"). They differ from S3's
// conditional headers: a weak etag never satisfies etagMatches, a missing object fails only
// etagMatches and uploadedAfter, and a passing etag condition overrides the date beside it.
#pragma once

#include <optional>

#include "core/preconditions.h"
#include "s3/r2_binding/binding_request.h"

namespace cairn::s3::binding {

// Whether `c` holds for `current` (nullopt: there is no object).
bool ConditionHolds(const Conditional& c, const std::optional<core::ObjectState>& current);

}  // namespace cairn::s3::binding
