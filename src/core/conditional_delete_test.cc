// DeleteObject with If-Match through the object service: a matching ETag deletes and frees the
// blob, a different one is refused and leaves the object readable, a missing key is NoSuchKey, and
// the ETag is compared inside the delete's commit, so a write that lands between the client's read
// and the delete is not deleted.
#include <gtest/gtest.h>

#include "core/service_test_support.h"
#include "meta/forwarding_meta_store.h"

namespace cairn::core::testing {
namespace {

const std::string kBlobBytes = Bytes("k v1", 3 * 1024 + 5);

class ConditionalDelete : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    etag_ = Put("k", kBlobBytes, Metadata("text/k", "1"));
  }

  Status Delete(const std::string& key, std::optional<std::string> if_match) {
    return Run(DeleteObject(*storage_, kBucket, key, std::move(if_match)));
  }

  std::string etag_;
};

TEST_F(ConditionalDelete, MatchingEtagDeletesAndFreesTheBlob) {
  Status deleted = Delete("k", "\"" + etag_ + "\"");
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(Read("k").error().code, ErrorCode::kNoSuchKey);
  ExpectNoLeakedBlobs();
}

TEST_F(ConditionalDelete, StarDeletesAnyObject) {
  ASSERT_TRUE(Delete("k", "*").ok());
  EXPECT_EQ(Read("k").error().code, ErrorCode::kNoSuchKey);
}

TEST_F(ConditionalDelete, DifferentEtagIsRefusedAndTheObjectStays) {
  EXPECT_EQ(Delete("k", "\"" + EtagOf("other") + "\"").code(), ErrorCode::kPreconditionFailed);
  Result<Snapshot> kept = Read("k");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->bytes, kBlobBytes);
  ExpectNoLeakedBlobs();
}

TEST_F(ConditionalDelete, MissingKeyIsNoSuchKeyOnlyWhenConditional) {
  EXPECT_EQ(Delete("absent", "\"" + etag_ + "\"").code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(Delete("absent", "*").code(), ErrorCode::kNoSuchKey);
  EXPECT_TRUE(Delete("absent", std::nullopt).ok());  // S3's idempotent delete
}

// Replaces the object just before the delete's transaction, as a PUT from another client would.
class WriteBeforeDelete : public meta::ForwardingMetaStore {
 public:
  WriteBeforeDelete(meta::MetaStore& inner, std::function<void()> write)
      : ForwardingMetaStore(inner), write_(std::move(write)) {}
  Result<std::vector<std::string>> DeleteObject(const std::string& bucket, const std::string& key,
                                                const meta::WriteCondition& condition) override {
    write_();
    return inner_.DeleteObject(bucket, key, condition);
  }

 private:
  std::function<void()> write_;
};

TEST_F(ConditionalDelete, AnObjectReplacedBeforeTheCommitIsNotDeleted) {
  const std::string replacement = Bytes("k v2", 4 * 1024 + 1);
  ObjectRecord newer;
  WriteBeforeDelete racing(*meta_, [&] {
    // The replacing PUT's record, committed straight to the store (its blob is not needed here).
    newer = *meta_->GetObject(kBucket, "k");
    newer.etag = EtagOf(replacement);
    newer.user_metadata = {{"version", "2"}};
    ASSERT_TRUE(meta_->PutObject(newer).ok());
  });
  Storage racing_storage{racing, *blobs_, *reclaimer_, pool_, lookups_, storage_->limits};
  Status refused = Run(DeleteObject(racing_storage, kBucket, "k", "\"" + etag_ + "\""));
  EXPECT_EQ(refused.code(), ErrorCode::kPreconditionFailed);
  Result<ObjectRecord> kept = meta_->GetObject(kBucket, "k");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->etag, EtagOf(replacement));
}

}  // namespace
}  // namespace cairn::core::testing
