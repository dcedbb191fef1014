// The ACLs a single-owner store can keep: canned ACLs and policy grants, on buckets and objects.
#include "core/acl.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

constexpr char kOwner[] = "owner-id";

ErrorCode CodeOf(const Result<bool>& r) { return r.ok() ? ErrorCode::kCount : r.error().code; }

TEST(CannedAcl, PrivateAndOwnerFullControlAreWhatCairnIs) {
  for (AclSubject subject : {AclSubject::kBucket, AclSubject::kObject}) {
    for (const char* name : {"private", "bucket-owner-full-control"}) {
      Result<bool> r = CannedAclIsPublic(name, subject);
      ASSERT_TRUE(r.ok()) << name;
      EXPECT_FALSE(*r) << name;
    }
  }
}

TEST(CannedAcl, PublicReadIsTheBucketsPublicSetting) {
  Result<bool> bucket = CannedAclIsPublic("public-read", AclSubject::kBucket);
  ASSERT_TRUE(bucket.ok());
  EXPECT_TRUE(*bucket);
  Result<bool> object = CannedAclIsPublic("public-read", AclSubject::kObject);
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.error().code, ErrorCode::kAccessControlListNotSupported);
  EXPECT_NE(object.error().Message().find("make the bucket public"), std::string::npos)
      << object.error().Message();
}

TEST(CannedAcl, EveryOtherCannedAclIsRefused) {
  for (AclSubject subject : {AclSubject::kBucket, AclSubject::kObject}) {
    for (const char* name : {"public-read-write", "aws-exec-read", "authenticated-read",
                             "bucket-owner-read", "log-delivery-write"}) {
      EXPECT_EQ(CodeOf(CannedAclIsPublic(name, subject)), ErrorCode::kAccessControlListNotSupported)
          << name;
    }
  }
}

TEST(CannedAcl, ANameThatIsNoCannedAclIsInvalid) {
  for (const char* name : {"", "Private", "public", "private "}) {
    EXPECT_EQ(CodeOf(CannedAclIsPublic(name, AclSubject::kObject)), ErrorCode::kInvalidArgument)
        << "'" << name << "'";
  }
}

AclGrant OwnerFull() { return {"CanonicalUser", kOwner, "", "FULL_CONTROL"}; }
AclGrant AllUsersRead() { return {"Group", "", std::string(kAllUsersGroup), "READ"}; }

TEST(AclGrants, TheOwnersFullControlAloneIsPrivate) {
  for (AclSubject subject : {AclSubject::kBucket, AclSubject::kObject}) {
    Result<bool> r = GrantsArePublic({OwnerFull()}, kOwner, subject);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(*r);
    Result<bool> none = GrantsArePublic({}, kOwner, subject);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(*none);
  }
}

TEST(AclGrants, AllUsersReadMakesABucketPublicButNoObject) {
  Result<bool> bucket = GrantsArePublic({OwnerFull(), AllUsersRead()}, kOwner, AclSubject::kBucket);
  ASSERT_TRUE(bucket.ok());
  EXPECT_TRUE(*bucket);
  EXPECT_EQ(CodeOf(GrantsArePublic({OwnerFull(), AllUsersRead()}, kOwner, AclSubject::kObject)),
            ErrorCode::kAccessControlListNotSupported);
}

TEST(AclGrants, AnyOtherGrantIsRefused) {
  const AclGrant others[] = {
      {"CanonicalUser", "someone-else", "", "FULL_CONTROL"},
      {"CanonicalUser", kOwner, "", "READ"},  // less than full control: not what cairn is
      {"Group", "", std::string(kAllUsersGroup), "WRITE"},
      {"Group", "", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "READ"},
      {"AmazonCustomerByEmail", "", "", "READ"},
  };
  for (const AclGrant& grant : others) {
    for (AclSubject subject : {AclSubject::kBucket, AclSubject::kObject}) {
      EXPECT_EQ(CodeOf(GrantsArePublic({OwnerFull(), grant}, kOwner, subject)),
                ErrorCode::kAccessControlListNotSupported)
          << grant.grantee_type << " " << grant.id << grant.uri << " " << grant.permission;
    }
  }
}

TEST(AclGrants, GrantHeadersAreNamedInTheirRefusal) {
  Error e = GrantHeaderNotSupported("x-amz-grant-read");
  EXPECT_EQ(e.code, ErrorCode::kAccessControlListNotSupported);
  EXPECT_NE(e.Message().find("x-amz-grant-read"), std::string::npos);
}

}  // namespace
}  // namespace cairn::core
