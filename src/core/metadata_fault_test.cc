// The lifecycle sweep and blob reclamation when the metadata store fails, with the SQLite engine
// behind FaultMetaStore and the file-system blob store. Whatever fails and wherever: no record is
// left pointing at a missing blob, objects the failure stopped at keep their bytes, no blob is
// left behind once the work is retried, and the retry finishes exactly the work that was left.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <tuple>

#include "blob/fs/fs_blob_store.h"
#include "common/fault_plan.h"
#include "core/blob_reclaimer.h"
#include "core/bucket_documents.h"
#include "core/lifecycle_sweeper.h"
#include "meta/fault/fault_meta_store.h"
#include "meta/forwarding_meta_store.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::core {
namespace {

using std::chrono::hours;

// A fault kind and the error the caller sees for it.
struct Injected {
  std::string name;
  FaultKind kind;
  ErrorCode code;

  friend void PrintTo(const Injected& injected, std::ostream* os) { *os << injected.name; }
};

std::vector<Injected> Kinds() {
  return {{"ENOSPC", FaultKind::kNoSpace, ErrorCode::kStorageNoSpace},
          {"EIO", FaultKind::kIoError, ErrorCode::kStorageIOError},
          {"SHORT_WRITE", FaultKind::kShortWrite, ErrorCode::kStorageIOError},
          {"CRASH", FaultKind::kCrash, ErrorCode::kStorageUnavailable}};
}

std::string KindName(const ::testing::TestParamInfo<Injected>& info) { return info.param.name; }

const TimePoint kWritten = TimePoint(std::chrono::milliseconds(1893456000000));  // 2030-01-01
const TimePoint kSweptAt = kWritten + hours(24 * 30);

class MetadataFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-core-fault-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    meta::SqliteOptions options;
    options.durable = false;
    auto sqlite = meta::OpenSqliteMetaStore(dir_ + "/meta.db", options);
    ASSERT_TRUE(sqlite.ok()) << sqlite.error().message;
    sqlite_ = std::move(*sqlite);
    faulty_ = std::make_unique<meta::FaultMetaStore>(*sqlite_, plan_);
    auto blobs = blob::OpenFsBlobStore(dir_);
    ASSERT_TRUE(blobs.ok()) << blobs.error().message;
    blobs_ = std::move(*blobs);
    reclaimer_ = std::make_unique<BlobReclaimer>(
        *faulty_, *blobs_,
        [this](std::function<void()> work) { scheduled_.push_back(std::move(work)); });
    ASSERT_TRUE(sqlite_->CreateBucket({"b", kWritten, "auto"}).ok());
  }
  void TearDown() override {
    reclaimer_.reset();
    faulty_.reset();
    sqlite_.reset();
    blobs_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // A committed blob holding `bytes`.
  std::string NewBlob(const std::string& bytes) {
    auto writer = blobs_->Create();
    EXPECT_TRUE(writer.ok());
    if (!writer.ok()) return "";
    EXPECT_TRUE((*writer)->Append(bytes.data(), bytes.size()).ok());
    EXPECT_TRUE((*writer)->Commit().ok());
    return (*writer)->id();
  }

  std::optional<std::string> BlobBytes(const std::string& id) {
    auto reader = blobs_->Open(id);
    if (!reader.ok()) return std::nullopt;
    std::string bytes((*reader)->size(), '\0');
    auto n = (*reader)->ReadAt(0, bytes.data(), bytes.size());
    if (!n.ok() || *n != bytes.size()) return std::nullopt;
    return bytes;
  }

  // The object record for bucket b / key, its bytes "<key> v<version>" in a new blob.
  core::ObjectRecord Object(const std::string& key, int version = 1) {
    const std::string bytes = key + " v" + std::to_string(version);
    core::ObjectRecord object;
    object.bucket = "b";
    object.key = key;
    object.size = bytes.size();
    object.etag = "etag-" + key + "-" + std::to_string(version);
    object.last_modified = kWritten;
    object.extents = {core::Extent{NewBlob(bytes), 0, bytes.size()}};
    return object;
  }

  // Puts `object` past the fault wrapper.
  void Store(const core::ObjectRecord& object) {
    auto released = sqlite_->PutObject(object);
    ASSERT_TRUE(released.ok()) << released.error().message;
    ASSERT_TRUE(released->empty());
  }

  // What the store holds, read past the wrapper: key -> "etag storage-class bytes".
  std::map<std::string, std::string> Objects() {
    std::map<std::string, std::string> out;
    auto page = sqlite_->ListObjects("b", core::ListQuery{});
    EXPECT_TRUE(page.ok());
    if (!page.ok()) return out;
    for (const core::ObjectRecord& listed : page->objects) {
      auto object = sqlite_->GetObject("b", listed.key);
      EXPECT_TRUE(object.ok());
      if (!object.ok()) continue;
      std::string bytes;
      for (const core::Extent& extent : object->extents) {
        bytes += BlobBytes(extent.blob_id).value_or("<missing blob " + extent.blob_id + ">");
      }
      out[listed.key] = object->etag + " " + object->storage_class + " " + bytes;
    }
    return out;
  }

  // Every blob file is referenced by a record (nothing leaked), and every record's blobs are there
  // (Objects() names a missing one).
  void ExpectNoLeakedOrMissingBlobs() {
    for (const auto& [key, stored] : Objects()) {
      EXPECT_EQ(stored.find("<missing blob"), std::string::npos) << key << ": " << stored;
    }
    auto ids = blobs_->ListIds("", 100000);  // one page: a test makes a few blobs
    ASSERT_TRUE(ids.ok());
    for (const std::string& id : *ids) {
      auto referenced = sqlite_->BlobReferenced(id);
      ASSERT_TRUE(referenced.ok());
      EXPECT_TRUE(*referenced) << "blob " << id << " (" << BlobBytes(id).value_or("?")
                               << ") leaked";
    }
  }

  size_t BlobCount() {
    auto ids = blobs_->ListIds("", 100000);  // one page: a test makes a few blobs
    EXPECT_TRUE(ids.ok());
    return ids.ok() ? ids->size() : 0;
  }

  void RunScheduled() {
    auto work = std::move(scheduled_);
    scheduled_.clear();
    for (auto& w : work) w();
  }

  std::string dir_;
  FaultPlan plan_;
  std::unique_ptr<meta::MetaStore> sqlite_;
  std::unique_ptr<meta::MetaStore> faulty_;  // sqlite_ behind the plan
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<BlobReclaimer> reclaimer_;
  std::vector<std::function<void()>> scheduled_;
};

