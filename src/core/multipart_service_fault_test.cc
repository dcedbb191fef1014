// UploadPart, UploadPartCopy, CompleteMultipartUpload and AbortMultipartUpload, each with every
// storage call they make failing in turn (one row per call): the request fails with the storage
// error, the parts uploaded before and the object they are to replace read back the same, no blob
// is left behind, and the same request then succeeds (and its parts complete into an object that
// reads back). A blob whose deletion fails after a commit is the one orphan left.
#include <gtest/gtest.h>

#include <map>

#include "core/service_fault_case.h"

namespace cairn::core::testing {
namespace {

enum Operation {
  kCreate,                // another upload, of key "new"
  kUploadPart,            // part 1 again, from a body
  kUploadPartCopy,        // part 1 again, from a range of another object
  kUploadPartCopyInline,  // part 1 again, from an inline object: its bytes get a blob of their own
  kUploadPartCopyWhole,   // part 1 again, from all of a blob-backed object: shares its blob
  kComplete,              // parts 1 and 2 of three, over a blob-backed object
  kAbort,
};

const std::string kObject = Bytes("k v1", 4 * 1024 + 7);
const std::string kSource = Bytes("src", 3 * 1024 + 1);
const std::string kSmall = Bytes("small", 300);  // kept inline
const std::string kPartV1 = Bytes("part 1 v1", 2 * 1024);
const std::string kPartV2 = Bytes("part 1 v2", 3 * 1024 + 5);
const std::string kRange = "bytes=100-2147";  // of kSource
const std::string kCopied = kSource.substr(100, 2048);
const std::string kFullPart = Bytes("part 1 full", kMinPartSize);  // a part that may come first
const std::string kLastPart = Bytes("part 2", 1500);
const std::string kLeftOut = Bytes("part 3", 1200);  // uploaded, not completed: discarded

std::string PartEntry(const std::string& bytes) {
  return EtagOf(bytes) + " " + std::to_string(bytes.size());
}

// Bucket b holds k and src (blobs) and an upload of k with part 1; CompleteMultipartUpload's
// upload has the three parts it needs instead.
class MultipartFault : public FaultCaseTest {
 protected:
  void SetUp() override {
    FaultCaseTest::SetUp();
    if (HasFatalFailure()) return;
    Put("k", kObject, Metadata("text/k", "1"));
    Put("src", kSource, Metadata("text/src", "1"));
    Put("small", kSmall, Metadata("text/small", "1"));
  }

  void Prepare(int operation) override {
    Result<CreatedUpload> upload =
        Run(CreateUpload(*storage_, {kBucket, "k", Metadata("text/mp", "mp"), {}, {}}));
    ASSERT_TRUE(upload.ok()) << upload.error().message;
    upload_id_ = upload->upload.upload_id;
    if (operation != kComplete) {
      UploadBody(1, kPartV1);
      return;
    }
    UploadBody(1, kFullPart);
    UploadBody(2, kLastPart);
    UploadBody(3, kLeftOut);
  }

  void UploadBody(uint32_t number, const std::string& bytes) {
    MemBody body(bytes, 256 * 1024);
    Result<PartRecord> part = Run(UploadPart(*storage_, Target(number), body, {}));
    ASSERT_TRUE(part.ok()) << part.error().message;
  }

  PartTarget Target(uint32_t number) const { return {kBucket, "k", upload_id_, number}; }

  Status Complete(std::vector<RequestedPart> parts) {
    return Run(CompleteUpload(*storage_, kBucket, "k", upload_id_, std::move(parts), {})).status();
  }

  Status Attempt(int operation, const std::function<void()>& mid) override {
    switch (operation) {
      case kUploadPart: {
        MemBody body(kPartV2, kPiece, mid);
        return Run(UploadPart(*storage_, Target(1), body, {})).status();
      }
      case kUploadPartCopy:
        return Run(UploadPartCopy(*storage_, Target(1), {kBucket, "src", {}, kRange})).status();
      case kUploadPartCopyInline:
        return Run(UploadPartCopy(*storage_, Target(1), {kBucket, "small", {}, {}})).status();
      case kUploadPartCopyWhole:
        return Run(UploadPartCopy(*storage_, Target(1), {kBucket, "src", {}, {}})).status();
      case kComplete:
        return Complete({{1, EtagOf(kFullPart), {}}, {2, EtagOf(kLastPart), {}}});
      case kAbort:
        return Run(AbortUpload(*storage_, kBucket, "k", upload_id_));
      case kCreate: {
        Result<CreatedUpload> created =
            Run(CreateUpload(*storage_, {kBucket, "new", Metadata("text/new", "1"), {}, {}}));
        if (created.ok()) created_id_ = created->upload.upload_id;
        return created.status();
      }
    }
    return Status(ErrorCode::kNotImplemented);
  }

  BucketState Expected(int operation, const BucketState& before) override {
    BucketState after = before;
    switch (operation) {
      case kUploadPart:
        after.uploads[upload_id_][1] = PartEntry(kPartV2);
        break;
      case kUploadPartCopy:
        after.uploads[upload_id_][1] = PartEntry(kCopied);
        break;
      case kUploadPartCopyInline:
        after.uploads[upload_id_][1] = PartEntry(kSmall);
        break;
      case kUploadPartCopyWhole:
        after.uploads[upload_id_][1] = PartEntry(kSource);
        break;
      case kComplete:
        after.uploads.erase(upload_id_);
        after.objects["k"] = {HexEncode(Md5(Md5(kFullPart) + Md5(kLastPart))) + "-2",
                              "text/mp",
                              {{"version", "mp"}},
                              "STANDARD",
                              kFullPart + kLastPart};
        break;
      case kAbort:
        after.uploads.erase(upload_id_);
        break;
      case kCreate:
        after.uploads[created_id_];  // no parts yet
        break;
    }
    return after;
  }

