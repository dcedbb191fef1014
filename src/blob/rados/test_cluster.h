// A real one-node Ceph cluster for the RADOS engine's tests: tests/services/ceph.sh starts it (one
// monitor, one memstore OSD, pool "cairn") the first time a test asks for a store, and the test
// binary stops it when it ends (a GoogleTest environment). Each store gets a fresh RADOS namespace,
// so every test starts from an empty store in the one pool. When the cluster cannot start (Ceph
// not installed: scripts/install-deps.sh), every test that needs it fails with the reason: a
// skipped suite would hide that the engine went untested.
#pragma once

#include <memory>
#include <string>

#include "blob/rados/rados_blob_store.h"
#include "common/status.h"

namespace cairn::blob::rados::testing {

// Options for a fresh, empty store on the test cluster (starting the cluster on first use), with
// operations that give up after `op_timeout`. Errors: kStorageUnavailable, with why the cluster
// could not start.
Result<RadosBlobOptions> FreshStoreOptions(
    std::chrono::seconds op_timeout = std::chrono::seconds(30));

// Stops and resumes the OSD (SIGSTOP/SIGCONT), so that a test can see writes to a stalled OSD
// fail within their timeout instead of hanging.
Status PauseOsd();
Status ResumeOsd();

}  // namespace cairn::blob::rados::testing
