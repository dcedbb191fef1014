// The shared MetaStore suite, part 3: multipart uploads and bucket configuration. What matters
// most here is the blob reference accounting across parts and objects: a blob a part or object
// still uses must never be reported freed (the caller would delete a file that is still read),
// and a blob nothing uses any more must be reported exactly once (or it leaks until the start-up
// sweep). Every engine runs these tests through MetaStoreSuite (meta_store_suite.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "meta/meta_store_suite.h"

namespace cairn::meta {
namespace {

using Ids = std::vector<std::string>;

Ids Sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

core::UploadRecord Upload(const std::string& bucket, const std::string& key, const std::string& id,
                          int64_t initiated_ms = 1700000000000) {
  core::UploadRecord u;
  u.upload_id = id;
  u.bucket = bucket;
  u.key = key;
  u.initiated = TimePoint(std::chrono::milliseconds(initiated_ms));
  return u;
}

// Part `number` whose bytes are blob `blob_id` (10 bytes), or no blob when empty.
core::PartRecord Part(uint32_t number, const std::string& blob_id) {
  core::PartRecord p;
  p.part_number = number;
  p.etag = "etag-" + std::to_string(number);
  p.last_modified = TimePoint(std::chrono::milliseconds(1700000001000 + number));
  if (!blob_id.empty()) {
    p.extents = {{blob_id, 0, 10}};
    p.size = 10;
  }
  return p;
}

// A CompleteBuilder that keeps the parts numbered in `chosen`, as core's rules would after
// checking the client's list.
MetaStore::CompleteBuilder Choose(std::vector<uint32_t> chosen) {
  return [chosen](const core::UploadRecord& upload,
                  const std::vector<core::PartRecord>& parts) -> Result<core::ObjectRecord> {
    core::ObjectRecord o;
    o.bucket = upload.bucket;
    o.key = upload.key;
    o.etag = "combined-" + std::to_string(chosen.size());
    o.http = upload.http;
    o.user_metadata = upload.user_metadata;
    o.storage_class = upload.storage_class;
    o.parts_count = static_cast<uint32_t>(chosen.size());
    for (uint32_t number : chosen) {
      auto it = std::find_if(parts.begin(), parts.end(),
                             [&](const core::PartRecord& p) { return p.part_number == number; });
      if (it == parts.end()) return Error(ErrorCode::kInvalidPart);
      o.parts.push_back(core::ObjectPart{it->size, it->checksums});
      o.size += it->size;
      o.extents.insert(o.extents.end(), it->extents.begin(), it->extents.end());
    }
    return o;
  };
}

const TimePoint kKeepUntil = TimePoint(std::chrono::milliseconds(1800000000000));

MetaStore::CompletionReceipt Receipt(std::string parts_digest, TimePoint keep_until = kKeepUntil) {
  return {std::move(parts_digest), keep_until};
}

// A CompleteBuilder that fails the test if a retry calls it: a retry writes nothing.
MetaStore::CompleteBuilder NeverBuilt() {
  return [](const core::UploadRecord&, const std::vector<core::PartRecord>&) {
    ADD_FAILURE() << "a recorded completion was built again";
    return Result<core::ObjectRecord>(Error(ErrorCode::kInternalError));
  };
}

void PutPartOk(MetaStore& store, const std::string& upload_id, const core::PartRecord& part,
               const std::string& key = "k") {
  Result<Ids> r = store.PutPart("b", key, upload_id, part);
  ASSERT_TRUE(r.ok()) << r.error().Message();
}

std::vector<uint32_t> PartNumbers(const core::PartsPage& page) {
  std::vector<uint32_t> out;
  for (const core::PartRecord& p : page.parts) out.push_back(p.part_number);
  return out;
}

// --- Uploads and parts ---

TEST_P(MetaStoreSuite, CreateGetAndAbortUpload) {
  MakeBucket("b");
  core::UploadRecord u = Upload("b", "dir/caf\xc3\xa9", "u1");
  u.http.content_type = "video/mp4";
  u.http.cache_control = "no-cache";
  u.user_metadata = {{"zeta", "1"}, {"alpha", "2"}, {"zeta", "3"}};
  u.storage_class = "STANDARD_IA";
  u.checksum_algorithm = "CRC32C";
  u.checksum_type = "COMPOSITE";
  ASSERT_TRUE(store_->CreateUpload(u).ok());

  Result<core::UploadRecord> got = store_->GetUpload("b", u.key, "u1");
  ASSERT_TRUE(got.ok()) << got.error().Message();
  EXPECT_EQ(got->upload_id, "u1");
  EXPECT_EQ(got->bucket, "b");
  EXPECT_EQ(got->key, u.key);
  EXPECT_EQ(got->initiated, u.initiated);
  EXPECT_EQ(got->http, u.http);
  EXPECT_EQ(got->user_metadata, u.user_metadata);
  EXPECT_EQ(got->storage_class, "STANDARD_IA");
  EXPECT_EQ(got->checksum_algorithm, "CRC32C");
  EXPECT_EQ(got->checksum_type, "COMPOSITE");

  PutPartOk(*store_, "u1", Part(1, "p1"), u.key);
  PutPartOk(*store_, "u1", Part(2, "p2"), u.key);
  Result<Ids> freed = store_->AbortUpload("b", u.key, "u1");
  ASSERT_TRUE(freed.ok()) << freed.error().Message();
  EXPECT_EQ(Sorted(*freed), (Ids{"p1", "p2"}));
  EXPECT_FALSE(*store_->BlobReferenced("p1"));
  EXPECT_EQ(store_->GetUpload("b", u.key, "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->AbortUpload("b", u.key, "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_TRUE(store_->DeleteBucket("b").ok());  // nothing of the upload is left
}

TEST_P(MetaStoreSuite, CreateUploadInMissingBucketIsNoSuchBucket) {
  EXPECT_EQ(store_->CreateUpload(Upload("nope", "k", "u1")).code(), ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreSuite, UploadIdWithAnotherKeyOrBucketIsNoSuchUpload) {
  MakeBucket("b");
  MakeBucket("other");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  EXPECT_EQ(store_->GetUpload("b", "k2", "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->GetUpload("other", "k", "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->GetUpload("b", "k", "u2").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->PutPart("b", "k2", "u1", Part(1, "p1")).error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->ListParts("other", "k", "u1", 0, 100).error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->AbortUpload("b", "k2", "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->CompleteUpload("other", "k", "u1", Choose({})).error().code,
            ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->CompleteUpload("nope", "k", "u1", Choose({})).error().code,
            ErrorCode::kNoSuchBucket);
  EXPECT_FALSE(*store_->BlobReferenced("p1"));
  EXPECT_TRUE(store_->GetUpload("b", "k", "u1").ok());  // all of that left it alone
}

TEST_P(MetaStoreSuite, PutPartReplaceFreesTheOldBlob) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  Result<Ids> first = store_->PutPart("b", "k", "u1", Part(1, "old"));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  EXPECT_TRUE(*store_->BlobReferenced("old"));  // a blob only a part uses is referenced
  Result<Ids> second = store_->PutPart("b", "k", "u1", Part(1, "new"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, (Ids{"old"}));
  EXPECT_FALSE(*store_->BlobReferenced("old"));
  EXPECT_TRUE(*store_->BlobReferenced("new"));
  Result<core::PartsPage> page = store_->ListParts("b", "k", "u1", 0, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->parts.size(), 1u);
  EXPECT_EQ(page->parts[0].etag, "etag-1");
}

TEST_P(MetaStoreSuite, PartSharingABlobWithAnObjectKeepsIt) {
  MakeBucket("b");
  // UploadPartCopy may share the source object's blob instead of copying bytes.
  ASSERT_TRUE(store_->PutObject(Object("b", "src", {"shared"})).ok());
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  PutPartOk(*store_, "u1", Part(1, "shared"));
  Result<Ids> deleted = store_->DeleteObject("b", "src");
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->empty());
  EXPECT_TRUE(*store_->BlobReferenced("shared"));
  Result<Ids> aborted = store_->AbortUpload("b", "k", "u1");
  ASSERT_TRUE(aborted.ok());
  EXPECT_EQ(*aborted, (Ids{"shared"}));
}

TEST_P(MetaStoreSuite, PutPartAfterAbortIsNoSuchUpload) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  ASSERT_TRUE(store_->AbortUpload("b", "k", "u1").ok());
  EXPECT_EQ(store_->PutPart("b", "k", "u1", Part(1, "late")).error().code,
            ErrorCode::kNoSuchUpload);
  EXPECT_FALSE(*store_->BlobReferenced("late"));
}

TEST_P(MetaStoreSuite, ListPartsPages) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  for (uint32_t n : {7u, 1u, 3u, 10000u, 2u}) PutPartOk(*store_, "u1", Part(n, "p"));
  Result<core::PartsPage> first = store_->ListParts("b", "k", "u1", 0, 2);
  ASSERT_TRUE(first.ok()) << first.error().Message();
  EXPECT_EQ(PartNumbers(*first), (std::vector<uint32_t>{1, 2}));
  EXPECT_TRUE(first->truncated);
  EXPECT_EQ(first->next_part_number_marker, 2u);
  EXPECT_EQ(first->parts[1].size, 10u);
  EXPECT_EQ(first->parts[1].last_modified, Part(2, "").last_modified);
  EXPECT_TRUE(first->parts[1].extents.empty());  // pages carry no extents

  Result<core::PartsPage> second = store_->ListParts("b", "k", "u1", 2, 2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(PartNumbers(*second), (std::vector<uint32_t>{3, 7}));
  EXPECT_TRUE(second->truncated);
  EXPECT_EQ(second->next_part_number_marker, 7u);

  Result<core::PartsPage> last = store_->ListParts("b", "k", "u1", 7, 2);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(PartNumbers(*last), (std::vector<uint32_t>{10000}));
  EXPECT_FALSE(last->truncated);
  EXPECT_EQ(last->next_part_number_marker, 10000u);

  Result<core::PartsPage> exact = store_->ListParts("b", "k", "u1", 0, 5);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->parts.size(), 5u);
  EXPECT_FALSE(exact->truncated);

  Result<core::PartsPage> none = store_->ListParts("b", "k", "u1", 0, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->parts.empty());
  EXPECT_FALSE(none->truncated);
}

TEST_P(MetaStoreSuite, PartChecksumsRoundTrip) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  core::PartRecord p = Part(1, "p1");
  p.checksums = {{"CRC32", "AAAAAA=="}};
  PutPartOk(*store_, "u1", p);
  Result<core::PartsPage> page = store_->ListParts("b", "k", "u1", 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->parts.size(), 1u);
  EXPECT_EQ(page->parts[0].checksums, p.checksums);
  EXPECT_EQ(page->parts[0].etag, p.etag);
}

// --- CompleteUpload ---

TEST_P(MetaStoreSuite, BucketUsageCountsACompletedUploadNotItsParts) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"previous"})).ok());
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  PutPartOk(*store_, "u1", Part(1, "p1"));
  PutPartOk(*store_, "u1", Part(2, "p2"));
  PutPartOk(*store_, "u1", Part(3, "p3"));
  ASSERT_EQ(*store_->GetBucketUsage("b"), (core::BucketUsage{1, 10}));  // parts are not objects
  ASSERT_TRUE(store_->CompleteUpload("b", "k", "u1", Choose({1, 3})).ok());
  EXPECT_EQ(*store_->GetBucketUsage("b"), (core::BucketUsage{1, 20}));  // replaced the 10 bytes
}