// --- The lifecycle sweep ---

// Arms the plan just before the n-th write the sweeper makes (AbortUpload, DeleteObject, the
// PutObject of a transition), so the fault lands there, after the earlier writes committed.
class ArmBeforeWrite : public meta::ForwardingMetaStore {
 public:
  ArmBeforeWrite(meta::MetaStore& inner, FaultPlan& plan, int n, FaultKind kind)
      : ForwardingMetaStore(inner), plan_(plan), n_(n), kind_(kind) {}

  Result<std::vector<std::string>> AbortUpload(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id) override {
    Count();
    return inner_.AbortUpload(bucket, key, upload_id);
  }
  Result<std::vector<std::string>> DeleteObject(const std::string& bucket, const std::string& key,
                                                const meta::WriteCondition& condition) override {
    Count();
    return inner_.DeleteObject(bucket, key, condition);
  }
  Result<std::vector<std::string>> PutObject(const core::ObjectRecord& object,
                                             const meta::WriteCondition& condition) override {
    Count();
    return inner_.PutObject(object, condition);
  }

 private:
  void Count() {
    if (++writes_ == n_) plan_.Arm(FaultTarget::kMetaCommit, kind_, 1);
  }

  FaultPlan& plan_;
  int n_;
  FaultKind kind_;
  int writes_ = 0;
};

// Bucket b: logs/ expires after a day, ia/ moves to STANDARD_IA after a day, keep/ stays; an
// upload of logs/u with one part is past R2's 7-day default abort. At kSweptAt the sweep writes,
// in this order: 1 abort logs/u, 2-4 expire logs/a, logs/b, logs/c, 5 move ia/x.
class SweepTest : public MetadataFaultTest {
 protected:
  void SetUp() override {
    MetadataFaultTest::SetUp();
    LifecycleConfiguration config;
    LifecycleRule expire;
    expire.id = "expire";
    expire.prefix = "logs/";
    expire.expiration_days = 1;
    LifecycleRule transition;
    transition.id = "ia";
    transition.prefix = "ia/";
    transition.transition_days = 1;
    transition.transition_storage_class = "STANDARD_IA";
    config.rules = {expire, transition};
    ASSERT_TRUE(StoreLifecycle(*sqlite_, "b", config).ok());
    for (const char* key : {"logs/a", "logs/b", "logs/c", "ia/x", "keep/y"}) Store(Object(key));
    core::UploadRecord upload;
    upload.upload_id = "u1";
    upload.bucket = "b";
    upload.key = "logs/u";
    upload.initiated = kWritten;
    ASSERT_TRUE(sqlite_->CreateUpload(upload).ok());
    core::PartRecord part;
    part.part_number = 1;
    part.size = 6;
    part.etag = "part-1";
    part.last_modified = kWritten;
    part_blob_ = NewBlob("part 1");
    part.extents = {core::Extent{part_blob_, 0, 6}};
    ASSERT_TRUE(sqlite_->PutPart("b", "logs/u", "u1", part).ok());
  }

