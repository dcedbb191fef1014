// The MetaStore fault wrapper. With nothing armed it is a MetaStore like any other: the shared
// suite runs on it over SQLite. Armed, every write and every read fails with the error its fault
// kind maps to, before the wrapped store sees the call: the store is left exactly as it was, the
// write's callbacks never run, and the same call succeeds once the fault is used up. A crash stops
// every later call until the plan is cleared.
#include "meta/fault/fault_meta_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <tuple>

#include "meta/meta_store_suite.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::meta {
namespace {

std::unique_ptr<MetaStore> OpenScratchSqlite(const std::string& dir) {
  SqliteOptions options;
  options.durable = false;  // fsync-free: the suite writes 20,000 objects
  Result<std::unique_ptr<MetaStore>> store = OpenSqliteMetaStore(dir + "/meta.db", options);
  EXPECT_TRUE(store.ok()) << store.error().Message();
  return store.ok() ? std::move(*store) : nullptr;
}

// The suite's factory returns one MetaStore, so this one owns the store it wraps and its plan
// (members of a base, to exist before FaultMetaStore takes references to them).
struct FaultParts {
  explicit FaultParts(std::unique_ptr<MetaStore> store) : inner(std::move(store)) {}
  std::unique_ptr<MetaStore> inner;
  FaultPlan plan;
};

class OwningFaultMetaStore : private FaultParts, public FaultMetaStore {
 public:
  explicit OwningFaultMetaStore(std::unique_ptr<MetaStore> inner)
      : FaultParts(std::move(inner)), FaultMetaStore(*FaultParts::inner, FaultParts::plan) {}
};

std::unique_ptr<MetaStore> OpenFaultOverSqlite(const std::string& dir) {
  std::unique_ptr<MetaStore> inner = OpenScratchSqlite(dir);
  if (!inner) return nullptr;
  return std::make_unique<OwningFaultMetaStore>(std::move(inner));
}

INSTANTIATE_TEST_SUITE_P(FaultOverSqlite, MetaStoreSuite,
                         ::testing::Values(MetaStoreEngine{"fault_over_sqlite",
                                                           OpenFaultOverSqlite}),
                         MetaStoreEngineName);

const TimePoint kWhen(std::chrono::milliseconds(1700000000000));

core::ObjectRecord Object(const std::string& key, const std::string& blob,
                          const std::string& etag) {
  core::ObjectRecord o;
  o.bucket = "b";
  o.key = key;
  o.size = 10;
  o.etag = etag;
  o.last_modified = kWhen;
  o.extents = {core::Extent{blob, 0, 10}};
  return o;
}

core::UploadRecord Upload(const std::string& key, const std::string& id) {
  core::UploadRecord u;
  u.upload_id = id;
  u.bucket = "b";
  u.key = key;
  u.initiated = kWhen;
  return u;
}

core::PartRecord Part(uint32_t number, const std::string& blob) {
  core::PartRecord p;
  p.part_number = number;
  p.size = 10;
  p.etag = "part-" + std::to_string(number);
  p.last_modified = kWhen;
  p.extents = {core::Extent{blob, 0, 10}};
  return p;
}

// The value of a read that must succeed (failing the test and giving an empty value otherwise).
template <typename T>
T Read(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r).value() : T{};
}

