// PutObject (an inline and a blob-backed body), CopyObject, DeleteObject (plain and with If-Match),
// DeleteObjects, GET and the lifecycle sweep, each with every storage call they make failing in
// turn (one row per call): the request fails with the storage error, what was stored before reads
// back the same (bytes, ETag, metadata), no blob is left behind, and the same request then
// succeeds. A blob whose deletion fails after a commit is the one orphan left, and the request
// still succeeds.
#include <gtest/gtest.h>

#include "core/bucket_documents.h"
#include "core/lifecycle_sweeper.h"
#include "core/service_fault_case.h"

namespace cairn::core::testing {
namespace {

enum Operation {
  kPutInline,  // a conditional PUT of a small body over an inline object
  kPutBlob,    // a PUT of a body stored as a blob over a blob-backed object
  kCopy,       // CopyObject over a blob-backed object
  kDelete,
  kDeleteIfMatch,  // DeleteObject with If-Match: the ETag is compared inside its commit
  kDeleteObjects,
  kGet,
  kSweep,  // a lifecycle sweep that aborts an upload and expires an object
};

const std::string kInlineV1 = Bytes("s v1", 100);
const std::string kInlineV2 = Bytes("s v2", 200);
const std::string kBlobV1 = Bytes("k v1", 4 * 1024 + 7);
const std::string kBlobV2 = Bytes("k v2", 5 * 1024 + 3);
const std::string kSource = Bytes("src", 3 * 1024 + 1);
const std::string kPart = Bytes("part", 2 * 1024);
const TimePoint kSweepAt = NowMillis() + std::chrono::hours(24 * 30);

// Bucket b holds s (inline), k and src (blobs); each case changes them through one operation.
class ObjectFault : public FaultCaseTest {
 protected:
  void SetUp() override {
    FaultCaseTest::SetUp();
    if (HasFatalFailure()) return;
    inline_etag_ = Put("s", kInlineV1, Metadata("text/s", "1"));
    blob_etag_ = Put("k", kBlobV1, Metadata("text/k", "1"));
    Put("src", kSource, Metadata("text/src", "1"));
  }

  void Prepare(int operation) override {
    if (operation != kSweep) return;
    // An upload of k past R2's 7-day default abort, and a rule that expires k after a day.
    Result<CreatedUpload> upload =
        Run(CreateUpload(*storage_, {kBucket, "k", Metadata("text/k", "mp"), {}, {}}));
    ASSERT_TRUE(upload.ok()) << upload.error().message;
    MemBody body(kPart, kPiece);
    PartTarget target{kBucket, "k", upload->upload.upload_id, 1};
    ASSERT_TRUE(Run(UploadPart(*storage_, target, body, {})).ok());
    LifecycleRule rule;
    rule.id = "expire-k";
    rule.prefix = "k";
    rule.expiration_days = 1;
    ASSERT_TRUE(Run(PutBucketLifecycle(*storage_, kBucket, LifecycleConfiguration{{rule}})).ok());
  }

  Status Attempt(int operation, const std::function<void()>& mid) override {
    switch (operation) {
      case kPutInline: {
        MemBody body(kInlineV2, kPiece, mid);
        PutObjectRequest request{kBucket, "s", Metadata("text/s", "2"), {}};
        request.conditions.if_match = inline_etag_;
        return Run(PutObject(*storage_, std::move(request), body, {})).status();
      }
      case kPutBlob: {
        MemBody body(kBlobV2, kPiece, mid);
        PutObjectRequest request{kBucket, "k", Metadata("text/k", "2"), {}};
        return Run(PutObject(*storage_, std::move(request), body, {})).status();
      }
      case kCopy: {
        CopyObjectRequest request;
        request.source_bucket = kBucket;
        request.source_key = "src";
        request.bucket = kBucket;
        request.key = "k";
        return Run(CopyObject(*storage_, std::move(request))).status();
      }
      case kDelete:
        return Run(DeleteObject(*storage_, kBucket, "k"));
      case kDeleteIfMatch:
        return Run(DeleteObject(*storage_, kBucket, "k", "\"" + blob_etag_ + "\""));
      case kDeleteObjects:
        return DeleteAll();
      case kGet:
        return Run(ReadAll(*storage_, "k", mid)).status();
      case kSweep:
        return LifecycleSweeper(*meta_, *reclaimer_).SweepOnce(kSweepAt).status();
    }
    return Status(ErrorCode::kNotImplemented);
  }

  // DeleteObjects of every key; its first error. Remembers which keys it reported deleted.
  Status DeleteAll() {
    const std::vector<std::string> keys = {"k", "s", "src"};
    auto outcomes = Run(
        DeleteObjects(*storage_, kBucket, keys, [](const std::string&) { return Status::Ok(); }));
    deleted_.clear();
    if (!outcomes.ok()) return outcomes.status();
    EXPECT_EQ(outcomes->size(), keys.size());
    Status first = Status::Ok();
    for (size_t i = 0; i < outcomes->size() && i < keys.size(); ++i) {
      if (!(*outcomes)[i]) {
        deleted_.push_back(keys[i]);
      } else if (first.ok()) {
        first = *(*outcomes)[i];
      }
    }
    return first;
  }

