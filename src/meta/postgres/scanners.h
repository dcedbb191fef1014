// The engine-neutral walks (meta/list_walk.h, meta/key_search.h, meta/upload_walk.h) over
// PostgreSQL: a scanner turns each Seek into indexed range queries on the primary key (objects)
// or uploads_by_listing (uploads).
//
// Rows are fetched in chunks that start small and grow: a delimiter walk often reads one row and
// then seeks past a common prefix, and must not pay for a thousand rows each time; a walk that
// keeps reading gets ever larger chunks, each a seek after the last row read. The caller runs the
// walk inside one REPEATABLE READ snapshot, so the chunks of a page see one state.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "meta/list_walk.h"
#include "meta/postgres/connection.h"
#include "meta/upload_walk.h"

namespace cairn::meta::postgres {

// A delimiter listing's rule for rolling keys into common prefixes (meta/list_walk.h), for a
// scanner that follows the walk's seeks past each common prefix inside one query.
struct PrefixSkip {
  std::string prefix;
  std::string delimiter;  // not empty, and its last byte is not 0xFF
};

// The skip to give MakeKeyScanner for a listing `query`, when its seeks can be followed in SQL.
std::optional<PrefixSkip> PrefixSkipFor(const core::ListQuery& query);

// Rows of one bucket's objects, with their records (without extents), decoded only on Current().
// With a `skip`, each query returns the rows a delimiter walk visits, seek after seek: the first
// key past each common prefix, found by a recursive query on the server (one index probe per
// prefix, no round trip), so a page of 1,000 common prefixes is one query, not a thousand.
std::unique_ptr<KeyScanner> MakeKeyScanner(Connection& c, const std::string& bucket,
                                           std::optional<PrefixSkip> skip = std::nullopt);

// One bucket's uploads in listing order (key, initiation time, upload id).
std::unique_ptr<UploadScanner> MakeUploadScanner(Connection& c, const std::string& bucket);

}  // namespace cairn::meta::postgres
