// The RADOS engine on a real one-node cluster (test_cluster.h): the shared BlobStore suite, and
// what only this engine does: striping, range reads across stripes, pipelined writes, removal of
// stripes, a stalled OSD, and the clearing of abandoned writes.
#include "blob/rados/rados_blob_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "blob/blob_store_suite.h"
#include "blob/rados/stripes.h"
#include "blob/rados/test_cluster.h"

namespace cairn::blob::rados {
namespace {

constexpr uint64_t kStripe = 64 << 10;

std::unique_ptr<BlobStore> OpenForSuite(const std::string&) {
  Result<RadosBlobOptions> options = testing::FreshStoreOptions();
  if (!options.ok()) {
    ADD_FAILURE() << options.error().Message();
    return nullptr;
  }
  options->stripe_bytes = kStripe;  // so that the suite's blobs span several stripes
  Result<std::unique_ptr<BlobStore>> store = OpenRadosBlobStore(*options);
  if (!store.ok()) {
    ADD_FAILURE() << store.error().Message();
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Rados, BlobStoreSuite,
                         ::testing::Values(BlobStoreEngine{"rados", OpenForSuite,
                                                           /*readers_outlive_remove=*/false}),
                         BlobStoreEngineName);

std::string Pattern(size_t size, int seed = 0) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[i] = static_cast<char>((i * 131 + i / 251 + static_cast<size_t>(seed) * 7) & 0xFF);
  }
  return out;
}

class RadosStoreTest : public ::testing::Test {
 protected:
  void Open(std::chrono::seconds op_timeout = std::chrono::seconds(30), size_t in_flight = 4) {
    Result<RadosBlobOptions> options = testing::FreshStoreOptions(op_timeout);
    ASSERT_TRUE(options.ok()) << options.error().Message();
    options->stripe_bytes = kStripe;
    options->writes_in_flight = in_flight;
    Result<std::shared_ptr<Pool>> pool = Pool::Connect(options->connect);
    ASSERT_TRUE(pool.ok()) << pool.error().Message();
    pool_ = std::move(*pool);
    Result<std::unique_ptr<BlobStore>> store = OpenRadosBlobStore(*options);
    ASSERT_TRUE(store.ok()) << store.error().Message();
    store_ = std::move(*store);
  }
  void SetUp() override { Open(); }

  std::string Put(const std::string& bytes) { return PutBlob(*store_, bytes); }

  // Every object of the store's namespace, as the cluster lists them.
  std::set<std::string> Objects() {
    std::set<std::string> names;
    rados_list_ctx_t listing = nullptr;
    EXPECT_EQ(rados_nobjects_list_open(pool_->io(), &listing), 0);
    const char* entry = nullptr;
    size_t size = 0;
    while (rados_nobjects_list_next2(listing, &entry, nullptr, nullptr, &size, nullptr, nullptr) ==
           0) {
      names.emplace(entry, size);
    }
    rados_nobjects_list_close(listing);
    return names;
  }
  std::set<std::string> Stripes() {
    std::set<std::string> stripes = Objects();
    std::erase_if(stripes, [](const std::string& name) { return !StripeOwner(name); });
    return stripes;
  }
  uint64_t ObjectSize(const std::string& name) {
    uint64_t size = 0;
    time_t mtime = 0;
    EXPECT_EQ(rados_stat(pool_->io(), name.c_str(), &size, &mtime), 0) << name;
    return size;
  }

  std::shared_ptr<Pool> pool_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(RadosStoreTest, ABlobIsStripedOverObjectsOfTheStripeSize) {
  const std::string bytes = Pattern(3 * kStripe + 100);
  const std::string id = Put(bytes);
  EXPECT_EQ(Stripes(), (std::set<std::string>{id + ".0", id + ".1", id + ".2", id + ".3"}));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ObjectSize(StripeName(id, i)), kStripe);
  EXPECT_EQ(ObjectSize(StripeName(id, 3)), 100u);
  // The commit index holds the blob; nothing else is in the namespace.
  EXPECT_EQ(Objects().size(), 5u);
  EXPECT_TRUE(Objects().contains("cairn.index." + id.substr(0, 2)));
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->size(), bytes.size());
  EXPECT_EQ((*reader)->file(), nullptr);  // no sendfile
}

