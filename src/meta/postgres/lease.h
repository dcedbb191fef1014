// MetaStore::TryLease on PostgreSQL: a session-level advisory lock on a connection of its own.
//
// Why a session lock on its own connection, rather than FOR UPDATE SKIP LOCKED on the rows a sweep
// expires or a transaction-scoped lock: a lifecycle sweep is many short transactions (one per
// object or batch, so requests keep flowing) that may take minutes. A transaction held open
// across them would be ended by idle_in_transaction_session_timeout, and a pool connection held
// for the whole sweep would starve a small pool (with --meta-pool 1, deadlock it). A dedicated
// session holds the lock for as long as the holder lives and costs one connection per sweep round;
// if that session dies (PostgreSQL restarts), the lock goes with it and another gateway may start
// a sweep too, which is only duplicate work: every step of a sweep is a conditional transaction
// that skips what vanished or changed under it.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "meta/meta_store.h"
#include "meta/postgres/connection.h"

namespace cairn::meta::postgres {

// Connects to `uri` (with `session`, as the pool's connections) and takes lease `name` if no
// other session holds it; null when one does. Errors: kStorageUnavailable and the like.
Result<std::unique_ptr<MetaStore::Lease>> TryAdvisoryLease(const std::string& uri,
                                                           const SessionOptions& session,
                                                           const std::string& name);

}  // namespace cairn::meta::postgres
