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
#include "core/storage_errors.h"

namespace cairn::core::testing {

// A fault kind, the storage error the service returns for it, and what a client is told of that.
struct Kind {
  std::string name;
  FaultKind kind;
  ErrorCode storage;  // what the engine reports, passed up by the service
  ErrorCode client;   // what core::ToClientError makes of it
};

inline const Kind kNoSpace{"ENOSPC", FaultKind::kNoSpace, ErrorCode::kStorageNoSpace,
                           ErrorCode::kInsufficientStorage};
inline const Kind kIoError{"EIO", FaultKind::kIoError, ErrorCode::kStorageIOError,
                           ErrorCode::kInternalError};
inline const Kind kShortWrite{"SHORT_WRITE", FaultKind::kShortWrite, ErrorCode::kStorageIOError,
                              ErrorCode::kInternalError};
inline const Kind kBusy{"BUSY", FaultKind::kBusy, ErrorCode::kStorageBusy, ErrorCode::kSlowDown};
inline const Kind kUnavailable{"UNAVAILABLE", FaultKind::kUnavailable,
                               ErrorCode::kStorageUnavailable, ErrorCode::kSlowDown};
inline const Kind kCrash{"CRASH", FaultKind::kCrash, ErrorCode::kStorageUnavailable,
                         ErrorCode::kSlowDown};
// The call took effect, then failed: the caller cannot know which.
inline const Kind kIoErrorAfter{"EIO_AFTER", FaultKind::kIoErrorAfter, ErrorCode::kStorageIOError,
                                ErrorCode::kInternalError};

// The kinds each storage call can fail with before it takes effect. (A deletion's are in the
// release tests: it fails after the request's commit.)
inline std::vector<Kind> KindsFor(FaultTarget target) {
  switch (target) {
    case FaultTarget::kBlobWrite:
      return {kNoSpace, kIoError, kShortWrite, kCrash};
    case FaultTarget::kBlobSync:
      return {kNoSpace, kIoError, kCrash};
    case FaultTarget::kMetaCommit:
      return {kNoSpace, kIoError, kBusy, kUnavailable, kCrash};
    case FaultTarget::kMetaRead:
      return {kIoError, kBusy, kUnavailable, kCrash};
    case FaultTarget::kBlobRead:
      return {kIoError, kCrash};
    case FaultTarget::kBlobDelete:
      break;
  }
  return {kIoError, kIoErrorAfter};
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
  bool on_disk = false;  // the file-system blob engine, else the in-memory one
  std::string Name() const { return step.name + "_" + kind.name + (on_disk ? "_fs" : "_mem"); }
  friend void PrintTo(const FaultCase& c, std::ostream* os) { *os << c.Name(); }
};

// Every step with every kind its call can fail with, on each blob engine.
inline std::vector<FaultCase> Cases(const std::vector<Step>& steps) {
  std::vector<FaultCase> out;
  for (bool on_disk : {false, true}) {
    for (const Step& step : steps) {
      for (const Kind& kind : KindsFor(step.target)) out.push_back({step, kind, on_disk});
    }
  }
  return out;
}

// The steps that make something durable (a blob's sync, a metadata commit), each failing after it
// took effect, on each blob engine.
inline std::vector<FaultCase> OutcomeUnknownCases(const std::vector<Step>& steps) {
  std::vector<FaultCase> out;
  for (bool on_disk : {false, true}) {
    for (const Step& step : steps) {
      if (step.target == FaultTarget::kBlobSync || step.target == FaultTarget::kMetaCommit) {
        out.push_back({step, kIoErrorAfter, on_disk});
      }
    }
  }
  return out;
}

inline std::string CaseName(const ::testing::TestParamInfo<FaultCase>& info) {
  return info.param.Name();
}

class FaultCaseTest : public ServiceFixture, public ::testing::WithParamInterface<FaultCase> {
 protected:
  bool OnDisk() const override { return GetParam().on_disk; }

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
  // Whether the operation commits in one transaction and releases blobs once (a lifecycle sweep
  // does both per item, so a failure may leave it half done).
  virtual bool OneTransaction(int operation) { return true; }
  // Checks that what the operation made is usable (an upload's parts complete and read back).
  virtual void ExpectUsable(int operation) {}

  // The request fails with the fault's error and changes nothing a client sees; once the
  // reclaimer ran no blob is left unreferenced; the same request then succeeds.
  void ExpectFailsCleanlyThenSucceeds() {
    BucketState before;
    Status failed = AttemptUnderFault(before);
    if (!FailedWithTheFault(failed)) return;
    // A power cut is followed by a restart, whose start-up sweep removes the blobs the cut left
    // unreferenced (those the request wrote, or could not delete, before the storage went off).
    if (GetParam().kind.kind == FaultKind::kCrash) SweepOrphans();
    EXPECT_EQ(State(), AfterFailure(operation(), before))
        << "the failed request changed what clients see";
    ExpectNoLeakedBlobs();
    ExpectRetrySucceeds(before);
  }

