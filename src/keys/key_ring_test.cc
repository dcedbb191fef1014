// The key ring against a real SQLite metadata store: what a key may do, what survives a restart,
// and that a revoked, expired or rotated-out secret stops at once.
#include "keys/key_ring.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::keys {
namespace {

using auth::Permission;
using std::chrono::hours;
using std::chrono::seconds;

const std::string kMaster(32, '\x07');
const BuiltinKey kAdmin{"ADMINKEYID0000000000", "admin-secret"};

using Strings = std::vector<std::string>;

// A request for a temporary credential that sets one field.
template <typename Field, typename Value>
TemporaryRequest Asking(Field TemporaryRequest::*field, Value value) {
  TemporaryRequest request;
  request.*field = Field(std::move(value));
  return request;
}

class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-keys-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Reopen();
  }
  void TearDown() override {
    ring_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // A restart: a new store and ring over the same file.
  void Reopen(std::string master = kMaster) {
    ring_.reset();
    store_.reset();
    auto store = meta::OpenSqliteMetaStore(dir_ + "/meta.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ring_ = std::make_unique<KeyRing>(*store_, master, kAdmin, KeyRing::Defer{},
                                      [this] { return now_; });
    load_status_ = ring_->Load();
  }
  IssuedKey Create(Permission permission, std::vector<std::string> buckets = {},
                   std::vector<std::string> prefixes = {}) {
    auto issued = ring_->Create(KeySpec{"app", permission, buckets, prefixes, std::nullopt});
    EXPECT_TRUE(issued.ok()) << issued.error().Message();
    return *issued;
  }
  std::vector<std::string> SecretsOf(const std::string& id, const std::string& token = "") {
    auto credential = ring_->Lookup(id, token);
    if (!credential.ok()) return {};
    return (*credential)->secrets;
  }

  std::string dir_;
  TimePoint now_ = TimePoint(std::chrono::milliseconds(1'800'000'000'000));
  std::unique_ptr<meta::MetaStore> store_;
  std::unique_ptr<KeyRing> ring_;
  Status load_status_;
};

