// SQLite connection, statement, transaction and reader-pool helpers; see connection.h.
#include "meta/sqlite/connection.h"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace cairn::meta::sqlite {

namespace {

// The storage failure for SQLite's result code `rc` (extended codes are on).
ErrorCode CodeFor(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
      // A WAL read snapshot too old to write from: another writer got in between. Not a lock
      // held too long, a conflict that a retry of the whole request resolves.
      if (rc == SQLITE_BUSY_SNAPSHOT) return ErrorCode::kStorageConflict;
      return ErrorCode::kStorageBusy;  // still locked when the busy timeout ran out
    case SQLITE_LOCKED:
      return ErrorCode::kStorageBusy;
    case SQLITE_FULL:
      return ErrorCode::kStorageNoSpace;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kStorageCorruption;
    case SQLITE_CANTOPEN:
      return ErrorCode::kStorageUnavailable;
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return ErrorCode::kStorageAlreadyExists;
      }
      return ErrorCode::kStorageIOError;
    default:
      return ErrorCode::kStorageIOError;  // SQLITE_IOERR and whatever has no code of its own
  }
}

Status ErrorFor(int rc, std::string_view what, std::string_view detail) {
  return Status(CodeFor(rc), "sqlite: " + std::string(what) + ": " + std::string(detail));
}

}  // namespace

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  return ErrorFor(rc, what, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

Status CommitOutcome(Status commit) {
  if (commit.ok() || commit.code() != ErrorCode::kStorageIOError) return commit;
  Error error = commit.error();
  error.outcome_unknown = true;
  return error;
}

// --- Stmt ---

Stmt::Stmt(Stmt&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    Reset();
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

void Stmt::Reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  stmt_ = nullptr;
}

Stmt& Stmt::BindInt(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindText(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindBlob(int index, std::string_view value) {
  // A null pointer would bind SQL NULL; an empty key must stay a zero-length BLOB.
  const char* data = value.empty() ? "" : value.data();
  int rc = sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Result<bool> Stmt::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(db_, bind_rc_, "bind");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, sqlite3_sql(stmt_));
}

Status Stmt::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

int64_t Stmt::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Stmt::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

std::string Stmt::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string(static_cast<const char*>(data), sqlite3_column_bytes(stmt_, column));
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     const Options& options) {
  if (sqlite3_threadsafe() == 0) {
    return Error(ErrorCode::kStorageUnavailable, "sqlite: library built without thread support");
  }
  // SQLite creates the file 0644 (less the umask) and gives its -wal and -shm files the mode of
  // the database file: created here first, all three are the owner's alone.
  if (int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<Connection> connection(new Connection(db));  // closes db on every path
  if (rc != SQLITE_OK) return SqliteError(db, rc, "open " + path);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);

  // journal_mode answers with the mode in force; anything but "wal" (a read-only medium, a VFS
  // without shared memory) would silently lose reader concurrency, so refuse it.
  {
    Result<Stmt> wal = connection->Prepare("PRAGMA journal_mode=WAL");
    if (!wal.ok()) return wal.error();
    Result<bool> row = wal->Step();
    if (!row.ok()) return row.error();
    if (!*row || wal->ColumnText(0) != "wal") {
      return Error(ErrorCode::kStorageUnavailable, "sqlite: cannot put " + path + " in WAL mode");
    }
  }

  // FULL: WAL commits fsync the log, so an acknowledged write survives power loss.
  std::string pragmas = options.durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  pragmas += "PRAGMA foreign_keys=ON;";
  // Bounds the WAL file that a long burst of writes leaves behind once it is checkpointed.
  pragmas += "PRAGMA journal_size_limit=67108864;";

  if (options.read_only) pragmas += "PRAGMA query_only=ON;";
  if (Status s = connection->Exec(pragmas); !s.ok()) return s;
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Stmt> Connection::Prepare(std::string_view sql) {
  std::string text(sql);
  auto it = cache_.find(text);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, text.data(), static_cast<int>(text.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare " + text);
    it = cache_.emplace(std::move(text), stmt).first;
  }
  return Stmt(db_, it->second);
}

Status Connection::Exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return ErrorFor(rc, sql, detail);
}

Result<int64_t> Connection::QueryInt(const std::string& sql) {
  Result<Stmt> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Error(ErrorCode::kStorageIOError, "sqlite: no row from " + sql);
  return stmt->ColumnInt(0);
}

// --- Transaction ---

Transaction::~Transaction() {
  if (active_) (void)connection_.Exec("ROLLBACK");
}

Status Transaction::Begin(Mode mode) {
  Status s = connection_.Exec(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
  active_ = s.ok();
  return s;
}

Status Transaction::Commit() {
  Status s = CommitOutcome(connection_.Exec("COMMIT"));
  // A failed COMMIT may leave the transaction open (SQLITE_BUSY); the destructor rolls it back.
  if (s.ok()) active_ = false;
  return s;
}

// --- ReaderPool ---

ReaderPool::ReaderPool(std::vector<std::unique_ptr<Connection>> connections)
    : connections_(std::move(connections)) {
  for (auto& c : connections_) idle_.push_back(c.get());
}

ReaderPool::Lease ReaderPool::Acquire() {
  std::unique_lock lock(mu_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  Connection* connection = idle_.back();
  idle_.pop_back();
  return Lease(*this, connection);
}

void ReaderPool::Release(Connection* connection) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(connection);
  }
  available_.notify_one();
}

}  // namespace cairn::meta::sqlite