// Everything a store holds that the calls below change, as text to compare.
std::string Snapshot(MetaStore& store) {
  std::string out;
  for (const core::BucketRecord& bucket : Read(store.ListBuckets())) {
    out += "bucket " + bucket.name + "\n";
    for (const char* name : {"lifecycle", "cors"}) {
      if (auto document = Read(store.GetBucketConfig(bucket.name, name))) {
        out += std::string(" ") + name + "=" + *document + "\n";
      }
    }
    for (const core::ObjectRecord& listed :
         Read(store.ListObjects(bucket.name, core::ListQuery{})).objects) {
      const core::ObjectRecord object = Read(store.GetObject(bucket.name, listed.key));
      out += " object " + object.key + " " + object.etag;
      for (const core::Extent& e : object.extents) out += " " + e.blob_id;
      out += "\n";
    }
    for (const core::UploadRecord& u :
         Read(store.ListUploads(bucket.name, core::UploadsQuery{})).uploads) {
      out += " upload " + u.key + " " + u.upload_id;
      for (const core::PartRecord& p :
           Read(store.ListParts(bucket.name, u.key, u.upload_id, 0, 1000)).parts) {
        out += " " + p.etag;
      }
      out += "\n";
    }
  }
  for (const auto& [name, value] : Read(store.ListSettings(""))) {
    out += "setting " + name + "=" + value + "\n";
  }
  for (const char* blob : {"blob-k", "blob-p1", "blob-new"}) {
    out += std::string(blob) + (Read(store.BlobReferenced(blob)) ? " referenced\n" : " free\n");
  }
  // Whether the completion of upload uc is remembered: a retried Complete finds it and writes
  // nothing either way.
  auto never_built = [](const core::UploadRecord&, const std::vector<core::PartRecord>&) {
    return Result<core::ObjectRecord>(Error(ErrorCode::kInternalError));
  };
  const bool remembered =
      store.CompleteUpload("b", "done", "uc", never_built, {}, {"list uc", kWhen}).ok();
  out += std::string("completion uc ") + (remembered ? "remembered\n" : "forgotten\n");
  return out;
}

// One MetaStore call, run on `store`; sets `ran_callback` when it calls a WriteCondition or
// CompleteBuilder it was given.
struct Call {
  std::string name;
  std::function<Status(MetaStore& store, bool& ran_callback)> run;

  friend void PrintTo(const Call& call, std::ostream* os) { *os << call.name; }
};

std::vector<Call> WriteCalls() {
  return {
      {"CreateBucket",
       [](MetaStore& s, bool&) {
         return s.CreateBucket(core::BucketRecord{"new", kWhen, "auto"});
       }},
      {"DeleteBucket", [](MetaStore& s, bool&) { return s.DeleteBucket("empty"); }},
      {"PutObject",
       [](MetaStore& s, bool& ran) {
         return s
             .PutObject(Object("k", "blob-new", "etag-new"),
                        [&ran](const std::optional<core::ObjectRecord>&) {
                          ran = true;
                          return Status::Ok();
                        })
             .status();
       }},
      {"DeleteObject", [](MetaStore& s, bool&) { return s.DeleteObject("b", "k").status(); }},
      {"CreateUpload", [](MetaStore& s, bool&) { return s.CreateUpload(Upload("k2", "u2")); }},
      {"PutPart",
       [](MetaStore& s, bool&) { return s.PutPart("b", "k", "u1", Part(2, "blob-new")).status(); }},
      {"AbortUpload", [](MetaStore& s, bool&) { return s.AbortUpload("b", "k3", "ua").status(); }},
      {"CompleteUpload",
       [](MetaStore& s, bool& ran) {
         auto build = [&ran](const core::UploadRecord&, const std::vector<core::PartRecord>&) {
           ran = true;
           return Result<core::ObjectRecord>(Object("k", "blob-p1", "combined-1"));
         };
         auto condition = [&ran](const std::optional<core::ObjectRecord>&) {
           ran = true;
           return Status::Ok();
         };
         return s.CompleteUpload("b", "k", "u1", build, condition).status();
       }},
      {"DeleteCompletionsBefore",
       [](MetaStore& s, bool&) { return s.DeleteCompletionsBefore(kWhen, 100).status(); }},
      {"PutBucketConfig",
       [](MetaStore& s, bool&) { return s.PutBucketConfig("b", "cors", std::string("{}")); }},
      {"PutSetting",
       [](MetaStore& s, bool&) { return s.PutSetting("note", std::string("second")); }},
  };
}