TEST_F(KeyRingTest, BuiltinAdminKeyIsListedAndCannotBeRevokedOrRotated) {
  EXPECT_EQ(SecretsOf(kAdmin.access_key_id), std::vector<std::string>{kAdmin.secret_access_key});
  auto listed = ring_->List();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].builtin);
  EXPECT_EQ(listed[0].spec.permission, Permission::kAdminReadWrite);
  EXPECT_EQ(ring_->Revoke(kAdmin.access_key_id).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ring_->Rotate(kAdmin.access_key_id, seconds(0)).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(KeyRingTest, CreatedKeySignsAndSurvivesARestartWithItsSecretSealed) {
  IssuedKey key = Create(Permission::kObjectReadWrite, {"photos"}, {"in/"});
  EXPECT_EQ(key.record.access_key_id.size(), 20u);
  EXPECT_EQ(key.secret_access_key.size(), 40u);
  auto stored = store_->GetSetting("access-key/" + key.record.access_key_id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->find(key.secret_access_key), std::string::npos) << "sealed at rest";

  Reopen();
  ASSERT_TRUE(load_status_.ok());
  auto credential = ring_->Lookup(key.record.access_key_id, "");
  ASSERT_TRUE(credential.ok());
  EXPECT_EQ((*credential)->secrets, std::vector<std::string>{key.secret_access_key});
  const auth::Principal& who = *(*credential)->principal;
  EXPECT_EQ(who.permission, Permission::kObjectReadWrite);
  EXPECT_TRUE(who.AllowsObject(auth::Action::kWriteObjects, "photos", "in/a.jpg"));
  EXPECT_FALSE(who.AllowsObject(auth::Action::kWriteObjects, "photos", "out/a.jpg"));
  EXPECT_FALSE(who.Allows(auth::Action::kReadObjects, "other"));
  EXPECT_FALSE(who.Allows(auth::Action::kListBuckets, ""));
}

TEST_F(KeyRingTest, AnotherMasterKeyCannotOpenTheSecrets) {
  Create(Permission::kObjectReadOnly);
  Reopen(std::string(32, '\x08'));
  EXPECT_EQ(load_status_.error().code, ErrorCode::kInternalError);
  EXPECT_NE(load_status_.error().Message().find("CAIRN_MASTER_KEY"), std::string::npos);
}

TEST_F(KeyRingTest, RevokedKeyStopsAtOnceAndStaysRevokedAfterARestart) {
  IssuedKey key = Create(Permission::kAdminReadOnly);
  ASSERT_TRUE(ring_->Revoke(key.record.access_key_id).ok());
  EXPECT_EQ(ring_->Lookup(key.record.access_key_id, "").error().code,
            ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(ring_->Revoke(key.record.access_key_id).error().code, ErrorCode::kNoSuchEntity);
  Reopen();
  EXPECT_EQ(ring_->Lookup(key.record.access_key_id, "").error().code,
            ErrorCode::kInvalidAccessKeyId);
}

// A second gateway on the same store: its own store connection and ring, whose deferred writes
// (last-use times) wait in `deferred` until the test runs them.
struct OtherGateway {
  std::unique_ptr<meta::MetaStore> store;
  std::unique_ptr<KeyRing> ring;
  std::vector<std::function<void()>> deferred;
};

TEST_F(KeyRingTest, RefreshHonoursWhatAnotherGatewayChanged) {
  OtherGateway other;
  auto store = meta::OpenSqliteMetaStore(dir_ + "/meta.db");
  ASSERT_TRUE(store.ok());
  other.store = std::move(*store);
  other.ring = std::make_unique<KeyRing>(*other.store, kMaster, kAdmin, KeyRing::Defer{},
                                         [this] { return now_; });
  ASSERT_TRUE(other.ring->Load().ok());
  Result<bool> unchanged = other.ring->Refresh();
  ASSERT_TRUE(unchanged.ok());
  EXPECT_FALSE(*unchanged) << "nothing changed: no reload";

  IssuedKey key = Create(Permission::kObjectReadWrite);
  const std::string id = key.record.access_key_id;
  EXPECT_EQ(other.ring->Lookup(id, "").error().code, ErrorCode::kInvalidAccessKeyId);
  ASSERT_TRUE(*other.ring->Refresh());
  auto found = other.ring->Lookup(id, "");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->secrets, std::vector<std::string>{key.secret_access_key});

  auto rotated = ring_->Rotate(id, seconds(0));
  ASSERT_TRUE(rotated.ok());
  ASSERT_TRUE(*other.ring->Refresh());
  EXPECT_EQ((*other.ring->Lookup(id, ""))->secrets,
            std::vector<std::string>{rotated->secret_access_key});

  ASSERT_TRUE(ring_->Revoke(id).ok());
  ASSERT_TRUE(*other.ring->Refresh());
  EXPECT_EQ(other.ring->Lookup(id, "").error().code, ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(other.ring->Get(id).error().code, ErrorCode::kNoSuchEntity);
  EXPECT_TRUE(other.ring->Lookup(kAdmin.access_key_id, "").ok()) << "the built-in key stays";
}

TEST_F(KeyRingTest, ALateLastUseWriteOfAnotherGatewayDoesNotReviveARevokedKey) {
  IssuedKey key = Create(Permission::kObjectReadWrite);
  const std::string id = key.record.access_key_id;
  OtherGateway other;
  auto store = meta::OpenSqliteMetaStore(dir_ + "/meta.db");
  ASSERT_TRUE(store.ok());
  other.store = std::move(*store);
  other.ring = std::make_unique<KeyRing>(
      *other.store, kMaster, kAdmin,
      [&other](std::function<void()> work) { other.deferred.push_back(std::move(work)); },
      [this] { return now_; });
  ASSERT_TRUE(other.ring->Load().ok());
  // The other gateway uses the key, and its last-use write is still on its way when this one
  // revokes the key.
  ASSERT_TRUE(other.ring->Lookup(id, "").ok());
  ASSERT_EQ(other.deferred.size(), 1u);
  ASSERT_TRUE(ring_->Revoke(id).ok());
  for (auto& work : other.deferred) work();
  Reopen();
  EXPECT_EQ(ring_->Lookup(id, "").error().code, ErrorCode::kInvalidAccessKeyId);
}

TEST_F(KeyRingTest, ExpiredKeyStops) {
  auto key = ring_->Create(KeySpec{"short", Permission::kObjectReadOnly, {}, {}, {}}, hours(1));
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(ring_->Lookup(key->record.access_key_id, "").ok());
  now_ += hours(1);
  EXPECT_EQ(ring_->Lookup(key->record.access_key_id, "").error().code,
            ErrorCode::kInvalidAccessKeyId);
}

TEST_F(KeyRingTest, CreateRefusesBadSpecs) {
  const std::string long_name(129, 'n');
  const std::vector<KeySpec> bad = {
      {"", Permission::kObjectReadOnly, {}, {}, std::nullopt},
      {long_name, Permission::kObjectReadOnly, {}, {}, std::nullopt},
      {"tab\there", Permission::kObjectReadOnly, {}, {}, std::nullopt},
      {"admin", Permission::kAdminReadWrite, {"photos"}, {}, std::nullopt},
      {"admin", Permission::kAdminReadOnly, {}, {"a/"}, std::nullopt},
      {"bad bucket", Permission::kObjectReadOnly, {"Not_A_Bucket"}, {}, std::nullopt},
      {"empty prefix", Permission::kObjectReadOnly, {}, {""}, std::nullopt},
  };
  for (const KeySpec& spec : bad) {
    auto created = ring_->Create(spec);
    EXPECT_FALSE(created.ok()) << spec.name;
    if (!created.ok()) {
      EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument) << spec.name;
    }
  }
  const KeySpec fine{"fine", Permission::kObjectReadOnly, {}, {}, std::nullopt};
  for (seconds lifetime :
       {seconds(59), seconds(0), seconds(-1), seconds(10LL * 366 * 24 * 3600 + 1)}) {
    EXPECT_FALSE(ring_->Create(fine, lifetime).ok()) << lifetime.count();
  }
  EXPECT_EQ(ring_->List().size(), 1u) << "nothing was stored";
  auto minimal = ring_->Create(fine, seconds(60));
  ASSERT_TRUE(minimal.ok()) << "the shortest lifetime is accepted whatever the clock does";
  EXPECT_EQ(minimal->record.spec.expires_at, now_ + seconds(60));
  EXPECT_TRUE(ring_
                  ->Create(KeySpec{
                      std::string(128, 'n'), Permission::kObjectReadOnly, {}, {}, std::nullopt})
                  .ok());
}

TEST_F(KeyRingTest, RotationWithGraceKeepsTheOldSecretUntilTheGraceEnds) {
  IssuedKey key = Create(Permission::kObjectReadWrite);
  const std::string id = key.record.access_key_id;
  auto rotated = ring_->Rotate(id, hours(1));
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(rotated->secret_access_key, key.secret_access_key);
  EXPECT_EQ(SecretsOf(id),
            (std::vector<std::string>{rotated->secret_access_key, key.secret_access_key}));
  Reopen();
  EXPECT_EQ(SecretsOf(id).size(), 2u) << "the grace survives a restart";
  now_ += hours(1);
  EXPECT_EQ(SecretsOf(id), std::vector<std::string>{rotated->secret_access_key});
}

TEST_F(KeyRingTest, RotationWithoutGraceStopsTheOldSecretAtOnce) {
  IssuedKey key = Create(Permission::kObjectReadWrite);
  auto rotated = ring_->Rotate(key.record.access_key_id, seconds(0));
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(SecretsOf(key.record.access_key_id),
            std::vector<std::string>{rotated->secret_access_key});
  EXPECT_EQ(ring_->Rotate(key.record.access_key_id, hours(24 * 31)).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(KeyRingTest, ListIsSortedAndCarriesLastUse) {
  auto b = ring_->Create(KeySpec{"b", Permission::kObjectReadOnly, {}, {}, std::nullopt});
  auto a = ring_->Create(KeySpec{"a", Permission::kObjectReadOnly, {}, {}, std::nullopt});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(ring_->Lookup(b->record.access_key_id, "").ok());
  auto listed = ring_->List();
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_TRUE(listed[0].builtin);
  EXPECT_EQ(listed[1].spec.name, "a");
  EXPECT_EQ(listed[2].spec.name, "b");
  EXPECT_FALSE(listed[1].last_used_at.has_value());
  EXPECT_EQ(listed[2].last_used_at, now_);
}

TEST_F(KeyRingTest, TemporaryCredentialsAreHeldToTheirScopeAndTheirParent) {
  IssuedKey parent = Create(Permission::kObjectReadWrite, {"photos", "docs"});
  const auth::Principal signer = *(*ring_->Lookup(parent.record.access_key_id, ""))->principal;
  TemporaryRequest request;
  request.ttl = seconds(60);
  request.buckets = {"photos"};
  request.prefixes = {"user-1/"};
  auto temp = ring_->IssueTemporary(signer, request);
  ASSERT_TRUE(temp.ok()) << temp.error().Message();
  const std::string id = temp->credential.access_key_id;
  EXPECT_TRUE(id.starts_with(kTemporaryKeyLead));
  EXPECT_EQ(temp->credential.expires_at, now_ + seconds(60));

  auto credential = ring_->Lookup(id, temp->session_token);
  ASSERT_TRUE(credential.ok());
  EXPECT_EQ((*credential)->secrets, std::vector<std::string>{temp->credential.secret_access_key});
  const auth::Principal& who = *(*credential)->principal;
  EXPECT_TRUE(who.temporary());
  EXPECT_TRUE(who.AllowsObject(auth::Action::kWriteObjects, "photos", "user-1/a"));
  EXPECT_FALSE(who.AllowsObject(auth::Action::kWriteObjects, "photos", "user-2/a"));
  EXPECT_FALSE(who.Allows(auth::Action::kReadObjects, "docs")) << "the parent could";

  EXPECT_EQ(ring_->Lookup(id, "").error().code, ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(ring_->Lookup(id, temp->session_token + "x").error().code, ErrorCode::kInvalidToken);
  EXPECT_EQ(ring_->Lookup(parent.record.access_key_id, temp->session_token).error().code,
            ErrorCode::kInvalidToken)
      << "a token belongs to one key id";
  now_ += seconds(60);
  EXPECT_EQ(ring_->Lookup(id, temp->session_token).error().code, ErrorCode::kExpiredToken);
  now_ -= seconds(30);
  ASSERT_TRUE(ring_->Revoke(parent.record.access_key_id).ok());
  EXPECT_EQ(ring_->Lookup(id, temp->session_token).error().code, ErrorCode::kInvalidAccessKeyId)
      << "it dies with its parent";
}

TEST_F(KeyRingTest, TemporaryCredentialsNeverExceedTheirParent) {
  IssuedKey parent = Create(Permission::kObjectReadOnly, {"photos"}, {"pub/"});
  const auth::Principal signer = *(*ring_->Lookup(parent.record.access_key_id, ""))->principal;
  auto refused = [&](TemporaryRequest request) {
    auto issued = ring_->IssueTemporary(signer, request);
    return issued.ok() ? ErrorCode::kCount : issued.error().code;
  };
  EXPECT_EQ(refused(Asking(&TemporaryRequest::permission, Permission::kObjectReadWrite)),
            ErrorCode::kAccessDenied);
  EXPECT_EQ(refused(Asking(&TemporaryRequest::buckets, Strings{"docs"})), ErrorCode::kAccessDenied);
  EXPECT_EQ(refused(Asking(&TemporaryRequest::prefixes, Strings{"private/"})),
            ErrorCode::kAccessDenied);
  EXPECT_EQ(refused(Asking(&TemporaryRequest::ttl, seconds(0))), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused(Asking(&TemporaryRequest::ttl, seconds(129601))), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused(Asking(&TemporaryRequest::parent, kAdmin.access_key_id)),
            ErrorCode::kAccessDenied)
      << "only admin-rw names another parent";
  auto inherited = ring_->IssueTemporary(signer, {});
  ASSERT_TRUE(inherited.ok());
  EXPECT_EQ(inherited->credential.buckets, std::vector<std::string>{"photos"});
  EXPECT_EQ(inherited->credential.prefixes, std::vector<std::string>{"pub/"});
  auto narrower =
      ring_->IssueTemporary(signer, Asking(&TemporaryRequest::prefixes, Strings{"pub/img/"}));
  ASSERT_TRUE(narrower.ok());

  // A temporary credential cannot mint another.
  auto temp = ring_->Lookup(inherited->credential.access_key_id, inherited->session_token);
  ASSERT_TRUE(temp.ok());
  EXPECT_EQ(ring_->IssueTemporary(*(*temp)->principal, {}).error().code, ErrorCode::kAccessDenied);
}

TEST_F(KeyRingTest, TemporaryCredentialsExpireNoLaterThanTheirParent) {
  auto parent = ring_->Create(KeySpec{"p", Permission::kObjectReadOnly, {}, {}, {}}, hours(1));
  ASSERT_TRUE(parent.ok());
  const auth::Principal signer = *(*ring_->Lookup(parent->record.access_key_id, ""))->principal;
  auto temp = ring_->IssueTemporary(signer, Asking(&TemporaryRequest::ttl, hours(2)));
  ASSERT_TRUE(temp.ok());
  EXPECT_EQ(temp->credential.expires_at, now_ + hours(1));
}

TEST_F(KeyRingTest, AdminMayIssueForAnotherParent) {
  IssuedKey parent = Create(Permission::kObjectReadOnly, {"photos"});
  const auth::Principal admin = *(*ring_->Lookup(kAdmin.access_key_id, ""))->principal;
  auto temp =
      ring_->IssueTemporary(admin, Asking(&TemporaryRequest::parent, parent.record.access_key_id));
  ASSERT_TRUE(temp.ok());
  EXPECT_EQ(temp->credential.parent, parent.record.access_key_id);
  EXPECT_EQ(temp->credential.permission, Permission::kObjectReadOnly);
  EXPECT_EQ(
      ring_->IssueTemporary(admin, Asking(&TemporaryRequest::parent, "NOSUCHKEY")).error().code,
      ErrorCode::kNoSuchEntity);
}

}  // namespace
}  // namespace cairn::keys
