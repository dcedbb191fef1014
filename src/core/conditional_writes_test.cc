// Conditions on the key a request changes, through the object service. DeleteObject with If-Match:
// a matching ETag deletes and frees the blob, a different one is refused and leaves the object
// readable, a missing key is NoSuchKey. CopyObject with If-None-Match: * copies only to a free
// key. Both are checked inside the request's commit, so a write that lands between the client's
// read and the request is neither deleted nor overwritten.
#include <gtest/gtest.h>

#include "core/service_test_support.h"
#include "meta/forwarding_meta_store.h"

namespace cairn::core::testing {
namespace {

const std::string kBlobBytes = Bytes("k v1", 3 * 1024 + 5);

class ConditionalWrites : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    etag_ = Put("k", kBlobBytes, Metadata("text/k", "1"));
  }

  Status Delete(const std::string& key, std::optional<std::string> if_match) {
    return Run(DeleteObject(*storage_, kBucket, key, std::move(if_match)));
  }

  // A copy of k to `to`.
  static CopyObjectRequest CopyOfK(const std::string& to,
                                   std::optional<std::string> if_none_match) {
    CopyObjectRequest request;
    request.source_bucket = kBucket;
    request.source_key = "k";
    request.bucket = kBucket;
    request.key = to;
    request.conditions.if_none_match = std::move(if_none_match);
    return request;
  }

  std::string etag_;
};

TEST_F(ConditionalWrites, MatchingEtagDeletesAndFreesTheBlob) {
  Status deleted = Delete("k", "\"" + etag_ + "\"");
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(Read("k").error().code, ErrorCode::kNoSuchKey);
  ExpectNoLeakedBlobs();
}

TEST_F(ConditionalWrites, StarDeletesAnyObject) {
  ASSERT_TRUE(Delete("k", "*").ok());
  EXPECT_EQ(Read("k").error().code, ErrorCode::kNoSuchKey);
}

TEST_F(ConditionalWrites, DifferentEtagIsRefusedAndTheObjectStays) {
  EXPECT_EQ(Delete("k", "\"" + EtagOf("other") + "\"").code(), ErrorCode::kPreconditionFailed);
  Result<Snapshot> kept = Read("k");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->bytes, kBlobBytes);
  ExpectNoLeakedBlobs();
}

TEST_F(ConditionalWrites, MissingKeyIsNoSuchKeyOnlyWhenConditional) {
  EXPECT_EQ(Delete("absent", "\"" + etag_ + "\"").code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(Delete("absent", "*").code(), ErrorCode::kNoSuchKey);
  EXPECT_TRUE(Delete("absent", std::nullopt).ok());  // S3's idempotent delete
}

// Runs `write` just before the request's own write transaction, as a PUT from another client
// would land.
class WriteFirst : public meta::ForwardingMetaStore {
 public:
  WriteFirst(meta::MetaStore& inner, std::function<void()> write)
      : ForwardingMetaStore(inner), write_(std::move(write)) {}
  Result<std::vector<std::string>> DeleteObject(const std::string& bucket, const std::string& key,
                                                const meta::WriteCondition& condition) override {
    write_();
    return inner_.DeleteObject(bucket, key, condition);
  }
  Result<std::vector<std::string>> PutObject(const ObjectRecord& object,
                                             const meta::WriteCondition& condition) override {
    write_();
    return inner_.PutObject(object, condition);
  }

 private:
  std::function<void()> write_;
};

TEST_F(ConditionalWrites, AnObjectReplacedBeforeTheCommitIsNotDeleted) {
  const std::string replacement = Bytes("k v2", 4 * 1024 + 1);
  ObjectRecord newer;
  WriteFirst racing(*meta_, [&] {
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

TEST_F(ConditionalWrites, PutIfMatchOnAKeyDeletedBeforeTheCommitIsNoSuchKey) {
  // The early check sees k; the commit finds the key empty, which S3 answers 404, not 412.
  WriteFirst racing(*meta_, [&] { ASSERT_TRUE(meta_->DeleteObject(kBucket, "k").ok()); });
  Storage racing_storage{racing, *blobs_, *reclaimer_, pool_, lookups_, storage_->limits};
  PutObjectRequest request{kBucket, "k", Metadata("text/k", "2"), {}};
  request.conditions.if_match = "\"" + etag_ + "\"";
  MemBody body(Bytes("k v2", 3 * 1024), kPiece);
  EXPECT_EQ(Run(PutObject(racing_storage, request, body, {})).status().code(),
            ErrorCode::kNoSuchKey);
  EXPECT_EQ(Read("k").error().code, ErrorCode::kNoSuchKey);
  // The refused PUT's blob is gone; the one left is k's, which the racing delete (committed
  // straight to the store) did not remove.
  EXPECT_EQ(ExpectUnreferencedBlobs(1).size(), 1u);
}

TEST_F(ConditionalWrites, CopyIfNoneMatchStarCopiesOnlyToAFreeKey) {
  const std::string taken = Bytes("taken", 2 * 1024);
  Put("taken", taken, Metadata("text/t", "1"));
  EXPECT_EQ(Run(CopyObject(*storage_, CopyOfK("taken", "*"))).status().code(),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(Read("taken")->bytes, taken);
  Result<ObjectRecord> copied = Run(CopyObject(*storage_, CopyOfK("free", "*")));
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  EXPECT_EQ(Read("free")->bytes, kBlobBytes);
  ExpectNoLeakedBlobs();
}

TEST_F(ConditionalWrites, AKeyTakenBeforeTheCopysCommitIsNotOverwritten) {
  WriteFirst racing(*meta_, [&] {
    // Another client's object at the destination, committed straight to the store.
    ObjectRecord other = *meta_->GetObject(kBucket, "k");
    other.key = "dst";
    other.etag = EtagOf("another client's");
    ASSERT_TRUE(meta_->PutObject(other).ok());
  });
  Storage racing_storage{racing, *blobs_, *reclaimer_, pool_, lookups_, storage_->limits};
  EXPECT_EQ(Run(CopyObject(racing_storage, CopyOfK("dst", "*"))).status().code(),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(meta_->GetObject(kBucket, "dst")->etag, EtagOf("another client's"));
}

}  // namespace
}  // namespace cairn::core::testing
