#include "meta/postgres/connection.h"

#include <arpa/inet.h>

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
                                                     const std::string& setup) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (conn == nullptr) return Error(ErrorCode::kStorageUnavailable, "libpq: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    Error error(ErrorCode::kStorageUnavailable, "postgres: " + std::string(PQerrorMessage(conn)));
    PQfinish(conn);
    return error;
  }
  std::unique_ptr<Connection> c(new Connection(conn, setup));
  // Notices (NOTICE: relation already exists, ...) are not for cairn's log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (Status s = c->Setup(); !s.ok()) return s.error();
  return c;
}

Status Connection::Setup() { return setup_.empty() ? Status::Ok() : ExecScript(setup_); }

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
  PGresult* result =
      name->empty()
          ? PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), params.types_.data(),
                         values.data(), lengths.data(), formats.data(),
                         /*resultFormat=*/1)
          : PQexecPrepared(conn_, name->c_str(), static_cast<int>(values.size()), values.data(),
                           lengths.data(), formats.data(), /*resultFormat=*/1);
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
  PGresult* result = PQprepare(conn_, name.c_str(), sql.c_str(),
                               static_cast<int>(params.types_.size()), params.types_.data());
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
  PGresult* result = PQexec(conn_, text.c_str());
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  Status out;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) out = Failure(result);
  PQclear(result);
  return out;
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
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Error(code, "postgres: " + message);
}

}  // namespace cairn::meta::postgres
