// How the PostgreSQL engine runs a call: on a leased connection, in a transaction of the kind the
// call needs, retried when PostgreSQL reports a serialization failure or a deadlock.
//
// Isolation (why READ COMMITTED is enough for writes): every write that concerns one key (a PUT,
// a DELETE, a part upload, a Complete, an Abort) first takes a transaction-scoped advisory lock on
// a hash of (bucket, key) (LockKey in queries.h), so writes to one key from every gateway run one
// after the other, and each reads, after the lock, the latest committed row. That makes a
// WriteCondition exact (one winner among conditional creates), a part re-upload replace exactly
// one row, and a Complete racing an Abort or a part upload see the other's effect or none. What
// writes to different keys share is changed by single-statement increments that PostgreSQL makes
// atomic under row locks: blob reference counts (taken in blob-id order, so two writes cannot
// deadlock on them) and the usage counter deltas (schema.cc). SERIALIZABLE would give the same
// guarantees but fail (and retry) on every false positive of its predicate locks under load.
//
// Reads that take several statements (a listing page, ListParts) run in one REPEATABLE READ
// snapshot; single-statement reads run without a transaction.
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "common/status.h"
#include "meta/postgres/pool.h"

namespace cairn::meta::postgres {

enum class TxnKind {
  kNone,      // autocommit: one statement
  kWrite,     // READ COMMITTED read-write
  kSnapshot,  // REPEATABLE READ READ ONLY
};

// Runs `body` in a transaction of `kind` on a connection of `pool`. A kStorageConflict (40001,
// 40P01) or a connection lost before COMMIT rolls back and runs `body` again, a bounded number of
// times; a connection lost during COMMIT returns kStorageUnavailable with outcome_unknown set.
Status RunTransaction(ConnectionPool& pool, TxnKind kind,
                      const std::function<Status(Connection&)>& body);

template <typename T>
Result<T> InTransaction(ConnectionPool& pool, TxnKind kind,
                        const std::function<Result<T>(Connection&)>& body) {
  std::optional<Result<T>> out;
  Status s = RunTransaction(pool, kind, [&](Connection& c) -> Status {
    out.emplace(body(c));
    return out->status();
  });
  if (!s.ok()) return s.error();
  return std::move(*out);
}

}  // namespace cairn::meta::postgres
