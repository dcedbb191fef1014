// How core::UploadRecord, core::PartRecord and core::CompletedUploadRecord map onto rows of the
// `uploads`, `parts` and `completed_uploads` tables:
// the column lists the queries select, the readers that decode such rows, and the writers. Like
// object_rows.h, it keeps each column order written down in one place.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "core/records.h"
#include "meta/row_columns.h"
#include "meta/sqlite/connection.h"

namespace cairn::meta::sqlite {

// The columns ReadUploadRow() expects, in order.
using meta::kUploadColumns;  // meta/row_columns.h
Result<core::UploadRecord> ReadUploadRow(const Stmt& stmt);
// Inserts a new upload row (a repeated upload id is an error: ids are random and never reused).
Status WriteUploadRow(Connection& connection, const core::UploadRecord& upload);

// The columns ReadPartRow() expects; kPartColumnsWithExtents appends `extents`.
using meta::kPartColumns;
using meta::kPartColumnsWithExtents;
Result<core::PartRecord> ReadPartRow(const Stmt& stmt, bool with_extents);
// Inserts the part, replacing any row with the same upload id and part number.
Status WritePartRow(Connection& connection, const std::string& upload_id,
                    const core::PartRecord& part);

// The columns ReadCompletedUploadRow() expects, in order.
Result<core::CompletedUploadRecord> ReadCompletedUploadRow(const Stmt& stmt);
// Inserts the record of a completion (its upload id is new: an upload completes once).
Status WriteCompletedUploadRow(Connection& connection, const core::CompletedUploadRecord& record);

}  // namespace cairn::meta::sqlite