TEST_P(MetaStoreSuite, CompleteUploadMovesChosenPartsIntoTheObject) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"previous"})).ok());
  core::UploadRecord u = Upload("b", "k", "u1");
  u.http.content_type = "text/csv";
  ASSERT_TRUE(store_->CreateUpload(u).ok());
  PutPartOk(*store_, "u1", Part(1, "p1"));
  PutPartOk(*store_, "u1", Part(2, "p2"));
  PutPartOk(*store_, "u1", Part(3, "p3"));
  PutPartOk(*store_, "u1", Part(4, "p4"));

  std::vector<uint32_t> seen;
  MetaStore::CompleteBuilder build = [&](const core::UploadRecord& upload,
                                         const std::vector<core::PartRecord>& parts) {
    EXPECT_EQ(upload.http.content_type, "text/csv");
    for (const core::PartRecord& p : parts) {
      seen.push_back(p.part_number);
      EXPECT_EQ(p.extents.size(), 1u);  // the builder sees extents
    }
    return Choose({1, 3})(upload, parts);
  };
  Result<MetaStore::Completion> done = store_->CompleteUpload("b", "k", "u1", build);
  ASSERT_TRUE(done.ok()) << done.error().Message();
  EXPECT_EQ(seen, (std::vector<uint32_t>{1, 2, 3, 4}));  // by part number
  EXPECT_EQ(Sorted(done->released), (Ids{"p2", "p4", "previous"}));
  EXPECT_FALSE(done->retried);

  Result<core::ObjectRecord> object = store_->GetObject("b", "k");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(object->extents, (std::vector<core::Extent>{{"p1", 0, 10}, {"p3", 0, 10}}));
  EXPECT_EQ(object->size, 20u);
  EXPECT_EQ(object->parts_count, 2u);
  EXPECT_EQ(object->http.content_type, "text/csv");
  EXPECT_TRUE(*store_->BlobReferenced("p1"));
  EXPECT_TRUE(*store_->BlobReferenced("p3"));
  EXPECT_FALSE(*store_->BlobReferenced("p2"));
  EXPECT_FALSE(*store_->BlobReferenced("previous"));
  EXPECT_EQ(store_->GetUpload("b", "k", "u1").error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->CompleteUpload("b", "k", "u1", Choose({1}), {}, Receipt("list 1")).error().code,
            ErrorCode::kNoSuchUpload);

  // The object alone holds the chosen blobs now: deleting it frees them.
  Result<Ids> deleted = store_->DeleteObject("b", "k");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(Sorted(*deleted), (Ids{"p1", "p3"}));
  EXPECT_TRUE(store_->DeleteBucket("b").ok());
}

