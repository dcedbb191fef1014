#include "meta/sqlite/group_commit.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "common/log_text.h"

namespace cairn::meta::sqlite {

Status GroupCommitter::Write(const std::function<Status()>& write) {
  Pending me;
  me.write = &write;
  std::unique_lock lock(mu_);
  queue_.push_back(&me);
  while (!me.done && queue_.front() != &me) me.cv.wait(lock);
  if (!me.done) {
    // This write leads: it runs itself and everything queued behind it.
    std::vector<Pending*> batch(queue_.begin(),
                                queue_.begin() + std::min(queue_.size(), max_batch_));
    lock.unlock();
    RunBatch(batch.data(), batch.size());
    lock.lock();
    ++batches_;
    writes_ += batch.size();
    for (Pending* p : batch) {
      queue_.pop_front();
      p->done = true;
      if (p != &me) p->cv.notify_one();
    }
    if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next batch's leader
  }
  lock.unlock();
  if (me.exception) std::rethrow_exception(me.exception);
  return me.result;
}

Status GroupCommitter::Run(std::string_view sql) {
  Result<Stmt> stmt = writer_.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return stmt->Run();
}

void GroupCommitter::RunBatch(Pending* const* batch, size_t count) {
  if (Status begin = Run("BEGIN IMMEDIATE"); !begin.ok()) {
    for (size_t i = 0; i < count; ++i) batch[i]->result = begin;
    return;
  }
  Status broken = Status::Ok();  // a failure that leaves the transaction unusable
  for (size_t i = 0; i < count; ++i) {
    Pending& p = *batch[i];
    if (!broken.ok()) {
      p.result = broken;
      continue;
    }
    if (Status s = Run("SAVEPOINT write"); !s.ok()) {
      broken = p.result = s;
      continue;
    }
    try {
      p.result = (*p.write)();
    } catch (...) {
      p.exception = std::current_exception();
      p.result = Status(ErrorCode::kInternalError, "the write threw");
    }
    if (!p.result.ok()) {
      if (Status s = Run("ROLLBACK TO write"); !s.ok()) broken = s;
    }
    if (Status s = Run("RELEASE write"); !s.ok() && broken.ok()) broken = s;
  }
  Status commit = broken.ok() ? CommitOutcome(Run("COMMIT")) : broken;
  if (commit.ok()) return;
  // Whatever the failure left of the transaction. If even that fails, the connection is past
  // saving here; the next batch's BEGIN reports it.
  if (Status rollback = Run("ROLLBACK"); !rollback.ok()) {
    spdlog::error("metadata store: ROLLBACK after a failed commit failed: {}",
                  LogSafe(rollback.error().Message()));
  }
  for (size_t i = 0; i < count; ++i) {
    if (batch[i]->result.ok()) batch[i]->result = commit;
  }
}

size_t GroupCommitter::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}

size_t GroupCommitter::writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

}  // namespace cairn::meta::sqlite