  bool UploadExists() { return sqlite_->GetUpload("b", "logs/u", "u1").ok(); }

  // What the store holds once the sweep's first `committed` writes committed.
  static std::map<std::string, std::string> AfterWrites(int committed) {
    std::map<std::string, std::string> out = {
        {"logs/a", "etag-logs/a-1 STANDARD logs/a v1"},
        {"logs/b", "etag-logs/b-1 STANDARD logs/b v1"},
        {"logs/c", "etag-logs/c-1 STANDARD logs/c v1"},
        {"ia/x", "etag-ia/x-1 STANDARD ia/x v1"},
        {"keep/y", "etag-keep/y-1 STANDARD keep/y v1"},
    };
    const char* expired[] = {"logs/a", "logs/b", "logs/c"};
    for (int i = 0; i < 3; ++i) {
      if (committed >= 2 + i) out.erase(expired[i]);
    }
    if (committed >= 5) out["ia/x"] = "etag-ia/x-1 STANDARD_IA ia/x v1";
    return out;
  }

  std::string part_blob_;
};

class SweepWriteFault : public SweepTest,
                        public ::testing::WithParamInterface<std::tuple<int, Injected>> {};

TEST_P(SweepWriteFault, StopsAtTheFailedWriteAndTheNextSweepFinishes) {
  const auto& [n, injected] = GetParam();
  ArmBeforeWrite meta(*faulty_, plan_, n, injected.kind);
  LifecycleSweeper sweeper(meta, *reclaimer_);

  Result<SweepReport> failed = sweeper.SweepOnce(kSweptAt);
  ASSERT_FALSE(failed.ok()) << "the sweep did not meet the fault";
  EXPECT_EQ(failed.error().code, injected.code) << failed.error().message;
  // Writes before the n-th committed and their blobs went; the n-th and later changed nothing.
  EXPECT_EQ(Objects(), AfterWrites(n - 1));
  EXPECT_EQ(UploadExists(), n == 1);
  EXPECT_EQ(BlobBytes(part_blob_).has_value(), n == 1);
  ExpectNoLeakedOrMissingBlobs();

  if (injected.kind == FaultKind::kCrash) {
    // Down until "restarted": a second sweep fails too and changes nothing.
    EXPECT_FALSE(sweeper.SweepOnce(kSweptAt).ok());
    EXPECT_EQ(Objects(), AfterWrites(n - 1));
    plan_.Clear();
  }
  Result<SweepReport> retried = sweeper.SweepOnce(kSweptAt);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_EQ(retried->aborted_uploads, n <= 1 ? 1u : 0u);
  EXPECT_EQ(retried->expired_objects, static_cast<size_t>(std::clamp(5 - n, 0, 3)));
  EXPECT_EQ(retried->transitioned_objects, 1u);
  EXPECT_EQ(Objects(), AfterWrites(5));
  EXPECT_FALSE(UploadExists());
  ExpectNoLeakedOrMissingBlobs();
  EXPECT_EQ(BlobCount(), 2u) << "only ia/x's and keep/y's blobs remain";
}

INSTANTIATE_TEST_SUITE_P(EachWriteAndKind, SweepWriteFault,
                         ::testing::Combine(::testing::Range(1, 6), ::testing::ValuesIn(Kinds())),
                         [](const ::testing::TestParamInfo<SweepWriteFault::ParamType>& info) {
                           return "Write" + std::to_string(std::get<0>(info.param)) + "_" +
                                  std::get<1>(info.param).name;
                         });

// A store whose sweep lease another gateway holds.
class LeaseHeldElsewhere : public meta::ForwardingMetaStore {
 public:
  using ForwardingMetaStore::ForwardingMetaStore;
  Result<std::unique_ptr<Lease>> TryLease(const std::string&) override {
    return std::unique_ptr<Lease>();
  }
};

TEST_F(SweepTest, ASweepWhoseLeaseAnotherGatewayHoldsDoesNothing) {
  LeaseHeldElsewhere held(*faulty_);
  Result<SweepReport> skipped = LifecycleSweeper(held, *reclaimer_).SweepOnce(kSweptAt);
  ASSERT_TRUE(skipped.ok()) << skipped.error().message;
  EXPECT_TRUE(skipped->skipped);
  EXPECT_EQ(Objects(), AfterWrites(0));
  EXPECT_TRUE(UploadExists());
  Result<SweepReport> swept = LifecycleSweeper(*faulty_, *reclaimer_).SweepOnce(kSweptAt);
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_FALSE(swept->skipped);
  EXPECT_EQ(Objects(), AfterWrites(5));
}

class SweepReadFault : public SweepTest, public ::testing::WithParamInterface<Injected> {};