  BucketState Expected(int operation, const BucketState& before) override {
    BucketState after = before;
    switch (operation) {
      case kPutInline:
        after.objects["s"] = {
            EtagOf(kInlineV2), "text/s", {{"version", "2"}}, "STANDARD", kInlineV2};
        break;
      case kPutBlob:
        after.objects["k"] = {EtagOf(kBlobV2), "text/k", {{"version", "2"}}, "STANDARD", kBlobV2};
        break;
      case kCopy:
        after.objects["k"] = before.objects.at("src");
        break;
      case kDelete:
      case kDeleteIfMatch:
        after.objects.erase("k");
        break;
      case kDeleteObjects:
        after.objects.clear();
        break;
      case kSweep:
        after.objects.erase("k");
        after.uploads.clear();
        break;
    }
    return after;
  }

  // DeleteObjects reports an outcome per key: those it deleted are gone, the others intact.
  BucketState AfterFailure(int operation, const BucketState& before) override {
    BucketState after = before;
    if (operation == kDeleteObjects) {
      for (const std::string& key : deleted_) after.objects.erase(key);
    }
    return after;
  }

  bool OneTransaction(int operation) override { return operation != kSweep; }

  std::vector<std::string> Released(int operation, const BucketState& before) override {
    switch (operation) {
      case kPutBlob:
      case kCopy:
      case kDelete:
      case kDeleteIfMatch:
        return {before.objects.at("k").etag};
      case kDeleteObjects:
        return {before.objects.at("k").etag, before.objects.at("src").etag};
      case kSweep:
        return {before.objects.at("k").etag, EtagOf(kPart)};
    }
    return {};
  }

  std::string inline_etag_;
  std::string blob_etag_;
  std::vector<std::string> deleted_;  // by the last DeleteObjects
};

// Where each operation meets a fault, one row per storage call it makes.
const std::vector<Step> kSteps = {
    {"PutInline_MetaRead", kPutInline, kMetaRead},  // the early If-Match check
    {"PutInline_MetaCommit", kPutInline, kMetaCommit},
    {"PutInline_MetaCommit_AfterBody", kPutInline, kMetaCommit, true},
    {"PutBlob_MetaRead", kPutBlob, kMetaRead},  // the bucket is looked up before the body
    {"PutBlob_BlobWrite_FirstPiece", kPutBlob, kBlobWrite},
    {"PutBlob_BlobWrite_MidBody", kPutBlob, kBlobWrite, true},
    {"PutBlob_BlobSync", kPutBlob, kBlobSync},
    {"PutBlob_MetaCommit", kPutBlob, kMetaCommit},
    {"Copy_MetaRead", kCopy, kMetaRead},
    {"Copy_MetaCommit", kCopy, kMetaCommit},
    {"Delete_MetaCommit", kDelete, kMetaCommit},
    {"DeleteIfMatch_MetaCommit", kDeleteIfMatch, kMetaCommit},
    {"DeleteObjects_MetaRead", kDeleteObjects, kMetaRead},
    {"DeleteObjects_MetaCommit", kDeleteObjects, kMetaCommit},
    {"Get_BlobRead_Open", kGet, kBlobRead},
    {"Get_BlobRead_MidBody", kGet, kBlobRead, true},
    {"Get_MetaRead", kGet, kMetaRead},
    {"Sweep_MetaRead", kSweep, kMetaRead},
    {"Sweep_MetaCommit", kSweep, kMetaCommit},
};

class ObjectCallFails : public ObjectFault {};

TEST_P(ObjectCallFails, TheRequestFailsChangesNothingLeaksNothingAndTheRetrySucceeds) {
  ExpectFailsCleanlyThenSucceeds();
}

INSTANTIATE_TEST_SUITE_P(EachStepAndKind, ObjectCallFails, ::testing::ValuesIn(Cases(kSteps)),
                         CaseName);

class ObjectOutcomeUnknown : public ObjectFault {};

TEST_P(ObjectOutcomeUnknown, NoRecordPointsAtAMissingBlobAndTheRequestTakesEffect) {
  ExpectOutcomeUnknownLosesNoBlob();
}

INSTANTIATE_TEST_SUITE_P(EachDurableStep, ObjectOutcomeUnknown,
                         ::testing::ValuesIn(OutcomeUnknownCases(kSteps)), CaseName);

class ObjectReleaseFails : public ObjectFault {};

TEST_P(ObjectReleaseFails, TheRequestSucceedsAndTheNextReleaseDeletesTheBlob) {
  ExpectSucceedsAndTheNextReleaseDeletesTheBlob();
}

INSTANTIATE_TEST_SUITE_P(EachStepAndKind, ObjectReleaseFails,
                         ::testing::ValuesIn(Cases({
                             {"PutBlob_BlobDelete", kPutBlob, kBlobDelete},
                             {"Copy_BlobDelete", kCopy, kBlobDelete},
                             {"Delete_BlobDelete", kDelete, kBlobDelete},
                             {"DeleteIfMatch_BlobDelete", kDeleteIfMatch, kBlobDelete},
                             {"DeleteObjects_BlobDelete", kDeleteObjects, kBlobDelete},
                             {"Sweep_BlobDelete", kSweep, kBlobDelete},
                         })),
                         CaseName);

}  // namespace
}  // namespace cairn::core::testing
