#include "blob/rados/rados_pool.h"

#include <cerrno>
#include <system_error>

namespace cairn::blob::rados {

Result<std::shared_ptr<Pool>> Pool::Connect(const ConnectOptions& options) {
  rados_t cluster = nullptr;
  const std::string client = "client." + options.user;
  int rc = rados_create2(&cluster, "ceph", client.c_str(), 0);
  if (rc < 0) return RadosError(rc, "create the cluster handle for", client);
  auto fail = [&](int code, const std::string& what) {
    rados_shutdown(cluster);
    Error e = RadosError(code, what, options.conf_path);
    return Error(ErrorCode::kStorageUnavailable, std::string(e.Message()));
  };
  rc = rados_conf_read_file(cluster, options.conf_path.c_str());
  if (rc < 0) return fail(rc, "read the Ceph configuration");
  const std::string timeout = std::to_string(options.op_timeout.count());
  for (const char* option :
       {"rados_osd_op_timeout", "rados_mon_op_timeout", "client_mount_timeout"}) {
    rc = rados_conf_set(cluster, option, timeout.c_str());
    if (rc < 0) return fail(rc, std::string("set ") + option + " for");
  }
  rc = rados_connect(cluster);
  if (rc < 0) return fail(rc, "connect as " + client + " to the cluster of");
  rados_ioctx_t io = nullptr;
  rc = rados_ioctx_create(cluster, options.pool.c_str(), &io);
  if (rc < 0) return fail(rc, "open pool '" + options.pool + "' of the cluster of");
  rados_ioctx_set_namespace(io, options.name_space.c_str());
  return std::shared_ptr<Pool>(new Pool(cluster, io));
}

Pool::~Pool() {
  rados_ioctx_destroy(io_);
  rados_shutdown(cluster_);
}

Error RadosError(int rc, const std::string& what, const std::string& object) {
  const int err = -rc;
  const std::string message =
      "rados: " + what + " " + object + ": " + std::generic_category().message(err);
  switch (err) {
    case ENOSPC:
    case EDQUOT:
      return Error(ErrorCode::kStorageNoSpace, message);
    case ENOENT:
      return Error(ErrorCode::kStorageNotFound, message);
    case ETIMEDOUT:
    case ENOTCONN:
    case ECONNREFUSED:
    case ESHUTDOWN:
    case EAGAIN:
      return Error(ErrorCode::kStorageUnavailable, message);
    default:
      return Error(ErrorCode::kStorageIOError, message);
  }
}

Status AioWindow::WaitOldest() {
  Op op = std::move(in_flight_.front());
  in_flight_.pop_front();
  rados_aio_wait_for_complete(op.completion);
  const int rc = rados_aio_get_return_value(op.completion);
  rados_aio_release(op.completion);
  if (rc < 0 && !(rc == -ENOENT && op.missing_ok) && first_failure_.ok())
    first_failure_ = RadosError(rc, op.what, op.object);
  return first_failure_;
}

Status AioWindow::WaitAll() {
  while (!in_flight_.empty()) (void)WaitOldest();
  return first_failure_;
}

}  // namespace cairn::blob::rados