TEST_F(RadosStoreTest, RangeReadsAcrossStripeBoundaries) {
  const std::string bytes = Pattern(4 * kStripe + 12345);
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(Put(bytes));
  ASSERT_TRUE(reader.ok());
  const std::pair<uint64_t, size_t> ranges[] = {
      {kStripe - 1, 2},                // the last byte of stripe 0 and the first of stripe 1
      {kStripe - 100, kStripe + 200},  // three stripes
      {0, bytes.size()},               // all of it
      {3 * kStripe, kStripe},          // exactly one stripe
      {4 * kStripe + 12000, 1000},     // off the end: the tail only
      {2 * kStripe + 7, 1},
  };
  for (const auto& [offset, size] : ranges) {
    std::string buffer(size, '\0');
    Result<size_t> n = (*reader)->ReadAt(offset, buffer.data(), size);
    ASSERT_TRUE(n.ok()) << n.error().Message();
    const size_t expected = std::min<uint64_t>(size, bytes.size() - offset);
    ASSERT_EQ(*n, expected) << offset;
    EXPECT_TRUE(buffer.substr(0, *n) == bytes.substr(offset, expected)) << offset << "+" << size;
  }
}

TEST_F(RadosStoreTest, ABlobRemovedUnderTheReadAheadFailsTheReadNeverGivesOtherBytes) {
  // 40 stripes, far more than one read-ahead window: after the removal the reader runs into
  // stripes it had not read yet.
  const std::string bytes = Pattern(40 * kStripe);
  const std::string id = Put(bytes);
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  (*reader)->WillRead(0, bytes.size());
  std::string buffer(50000, '\0');
  ASSERT_EQ(*(*reader)->ReadAt(0, buffer.data(), buffer.size()), buffer.size());
  ASSERT_TRUE(store_->Remove(id).ok());
  Status failed = Status::Ok();
  for (uint64_t at = buffer.size(); at < bytes.size();) {
    const size_t want = std::min<uint64_t>(buffer.size(), bytes.size() - at);
    Result<size_t> n = (*reader)->ReadAt(at, buffer.data(), want);
    if (!n.ok()) {
      failed = n.status();
      break;
    }
    ASSERT_EQ(*n, want);
    ASSERT_TRUE(buffer.substr(0, want) == bytes.substr(at, want)) << at;
    at += want;
  }
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.code(), ErrorCode::kStorageNotFound) << failed.error().Message();
}

TEST_F(RadosStoreTest, AReaderDestroyedWithReadsInFlightWaitsForThem) {
  // librados completes into the reader's buffers: destroying it must not free them first (the
  // ASan build would report it), and the store goes on serving.
  const std::string bytes = Pattern(20 * kStripe);
  const std::string id = Put(bytes);
  for (int i = 0; i < 20; ++i) {
    Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
    ASSERT_TRUE(reader.ok());
    (*reader)->WillRead(0, bytes.size());
    std::string buffer(1000, '\0');
    ASSERT_EQ(*(*reader)->ReadAt(static_cast<uint64_t>(i) * 1000, buffer.data(), 1000), 1000u);
    EXPECT_TRUE(buffer == bytes.substr(static_cast<size_t>(i) * 1000, 1000));
  }
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  std::string back(bytes.size(), '\0');
  ASSERT_EQ(*(*reader)->ReadAt(0, back.data(), back.size()), bytes.size());
  EXPECT_TRUE(back == bytes);
}

TEST_F(RadosStoreTest, ManyStripesThroughASmallWindowComeBackIntact) {
  // 96 stripes through 4 writes in flight; every stripe's bytes differ, so a buffer reused while
  // librados still needed it would show.
  Open(std::chrono::seconds(30), /*in_flight=*/4);
  std::string bytes;
  for (int i = 0; i < 96; ++i) bytes += Pattern(kStripe, i);
  Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
  ASSERT_TRUE(writer.ok());
  for (size_t at = 0; at < bytes.size();) {
    const size_t n = std::min<size_t>(bytes.size() - at, 10000 + at % 7777);
    ASSERT_TRUE((*writer)->Append(bytes.data() + at, n).ok());
    at += n;
  }
  EXPECT_EQ(store_->ListIds("", 10)->size(), 0u);  // nothing visible before Commit
  ASSERT_TRUE((*writer)->Commit().ok());
  Result<std::unique_ptr<BlobReader>> reader = store_->Open((*writer)->id());
  ASSERT_TRUE(reader.ok());
  std::string back(bytes.size(), '\0');
  ASSERT_EQ(*(*reader)->ReadAt(0, back.data(), back.size()), bytes.size());
  EXPECT_TRUE(back == bytes);
  EXPECT_EQ(Stripes().size(), 96u);
}

TEST_F(RadosStoreTest, AWriterDestroyedWithoutCommitRemovesItsStripes) {
  {
    Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
    ASSERT_TRUE(writer.ok());
    const std::string bytes = Pattern(3 * kStripe + 5);
    ASSERT_TRUE((*writer)->Append(bytes.data(), bytes.size()).ok());
    EXPECT_FALSE(Stripes().empty());  // full stripes went out as they filled
  }
  EXPECT_TRUE(Stripes().empty());
  EXPECT_TRUE(store_->ListIds("", 10)->empty());
}

