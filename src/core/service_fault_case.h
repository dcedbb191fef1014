// The shape of the core services' fault tests: each case is one step of one operation (a row:
// which storage call fails, and whether before the request or in the middle of its body) and one
// fault kind. A case runs the operation once with the fault armed and once more without it, and
// checks what a client would: the error it is told, that what it stored before reads back the
// same, that no blob is left behind, and that the same request then succeeds.
#pragma once

#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "core/service_test_support.h"

namespace cairn::core::testing {

// A fault kind, and the error the service returns for it. (The engines still answer with the S3
// code a client is told; the storage codes of common/status.h replace these when they land.)
struct Kind {
  std::string name;
  FaultKind kind;
  ErrorCode code;
};

// The kinds each storage call can fail with.
inline std::vector<Kind> KindsFor(FaultTarget target) {
  const Kind no_space{"ENOSPC", FaultKind::kNoSpace, ErrorCode::kInsufficientStorage};
  const Kind io_error{"EIO", FaultKind::kIoError, ErrorCode::kInternalError};
  const Kind short_write{"SHORT_WRITE", FaultKind::kShortWrite, ErrorCode::kInternalError};
  const Kind crash{"CRASH", FaultKind::kCrash, ErrorCode::kInternalError};
  switch (target) {
    case FaultTarget::kBlobWrite:
      return {no_space, io_error, short_write, crash};
    case FaultTarget::kBlobSync:
    case FaultTarget::kMetaCommit:
      return {no_space, io_error, crash};
    case FaultTarget::kBlobRead:
    case FaultTarget::kMetaRead:
      return {io_error, crash};
    case FaultTarget::kBlobDelete:
      break;
  }
  return {io_error};
}

// The calls, short, for the tables of steps.
constexpr FaultTarget kBlobWrite = FaultTarget::kBlobWrite;
constexpr FaultTarget kBlobSync = FaultTarget::kBlobSync;
constexpr FaultTarget kBlobRead = FaultTarget::kBlobRead;
constexpr FaultTarget kBlobDelete = FaultTarget::kBlobDelete;
constexpr FaultTarget kMetaCommit = FaultTarget::kMetaCommit;
constexpr FaultTarget kMetaRead = FaultTarget::kMetaRead;

// Where an operation meets a fault.
struct Step {
  std::string name;  // "PutBlob_BlobWrite_MidBody": the operation, the call, when
  int operation;     // the test file's enum
  FaultTarget target;
  // Armed once the operation took the first piece of its body (a GET: once its head is decided),
  // so that the fault strikes after what came before; otherwise armed before the request.
  bool mid = false;
};

struct FaultCase {
  Step step;
  Kind kind;
  friend void PrintTo(const FaultCase& c, std::ostream* os) {
    *os << c.step.name << "_" << c.kind.name;
  }
};

// Every step with every kind its call can fail with.
inline std::vector<FaultCase> Cases(const std::vector<Step>& steps) {
  std::vector<FaultCase> out;
  for (const Step& step : steps) {
    for (const Kind& kind : KindsFor(step.target)) out.push_back({step, kind});
  }
  return out;
}

inline std::string CaseName(const ::testing::TestParamInfo<FaultCase>& info) {
  return info.param.step.name + "_" + info.param.kind.name;
}

class FaultCaseTest : public ServiceFixture, public ::testing::WithParamInterface<FaultCase> {
 protected:
  // Makes what the operation needs beyond the fixture's state.
  virtual void Prepare(int operation) {}
  // Sends the request; `mid` (when set) is to be run once the body's first piece was taken.
  virtual Status Attempt(int operation, const std::function<void()>& mid) = 0;
  // What clients see after the request succeeded, given what they saw before.
  virtual BucketState Expected(int operation, const BucketState& before) = 0;
  // What clients see after the request failed: by default, what they saw before.
  virtual BucketState AfterFailure(int operation, const BucketState& before) { return before; }
  // The ETags (hex MD5s) of the blobs whose release the request's commit leaves to the reclaimer.
  virtual std::vector<std::string> Released(int operation, const BucketState& before) { return {}; }
  // Checks that what the operation made is usable (an upload's parts complete and read back).
  virtual void ExpectUsable(int operation) {}

  // The request fails with the fault's error and changes nothing a client sees; once the
  // reclaimer ran no blob is left unreferenced; the same request then succeeds.
  void ExpectFailsCleanlyThenSucceeds() {
    const FaultCase& c = GetParam();
    Prepare(c.step.operation);
    const BucketState before = State();
    ExpectNoLeakedBlobs();
    auto arm = [this, &c] { plan_.Arm(c.step.target, c.kind.kind, 1); };
    if (!c.step.mid) arm();
    Status failed = Attempt(c.step.operation, c.step.mid ? arm : std::function<void()>());
    Settle();  // the reclaimer's deferred work meets what is still armed
    plan_.Clear();
    ASSERT_FALSE(failed.ok()) << "the request did not meet the fault";
    EXPECT_EQ(failed.code(), c.kind.code) << failed.error().message;
    // A power cut is followed by a restart, whose start-up sweep removes the blobs the cut left
    // unreferenced (those the request wrote, or could not delete, before the storage went off).
    if (c.kind.kind == FaultKind::kCrash) SweepOrphans();
    EXPECT_EQ(State(), AfterFailure(c.step.operation, before))
        << "the failed request changed what clients see";
    ExpectNoLeakedBlobs();

    Status retried = Attempt(c.step.operation, {});
    ASSERT_TRUE(retried.ok()) << "the retry failed: " << retried.error().message;
    EXPECT_EQ(State(), Expected(c.step.operation, before));
    ExpectNoLeakedBlobs();
    ExpectUsable(c.step.operation);
  }

  // A blob that the request's commit released could not be deleted: the request still succeeds
  // (its commit happened), and the blob is the one orphan left, for the start-up sweep.
  void ExpectSucceedsLeavingOneOrphan() {
    const FaultCase& c = GetParam();
    Prepare(c.step.operation);
    const BucketState before = State();
    ExpectNoLeakedBlobs();
    plan_.Arm(c.step.target, c.kind.kind, 1);
    Status done = Attempt(c.step.operation, {});
    Settle();  // a release deferred behind the request's own reader happens here
    plan_.Clear();
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(State(), Expected(c.step.operation, before));
    const std::vector<std::string> released = Released(c.step.operation, before);
    for (const std::string& orphan : ExpectUnreferencedBlobs(1)) {
      EXPECT_THAT(released, ::testing::Contains(EtagOf(BlobBytes(orphan))))
          << "the orphan is not a blob the request released";
    }
    ExpectUsable(c.step.operation);
  }
};

}  // namespace cairn::core::testing
