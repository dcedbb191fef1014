// CompleteMultipartUpload through the multipart service: a retried Complete is answered from the
// completion's record until the lifecycle sweeper forgets it, and the object checksum a client
// expects is checked inside the completion's transaction, so a mismatch stores nothing.
#include <gtest/gtest.h>

#include "common/encoding.h"
#include "core/lifecycle_sweeper.h"
#include "core/multipart_service.h"
#include "core/service_test_support.h"

namespace cairn::core::testing {
namespace {

const std::string kFirst = Bytes("part 1", kMinPartSize);
const std::string kLast = Bytes("part 2", 1500);

class MultipartComplete : public ServiceFixture {
 protected:
  // An upload of `key` with CRC32 checksums and two parts; the list that completes it.
  std::vector<RequestedPart> UploadTwoParts(const std::string& key) {
    CreateUploadRequest create{
        kBucket, key, Metadata("text/mp", "1"), ChecksumAlgorithm::kCrc32, {}};
    Result<CreatedUpload> upload = Run(CreateUpload(*storage_, create));
    EXPECT_TRUE(upload.ok()) << upload.error().message;
    if (!upload.ok()) return {};
    upload_id_ = upload->upload.upload_id;
    std::vector<RequestedPart> parts;
    for (const std::string& bytes : {kFirst, kLast}) {
      // 64 KiB pieces: a 5 MiB part in kPiece (1 KiB) pieces resumes the ingest 5,120 times on
      // one stack in these tests, which overflows it under AddressSanitizer.
      MemBody body(bytes, 64 << 10);
      const uint32_t number = static_cast<uint32_t>(parts.size() + 1);
      Result<PartRecord> part =
          Run(UploadPart(*storage_, {kBucket, key, upload_id_, number}, body, {}));
      EXPECT_TRUE(part.ok()) << part.error().message;
      if (!part.ok()) return {};
      parts.push_back({number, "\"" + part->etag + "\"", part->checksums});
    }
    return parts;
  }

  Result<ObjectRecord> Complete(const std::string& key, std::vector<RequestedPart> parts,
                                std::optional<ExpectedChecksum> expected = {}) {
    return Run(CompleteUpload(*storage_, kBucket, key, upload_id_, std::move(parts), {},
                              std::move(expected)));
  }

  std::string upload_id_;
};

TEST_F(MultipartComplete, ARetryGetsTheFirstAnswerWhateverBecameOfTheObject) {
  std::vector<RequestedPart> parts = UploadTwoParts("k");
  Result<ObjectRecord> first = Complete("k", parts);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->checksum_type, "COMPOSITE");
  Put("k", "newer", Metadata("text/k", "2"));

  Result<ObjectRecord> again = Complete("k", parts);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->etag, first->etag);
  EXPECT_EQ(again->checksums, first->checksums);
  EXPECT_EQ(again->checksum_type, "COMPOSITE");
  EXPECT_EQ(again->size, kFirst.size() + kLast.size());
  EXPECT_EQ(Read("k")->bytes, "newer");  // the retry wrote nothing

  // The expected checksum is compared with the recorded one.
  ExpectedChecksum wrong{ChecksumAlgorithm::kCrc32, "AAAAAA==-2"};
  EXPECT_EQ(Complete("k", parts, wrong).status().code(), ErrorCode::kBadDigest);
  ExpectedChecksum right{ChecksumAlgorithm::kCrc32, first->checksums.at("CRC32")};
  EXPECT_TRUE(Complete("k", parts, right).ok());
  parts.pop_back();
  EXPECT_EQ(Complete("k", parts).status().code(), ErrorCode::kNoSuchUpload);
  ExpectNoLeakedBlobs();
}

TEST_F(MultipartComplete, TheSweeperForgetsACompletionAfterSevenDays) {
  std::vector<RequestedPart> parts = UploadTwoParts("k");
  ASSERT_TRUE(Complete("k", parts).ok());
  LifecycleSweeper sweeper(*meta_, *reclaimer_);
  Result<SweepReport> early = sweeper.SweepOnce(NowMillis() + std::chrono::hours(24 * 6));
  ASSERT_TRUE(early.ok()) << early.error().message;
  EXPECT_EQ(early->forgotten_completions, 0u);
  EXPECT_TRUE(Complete("k", parts).ok());
  Result<SweepReport> late = sweeper.SweepOnce(NowMillis() + std::chrono::hours(24 * 7 + 1));
  ASSERT_TRUE(late.ok()) << late.error().message;
  EXPECT_EQ(late->forgotten_completions, 1u);
  EXPECT_EQ(Complete("k", parts).status().code(), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(Read("k")->bytes, kFirst + kLast);  // the object stays
}

TEST_F(MultipartComplete, AnExpectedChecksumThatDiffersStoresNothing) {
  std::vector<RequestedPart> parts = UploadTwoParts("k");
  Result<ObjectRecord> refused =
      Complete("k", parts, ExpectedChecksum{ChecksumAlgorithm::kCrc32, "AAAAAA==-2"});
  EXPECT_EQ(refused.status().code(), ErrorCode::kBadDigest);
  EXPECT_EQ(Read("k").status().code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(Run(CompleteUpload(*storage_, kBucket, "k", upload_id_, parts, {},
                               ExpectedChecksum{ChecksumAlgorithm::kSha1, "AAAAAA==-2"}))
                .status()
                .code(),
            ErrorCode::kInvalidRequest);
  // The upload and its parts are still there: the right checksum completes it.
  Result<PartsListing> listed = Run(ListParts(*storage_, kBucket, "k", upload_id_, 0, 10));
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->page.parts.size(), 2u);
  std::string combined;
  {
    const std::string raw = *Base64Decode(parts[0].checksums.at("CRC32")) +
                            *Base64Decode(parts[1].checksums.at("CRC32"));
    std::unique_ptr<Hasher> crc = MakeChecksumHasher(ChecksumAlgorithm::kCrc32);
    crc->Update(raw);
    combined = Base64Encode(crc->Finish()) + "-2";
  }
  Result<ObjectRecord> done =
      Complete("k", parts, ExpectedChecksum{ChecksumAlgorithm::kCrc32, combined});
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->checksums.at("CRC32"), combined);
  EXPECT_EQ(Read("k")->bytes, kFirst + kLast);
  ExpectNoLeakedBlobs();
}

}  // namespace
}  // namespace cairn::core::testing