std::vector<Call> ReadCalls() {
  return {
      {"GetBucket", [](MetaStore& s, bool&) { return s.GetBucket("b").status(); }},
      {"ListBuckets", [](MetaStore& s, bool&) { return s.ListBuckets().status(); }},
      {"GetBucketUsage", [](MetaStore& s, bool&) { return s.GetBucketUsage("b").status(); }},
      {"GetObject", [](MetaStore& s, bool&) { return s.GetObject("b", "k").status(); }},
      {"ListObjects",
       [](MetaStore& s, bool&) { return s.ListObjects("b", core::ListQuery{}).status(); }},
      {"SearchObjects",
       [](MetaStore& s, bool&) {
         core::SearchQuery query;
         query.substring = "k";
         return s.SearchObjects("b", query).status();
       }},
      {"GetUpload", [](MetaStore& s, bool&) { return s.GetUpload("b", "k", "u1").status(); }},
      {"ListParts",
       [](MetaStore& s, bool&) { return s.ListParts("b", "k", "u1", 0, 10).status(); }},
      {"ListUploads",
       [](MetaStore& s, bool&) { return s.ListUploads("b", core::UploadsQuery{}).status(); }},
      {"ListUploadsInitiatedBefore",
       [](MetaStore& s, bool&) {
         return s.ListUploadsInitiatedBefore(kWhen + std::chrono::hours(1), 10).status();
       }},
      {"GetBucketConfig",
       [](MetaStore& s, bool&) { return s.GetBucketConfig("b", "lifecycle").status(); }},
      {"BlobReferenced", [](MetaStore& s, bool&) { return s.BlobReferenced("blob-k").status(); }},
      {"GetSetting", [](MetaStore& s, bool&) { return s.GetSetting("note").status(); }},
      {"ListSettings", [](MetaStore& s, bool&) { return s.ListSettings("").status(); }},
  };
}

// A fault kind and what the caller sees for it.
struct Injected {
  std::string name;
  FaultKind kind;
  ErrorCode code;
  std::string detail;  // part of the error's message

  friend void PrintTo(const Injected& injected, std::ostream* os) { *os << injected.name; }
};

std::vector<Injected> Kinds() {
  return {
      {"ENOSPC", FaultKind::kNoSpace, ErrorCode::kStorageNoSpace, "(injected ENOSPC)"},
      {"EIO", FaultKind::kIoError, ErrorCode::kStorageIOError, "(injected EIO)"},
      {"SHORT_WRITE", FaultKind::kShortWrite, ErrorCode::kStorageIOError, "(injected SHORT_WRITE)"},
      {"BUSY", FaultKind::kBusy, ErrorCode::kStorageBusy, "(injected BUSY)"},
      {"UNAVAILABLE", FaultKind::kUnavailable, ErrorCode::kStorageUnavailable,
       "(injected UNAVAILABLE)"},
      {"CRASH", FaultKind::kCrash, ErrorCode::kStorageUnavailable, "the storage is off"},
  };
}

void ExpectInjected(const Status& s, const Injected& injected, std::string_view target) {
  ASSERT_FALSE(s.ok()) << "no fault was injected";
  EXPECT_EQ(s.code(), injected.code) << s.error().message;
  EXPECT_NE(s.error().message.find(injected.detail), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(target), std::string::npos) << s.error().message;
}

class FaultMetaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-meta-fault-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    inner_ = OpenScratchSqlite(dir_);
    ASSERT_NE(inner_, nullptr);
    store_ = std::make_unique<FaultMetaStore>(*inner_, plan_);
    // Seeded past the wrapper: bucket b with object k, upload u1 of k (one part), upload ua of k3
    // and the remembered completion of upload uc, an empty bucket, a lifecycle document and a
    // setting. The write calls apply in order.
    ASSERT_TRUE(inner_->CreateBucket(core::BucketRecord{"b", kWhen, "auto"}).ok());
    ASSERT_TRUE(inner_->CreateBucket(core::BucketRecord{"empty", kWhen, "auto"}).ok());
    ASSERT_TRUE(inner_->PutObject(Object("k", "blob-k", "etag-k")).ok());
    ASSERT_TRUE(inner_->CreateUpload(Upload("k", "u1")).ok());
    ASSERT_TRUE(inner_->PutPart("b", "k", "u1", Part(1, "blob-p1")).ok());
    ASSERT_TRUE(inner_->CreateUpload(Upload("k3", "ua")).ok());
    // Upload uc of "done" completed, remembered until before kWhen.
    ASSERT_TRUE(inner_->CreateUpload(Upload("done", "uc")).ok());
    ASSERT_TRUE(inner_->PutPart("b", "done", "uc", Part(1, "blob-c")).ok());
    auto build = [](const core::UploadRecord&, const std::vector<core::PartRecord>&) {
      return Result<core::ObjectRecord>(Object("done", "blob-c", "etag-done"));
    };
    const MetaStore::CompletionReceipt receipt{"list uc", kWhen - std::chrono::hours(1)};
    ASSERT_TRUE(inner_->CompleteUpload("b", "done", "uc", build, {}, receipt).ok());
    ASSERT_TRUE(inner_->PutBucketConfig("b", "lifecycle", std::string("{\"rules\":[]}")).ok());
    ASSERT_TRUE(inner_->PutSetting("note", std::string("first")).ok());
  }
  void TearDown() override {
    store_.reset();
    inner_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // What the wrapped store holds, read past the wrapper (so it works after a crash too).
  std::string Stored() { return Snapshot(*inner_); }

  std::string dir_;
  std::unique_ptr<MetaStore> inner_;
  FaultPlan plan_;
  std::unique_ptr<FaultMetaStore> store_;
};

class FaultMetaStoreWrite : public FaultMetaStoreTest,
                            public ::testing::WithParamInterface<std::tuple<Call, Injected>> {};

TEST_P(FaultMetaStoreWrite, FailsBeforeTheStoreSeesTheCall) {
  const auto& [call, injected] = GetParam();
  const std::string before = Stored();
  plan_.Arm(FaultTarget::kMetaCommit, injected.kind, 1);
  bool ran_callback = false;
  ExpectInjected(call.run(*store_, ran_callback), injected, "meta.commit");
  EXPECT_FALSE(ran_callback) << "a condition or builder ran although the write failed";
  EXPECT_EQ(Stored(), before);
  if (injected.kind == FaultKind::kCrash) {
    // Still off: the crash outlives the one armed call.
    ExpectInjected(call.run(*store_, ran_callback), injected, "meta.commit");
    EXPECT_EQ(Stored(), before);
    plan_.Clear();
  }
  // The fault was for one call: the same call now goes through, and the store shows it.
  Status retried = call.run(*store_, ran_callback);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_NE(Stored(), before);
}

class FaultMetaStoreRead : public FaultMetaStoreTest,
                           public ::testing::WithParamInterface<std::tuple<Call, Injected>> {};

TEST_P(FaultMetaStoreRead, FailsThenReadsAgain) {
  const auto& [call, injected] = GetParam();
  plan_.Arm(FaultTarget::kMetaRead, injected.kind, 1);
  bool ran_callback = false;
  ExpectInjected(call.run(*store_, ran_callback), injected, "meta.read");
  if (injected.kind == FaultKind::kCrash) plan_.Clear();
  Status again = call.run(*store_, ran_callback);
  EXPECT_TRUE(again.ok()) << again.error().message;
}

