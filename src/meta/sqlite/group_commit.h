// Group commit on the one write connection. Every write runs as a savepoint inside an IMMEDIATE
// transaction, and that transaction is committed once for all the writes that queued while the
// previous commit was on its way to disk: one fsync covers many writes. A write's caller gets its
// status only after the commit that covers it is durable, so an acknowledged write means what it
// always meant; a write that fails rolls back its own savepoint and nothing else.
//
// No thread of its own: the first caller in the queue leads a batch (runs every queued write and
// commits), the others wait, and the next one in line leads the next batch (LevelDB's writer
// queue works the same way). Writes run one at a time in queue order, each seeing the ones before.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>

#include "common/status.h"
#include "meta/sqlite/connection.h"

namespace cairn::meta::sqlite {

class GroupCommitter {
 public:
  explicit GroupCommitter(Connection& writer, size_t max_batch = 512)
      : writer_(writer), max_batch_(max_batch) {}

  // Runs `write` (which must neither begin nor end transactions) in the next batch and returns
  // its status, or the commit's error when the batch could not be committed. An exception from
  // `write` rolls back its savepoint and is rethrown here, in the caller's thread.
  Status Write(const std::function<Status()>& write);

  // How many batches and writes were committed (for tests and metrics).
  size_t batches() const;
  size_t writes() const;

 private:
  struct Pending {
    const std::function<Status()>* write;
    Status result;
    std::exception_ptr exception;
    bool done = false;
    std::condition_variable cv;
  };
  // Runs the writes of `batch` in one transaction and fills in their results.
  void RunBatch(Pending* const* batch, size_t count);
  Status Run(std::string_view sql);

  Connection& writer_;
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::deque<Pending*> queue_;  // the front one leads; guarded by mu_
  size_t batches_ = 0;
  size_t writes_ = 0;
};

}  // namespace cairn::meta::sqlite
