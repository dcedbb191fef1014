// The bytes a binding get asks for (docs/r2-binding-protocol.md §2.3): R2's range object, or a
// Range header the Worker passed on.
#pragma once

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "core/range.h"
#include "s3/r2_binding/binding_request.h"

namespace cairn::s3::binding {

// The range to send of an object of `size` bytes; nullopt: all of it.
// - {offset?, length?}: offset 0 and the rest of the object by default, a length running past the
//   end is cut there; an offset at or past the end or a length of 0 is InvalidRange.
// - {suffix}: the last `suffix` bytes, all of them when the object is shorter; 0 is InvalidRange.
// - a Range header: its one satisfiable range; anything else (invalid, several ranges,
//   unsatisfiable) gets the whole object, as R2 answers it.
Result<std::optional<core::ByteRange>> SelectRange(const BindingRequest& request, uint64_t size);

}  // namespace cairn::s3::binding
