// The shared MetaStore suite, part 1: buckets, objects, blob reference counts, conditional writes,
// settings and concurrency. Listing is in meta_store_list_suite_test.cc, multipart uploads and
// bucket configuration in meta_store_multipart_suite_test.cc. Every engine runs these
// tests through MetaStoreSuite (meta_store_suite.h).
#include "meta/meta_store_suite.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

namespace cairn::meta {

void MetaStoreSuite::SetUp() {
  std::string pattern = ::testing::TempDir() + "cairn-meta-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  scratch_dir_ = pattern;
  store_ = GetParam().open(scratch_dir_);
  ASSERT_NE(store_, nullptr);
}

void MetaStoreSuite::TearDown() {
  store_.reset();
  if (!scratch_dir_.empty()) std::filesystem::remove_all(scratch_dir_);
}

void MetaStoreSuite::MakeBucket(const std::string& name) {
  Status s =
      store_->CreateBucket(core::BucketRecord{name, TimePoint(std::chrono::seconds(1)), "auto"});
  ASSERT_TRUE(s.ok()) << s.error().Message();
}

core::ObjectRecord MetaStoreSuite::Object(const std::string& bucket, const std::string& key,
                                          const std::vector<std::string>& blob_ids) {
  core::ObjectRecord o;
  o.bucket = bucket;
  o.key = key;
  o.etag = "9e107d9d372bb6826bd81d3542a419d6";
  o.last_modified = TimePoint(std::chrono::milliseconds(1700000000123));
  for (const std::string& id : blob_ids) {
    o.extents.push_back(core::Extent{id, 0, 10});
    o.size += 10;
  }
  return o;
}

void MetaStoreSuite::PutKey(const std::string& bucket, const std::string& key) {
  Result<std::vector<std::string>> r = store_->PutObject(Object(bucket, key));
  ASSERT_TRUE(r.ok()) << key << ": " << r.error().Message();
}

void MetaStoreSuite::Fill(const std::vector<std::string>& keys) {
  MakeBucket("b");
  for (const std::string& key : keys) PutKey("b", key);
}

core::ListPage MetaStoreSuite::List(const core::ListQuery& query) {
  Result<core::ListPage> page = store_->ListObjects("b", query);
  EXPECT_TRUE(page.ok()) << page.error().Message();
  return page.ok() ? *page : core::ListPage{};
}

namespace {

using Ids = std::vector<std::string>;

Ids Sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

Status FailIfPresent(const std::optional<core::ObjectRecord>& current) {
  return current ? Status(ErrorCode::kPreconditionFailed) : Status::Ok();
}

// --- Buckets ---

TEST_P(MetaStoreSuite, CreateAndGetBucket) {
  core::BucketRecord b{"photos", TimePoint(std::chrono::milliseconds(1234567)), "weur"};
  ASSERT_TRUE(store_->CreateBucket(b).ok());
  Result<core::BucketRecord> got = store_->GetBucket("photos");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "photos");
  EXPECT_EQ(got->created, b.created);
  EXPECT_EQ(got->location, "weur");
}

TEST_P(MetaStoreSuite, CreateExistingBucketFails) {
  MakeBucket("photos");
  Status s = store_->CreateBucket(core::BucketRecord{"photos", TimePoint(), "auto"});
  EXPECT_EQ(s.code(), ErrorCode::kBucketAlreadyOwnedByYou);
}

TEST_P(MetaStoreSuite, GetMissingBucketIsNoSuchBucket) {
  EXPECT_EQ(store_->GetBucket("nope").error().code, ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreSuite, ListBucketsIsSortedByName) {
  for (const char* name : {"zeta", "alpha", "mid"}) MakeBucket(name);
  Result<std::vector<core::BucketRecord>> all = store_->ListBuckets();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name, "alpha");
  EXPECT_EQ((*all)[1].name, "mid");
  EXPECT_EQ((*all)[2].name, "zeta");
}

TEST_P(MetaStoreSuite, DeleteBucket) {
  MakeBucket("photos");
  ASSERT_TRUE(store_->DeleteBucket("photos").ok());
  EXPECT_EQ(store_->GetBucket("photos").error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(store_->DeleteBucket("photos").code(), ErrorCode::kNoSuchBucket);
  MakeBucket("photos");  // the name is free again
}

TEST_P(MetaStoreSuite, DeleteBucketWithObjectsIsBucketNotEmpty) {
  MakeBucket("photos");
  PutKey("photos", "a.jpg");
  EXPECT_EQ(store_->DeleteBucket("photos").code(), ErrorCode::kBucketNotEmpty);
  EXPECT_TRUE(store_->GetBucket("photos").ok());
  ASSERT_TRUE(store_->DeleteObject("photos", "a.jpg").ok());
  EXPECT_TRUE(store_->DeleteBucket("photos").ok());
}

// --- Bucket usage ---

core::BucketUsage Usage(MetaStore& store, const std::string& bucket) {
  Result<core::BucketUsage> usage = store.GetBucketUsage(bucket);
  EXPECT_TRUE(usage.ok()) << usage.error().Message();
  return usage.ok() ? *usage : core::BucketUsage{};
}

TEST_P(MetaStoreSuite, BucketUsageFollowsPutsOverwritesAndDeletes) {
  MakeBucket("b");
  MakeBucket("other");
  EXPECT_EQ(Usage(*store_, "b"), (core::BucketUsage{0, 0}));
  ASSERT_TRUE(store_->PutObject(Object("b", "one", {"x1"})).ok());        // 10 bytes
  ASSERT_TRUE(store_->PutObject(Object("b", "two", {"x2", "x3"})).ok());  // 20 bytes
  ASSERT_TRUE(store_->PutObject(Object("other", "k", {"x4"})).ok());
  EXPECT_EQ(Usage(*store_, "b"), (core::BucketUsage{2, 30}));

  // An overwrite changes the size, never the count; a write refused by its condition, nothing.
  ASSERT_TRUE(store_->PutObject(Object("b", "one", {"y1", "y2", "y3"})).ok());
  EXPECT_EQ(Usage(*store_, "b"), (core::BucketUsage{2, 50}));
  ASSERT_FALSE(store_->PutObject(Object("b", "two", {"y4"}), FailIfPresent).ok());
  EXPECT_EQ(Usage(*store_, "b"), (core::BucketUsage{2, 50}));

  ASSERT_TRUE(store_->DeleteObject("b", "two").ok());
  ASSERT_TRUE(store_->DeleteObject("b", "two").ok());  // absent: no change
  EXPECT_EQ(Usage(*store_, "b"), (core::BucketUsage{1, 30}));
  EXPECT_EQ(Usage(*store_, "other"), (core::BucketUsage{1, 10}));
}

TEST_P(MetaStoreSuite, BucketUsageOfAMissingBucketIsNoSuchBucket) {
  EXPECT_EQ(store_->GetBucketUsage("nope").error().code, ErrorCode::kNoSuchBucket);
  MakeBucket("b");
  PutKey("b", "k");
  ASSERT_TRUE(store_->DeleteObject("b", "k").ok());
  ASSERT_TRUE(store_->DeleteBucket("b").ok());
  EXPECT_EQ(store_->GetBucketUsage("b").error().code, ErrorCode::kNoSuchBucket);
  MakeBucket("b");  // a new bucket of the same name starts from nothing
  EXPECT_EQ(Usage(*store_, "b"), (core::BucketUsage{0, 0}));
}

// --- Objects ---

TEST_P(MetaStoreSuite, PutObjectIntoMissingBucketIsNoSuchBucket) {
  EXPECT_EQ(store_->PutObject(Object("nope", "k", {"b1"})).error().code, ErrorCode::kNoSuchBucket);
  EXPECT_FALSE(*store_->BlobReferenced("b1"));
}

TEST_P(MetaStoreSuite, PutGetRoundTripsEveryField) {
  MakeBucket("b");
  core::ObjectRecord o = Object("b", "dir/caf\xc3\xa9.txt");
  o.size = 30;
  o.etag = "d41d8cd98f00b204e9800998ecf8427e-3";
  o.http = core::HttpMetadata{"text/plain", "attachment; filename=\"x\"",   "gzip", "fr-CA",
                              "max-age=60", "Thu, 01 Dec 1994 16:00:00 GMT"};
  o.user_metadata = {{"zeta", "1"}, {"alpha", "caf\xc3\xa9"}, {"alpha", "again"}};
  o.storage_class = "STANDARD_IA";
  o.checksums = {{"CRC32", "AAAAAA=="}, {"SHA256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}};
  o.checksum_type = "COMPOSITE";
  o.parts_count = 3;
  o.parts = {{10, {{"CRC32", "AAAAAQ=="}}}, {10, {{"CRC32", "AAAAAg=="}}}, {10, {}}};
  o.extents = {{"blob-a", 0, 10}, {"blob-b", 5, 10}, {"blob-c", 0, 10}};
  ASSERT_TRUE(store_->PutObject(o).ok());

  Result<core::ObjectRecord> got = store_->GetObject("b", o.key);
  ASSERT_TRUE(got.ok()) << got.error().Message();
  EXPECT_EQ(got->bucket, "b");
  EXPECT_EQ(got->key, o.key);
  EXPECT_EQ(got->size, o.size);
  EXPECT_EQ(got->etag, o.etag);
  EXPECT_EQ(got->last_modified, o.last_modified);
  EXPECT_EQ(got->http, o.http);
  EXPECT_EQ(got->user_metadata, o.user_metadata);  // order and repeats survive
  EXPECT_EQ(got->storage_class, o.storage_class);
  EXPECT_EQ(got->checksums, o.checksums);
  EXPECT_EQ(got->checksum_type, o.checksum_type);
  EXPECT_EQ(got->parts_count, o.parts_count);
  EXPECT_EQ(got->parts, o.parts);  // sizes and part checksums
  EXPECT_EQ(got->extents, o.extents);
}

TEST_P(MetaStoreSuite, GetMissingObject) {
  MakeBucket("b");
  EXPECT_EQ(store_->GetObject("b", "nope").error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(store_->GetObject("nope", "nope").error().code, ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreSuite, KeysAreByteExact) {
  MakeBucket("b");
  PutKey("b", "caf\xc3\xa9");   // precomposed é
  PutKey("b", "cafe\xcc\x81");  // e + combining acute: a different key
  ASSERT_TRUE(store_->DeleteObject("b", "caf\xc3\xa9").ok());
  EXPECT_FALSE(store_->GetObject("b", "caf\xc3\xa9").ok());
  EXPECT_TRUE(store_->GetObject("b", "cafe\xcc\x81").ok());
  EXPECT_FALSE(store_->GetObject("b", "CAFE\xcc\x81").ok());
}

TEST_P(MetaStoreSuite, ReplaceFreesTheOldBlobs) {
  MakeBucket("b");
  Result<Ids> first = store_->PutObject(Object("b", "k", {"b1", "b2"}));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  Result<Ids> second = store_->PutObject(Object("b", "k", {"b3"}));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Sorted(*second), (Ids{"b1", "b2"}));
  EXPECT_FALSE(*store_->BlobReferenced("b1"));
  EXPECT_FALSE(*store_->BlobReferenced("b2"));
  EXPECT_TRUE(*store_->BlobReferenced("b3"));
  EXPECT_EQ(store_->GetObject("b", "k")->extents, (std::vector<core::Extent>{{"b3", 0, 10}}));
}

TEST_P(MetaStoreSuite, SharedBlobIsFreedWithItsLastReference) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "original", {"shared"})).ok());
  // A copy shares the source's blob instead of copying bytes.
  Result<Ids> copy = store_->PutObject(Object("b", "copy", {"shared"}));
  ASSERT_TRUE(copy.ok());
  EXPECT_TRUE(copy->empty());
  Result<Ids> gone = store_->DeleteObject("b", "original");
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->empty());
  EXPECT_TRUE(*store_->BlobReferenced("shared"));
  // Replacing the last holder frees it.
  Result<Ids> replaced = store_->PutObject(Object("b", "copy", {"other"}));
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(*replaced, (Ids{"shared"}));
  EXPECT_FALSE(*store_->BlobReferenced("shared"));
}