TEST_P(MetaStoreSuite, CompleteUploadReusingTheReplacedObjectsBlobKeepsIt) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"shared"})).ok());
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  PutPartOk(*store_, "u1", Part(1, "shared"));  // an UploadPartCopy of the object itself
  PutPartOk(*store_, "u1", Part(2, "shared"));  // twice
  Result<MetaStore::Completion> done = store_->CompleteUpload("b", "k", "u1", Choose({1}));
  ASSERT_TRUE(done.ok()) << done.error().Message();
  EXPECT_TRUE(done->released.empty());
  EXPECT_TRUE(*store_->BlobReferenced("shared"));
  Result<Ids> deleted = store_->DeleteObject("b", "k");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, (Ids{"shared"}));
}

TEST_P(MetaStoreSuite, CompleteUploadBuildErrorLeavesTheUpload) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  PutPartOk(*store_, "u1", Part(1, "p1"));
  auto r = store_->CompleteUpload("b", "k", "u1", Choose({1, 2}));  // no part 2
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPart);
  EXPECT_TRUE(store_->GetUpload("b", "k", "u1").ok());
  EXPECT_EQ(store_->GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);
  EXPECT_TRUE(*store_->BlobReferenced("p1"));
  Result<core::PartsPage> parts = store_->ListParts("b", "k", "u1", 0, 10);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->parts.size(), 1u);
  // The client may retry with a corrected list.
  auto retry = store_->CompleteUpload("b", "k", "u1", Choose({1}));
  ASSERT_TRUE(retry.ok()) << retry.error().Message();
  EXPECT_TRUE(retry->released.empty());
  EXPECT_FALSE(retry->retried);  // a failed request recorded nothing
}

