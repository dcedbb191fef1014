// The substring search of MetaStore::SearchObjects, apart from any engine: an engine supplies a
// KeyScanner (list_walk.h) over one bucket's keys and WalkSearch turns it into one page.
//
// Why a budget: a rare substring in a bucket of millions of keys would otherwise read every key
// before answering. The walk reads at most query.scan_budget keys (plus one, to tell whether more
// remain) and returns where it stopped, so every page costs bounded work and the caller goes on
// from there. Only matches are decoded (KeyScanner::Current).
#pragma once

#include <string_view>

#include "common/status.h"
#include "core/records.h"
#include "meta/list_walk.h"

namespace cairn::meta {

// Whether `key` contains `substring` as bytes (an empty substring is in every key). With
// `ignore_ascii_case`, A-Z and a-z match each other; every other byte matches only itself, so a
// UTF-8 substring still matches exactly.
bool KeyContains(std::string_view key, std::string_view substring, bool ignore_ascii_case);

// One page of query's search over `scanner`'s keys. A scan_budget of 0 counts as 1, so that every
// truncated page moves on.
Result<core::SearchPage> WalkSearch(const core::SearchQuery& query, KeyScanner& scanner);

}  // namespace cairn::meta