TEST_P(MetaStoreSuite, MetadataOnlySelfCopyKeepsTheBlob) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"b1", "b2"})).ok());
  core::ObjectRecord same = Object("b", "k", {"b1", "b2"});
  same.http.content_type = "image/png";
  Result<Ids> freed = store_->PutObject(same);
  ASSERT_TRUE(freed.ok());
  EXPECT_TRUE(freed->empty());
  EXPECT_TRUE(*store_->BlobReferenced("b1"));
  // The self-copy did not add a reference either: one delete frees both blobs.
  Result<Ids> deleted = store_->DeleteObject("b", "k");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(Sorted(*deleted), (Ids{"b1", "b2"}));
}

TEST_P(MetaStoreSuite, ReplaceKeepsBlobsItStillUses) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"keep", "drop"})).ok());
  Result<Ids> freed = store_->PutObject(Object("b", "k", {"keep", "new"}));
  ASSERT_TRUE(freed.ok());
  EXPECT_EQ(*freed, (Ids{"drop"}));
  EXPECT_TRUE(*store_->BlobReferenced("keep"));
  EXPECT_TRUE(*store_->BlobReferenced("new"));
}

TEST_P(MetaStoreSuite, BlobRepeatedInExtentsIsFreedOnce) {
  MakeBucket("b");
  core::ObjectRecord o = Object("b", "k");
  o.extents = {{"b1", 0, 5}, {"b1", 5, 5}};
  ASSERT_TRUE(store_->PutObject(o).ok());
  Result<Ids> freed = store_->DeleteObject("b", "k");
  ASSERT_TRUE(freed.ok());
  EXPECT_EQ(*freed, (Ids{"b1"}));
}