TEST_P(MetaStoreSuite, CompleteUploadConditionFailureLeavesEverything) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "k", {"previous"})).ok());
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  PutPartOk(*store_, "u1", Part(1, "p1"));
  PutPartOk(*store_, "u1", Part(2, "p2"));
  std::optional<core::ObjectRecord> seen;
  auto r = store_->CompleteUpload("b", "k", "u1", Choose({1}),
                                  [&](const std::optional<core::ObjectRecord>& current) {
                                    seen = current;
                                    return Status(ErrorCode::kPreconditionFailed);
                                  });
  EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->extents, (std::vector<core::Extent>{{"previous", 0, 10}}));
  EXPECT_EQ(store_->GetObject("b", "k")->extents, (std::vector<core::Extent>{{"previous", 0, 10}}));
  EXPECT_TRUE(store_->GetUpload("b", "k", "u1").ok());
  for (const char* id : {"previous", "p1", "p2"}) EXPECT_TRUE(*store_->BlobReferenced(id)) << id;
  Result<core::PartsPage> parts = store_->ListParts("b", "k", "u1", 0, 10);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->parts.size(), 2u);
}

// --- Completed uploads: retries, Abort, expiry ---

TEST_P(MetaStoreSuite, CompleteUploadRecordsTheCompletion) {
  MakeBucket("b");
  core::UploadRecord u = Upload("b", "k", "u1");
  ASSERT_TRUE(store_->CreateUpload(u).ok());
  PutPartOk(*store_, "u1", Part(1, "p1"));
  PutPartOk(*store_, "u1", Part(2, "p2"));
  MetaStore::CompleteBuilder build = [](const core::UploadRecord& upload,
                                        const std::vector<core::PartRecord>& parts) {
    Result<core::ObjectRecord> o = Choose({1, 2})(upload, parts);
    o->checksums = {{"CRC32", "AAAAAA==-2"}};
    o->checksum_type = "COMPOSITE";
    return o;
  };
  auto done = store_->CompleteUpload("b", "k", "u1", build, {}, Receipt("list 1 2"));
  ASSERT_TRUE(done.ok()) << done.error().Message();
  const core::CompletedUploadRecord expected{"u1",        "b",          "k",
                                             "list 1 2",  "combined-2", {{"CRC32", "AAAAAA==-2"}},
                                             "COMPOSITE", 20,           kKeepUntil};
  EXPECT_EQ(done->record, expected);
  EXPECT_FALSE(done->retried);

  // The same list again: the record, nothing built or checked, nothing written.
  auto refuse = [](const std::optional<core::ObjectRecord>&) {
    return Status(ErrorCode::kPreconditionFailed);  // If-None-Match: * would now fail
  };
  auto retried = store_->CompleteUpload("b", "k", "u1", NeverBuilt(), refuse, Receipt("list 1 2"));
  ASSERT_TRUE(retried.ok()) << retried.error().Message();
  EXPECT_TRUE(retried->retried);
  EXPECT_TRUE(retried->released.empty());
  EXPECT_EQ(retried->record, expected);

  // Another list, or the id presented for another key or bucket: the upload does not exist.
  EXPECT_EQ(
      store_->CompleteUpload("b", "k", "u1", NeverBuilt(), {}, Receipt("list 1")).error().code,
      ErrorCode::kNoSuchUpload);
  EXPECT_EQ(
      store_->CompleteUpload("b", "k2", "u1", NeverBuilt(), {}, Receipt("list 1 2")).error().code,
      ErrorCode::kNoSuchUpload);
  // ListParts and UploadPart do not see a completed upload.
  EXPECT_EQ(store_->ListParts("b", "k", "u1", 0, 10).error().code, ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->PutPart("b", "k", "u1", Part(3, "p3")).error().code, ErrorCode::kNoSuchUpload);
}

