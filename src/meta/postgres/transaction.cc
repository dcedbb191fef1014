#include "meta/postgres/transaction.h"

#include <chrono>
#include <random>
#include <thread>

namespace cairn::meta::postgres {
namespace {

constexpr int kAttempts = 10;

const char* BeginFor(TxnKind kind) {
  switch (kind) {
    case TxnKind::kNone:
      return nullptr;
    case TxnKind::kWrite:
      return "BEGIN";
    case TxnKind::kSnapshot:
      return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }
  return nullptr;
}

// A random pause that grows with the attempt, so that retrying writers spread out.
void Backoff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int cap_us = 500 << std::min(attempt, 6);
  std::this_thread::sleep_for(std::chrono::microseconds(random() % cap_us));
}

// Whether running the body again may succeed: a conflict, or a session lost before COMMIT (which
// took no effect). Not a server that stopped answering: every retry would wait as long again.
bool Retryable(const Error& error, const Connection& c) {
  return error.code == ErrorCode::kStorageConflict ||
         (error.code == ErrorCode::kStorageUnavailable && c.broken() && !c.unanswered());
}

}  // namespace

Status RunTransaction(ConnectionPool& pool, TxnKind kind,
                      const std::function<Status(Connection&)>& body) {
  const char* begin = BeginFor(kind);
  for (int attempt = 1;; ++attempt) {
    Result<ConnectionPool::Lease> lease = pool.Acquire();
    if (!lease.ok()) return lease.error();
    Connection& c = **lease;
    Status s = begin ? c.ExecScript(begin) : Status::Ok();
    if (s.ok()) s = body(c);
    if (s.ok() && begin) {
      s = c.ExecScript("COMMIT");
      if (!s.ok() && c.broken()) {
        Error unknown = s.error();
        unknown.outcome_unknown = true;
        return unknown;
      }
    } else if (!s.ok() && begin && !c.broken()) {
      // Rolls back a failed transaction, or one whose body said no (a failed condition).
      (void)c.ExecScript("ROLLBACK");
    }
    if (s.ok() || attempt == kAttempts || !Retryable(s.error(), c)) return s;
    Backoff(attempt);
  }
}

}  // namespace cairn::meta::postgres