TEST_P(MetaStoreSuite, FailedConditionLeavesTheOldObject) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"old"})).ok());
  std::optional<core::ObjectRecord> seen;
  Result<Ids> r = store_->PutObject(Object("b", "k", {"new"}),
                                    [&](const std::optional<core::ObjectRecord>& current) {
                                      seen = current;
                                      return Status(ErrorCode::kPreconditionFailed);
                                    });
  EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->extents,
            (std::vector<core::Extent>{{"old", 0, 10}}));  // the condition sees extents
  EXPECT_EQ(store_->GetObject("b", "k")->extents, (std::vector<core::Extent>{{"old", 0, 10}}));
  EXPECT_TRUE(*store_->BlobReferenced("old"));
  EXPECT_FALSE(*store_->BlobReferenced("new"));
}

TEST_P(MetaStoreSuite, ConditionSeesNothingForAnAbsentKey) {
  MakeBucket("b");
  bool called = false;
  Result<Ids> r = store_->PutObject(Object("b", "k"), [&](const auto& current) {
    called = true;
    EXPECT_FALSE(current.has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(called);
  EXPECT_EQ(store_->PutObject(Object("b", "k"), FailIfPresent).error().code,
            ErrorCode::kPreconditionFailed);
}

TEST_P(MetaStoreSuite, DeleteObjectIsIdempotent) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"b1"})).ok());
  Result<Ids> first = store_->DeleteObject("b", "k");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, (Ids{"b1"}));
  Result<Ids> again = store_->DeleteObject("b", "k");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(store_->GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(store_->DeleteObject("nope", "k").error().code, ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreSuite, FailedDeleteConditionKeepsTheObjectAndItsBlob) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"b1"})).ok());
  std::optional<core::ObjectRecord> seen;
  Result<Ids> refused =
      store_->DeleteObject("b", "k", [&](const std::optional<core::ObjectRecord>& current) {
        seen = current;
        return Status(ErrorCode::kPreconditionFailed);
      });
  EXPECT_EQ(refused.error().code, ErrorCode::kPreconditionFailed);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->extents, (std::vector<core::Extent>{{"b1", 0, 10}}));
  EXPECT_TRUE(store_->GetObject("b", "k").ok());
  EXPECT_TRUE(*store_->BlobReferenced("b1"));
  // A condition that holds deletes as usual.
  Result<Ids> deleted = store_->DeleteObject("b", "k", [](const auto&) { return Status::Ok(); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, (Ids{"b1"}));
}