TEST_P(MetaStoreSuite, ARetryIsAnsweredAfterTheObjectIsGone) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  PutPartOk(*store_, "u1", Part(1, "p1"));
  ASSERT_TRUE(store_->CompleteUpload("b", "k", "u1", Choose({1}), {}, Receipt("list 1")).ok());
  Result<Ids> deleted = store_->DeleteObject("b", "k");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, (Ids{"p1"}));
  auto retried = store_->CompleteUpload("b", "k", "u1", NeverBuilt(), {}, Receipt("list 1"));
  ASSERT_TRUE(retried.ok()) << retried.error().Message();
  EXPECT_EQ(retried->record.etag, "combined-1");
  EXPECT_EQ(store_->GetObject("b", "k").error().code, ErrorCode::kNoSuchKey);  // not recreated
}

TEST_P(MetaStoreSuite, AbortOfACompletedUploadChangesNothing) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  PutPartOk(*store_, "u1", Part(1, "p1"));
  ASSERT_TRUE(store_->CompleteUpload("b", "k", "u1", Choose({1}), {}, Receipt("list 1")).ok());
  Result<Ids> aborted = store_->AbortUpload("b", "k", "u1");
  ASSERT_TRUE(aborted.ok()) << aborted.error().Message();
  EXPECT_TRUE(aborted->empty());
  EXPECT_TRUE(*store_->BlobReferenced("p1"));
  EXPECT_EQ(store_->GetObject("b", "k")->etag, "combined-1");
  EXPECT_TRUE(store_->CompleteUpload("b", "k", "u1", NeverBuilt(), {}, Receipt("list 1")).ok());
  EXPECT_EQ(store_->AbortUpload("b", "k2", "u1").error().code, ErrorCode::kNoSuchUpload);
}

