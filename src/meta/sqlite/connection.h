// A thin layer over the SQLite C API for the metadata store: a connection opened with the pragmas
// cairn relies on and a cache of prepared statements, a statement handle that resets itself, a
// transaction guard that rolls back unless committed, and a pool of read connections.
//
// Threading: a Connection is used by one thread at a time (it is opened SQLITE_OPEN_NOMUTEX; the
// store's mutex or the pool's lease provides the exclusion). SQLite itself must be built
// thread-safe, which Open() checks.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace cairn::meta::sqlite {

// The Status for a failed SQLite call: the storage failure for its result code (SQLITE_BUSY and
// SQLITE_LOCKED: kStorageBusy, SQLITE_BUSY_SNAPSHOT: kStorageConflict, SQLITE_FULL:
// kStorageNoSpace, SQLITE_CORRUPT and SQLITE_NOTADB: kStorageCorruption, SQLITE_CANTOPEN:
// kStorageUnavailable, a primary key or unique constraint: kStorageAlreadyExists, anything else,
// SQLITE_IOERR included: kStorageIOError), with `what` and SQLite's message for the log.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// `commit`, the result of a COMMIT, with Error::outcome_unknown set when it failed with an I/O
// error: the WAL frames holding the commit may have been written before the failing write or
// fsync, and a later recovery then finds the transaction committed. Any other failure of COMMIT
// (BUSY, FULL) leaves the transaction uncommitted.
Status CommitOutcome(Status commit);

// A prepared statement borrowed from a Connection's cache. Destroying it resets the statement and
// clears its bindings so the cache can hand it out again. Only one Stmt may hold a given cached
// statement at a time: destroy (or reset()) the old one before preparing the same SQL again.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { Reset(); }

  // Parameters are 1-based, as in SQL. A failed bind is reported by the next Step()/Run().
  Stmt& BindInt(int index, int64_t value);
  Stmt& BindText(int index, std::string_view value);
  // Object keys are bound as BLOBs so that SQLite compares them with memcmp (UTF-8 byte order).
  Stmt& BindBlob(int index, std::string_view value);

  // Advances one row: true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();

  // Columns are 0-based, as in SQLite.
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;

 private:
  void Reset();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

class Connection {
 public:
  struct Options {
    bool read_only = false;  // PRAGMA query_only: a reader can never write by mistake
    bool durable = true;     // synchronous=FULL; false: NORMAL (tests and benchmarks only)
    int busy_timeout_ms = 5000;
  };

  // Opens (creating if needed) the database at `path` in WAL mode with foreign keys on.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, const Options& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, compiled once per connection and cached.
  Result<Stmt> Prepare(std::string_view sql);
  // Runs SQL without parameters or rows (pragmas, DDL, BEGIN/COMMIT).
  Status Exec(const std::string& sql);
  // The first column of the first row of `sql` as an integer (PRAGMA user_version, ...).
  Result<int64_t> QueryInt(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Rolls back on destruction unless Commit() succeeded, so every early return (an error, a failed
// write condition, an exception from the condition) leaves the database untouched.
class Transaction {
 public:
  enum class Mode {
    kDeferred,   // readers: a consistent snapshot for several statements
    kImmediate,  // writers: take the write lock at BEGIN, so a read never has to upgrade
  };
  explicit Transaction(Connection& connection) : connection_(connection) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin(Mode mode);
  Status Commit();

 private:
  Connection& connection_;
  bool active_ = false;
};

// A fixed set of read connections. WAL lets readers run beside the writer and each other, so the
// pool bounds how many SQLite reads run at once; Acquire() waits when all are leased.
class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool& pool, Connection* connection) : pool_(pool), connection_(connection) {}
    ~Lease() { pool_.Release(connection_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_; }

   private:
    ReaderPool& pool_;
    Connection* connection_;
  };

  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> connections);
  Lease Acquire();

 private:
  void Release(Connection* connection);

  std::vector<std::unique_ptr<Connection>> connections_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<Connection*> idle_;  // guarded by mu_
};

}  // namespace cairn::meta::sqlite
