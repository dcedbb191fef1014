#include "meta/postgres/lease.h"

#include "meta/postgres/connection.h"

namespace cairn::meta::postgres {
namespace {

// Leases use the two-int4 advisory lock space, apart from the bigint locks of keys (queries.cc)
// and migrations (schema.cc): PostgreSQL never confuses the two forms.
constexpr int64_t kLeaseSpace = 0x6361;  // "ca"

// FNV-1a folded to 32 bits: every gateway, whatever its build, must compute the same lock.
int64_t LeaseLockId(const std::string& name) {
  uint32_t h = 2166136261u;
  for (unsigned char b : name) h = (h ^ b) * 16777619u;
  return static_cast<int32_t>(h);
}

class AdvisoryLease final : public MetaStore::Lease {
 public:
  explicit AdvisoryLease(std::unique_ptr<Connection> session) : session_(std::move(session)) {}
  // Closing the session would release the lock too, but only once the server's backend has
  // exited, after PQfinish returns: the unlock makes the lease free when this returns.
  ~AdvisoryLease() override { (void)session_->ExecScript("SELECT pg_advisory_unlock_all()"); }

 private:
  std::unique_ptr<Connection> session_;
};

}  // namespace

Result<std::unique_ptr<MetaStore::Lease>> TryAdvisoryLease(const std::string& uri,
                                                           const SessionOptions& options,
                                                           const std::string& name) {
  Result<std::unique_ptr<Connection>> session = Connection::Open(uri, options);
  if (!session.ok()) return session.error();
  Result<Rows> taken = (*session)->Exec("SELECT pg_try_advisory_lock($1::int4, $2::int4)",
                                        Params().Int(kLeaseSpace).Int(LeaseLockId(name)));
  if (!taken.ok()) return taken.error();
  if (!taken->Bool(0, 0)) return std::unique_ptr<MetaStore::Lease>();
  return std::unique_ptr<MetaStore::Lease>(std::make_unique<AdvisoryLease>(std::move(*session)));
}

}  // namespace cairn::meta::postgres