TEST_P(MetaStoreSuite, DeleteCompletionsBeforeForgetsOnlyExpiredRecords) {
  MakeBucket("b");
  const TimePoint day1 = TimePoint(std::chrono::hours(24 * 20000));
  const TimePoint day2 = day1 + std::chrono::hours(24);
  for (const char* id : {"u1", "u2", "u3"}) {
    ASSERT_TRUE(store_->CreateUpload(Upload("b", id, id)).ok());
    PutPartOk(*store_, id, Part(1, std::string("blob-") + id), id);
    const TimePoint keep = std::string(id) == "u3" ? day2 : day1;
    ASSERT_TRUE(store_->CompleteUpload("b", id, id, Choose({1}), {}, Receipt("list", keep)).ok());
  }
  EXPECT_EQ(*store_->DeleteCompletionsBefore(day1, 10), 0u);  // kept until day1: not before
  EXPECT_EQ(*store_->DeleteCompletionsBefore(day1 + std::chrono::milliseconds(1), 1), 1u);
  EXPECT_EQ(*store_->DeleteCompletionsBefore(day2, 10), 1u);
  EXPECT_EQ(store_->CompleteUpload("b", "u1", "u1", NeverBuilt(), {}, Receipt("list")).error().code,
            ErrorCode::kNoSuchUpload);
  EXPECT_EQ(store_->CompleteUpload("b", "u2", "u2", NeverBuilt(), {}, Receipt("list")).error().code,
            ErrorCode::kNoSuchUpload);
  EXPECT_TRUE(store_->CompleteUpload("b", "u3", "u3", NeverBuilt(), {}, Receipt("list")).ok());
  EXPECT_EQ(*store_->DeleteCompletionsBefore(day2 + std::chrono::hours(1), 10), 1u);
  // The objects the uploads made are untouched.
  for (const char* key : {"u1", "u2", "u3"}) EXPECT_TRUE(store_->GetObject("b", key).ok()) << key;
}

// --- Buckets with uploads, blob references ---

TEST_P(MetaStoreSuite, DeleteBucketWithAnUploadIsBucketNotEmpty) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  EXPECT_EQ(store_->DeleteBucket("b").code(), ErrorCode::kBucketNotEmpty);
  ASSERT_TRUE(store_->AbortUpload("b", "k", "u1").ok());
  EXPECT_TRUE(store_->DeleteBucket("b").ok());
}

TEST_P(MetaStoreSuite, BlobReferencedByAPartOnly) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  EXPECT_FALSE(*store_->BlobReferenced("part-blob"));
  PutPartOk(*store_, "u1", Part(1, "part-blob"));
  EXPECT_TRUE(*store_->BlobReferenced("part-blob"));
}

// --- ListUploads ---

std::vector<std::string> UploadIds(const core::UploadsPage& page) {
  std::vector<std::string> out;
  for (const core::UploadRecord& u : page.uploads) out.push_back(u.upload_id);
  return out;
}

core::UploadsQuery UQuery(std::string prefix, std::string delimiter = "",
                          std::string key_marker = "", std::string upload_id_marker = "",
                          uint32_t max_uploads = 1000) {
  return core::UploadsQuery{std::move(prefix), std::move(delimiter), std::move(key_marker),
                            std::move(upload_id_marker), max_uploads};
}

core::UploadsPage ListU(MetaStore& store, const core::UploadsQuery& query) {
  Result<core::UploadsPage> page = store.ListUploads("b", query);
  EXPECT_TRUE(page.ok()) << page.error().Message();
  return page.ok() ? *page : core::UploadsPage{};
}

