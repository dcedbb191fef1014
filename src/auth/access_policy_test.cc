#include "auth/access_policy.h"

#include <gtest/gtest.h>

namespace cairn::auth {
namespace {

constexpr Permission kAll[] = {Permission::kAdminReadWrite, Permission::kAdminReadOnly,
                               Permission::kObjectReadWrite, Permission::kObjectReadOnly};

TEST(AccessPolicyTest, PermissionNamesRoundTrip) {
  for (Permission p : kAll) EXPECT_EQ(ParsePermission(PermissionName(p)), p);
  EXPECT_FALSE(ParsePermission("admin").has_value());
  EXPECT_FALSE(ParsePermission("ADMIN-RW").has_value());
}

// R2's four token kinds, action by action.
TEST(AccessPolicyTest, PermissionTable) {
  struct Row {
    Action action;
    bool admin_rw, admin_ro, object_rw, object_ro;
  };
  const Row table[] = {
      {Action::kListBuckets, true, true, false, false},
      {Action::kManageBuckets, true, false, false, false},
      {Action::kReadBucketConfig, true, true, false, false},
      {Action::kReadObjects, true, true, true, true},
      {Action::kWriteObjects, true, false, true, false},
      {Action::kReadKeys, true, true, false, false},
      {Action::kManageKeys, true, false, false, false},
  };
  for (const Row& row : table) {
    EXPECT_EQ(PermissionAllows(Permission::kAdminReadWrite, row.action), row.admin_rw)
        << ActionName(row.action);
    EXPECT_EQ(PermissionAllows(Permission::kAdminReadOnly, row.action), row.admin_ro)
        << ActionName(row.action);
    EXPECT_EQ(PermissionAllows(Permission::kObjectReadWrite, row.action), row.object_rw)
        << ActionName(row.action);
    EXPECT_EQ(PermissionAllows(Permission::kObjectReadOnly, row.action), row.object_ro)
        << ActionName(row.action);
  }
}

TEST(AccessPolicyTest, PermissionWithin) {
  for (Permission p : kAll) {
    EXPECT_TRUE(PermissionWithin(p, p));
    EXPECT_TRUE(PermissionWithin(p, Permission::kAdminReadWrite));
    EXPECT_TRUE(PermissionWithin(Permission::kObjectReadOnly, p));
  }
  EXPECT_FALSE(PermissionWithin(Permission::kObjectReadWrite, Permission::kAdminReadOnly));
  EXPECT_FALSE(PermissionWithin(Permission::kAdminReadOnly, Permission::kObjectReadWrite));
  EXPECT_FALSE(PermissionWithin(Permission::kObjectReadWrite, Permission::kObjectReadOnly));
}

TEST(AccessPolicyTest, ScopesLimitBucketsKeysAndListings) {
  Principal key{"K", Permission::kObjectReadWrite, {"photos"}, {"a/", "b/"}, nullptr, std::nullopt};
  EXPECT_TRUE(key.Allows(Action::kReadObjects, "photos"));
  EXPECT_FALSE(key.Allows(Action::kReadObjects, "docs"));
  EXPECT_TRUE(key.AllowsObject(Action::kWriteObjects, "photos", "b/x"));
  EXPECT_FALSE(key.AllowsObject(Action::kWriteObjects, "photos", "c/x"));
  EXPECT_FALSE(key.AllowsObject(Action::kWriteObjects, "photos", "a"));
  EXPECT_TRUE(key.AllowsListing("photos", "a/"));
  EXPECT_TRUE(key.AllowsListing("photos", "a/deeper"));
  EXPECT_FALSE(key.AllowsListing("photos", ""));
  EXPECT_FALSE(key.AllowsListing("photos", "a"));
  Principal everywhere{"E", Permission::kObjectReadOnly, {}, {}, nullptr, std::nullopt};
  EXPECT_TRUE(everywhere.AllowsListing("any", ""));
  EXPECT_FALSE(everywhere.AllowsObject(Action::kWriteObjects, "any", "k"));
}

TEST(AccessPolicyTest, TemporaryPrincipalsAreHeldToTheirParent) {
  auto parent = std::make_shared<Principal>(
      Principal{"P", Permission::kObjectReadOnly, {"photos"}, {}, nullptr, std::nullopt});
  // Even a record that claims more than the parent (which issuing never makes) gets no more.
  Principal temp{"T", Permission::kObjectReadWrite, {}, {}, parent, std::nullopt};
  EXPECT_TRUE(temp.temporary());
  EXPECT_TRUE(temp.AllowsObject(Action::kReadObjects, "photos", "k"));
  EXPECT_FALSE(temp.AllowsObject(Action::kWriteObjects, "photos", "k"));
  EXPECT_FALSE(temp.Allows(Action::kReadObjects, "docs"));
}

}  // namespace
}  // namespace cairn::auth
