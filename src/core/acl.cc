#include "core/acl.h"

#include <algorithm>
#include <array>

namespace cairn::core {
namespace {

// The canned ACLs of the Amazon S3 User Guide's "Canned ACL" table.
constexpr std::array<std::string_view, 8> kCannedAcls = {"private",
                                                         "public-read",
                                                         "public-read-write",
                                                         "aws-exec-read",
                                                         "authenticated-read",
                                                         "bucket-owner-read",
                                                         "bucket-owner-full-control",
                                                         "log-delivery-write"};

constexpr std::string_view kObjectAdvice =
    " cairn keeps every object private to its owner (as S3 does for a bucket with ACLs disabled): "
    "send no ACL, private or bucket-owner-full-control. To let anyone read a bucket's objects, "
    "make the bucket public (PutBucketAcl with x-amz-acl: public-read, or `cairn bucket public "
    "enable`).";
constexpr std::string_view kBucketAdvice =
    " A cairn bucket is private or public-read (anyone may GET and HEAD its objects, nothing "
    "more); nothing else can be granted.";

Error NotSupported(std::string what, AclSubject subject) {
  return Error(ErrorCode::kAccessControlListNotSupported,
               std::move(what) +
                   std::string(subject == AclSubject::kObject ? kObjectAdvice : kBucketAdvice));
}

}  // namespace

Result<bool> CannedAclIsPublic(std::string_view name, AclSubject subject) {
  if (std::find(kCannedAcls.begin(), kCannedAcls.end(), name) == kCannedAcls.end()) {
    return Error(ErrorCode::kInvalidArgument,
                 "The canned ACL is not one of private, public-read, public-read-write, "
                 "aws-exec-read, authenticated-read, bucket-owner-read, "
                 "bucket-owner-full-control and log-delivery-write.");
  }
  // bucket-owner-full-control gives the bucket's owner full control of an object: with one owner
  // of every bucket and object, that is already so (and S3 accepts it with ACLs disabled).
  if (name == "private" || name == "bucket-owner-full-control") return false;
  if (name == "public-read" && subject == AclSubject::kBucket) return true;
  return NotSupported("The canned ACL " + std::string(name) + " cannot be set.", subject);
}

Result<bool> GrantsArePublic(const std::vector<AclGrant>& grants, std::string_view owner_id,
                             AclSubject subject) {
  bool is_public = false;
  for (const AclGrant& grant : grants) {
    if (grant.grantee_type == "CanonicalUser" && grant.id == owner_id &&
        grant.permission == "FULL_CONTROL") {
      continue;
    }
    if (subject == AclSubject::kBucket && grant.grantee_type == "Group" &&
        grant.uri == kAllUsersGroup && grant.permission == "READ") {
      is_public = true;
      continue;
    }
    return NotSupported("The ACL grants access to someone other than the owner.", subject);
  }
  return is_public;
}

Error GrantHeaderNotSupported(std::string_view header) {
  return Error(ErrorCode::kAccessControlListNotSupported,
               "The bucket does not allow ACLs: " + std::string(header) +
                   " grants access to others, and cairn has one owner of every bucket and object "
                   "(send x-amz-acl: private, or public-read to make a bucket public).");
}

}  // namespace cairn::core
