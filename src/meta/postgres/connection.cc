#include "meta/postgres/connection.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cairn::meta::postgres {
namespace {

// Type OIDs (pg_type.h, stable across releases).
constexpr unsigned int kByteaOid = 17;
constexpr unsigned int kInt8Oid = 20;
constexpr unsigned int kTextOid = 25;

// What a SQLSTATE means for cairn. Class 08 and the shutdown codes: the server is out of reach;
// lock waits, statement timeouts and too many connections: it is overloaded (both answer 503 and
// the client retries); 22: a value PostgreSQL refuses (text that is not valid UTF-8, a NUL byte).
ErrorCode CodeFor(std::string_view state) {
  if (state.empty() || state.starts_with("08") || state == "57P01" || state == "57P02" ||
      state == "57P03") {
    return ErrorCode::kStorageUnavailable;
  }
  if (state == kSerializationFailure || state == kDeadlockDetected) {
    return ErrorCode::kStorageConflict;
  }
  if (state == "55P03" || state == "57014" || state == "53300") return ErrorCode::kStorageBusy;
  if (state == "53100") return ErrorCode::kStorageNoSpace;
  if (state == "23505") return ErrorCode::kStorageAlreadyExists;
  if (state.starts_with("22")) return ErrorCode::kInvalidArgument;
  if (state == "XX001" || state == "XX002") return ErrorCode::kStorageCorruption;
  return ErrorCode::kStorageIOError;
}

}  // namespace

Params& Params::Text(std::string_view value) {
  Add(kTextOid, std::string(value));
  return *this;
}

Params& Params::Bytes(std::string_view value) {
  Add(kByteaOid, std::string(value));
  return *this;
}

Params& Params::Int(int64_t value) {
  const uint64_t v = static_cast<uint64_t>(value);
  const uint32_t be[2] = {htonl(static_cast<uint32_t>(v >> 32)), htonl(static_cast<uint32_t>(v))};
  Add(kInt8Oid, std::string(reinterpret_cast<const char*>(be), sizeof(be)));
  return *this;
}

void Params::Add(unsigned int type, std::string value) {
  types_.push_back(type);
  values_.push_back(std::move(value));
}

std::string Rows::Bytes(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

int64_t Rows::Int(int row, int column) const {
  uint32_t be[2];
  std::memcpy(be, PQgetvalue(result_.get(), row, column), sizeof(be));
  return static_cast<int64_t>((uint64_t{ntohl(be[0])} << 32) | ntohl(be[1]));
}

bool Rows::Bool(int row, int column) const {
  return PQgetvalue(result_.get(), row, column)[0] != 0;
}

int64_t Rows::Affected() const {
  const char* n = PQcmdTuples(result_.get());
  return *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& uri,
                                                     SessionOptions options) {
  // connect_timeout before the URI, so that one the URI gives wins (libpq takes the last);
  // libpq's least is 2 s.
  const std::string connect_seconds =
      std::to_string(std::max<int64_t>(2, (options.answer_timeout.count() + 999) / 1000));
  const bool bounded = options.answer_timeout.count() > 0;
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {connect_seconds.c_str(), uri.c_str(), nullptr};
  // (libpq expands only the first dbname given, so the timeout is left out, not emptied.)
  PGconn* conn = PQconnectdbParams(keywords + (bounded ? 0 : 1), values + (bounded ? 0 : 1),
                                   /*expand_dbname=*/1);
  if (conn == nullptr) return Error(ErrorCode::kStorageUnavailable, "libpq: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    Error error(ErrorCode::kStorageUnavailable, "postgres: " + std::string(PQerrorMessage(conn)));
    PQfinish(conn);
    return error;
  }
  std::unique_ptr<Connection> c(new Connection(conn, std::move(options)));
  // Notices (NOTICE: relation already exists, ...) are not for cairn's log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (Status s = c->Setup(); !s.ok()) return s.error();
  return c;
}

Status Connection::Setup() {
  return options_.setup.empty() ? Status::Ok() : ExecScript(options_.setup);
}

Connection::~Connection() { PQfinish(conn_); }

Result<Rows> Connection::Exec(std::string_view sql, const Params& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats(params.values_.size(), 1);
  for (const std::string& v : params.values_) {
    values.push_back(v.data());
    lengths.push_back(static_cast<int>(v.size()));
  }
  const std::string text(sql);
  Result<std::string> name = Prepared(text, params);
  if (!name.ok()) return name.error();
  const int sent =
      name->empty()
          ? PQsendQueryParams(conn_, text.c_str(), static_cast<int>(values.size()),
                              params.types_.data(), values.data(), lengths.data(), formats.data(),
                              /*resultFormat=*/1)
          : PQsendQueryPrepared(conn_, name->c_str(), static_cast<int>(values.size()),
                                values.data(), lengths.data(), formats.data(), /*resultFormat=*/1);
  PGresult* result = AwaitResult(sent != 0);
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = Failure(result);
    PQclear(result);
    return error;
  }
  sqlstate_.clear();
  return Rows(result);
}