TEST_P(MetaStoreSuite, DeleteConditionSeesNothingForAnAbsentKey) {
  MakeBucket("b");
  bool called = false;
  Result<Ids> r = store_->DeleteObject("b", "k", [&](const auto& current) {
    called = true;
    EXPECT_FALSE(current.has_value());
    return Status(ErrorCode::kNoSuchKey);
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(r.error().code, ErrorCode::kNoSuchKey);
}

// Small objects keep their bytes in the store (core::ObjectRecord::inline_data).
core::ObjectRecord InlineObject(const std::string& key, const std::string& bytes) {
  core::ObjectRecord o;
  o.bucket = "b";
  o.key = key;
  o.size = bytes.size();
  o.etag = "e";
  o.last_modified = TimePoint(std::chrono::milliseconds(1700000000123));
  o.inline_data = bytes;
  return o;
}

TEST_P(MetaStoreSuite, InlineBytesRoundTripAndStayOutOfListings) {
  MakeBucket("b");
  const std::string bytes("small\0object with a NUL", 24);
  ASSERT_TRUE(store_->PutObject(InlineObject("k", bytes)).ok());
  Result<core::ObjectRecord> got = store_->GetObject("b", "k");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->stored_inline());
  EXPECT_EQ(got->inline_data, bytes);
  EXPECT_TRUE(got->extents.empty());
  core::ListPage page = List(core::ListQuery{});
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].size, bytes.size());
  EXPECT_TRUE(page.objects[0].inline_data.empty());
}