template <typename Param>
std::string CallAndKind(const ::testing::TestParamInfo<Param>& info) {
  return std::get<0>(info.param).name + "_" + std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(EachCallAndKind, FaultMetaStoreWrite,
                         ::testing::Combine(::testing::ValuesIn(WriteCalls()),
                                            ::testing::ValuesIn(Kinds())),
                         CallAndKind<FaultMetaStoreWrite::ParamType>);
INSTANTIATE_TEST_SUITE_P(EachCallAndKind, FaultMetaStoreRead,
                         ::testing::Combine(::testing::ValuesIn(ReadCalls()),
                                            ::testing::ValuesIn(Kinds())),
                         CallAndKind<FaultMetaStoreRead::ParamType>);

class FaultMetaStoreLostAck : public FaultMetaStoreTest,
                              public ::testing::WithParamInterface<Call> {};

TEST_P(FaultMetaStoreLostAck, EioAfterCommitsThenReportsAnUnknownOutcome) {
  const std::string before = Stored();
  plan_.Arm(FaultTarget::kMetaCommit, FaultKind::kIoErrorAfter, 1);
  bool ran_callback = false;
  const Status s = GetParam().run(*store_, ran_callback);
  ASSERT_FALSE(s.ok()) << "no fault was injected";
  EXPECT_EQ(s.code(), ErrorCode::kStorageIOError);
  EXPECT_TRUE(s.error().outcome_unknown);
  EXPECT_NE(s.error().message.find("meta.commit"), std::string::npos) << s.error().message;
  EXPECT_NE(Stored(), before) << "the write took effect although its caller was told it failed";
}

INSTANTIATE_TEST_SUITE_P(EachWrite, FaultMetaStoreLostAck, ::testing::ValuesIn(WriteCalls()),
                         [](const ::testing::TestParamInfo<Call>& info) {
                           return info.param.name;
                         });

TEST_F(FaultMetaStoreTest, CountFailsExactlyThatManyCalls) {
  plan_.Arm(FaultTarget::kMetaCommit, FaultKind::kIoError, 2);
  EXPECT_EQ(store_->PutSetting("note", std::string("a")).code(), ErrorCode::kStorageIOError);
  EXPECT_EQ(store_->DeleteObject("b", "k", {}).status().code(), ErrorCode::kStorageIOError);
  Status third = store_->PutSetting("note", std::string("c"));
  EXPECT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(*inner_->GetSetting("note"), std::optional<std::string>("c"));
  EXPECT_TRUE(inner_->GetObject("b", "k").ok()) << "the failed delete reached the store";
}

TEST_F(FaultMetaStoreTest, ReadsAndWritesCountApart) {
  plan_.Arm(FaultTarget::kMetaCommit, FaultKind::kNoSpace, 1);
  bool ran_callback = false;
  for (const Call& read : ReadCalls()) {
    Status s = read.run(*store_, ran_callback);
    EXPECT_TRUE(s.ok()) << read.name << " used up a meta.commit fault: " << s.error().message;
  }
  EXPECT_EQ(store_->PutSetting("note", std::string("x")).code(), ErrorCode::kStorageNoSpace);

  plan_.Arm(FaultTarget::kMetaRead, FaultKind::kIoError, 1);
  for (const Call& write : WriteCalls()) {
    Status s = write.run(*store_, ran_callback);
    EXPECT_TRUE(s.ok()) << write.name << " used up a meta.read fault: " << s.error().message;
  }
  EXPECT_EQ(store_->GetSetting("note").status().code(), ErrorCode::kStorageIOError);
}

TEST_F(FaultMetaStoreTest, CrashStopsEveryLaterCallUntilCleared) {
  const std::string before = Stored();
  plan_.Arm(FaultTarget::kMetaRead, FaultKind::kCrash, 1);
  EXPECT_EQ(store_->GetObject("b", "k").status().code(), ErrorCode::kStorageUnavailable);
  EXPECT_TRUE(plan_.crashed());
  bool ran_callback = false;
  for (const std::vector<Call>& calls : {ReadCalls(), WriteCalls()}) {
    for (const Call& call : calls) {
      Status s = call.run(*store_, ran_callback);
      ASSERT_FALSE(s.ok()) << call.name << " ran after the crash";
      EXPECT_EQ(s.code(), ErrorCode::kStorageUnavailable) << call.name;
      EXPECT_NE(s.error().message.find("the storage is off"), std::string::npos) << call.name;
    }
  }
  EXPECT_FALSE(ran_callback);
  EXPECT_EQ(Stored(), before) << "a write after the crash reached the store";

  plan_.Clear();
  auto object = store_->GetObject("b", "k");
  ASSERT_TRUE(object.ok()) << object.error().message;
  EXPECT_EQ(object->etag, "etag-k");
  EXPECT_TRUE(store_->PutSetting("note", std::string("after")).ok());
}

}  // namespace
}  // namespace cairn::meta