TEST_F(RadosStoreTest, RemoveRemovesTheStripes) {
  const std::string kept = Put(Pattern(kStripe + 1, 1));
  const std::string gone = Put(Pattern(5 * kStripe, 2));
  EXPECT_EQ(Stripes().size(), 7u);
  ASSERT_TRUE(store_->Remove(gone).ok());
  EXPECT_EQ(Stripes(), (std::set<std::string>{kept + ".0", kept + ".1"}));
  EXPECT_EQ(*store_->ListIds("", 10), std::vector<std::string>{kept});
}

TEST_F(RadosStoreTest, AStalledOsdFailsTheWriteWithinTheTimeoutInsteadOfHanging) {
  Open(std::chrono::seconds(3));
  Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
  ASSERT_TRUE(writer.ok());
  const std::string bytes = Pattern(2 * kStripe + 10);
  ASSERT_TRUE(testing::PauseOsd().ok());
  const auto start = std::chrono::steady_clock::now();
  Status appended = (*writer)->Append(bytes.data(), bytes.size());
  Status committed = appended.ok() ? (*writer)->Commit() : appended;
  const auto took = std::chrono::steady_clock::now() - start;
  writer->reset();  // its clean-up times out too, within bounds
  ASSERT_TRUE(testing::ResumeOsd().ok());
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.code(), ErrorCode::kStorageUnavailable) << committed.error().Message();
  EXPECT_LT(took, std::chrono::seconds(20));
  // The OSD is back: the store works again, and the failed blob is not listed.
  Open();
  EXPECT_FALSE(Put("after").empty());
}

TEST_F(RadosStoreTest, AbandonedStripesGoOnlyOnceOlderThanTheCutoff) {
  SharedStore* shared = store_->shared();
  ASSERT_NE(shared, nullptr);
  const std::string committed = Put(Pattern(2 * kStripe, 3));
  // What a crashed writer leaves: stripes and no index entry.
  const std::string crashed = "0123456789abcdef0123456789abcdef";
  for (int i = 0; i < 2; ++i) {
    const std::string name = StripeName(crashed, i);
    ASSERT_EQ(rados_write_full(pool_->io(), name.c_str(), "partial", 7), 0);
  }
  ASSERT_EQ(rados_write_full(pool_->io(), "not-cairns", "x", 1), 0);
  const auto now = std::chrono::system_clock::now();
  // Written just now: another gateway may still be writing it.
  ASSERT_TRUE(shared->RemoveAbandonedWrites(now - std::chrono::hours(1)).ok());
  EXPECT_EQ(Stripes().size(), 4u);
  // Past the cut-off: gone; the committed blob's stripes and foreign objects stay.
  ASSERT_TRUE(shared->RemoveAbandonedWrites(now + std::chrono::minutes(1)).ok());
  EXPECT_EQ(Stripes(), (std::set<std::string>{committed + ".0", committed + ".1"}));
  EXPECT_TRUE(Objects().contains("not-cairns"));
  Result<std::chrono::system_clock::time_point> at = shared->CommittedAt(committed);
  ASSERT_TRUE(at.ok());
  EXPECT_LE(*at, std::chrono::system_clock::now());
  EXPECT_GT(*at, now - std::chrono::minutes(1));
  EXPECT_EQ(shared->CommittedAt(crashed).error().code, ErrorCode::kStorageNotFound);
}

TEST_F(RadosStoreTest, ListingPagesAcrossIndexShardsInOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(Put("b" + std::to_string(i)));
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> listed;
  for (std::string after;;) {
    Result<std::vector<std::string>> page = store_->ListIds(after, 3);
    ASSERT_TRUE(page.ok()) << page.error().Message();
    listed.insert(listed.end(), page->begin(), page->end());
    if (page->size() < 3) break;
    after = page->back();
  }
  EXPECT_EQ(listed, ids);
}

TEST(RadosOpen, AMissingPoolIsUnavailable) {
  Result<RadosBlobOptions> options = testing::FreshStoreOptions();
  ASSERT_TRUE(options.ok()) << options.error().Message();
  options->connect.pool = "no-such-pool";
  Result<std::unique_ptr<BlobStore>> store = OpenRadosBlobStore(*options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kStorageUnavailable);
  EXPECT_NE(store.error().Message().find("no-such-pool"), std::string::npos)
      << store.error().Message();
}

}  // namespace
}  // namespace cairn::blob::rados