  // A blob that the request's commit released could not be deleted: the request still succeeds
  // (its commit happened), the reclaimer keeps the blob to try again, and the next release
  // deletes it.
  void ExpectSucceedsAndTheNextReleaseDeletesTheBlob() {
    BucketState before;
    Status done = AttemptUnderFault(before);
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(State(), Expected(operation(), before));
    // The reclaimer keeps the blob to try again (a sweep's later release may have done so).
    const size_t kept = reclaimer_->failed();
    if (OneTransaction(operation())) {
      EXPECT_EQ(kept, 1u) << "the blob that could not be deleted was forgotten";
    }
    EXPECT_LE(kept, 1u);
    const std::vector<std::string> released = Released(operation(), before);
    // EIO_AFTER deleted the blob before it failed; EIO left it.
    const size_t left = GetParam().kind.kind == FaultKind::kIoErrorAfter ? 0 : kept;
    for (const std::string& orphan : ExpectUnreferencedBlobs(left)) {
      EXPECT_THAT(released, ::testing::Contains(EtagOf(BlobBytes(orphan))))
          << "the blob left is not one the request released";
    }
    ReleaseOneBlob();
    EXPECT_EQ(reclaimer_->failed(), 0u);
    ExpectNoLeakedBlobs();
    ExpectUsable(operation());
  }

  // The call that makes something durable took effect and then failed, so the service cannot know
  // whether the request's commit happened. No record may then point at a missing blob: clients see
  // either what they saw before or the request's outcome, and every object reads back, also after
  // the start-up sweep removed the blobs left unreferenced. The request then succeeds, unless its
  // outcome is there already.
  void ExpectOutcomeUnknownLosesNoBlob() {
    BucketState before;
    Status failed = AttemptUnderFault(before);
    if (!FailedWithTheFault(failed)) return;
    EXPECT_TRUE(failed.error().outcome_unknown) << "the caller was not told the outcome is unknown";
    const BucketState after = State();  // a record whose blob is missing fails the read
    if (OneTransaction(operation())) {
      EXPECT_TRUE(after == AfterFailure(operation(), before) ||
                  after == Expected(operation(), before))
          << "neither the state before nor the request's outcome:"
          << ::testing::PrintToString(after);
    }
    SweepOrphans();
    EXPECT_EQ(State(), after) << "a record names a blob that no reference kept";
    if (after == Expected(operation(), before)) {
      ExpectUsable(operation());
    } else {
      ExpectRetrySucceeds(before);
    }
  }

 private:
  int operation() const { return GetParam().step.operation; }

  // Prepares the operation, notes what clients see in `before`, and sends the request with the
  // fault armed (before it, or once the request took the first piece of its body). The reclaimer's
  // deferred work (a release waiting behind the request's own reader) runs while the fault is
  // still armed; then it is disarmed. The request's answer.
  Status AttemptUnderFault(BucketState& before) {
    const FaultCase& c = GetParam();
    Prepare(c.step.operation);
    before = State();
    ExpectNoLeakedBlobs();
    auto arm = [this, &c] { plan_.Arm(c.step.target, c.kind.kind, 1); };
    if (!c.step.mid) arm();
    Status answer = Attempt(c.step.operation, c.step.mid ? arm : std::function<void()>());
    Settle();
    plan_.Clear();
    return answer;
  }

  // Whether the request failed, and then with the fault's storage error and client error.
  bool FailedWithTheFault(const Status& failed) {
    const Kind& kind = GetParam().kind;
    EXPECT_FALSE(failed.ok()) << "the request did not meet the fault";
    if (failed.ok()) return false;
    EXPECT_EQ(failed.code(), kind.storage) << failed.error().message;
    EXPECT_EQ(ToClientError(failed.error()).code, kind.client);
    return true;
  }

  // The same request, sent again with nothing armed, succeeds with its outcome, leaving no blob
  // unreferenced.
  void ExpectRetrySucceeds(const BucketState& before) {
    Status retried = Attempt(operation(), {});
    ASSERT_TRUE(retried.ok()) << "the retry failed: " << retried.error().message;
    EXPECT_EQ(State(), Expected(operation(), before));
    ExpectNoLeakedBlobs();
    ExpectUsable(operation());
  }
};

}  // namespace cairn::core::testing
