// How core::ObjectRecord, core::UploadRecord and core::PartRecord map onto rows of the PostgreSQL
// `objects`, `uploads` and `parts` tables: the readers that decode the columns meta/row_columns.h
// lists, and the writers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/records.h"
#include "meta/postgres/connection.h"
#include "meta/row_columns.h"

namespace cairn::meta::postgres {

// Decodes row `row` of `rows`, which selected kObjectColumns (or kObjectColumnsWithExtents when
// `with_extents`).
Result<core::ObjectRecord> ReadObjectRow(const Rows& rows, int row, const std::string& bucket,
                                         bool with_extents);
// Creates or replaces the object's row (an upsert, so the usage trigger sees an update) and its
// inline bytes, or removes those of `replaced` (the current object, if any) when it had some.
Status WriteObjectRow(Connection& c, const core::ObjectRecord& object,
                      const std::optional<core::ObjectRecord>& replaced);

Result<core::UploadRecord> ReadUploadRow(const Rows& rows, int row);
Status WriteUploadRow(Connection& c, const core::UploadRecord& upload);

// A completed_uploads row (kCompletedUploadColumns), and the insert of a new one.
Result<core::CompletedUploadRecord> ReadCompletedUploadRow(const Rows& rows, int row);
Status WriteCompletedUploadRow(Connection& c, const core::CompletedUploadRecord& record);

Result<core::PartRecord> ReadPartRow(const Rows& rows, int row, bool with_extents);
// Inserts the part, replacing any row with the same upload id and part number.
Status WritePartRow(Connection& c, const std::string& upload_id, const core::PartRecord& part);

inline int64_t ToMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace cairn::meta::postgres
