// A thin RAII layer over libpq for the PostgreSQL metadata engine: one connection, parameterized
// statements, results, and the mapping from a SQLSTATE to cairn's storage ErrorCodes.
//
// Every statement is sent with typed, binary parameters and gets binary results: keys
// are bytea and travel as raw bytes (no escaping, no text encoding), integers are int8. Columns a
// query selects must therefore be text, bytea, int8 or bool (cast sums and counts to int8).
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace cairn::meta::postgres {

// The parameters of one statement, $1, $2, ... in the order they are added.
class Params {
 public:
  Params& Text(std::string_view value);
  Params& Bytes(std::string_view value);  // bytea
  Params& Int(int64_t value);             // int8
 private:
  friend class Connection;
  void Add(unsigned int type, std::string value);
  std::vector<unsigned int> types_;
  std::vector<std::string> values_;
};

// A statement's result rows (binary format).
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, &PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  // Text and bytea columns alike: their bytes.
  std::string Bytes(int row, int column) const;
  int64_t Int(int row, int column) const;  // an int8 column
  bool Bool(int row, int column) const;
  // The rows the statement changed (INSERT, UPDATE, DELETE).
  int64_t Affected() const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// The SQLSTATEs the engine acts on.
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
inline constexpr std::string_view kForeignKeyViolation = "23503";

// How a session is set up and how long it waits for the server.
struct SessionOptions {
  std::string setup;  // SQL run on every new session (e.g. SET statements)
  // How long a connection attempt, and each statement, may wait for the server before the
  // session is given up (kStorageUnavailable): a server that stops answering without closing the
  // connection (a frozen host, a network cut) would otherwise hold the call forever. Longer than
  // the server's own statement_timeout, so that a live but slow server answers first
  // (kStorageBusy). Zero: no limit. A URI's own connect_timeout takes precedence for connecting.
  std::chrono::milliseconds answer_timeout{0};
};

class Connection {
 public:
  // Connects to `uri` (any libpq connection string) and runs the setup SQL on the new session,
  // and again on every session Reset() opens. Errors: kStorageUnavailable.
  static Result<std::unique_ptr<Connection>> Open(const std::string& uri,
                                                  SessionOptions options = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement. A failure carries the SQLSTATE in sqlstate() until the next statement.
  // The statement is prepared on the session the first time this connection runs its text, and
  // executed by name afterwards: the server parses and plans cairn's few hundred statements once
  // per session instead of at every request (half of its CPU time on a GET).
  Result<Rows> Exec(std::string_view sql, const Params& params = {});
  // Statements with no parameters and no rows, several separated by ';' allowed (schema DDL).
  Status ExecScript(std::string_view sql);

  const std::string& sqlstate() const { return sqlstate_; }
  // Whether the session is gone (the server restarted, the network failed).
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // Whether the last statement got no answer within the answer timeout (the session is then
  // broken too).
  bool unanswered() const { return !unanswered_.empty(); }
  // Reconnects a broken session with the same parameters.
  Status Reset();

 private:
  Connection(PGconn* conn, SessionOptions options) : conn_(conn), options_(std::move(options)) {}
  Status Setup();
  Error Failure(const PGresult* result);
  // The result of what was just sent (the first failure, or the last result of a script), null
  // when sending failed or the server did not answer within the answer timeout (the session is
  // then closed: broken() is true and Reset() reconnects). The caller owns the result.
  PGresult* AwaitResult(bool sent);
  // The name `sql` is prepared under on this session, preparing it first; empty when the cache is
  // full (the statement then runs unnamed). Errors: the server's, from preparing it.
  Result<std::string> Prepared(const std::string& sql, const Params& params);

  PGconn* conn_;
  const SessionOptions options_;
  std::string sqlstate_;
  std::string unanswered_;  // why the last statement got no result, when it timed out
  std::unordered_map<std::string, std::string> prepared_;  // SQL text and types -> name
};

}  // namespace cairn::meta::postgres