Result<std::string> Connection::Prepared(const std::string& sql, const Params& params) {
  // cairn's statements are fixed texts; the bound keeps a caller that built texts from data from
  // growing the session without end.
  constexpr size_t kMaxPrepared = 512;
  // A text is prepared with its parameters' types, so the types are part of what names it.
  std::string key = sql;
  for (unsigned int type : params.types_) key += "\n" + std::to_string(type);
  if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
  if (prepared_.size() == kMaxPrepared) return std::string();
  std::string name = "cairn_" + std::to_string(prepared_.size());
  PGresult* result =
      AwaitResult(PQsendPrepare(conn_, name.c_str(), sql.c_str(),
                                static_cast<int>(params.types_.size()), params.types_.data()) != 0);
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK) {
    Error error = Failure(result);
    PQclear(result);
    return error;
  }
  PQclear(result);
  prepared_.emplace(std::move(key), name);
  return name;
}

Status Connection::ExecScript(std::string_view sql) {
  const std::string text(sql);
  PGresult* result = AwaitResult(PQsendQuery(conn_, text.c_str()) != 0);
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  Status out;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) out = Failure(result);
  PQclear(result);
  return out;
}

PGresult* Connection::AwaitResult(bool sent) {
  unanswered_.clear();
  if (!sent) return nullptr;
  using Clock = std::chrono::steady_clock;
  const bool bounded = options_.answer_timeout.count() > 0;
  const Clock::time_point deadline = Clock::now() + options_.answer_timeout;
  PGresult* kept = nullptr;
  for (;;) {
    while (PQisBusy(conn_)) {
      int wait_ms = -1;
      if (bounded) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        wait_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
      }
      pollfd socket{.fd = PQsocket(conn_), .events = POLLIN, .revents = 0};
      const int ready = ::poll(&socket, 1, wait_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) {
        // No answer in time: the session is given up. Shutting its socket down makes libpq see
        // the connection end, so the session reads as broken and is reconnected when next used.
        ::shutdown(PQsocket(conn_), SHUT_RDWR);
        (void)PQconsumeInput(conn_);
        while (PGresult* late = PQgetResult(conn_)) PQclear(late);
        PQclear(kept);
        unanswered_ = "postgres: no answer from the server within " +
                      std::to_string(options_.answer_timeout.count()) + " ms";
        return nullptr;
      }
      if (!PQconsumeInput(conn_)) break;  // the connection failed: PQgetResult reports it
    }
    PGresult* next = PQgetResult(conn_);
    if (next == nullptr) return kept;
    // A script stops at its first failure; keep that one, else the last result.
    const ExecStatusType status = PQresultStatus(kept);
    if (kept != nullptr && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      PQclear(next);
    } else {
      PQclear(kept);
      kept = next;
    }
  }
}

Status Connection::Reset() {
  PQreset(conn_);
  prepared_.clear();  // a new session has none
  if (broken()) {
    return Status(ErrorCode::kStorageUnavailable,
                  "postgres: " + std::string(PQerrorMessage(conn_)));
  }
  return Setup();
}

Error Connection::Failure(const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  sqlstate_ = state ? state : "";
  // No SQLSTATE: libpq itself failed, which is a lost connection unless the session still stands.
  const ErrorCode code =
      sqlstate_.empty() && !broken() ? ErrorCode::kStorageIOError : CodeFor(sqlstate_);
  std::string message = result ? PQresultErrorMessage(result) : unanswered_;
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Error(code, "postgres: " + message);
}

}  // namespace cairn::meta::postgres
