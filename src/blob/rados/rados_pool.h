// A connection to one RADOS pool (librados' C API): the cluster handle and the I/O context, shared
// by the store, its writers and its readers (a reader may outlive its store), closed with the last.
// Also what every RADOS call site needs: errno codes as cairn's storage errors, and a window of
// asynchronous operations in flight.
#pragma once

#include <rados/librados.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>

#include "common/status.h"

namespace cairn::blob::rados {

struct ConnectOptions {
  std::string conf_path;  // a ceph.conf that names the monitors
  std::string user = "admin";
  std::string pool;
  std::string name_space;  // objects live in this RADOS namespace ("" the pool's default)
  // How long one operation may wait for the cluster (monitors, OSDs) before it fails with
  // ETIMEDOUT: librados waits forever by default, and a stalled OSD must not hang an upload.
  std::chrono::seconds op_timeout{30};
};

class Pool {
 public:
  // Errors: kStorageUnavailable when the cluster cannot be reached or the pool does not exist.
  static Result<std::shared_ptr<Pool>> Connect(const ConnectOptions& options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  rados_ioctx_t io() const { return io_; }

 private:
  Pool(rados_t cluster, rados_ioctx_t io) : cluster_(cluster), io_(io) {}
  rados_t cluster_;
  rados_ioctx_t io_;
};

// A librados return code (a negative errno) as a storage error naming `what` and the object:
// ENOSPC and EDQUOT (a full cluster or pool quota) are kStorageNoSpace, ENOENT kStorageNotFound,
// ETIMEDOUT and the like kStorageUnavailable, anything else kStorageIOError.
Error RadosError(int rc, const std::string& what, const std::string& object);

// Asynchronous operations in flight, oldest first, at most `limit` of them: starting one more waits
// for the oldest. The first failure is kept and reported by the next wait. Destroying the window
// waits for what is in flight (librados must not complete into freed memory).
class AioWindow {
 public:
  explicit AioWindow(size_t limit) : limit_(limit) {}
  ~AioWindow() { (void)WaitAll(); }
  AioWindow(const AioWindow&) = delete;
  AioWindow& operator=(const AioWindow&) = delete;

  // Makes room, then calls `start(completion)`, which starts one operation on `object` and returns
  // librados' code for the start. Returns the first failure seen so far, if any.
  // `missing_ok`: ENOENT counts as success (a removal of what is gone already).
  template <typename Start>
  Status Add(const std::string& what, const std::string& object, Start start,
             bool missing_ok = false) {
    if (in_flight_.size() >= limit_) {
      if (Status s = WaitOldest(); !s.ok()) return s;
    }
    rados_completion_t completion = nullptr;
    int rc = rados_aio_create_completion2(nullptr, nullptr, &completion);
    if (rc < 0) return RadosError(rc, "aio completion for", object);
    rc = start(completion);
    if (rc < 0) {
      rados_aio_release(completion);
      return RadosError(rc, what, object);
    }
    in_flight_.push_back(Op{completion, what, object, missing_ok});
    return Status::Ok();
  }
  // Waits for everything in flight; the first failure among them (or seen before), if any.
  Status WaitAll();
  size_t in_flight() const { return in_flight_.size(); }

 private:
  struct Op {
    rados_completion_t completion;
    std::string what;
    std::string object;
    bool missing_ok = false;
  };
  Status WaitOldest();

  const size_t limit_;
  std::deque<Op> in_flight_;
  Status first_failure_ = Status::Ok();
};

}  // namespace cairn::blob::rados