TEST_P(MetaStoreSuite, InlineBytesGoWithTheirObject) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(InlineObject("k", "first")).ok());
  // Replaced by a blob-backed object: the old bytes are gone, not served.
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"blob1"})).ok());
  Result<core::ObjectRecord> got = store_->GetObject("b", "k");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->stored_inline());
  EXPECT_TRUE(got->inline_data.empty());
  // And back: the blob is released, the new bytes are served.
  Result<std::vector<std::string>> released = store_->PutObject(InlineObject("k", "second"));
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, std::vector<std::string>{"blob1"});
  EXPECT_EQ(store_->GetObject("b", "k")->inline_data, "second");
  // Deleted with the object; a new object at the key starts empty.
  ASSERT_TRUE(store_->DeleteObject("b", "k").ok());
  EXPECT_EQ(store_->GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  ASSERT_TRUE(store_->PutObject(Object("b", "k")).ok());
  EXPECT_TRUE(store_->GetObject("b", "k")->inline_data.empty());
  EXPECT_TRUE(store_->DeleteObject("b", "k").ok());
  EXPECT_TRUE(store_->DeleteBucket("b").ok());
}

TEST_P(MetaStoreSuite, BlobReferencedTracksReferences) {
  MakeBucket("b");
  EXPECT_FALSE(*store_->BlobReferenced("b1"));
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"b1"})).ok());
  EXPECT_TRUE(*store_->BlobReferenced("b1"));
  ASSERT_TRUE(store_->DeleteObject("b", "k").ok());
  EXPECT_FALSE(*store_->BlobReferenced("b1"));
}

