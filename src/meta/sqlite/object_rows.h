// How a core::ObjectRecord maps onto a row of the `objects` table: the column list every object
// query selects, the reader that decodes such a row, and the writer that stores one. Kept apart
// from the store so that the column order is written down in exactly one place.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "core/records.h"
#include "meta/row_columns.h"
#include "meta/sqlite/connection.h"

namespace cairn::meta::sqlite {

// The columns ReadObjectRow() expects, in order (meta/row_columns.h).
using meta::kObjectColumnCount;
using meta::kObjectColumns;
using meta::kObjectColumnsWithExtents;

// Decodes the current row of `stmt`, which selected kObjectColumns (or kObjectColumnsWithExtents
// when `with_extents`).
Result<core::ObjectRecord> ReadObjectRow(const Stmt& stmt, const std::string& bucket,
                                         bool with_extents);

// Inserts `object`, replacing any row with the same bucket and key. Fails with InvalidArgument on
// metadata that JSON cannot carry (text that is not UTF-8); the caller's transaction then rolls
// back.
// Also stores the object's inline bytes (object_data), or removes those of an object it replaces.
Status WriteObjectRow(Connection& connection, const core::ObjectRecord& object);
// Just the object_data part of WriteObjectRow (also for deleting: pass an object without bytes).
Status WriteObjectData(Connection& connection, const core::ObjectRecord& object);

inline int64_t ToMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace cairn::meta::sqlite
