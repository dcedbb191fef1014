// How access keys look to people (docs/access-keys.md has their JSON): the table of `cairn key
// list`, and the lines of a key or temporary credential just issued, the only time its secret is
// shown. --json prints the admin API's own documents instead, so these are for eyes only.
#pragma once

#include <string>

#include "cli/output.h"

namespace cairn::cli {

// What a key may reach: "all" for an admin key (it has no scope), else its buckets and prefixes,
// "buckets: photos, logs; prefixes: uploads/" (or "buckets: all").
std::string KeyScope(const Json& key);

// A table of the keys of {"keys": [...]} (id, name, permission, scope, created, last used,
// expires), one line each with a header, columns aligned. Never a secret: the list has none.
std::string KeyTable(const Json& list);

// "name:   value" lines of an issued key or credential (create, rotate, temp): its id, secret,
// session token, name, permission, scope and expiry, and for a `rotation` until when the old
// secret works.
std::string DescribeIssuedKey(const Json& issued, bool rotation = false);

}  // namespace cairn::cli