TEST_P(SweepReadFault, ChangesNothing) {
  const Injected& injected = GetParam();
  LifecycleSweeper sweeper(*faulty_, *reclaimer_);
  plan_.Arm(FaultTarget::kMetaRead, injected.kind, 1);
  Result<SweepReport> failed = sweeper.SweepOnce(kSweptAt);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, injected.code);
  EXPECT_EQ(Objects(), AfterWrites(0));
  EXPECT_TRUE(UploadExists());
  EXPECT_EQ(BlobCount(), 6u);
  plan_.Clear();
  ASSERT_TRUE(sweeper.SweepOnce(kSweptAt).ok());
  EXPECT_EQ(Objects(), AfterWrites(5));
  ExpectNoLeakedOrMissingBlobs();
}

INSTANTIATE_TEST_SUITE_P(EachKind, SweepReadFault, ::testing::ValuesIn(Kinds()), KindName);

// --- Releasing blobs after writes that failed ---

class ReclaimFault : public MetadataFaultTest, public ::testing::WithParamInterface<Injected> {};

TEST_P(ReclaimFault, AFailedOverwriteKeepsTheOldObjectAndLeaksNoBlob) {
  const Injected& injected = GetParam();
  Store(Object("k", 1));
  const auto before = Objects();
  // The new body is in its blob before the commit, as a PUT writes it.
  const core::ObjectRecord next = Object("k", 2);
  plan_.Arm(FaultTarget::kMetaCommit, injected.kind, 1);
  auto failed = faulty_->PutObject(next);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, injected.code);
  // A write that did not commit hands its own blob to the reclaimer (core/body_ingest.cc).
  reclaimer_->Release({next.extents[0].blob_id});
  EXPECT_EQ(Objects(), before);
  ExpectNoLeakedOrMissingBlobs();
  EXPECT_EQ(BlobCount(), 1u);

  if (injected.kind == FaultKind::kCrash) plan_.Clear();
  auto released = faulty_->PutObject(Object("k", 3));
  ASSERT_TRUE(released.ok()) << released.error().message;
  reclaimer_->Release(*released);
  EXPECT_EQ(Objects(), (std::map<std::string, std::string>{{"k", "etag-k-3 STANDARD k v3"}}));
  ExpectNoLeakedOrMissingBlobs();
  EXPECT_EQ(BlobCount(), 1u);
}

TEST_P(ReclaimFault, AFailedDeleteReleasesNothingAndTheRetryLeaksNothing) {
  const Injected& injected = GetParam();
  Store(Object("k"));
  const auto before = Objects();
  plan_.Arm(FaultTarget::kMetaCommit, injected.kind, 1);
  auto failed = faulty_->DeleteObject("b", "k");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, injected.code);
  EXPECT_EQ(Objects(), before);
  EXPECT_EQ(BlobCount(), 1u);

  if (injected.kind == FaultKind::kCrash) plan_.Clear();
  auto released = faulty_->DeleteObject("b", "k");
  ASSERT_TRUE(released.ok()) << released.error().message;
  reclaimer_->Release(*released);
  EXPECT_TRUE(Objects().empty());
  EXPECT_EQ(BlobCount(), 0u);
}

// A release deferred behind a reader is checked again (BlobReferenced) when the reader ends; when
// that check fails, the blob stays: deleting it on a guess could pull it from under a copy that
// took it again. It is then an orphan for the start-up sweep.
TEST_P(ReclaimFault, AFailedReferenceCheckKeepsTheBlob) {
  const Injected& injected = GetParam();
  const core::ObjectRecord first = Object("k", 1);
  Store(first);
  const std::string old_blob = first.extents[0].blob_id;
  {
    BlobReclaimer::Reader reader = reclaimer_->BeginRead();  // a GET that read k's first record
    auto released = faulty_->PutObject(Object("k", 2));
    ASSERT_TRUE(released.ok()) << released.error().message;
    reclaimer_->Release(*released);
    EXPECT_EQ(reclaimer_->deferred(), 1u);
    plan_.Arm(FaultTarget::kMetaRead, injected.kind, 1);
  }
  RunScheduled();
  EXPECT_EQ(BlobBytes(old_blob), std::optional<std::string>("k v1")) << "deleted on a failed check";
  EXPECT_EQ(Objects(), (std::map<std::string, std::string>{{"k", "etag-k-2 STANDARD k v2"}}));
  auto referenced = sqlite_->BlobReferenced(old_blob);
  ASSERT_TRUE(referenced.ok());
  EXPECT_FALSE(*referenced) << "the kept blob is an orphan the start-up sweep removes";
}

INSTANTIATE_TEST_SUITE_P(EachKind, ReclaimFault, ::testing::ValuesIn(Kinds()), KindName);

}  // namespace
}  // namespace cairn::core