// Uploads of "a" (three, started at different times), "a/x", "b\xc3\xa9", "b~".
void FillUploads(MetaStore& store) {
  ASSERT_TRUE(store.CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  struct Row {
    const char* key;
    const char* id;
    int64_t ms;
  };
  for (const Row& row :
       {Row{"b\xc3\xa9", "u-be", 1}, Row{"a", "u-a3", 30}, Row{"a/x", "u-ax", 5},
        Row{"a", "u-a1", 10}, Row{"b~", "u-bt", 2}, Row{"a", "u-a2", 20}, Row{"a", "u-a0", 20}}) {
    ASSERT_TRUE(store.CreateUpload(Upload("b", row.key, row.id, row.ms)).ok()) << row.id;
  }
}

TEST_P(MetaStoreSuite, ListUploadsIsByKeyThenInitiation) {
  FillUploads(*store_);
  core::UploadsPage page = ListU(*store_, core::UploadsQuery{});
  // u-a0 and u-a2 started in the same millisecond: the upload id breaks the tie.
  EXPECT_EQ(UploadIds(page),
            (std::vector<std::string>{"u-a1", "u-a0", "u-a2", "u-a3", "u-ax", "u-bt", "u-be"}));
  EXPECT_FALSE(page.truncated);
  EXPECT_EQ(page.next_key_marker, "b\xc3\xa9");
  EXPECT_EQ(page.next_upload_id_marker, "u-be");
  EXPECT_EQ(store_->ListUploads("nope", core::UploadsQuery{}).error().code,
            ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreSuite, ListUploadsPagesWithMarkers) {
  FillUploads(*store_);
  core::UploadsPage first = ListU(*store_, UQuery("", "", "", "", 2));
  EXPECT_EQ(UploadIds(first), (std::vector<std::string>{"u-a1", "u-a0"}));
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.next_key_marker, "a");
  EXPECT_EQ(first.next_upload_id_marker, "u-a0");

  core::UploadsPage second =
      ListU(*store_, UQuery("", "", first.next_key_marker, first.next_upload_id_marker, 3));
  EXPECT_EQ(UploadIds(second), (std::vector<std::string>{"u-a2", "u-a3", "u-ax"}));
  EXPECT_TRUE(second.truncated);

  core::UploadsPage third =
      ListU(*store_, UQuery("", "", second.next_key_marker, second.next_upload_id_marker, 3));
  EXPECT_EQ(UploadIds(third), (std::vector<std::string>{"u-bt", "u-be"}));
  EXPECT_FALSE(third.truncated);

  // A key marker alone skips all uploads of that key.
  EXPECT_EQ(UploadIds(ListU(*store_, UQuery("", "", "a"))),
            (std::vector<std::string>{"u-ax", "u-bt", "u-be"}));
  // An upload-id marker that no longer names an upload of the key lists that key again.
  EXPECT_EQ(UploadIds(ListU(*store_, UQuery("", "", "a/x", "gone"))),
            (std::vector<std::string>{"u-ax", "u-bt", "u-be"}));
  // An upload-id marker without a key marker is ignored.
  EXPECT_EQ(UploadIds(ListU(*store_, UQuery("", "", "", "u-a3"))).size(), 7u);
  core::UploadsPage none = ListU(*store_, UQuery("", "", "", "", 0));
  EXPECT_TRUE(none.uploads.empty());
  EXPECT_FALSE(none.truncated);
}

TEST_P(MetaStoreSuite, ListUploadsPrefixAndDelimiter) {
  FillUploads(*store_);
  EXPECT_EQ(UploadIds(ListU(*store_, UQuery("b"))), (std::vector<std::string>{"u-bt", "u-be"}));
  EXPECT_EQ(UploadIds(ListU(*store_, UQuery("a/"))), (std::vector<std::string>{"u-ax"}));

  core::UploadsPage grouped = ListU(*store_, UQuery("", "/"));
  EXPECT_EQ(UploadIds(grouped),
            (std::vector<std::string>{"u-a1", "u-a0", "u-a2", "u-a3", "u-bt", "u-be"}));
  EXPECT_EQ(grouped.common_prefixes, (std::vector<std::string>{"a/"}));

  // Uploads and common prefixes count together against max_uploads.
  core::UploadsPage first = ListU(*store_, UQuery("", "/", "a", "u-a3", 1));
  EXPECT_TRUE(first.uploads.empty());
  EXPECT_EQ(first.common_prefixes, (std::vector<std::string>{"a/"}));
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.next_key_marker, "a/");
  EXPECT_EQ(first.next_upload_id_marker, "");
  core::UploadsPage rest =
      ListU(*store_, UQuery("", "/", first.next_key_marker, first.next_upload_id_marker, 5));
  EXPECT_EQ(UploadIds(rest), (std::vector<std::string>{"u-bt", "u-be"}));
  EXPECT_TRUE(rest.common_prefixes.empty());
  EXPECT_FALSE(rest.truncated);
}