  std::vector<std::string> Released(int operation, const BucketState& before) override {
    switch (operation) {
      case kUploadPart:
      case kUploadPartCopy:
      case kUploadPartCopyInline:
      case kUploadPartCopyWhole:
      case kAbort:
        return {EtagOf(kPartV1)};
      case kComplete:
        return {EtagOf(kObject), EtagOf(kLeftOut)};
    }
    return {};
  }

  // The part the request made completes into an object that reads back as that part's bytes, so
  // its record names blobs that are there.
  void ExpectUsable(int operation) override {
    const std::map<int, std::string> made = {{kUploadPart, kPartV2},
                                             {kUploadPartCopy, kCopied},
                                             {kUploadPartCopyInline, kSmall},
                                             {kUploadPartCopyWhole, kSource}};
    if (!made.count(operation)) return;
    const std::string& bytes = made.at(operation);
    ASSERT_TRUE(Complete({{1, EtagOf(bytes), {}}}).ok());
    Result<Snapshot> object = Read("k");
    ASSERT_TRUE(object.ok()) << object.error().message;
    EXPECT_EQ(object->bytes, bytes);
  }

  std::string upload_id_;
  std::string created_id_;  // by the last CreateUpload that succeeded
};

// Where each operation meets a fault, one row per storage call it makes.
const std::vector<Step> kSteps = {
    {"Create_MetaCommit", kCreate, kMetaCommit},
    // Guards the order in CreateUpload: the lifecycle rules (for the abort date) are read before
    // the upload is committed, so a failed read leaves no upload its client has no id for.
    {"Create_MetaRead", kCreate, kMetaRead},
    {"UploadPart_MetaRead", kUploadPart, kMetaRead},
    {"UploadPart_BlobWrite_FirstPiece", kUploadPart, kBlobWrite},
    {"UploadPart_BlobWrite_MidBody", kUploadPart, kBlobWrite, true},
    {"UploadPart_BlobSync", kUploadPart, kBlobSync},
    {"UploadPart_MetaCommit", kUploadPart, kMetaCommit},
    {"UploadPartCopy_MetaRead", kUploadPartCopy, kMetaRead},
    {"UploadPartCopy_BlobRead", kUploadPartCopy, kBlobRead},
    {"UploadPartCopy_MetaCommit", kUploadPartCopy, kMetaCommit},
    {"UploadPartCopyInline_BlobWrite", kUploadPartCopyInline, kBlobWrite},
    {"UploadPartCopyInline_BlobSync", kUploadPartCopyInline, kBlobSync},
    {"UploadPartCopyInline_MetaCommit", kUploadPartCopyInline, kMetaCommit},
    {"UploadPartCopyWhole_MetaRead", kUploadPartCopyWhole, kMetaRead},
    {"UploadPartCopyWhole_MetaCommit", kUploadPartCopyWhole, kMetaCommit},
    {"Complete_MetaCommit", kComplete, kMetaCommit},
    {"Abort_MetaCommit", kAbort, kMetaCommit},
};

class MultipartCallFails : public MultipartFault {};

TEST_P(MultipartCallFails, TheRequestFailsChangesNothingLeaksNothingAndTheRetrySucceeds) {
  ExpectFailsCleanlyThenSucceeds();
}

INSTANTIATE_TEST_SUITE_P(EachStepAndKind, MultipartCallFails, ::testing::ValuesIn(Cases(kSteps)),
                         CaseName);

class MultipartOutcomeUnknown : public MultipartFault {};

TEST_P(MultipartOutcomeUnknown, NoRecordPointsAtAMissingBlobAndTheRequestTakesEffect) {
  ExpectOutcomeUnknownLosesNoBlob();
}

// A CreateUpload whose commit's outcome is unknown may leave an upload its client has no id for
// (R2's 7-day default abort removes it, and it holds no blob): there is no state to expect.
std::vector<Step> WithoutCreate(std::vector<Step> steps) {
  std::erase_if(steps, [](const Step& step) { return step.operation == kCreate; });
  return steps;
}

INSTANTIATE_TEST_SUITE_P(EachDurableStep, MultipartOutcomeUnknown,
                         ::testing::ValuesIn(OutcomeUnknownCases(WithoutCreate(kSteps))), CaseName);

class MultipartReleaseFails : public MultipartFault {};

TEST_P(MultipartReleaseFails, TheRequestSucceedsAndTheNextReleaseDeletesTheBlob) {
  ExpectSucceedsAndTheNextReleaseDeletesTheBlob();
}

INSTANTIATE_TEST_SUITE_P(EachStepAndKind, MultipartReleaseFails,
                         ::testing::ValuesIn(Cases({
                             {"UploadPart_BlobDelete", kUploadPart, kBlobDelete},
                             {"UploadPartCopy_BlobDelete", kUploadPartCopy, kBlobDelete},
                             {"UploadPartCopyInline_BlobDelete", kUploadPartCopyInline,
                              kBlobDelete},
                             {"UploadPartCopyWhole_BlobDelete", kUploadPartCopyWhole, kBlobDelete},
                             {"Complete_BlobDelete", kComplete, kBlobDelete},
                             {"Abort_BlobDelete", kAbort, kBlobDelete},
                         })),
                         CaseName);

}  // namespace
}  // namespace cairn::core::testing