TEST_P(MetaStoreSuite, MetadataThatIsNotUtf8IsRefusedWithoutAWrite) {
  MakeBucket("b");
  core::ObjectRecord o = Object("b", "k", {"b1"});
  o.user_metadata = {{"name", "\xff"}};
  EXPECT_EQ(store_->PutObject(o).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  EXPECT_FALSE(*store_->BlobReferenced("b1"));
}

// --- Settings ---

TEST_P(MetaStoreSuite, Settings) {
  Result<std::optional<std::string>> absent = store_->GetSetting("admin_key");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  ASSERT_TRUE(store_->PutSetting("admin_key", "first").ok());
  ASSERT_TRUE(store_->PutSetting("admin_key", "second").ok());
  EXPECT_EQ(store_->GetSetting("admin_key")->value_or(""), "second");
  ASSERT_TRUE(store_->PutSetting("admin_key", std::nullopt).ok());
  EXPECT_FALSE(store_->GetSetting("admin_key")->has_value());
  EXPECT_TRUE(store_->PutSetting("admin_key", std::nullopt).ok()) << "deleting the absent is fine";
}

TEST_P(MetaStoreSuite, SettingsAreListedByPrefixInNameOrder) {
  for (const char* name : {"key/b", "key/a", "keyring", "kex/a", "key%/x", "key_/y"}) {
    ASSERT_TRUE(store_->PutSetting(name, std::string("v-") + name).ok());
  }
  auto listed = store_->ListSettings("key/");
  ASSERT_TRUE(listed.ok());
  using Entry = std::pair<std::string, std::string>;
  EXPECT_EQ(*listed, (std::vector<Entry>{{"key/a", "v-key/a"}, {"key/b", "v-key/b"}}));
  // LIKE's wildcards in a prefix are plain characters.
  EXPECT_EQ(store_->ListSettings("key%")->size(), 1u);
  EXPECT_EQ(store_->ListSettings("key_")->size(), 1u);
  EXPECT_EQ(store_->ListSettings("")->size(), 6u);
}

TEST_P(MetaStoreSuite, ACountedSettingWriteCountsEachChange) {
  ASSERT_TRUE(store_->PutSettingCounted("key/a", "1", "changes").ok());
  EXPECT_EQ(store_->GetSetting("changes")->value_or(""), "1");
  ASSERT_TRUE(store_->PutSettingCounted("key/a", "2", "changes").ok());
  ASSERT_TRUE(store_->PutSettingCounted("key/a", std::nullopt, "changes").ok());
  EXPECT_EQ(store_->GetSetting("changes")->value_or(""), "3");
  EXPECT_FALSE(store_->GetSetting("key/a")->has_value());
  // Concurrent writers lose no count.
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&, i] {
      for (int j = 0; j < 10; ++j) {
        const std::string name = "key/" + std::to_string(i);
        EXPECT_TRUE(store_->PutSettingCounted(name, std::to_string(j), "changes").ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(store_->GetSetting("changes")->value_or(""), "43");
}

TEST_P(MetaStoreSuite, ReplaceSettingNeverBringsBackADeletedOne) {
  Result<bool> absent = store_->ReplaceSetting("key/a", "late");
  ASSERT_TRUE(absent.ok()) << absent.error().Message();
  EXPECT_FALSE(*absent);
  EXPECT_FALSE(store_->GetSetting("key/a")->has_value());
  ASSERT_TRUE(store_->PutSetting("key/a", "first").ok());
  Result<bool> present = store_->ReplaceSetting("key/a", "second");
  ASSERT_TRUE(present.ok());
  EXPECT_TRUE(*present);
  EXPECT_EQ(store_->GetSetting("key/a")->value_or(""), "second");
}

TEST_P(MetaStoreSuite, ALeaseIsGrantedAndGrantedAgainOnceReleased) {
  Result<std::unique_ptr<MetaStore::Lease>> lease = store_->TryLease("sweep");
  ASSERT_TRUE(lease.ok()) << lease.error().Message();
  EXPECT_NE(*lease, nullptr);
  lease->reset();
  Result<std::unique_ptr<MetaStore::Lease>> again = store_->TryLease("sweep");
  ASSERT_TRUE(again.ok()) << again.error().Message();
  EXPECT_NE(*again, nullptr);
}

// --- Concurrency ---

TEST_P(MetaStoreSuite, ConcurrentConditionalCreatesHaveOneWinner) {
  MakeBucket("b");
  constexpr int kThreads = 8;
  std::atomic<int> wins = 0;
  std::atomic<int> refused = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // If-None-Match: * as a write condition.
      Result<Ids> r =
          store_->PutObject(Object("b", "contested", {"blob-" + std::to_string(i)}), FailIfPresent);
      if (r.ok()) {
        ++wins;
      } else if (r.error().code == ErrorCode::kPreconditionFailed) {
        ++refused;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(refused, kThreads - 1);
  Result<core::ObjectRecord> winner = store_->GetObject("b", "contested");
  ASSERT_TRUE(winner.ok());
  ASSERT_EQ(winner->extents.size(), 1u);
  for (int i = 0; i < kThreads; ++i) {
    std::string id = "blob-" + std::to_string(i);
    EXPECT_EQ(*store_->BlobReferenced(id), id == winner->extents[0].blob_id) << id;
  }
}

TEST_P(MetaStoreSuite, ReadersRunBesideWriters) {
  MakeBucket("b");
  constexpr int kWriters = 4;
  constexpr int kKeysEach = 50;
  std::atomic<bool> writing = true;
  std::atomic<int> failures = 0;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kKeysEach; ++i) {
        std::string key = "w" + std::to_string(w) + "/" + std::to_string(1000 + i);
        if (!store_->PutObject(Object("b", key, {key})).ok()) ++failures;
      }
    });
  }
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (writing) {
        Result<core::ListPage> page = store_->ListObjects("b", core::ListQuery{});
        if (!page.ok() ||
            !std::is_sorted(page->objects.begin(), page->objects.end(),
                            [](const auto& a, const auto& b) { return a.key < b.key; })) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  writing = false;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures, 0);
  Result<core::ListPage> all = store_->ListObjects("b", core::ListQuery{});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->objects.size(), size_t{kWriters * kKeysEach});
}

}  // namespace
}  // namespace cairn::meta