TEST_P(MetaStoreSuite, ListUploadsInitiatedBeforeSpansBuckets) {
  FillUploads(*store_);
  MakeBucket("other");
  ASSERT_TRUE(store_->CreateUpload(Upload("other", "z", "u-other", 3)).ok());
  Result<std::vector<core::UploadRecord>> old =
      store_->ListUploadsInitiatedBefore(TimePoint(std::chrono::milliseconds(20)), 100);
  ASSERT_TRUE(old.ok()) << old.error().Message();
  std::vector<std::string> ids;
  for (const core::UploadRecord& u : *old) ids.push_back(u.upload_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"u-be", "u-bt", "u-other", "u-ax", "u-a1"}));
  EXPECT_EQ((*old)[2].bucket, "other");
  Result<std::vector<core::UploadRecord>> two =
      store_->ListUploadsInitiatedBefore(TimePoint(std::chrono::milliseconds(20)), 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
}

// --- Bucket configuration ---

TEST_P(MetaStoreSuite, BucketConfigRoundTrip) {
  MakeBucket("b");
  Result<std::optional<std::string>> absent = store_->GetBucketConfig("b", "lifecycle");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  ASSERT_TRUE(store_->PutBucketConfig("b", "lifecycle", "<Rules/>").ok());
  ASSERT_TRUE(store_->PutBucketConfig("b", "cors", "").ok());  // empty is a document too
  ASSERT_TRUE(store_->PutBucketConfig("b", "lifecycle", "<Rules>2</Rules>").ok());
  EXPECT_EQ(store_->GetBucketConfig("b", "lifecycle")->value_or("?"), "<Rules>2</Rules>");
  Result<std::optional<std::string>> cors = store_->GetBucketConfig("b", "cors");
  ASSERT_TRUE(cors.ok());
  ASSERT_TRUE(cors->has_value());
  EXPECT_EQ(**cors, "");
  ASSERT_TRUE(store_->PutBucketConfig("b", "lifecycle", std::nullopt).ok());
  EXPECT_FALSE(store_->GetBucketConfig("b", "lifecycle")->has_value());
  ASSERT_TRUE(store_->PutBucketConfig("b", "lifecycle", std::nullopt).ok());  // already absent

  // Documents go with their bucket.
  ASSERT_TRUE(store_->DeleteBucket("b").ok());
  MakeBucket("b");
  EXPECT_FALSE(store_->GetBucketConfig("b", "cors")->has_value());
}

TEST_P(MetaStoreSuite, BucketConfigOfMissingBucketIsNoSuchBucket) {
  EXPECT_EQ(store_->GetBucketConfig("nope", "cors").error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(store_->PutBucketConfig("nope", "cors", "<x/>").code(), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(store_->PutBucketConfig("nope", "cors", std::nullopt).code(), ErrorCode::kNoSuchBucket);
}

// --- Concurrency ---

TEST_P(MetaStoreSuite, ConcurrentPutPartsAllLand) {
  MakeBucket("b");
  ASSERT_TRUE(store_->CreateUpload(Upload("b", "k", "u1")).ok());
  constexpr uint32_t kThreads = 8;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (uint32_t i = 1; i <= kThreads; ++i) {
    threads.emplace_back([&, i] {
      if (!store_->PutPart("b", "k", "u1", Part(i, "blob-" + std::to_string(i))).ok()) ++failures;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  Result<core::PartsPage> page = store_->ListParts("b", "k", "u1", 0, 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(PartNumbers(*page), (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  for (uint32_t i = 1; i <= kThreads; ++i) {
    EXPECT_TRUE(*store_->BlobReferenced("blob-" + std::to_string(i))) << i;
  }
}

}  // namespace
}  // namespace cairn::meta
