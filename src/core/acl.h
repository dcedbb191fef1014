// Access control lists on a store with one owner. cairn answers as an S3 bucket whose Object
// Ownership is "bucket owner enforced" (Amazon S3 User Guide, "Controlling ownership of objects
// and disabling ACLs" and its troubleshooting page): reading an ACL always shows the owner with
// FULL_CONTROL, and setting one that grants anything to anyone else fails with 400
// AccessControlListNotSupported, where S3 without that setting would store a grant that cairn
// cannot honour. Two exceptions, so that common tools work unchanged: the canned ACL `private`
// (what cairn is anyway; S3 with ACLs disabled refuses even that), and `public-read` on a bucket,
// which is cairn's public-bucket setting (anonymous GET and HEAD of its objects; S3's READ on a
// bucket would let anyone list it too, which no cairn bucket allows).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cairn::core {

enum class AclSubject { kBucket, kObject };

// The group every anonymous caller belongs to, as S3 names it in grants.
inline constexpr std::string_view kAllUsersGroup =
    "http://acs.amazonaws.com/groups/global/AllUsers";

// One grant of an AccessControlPolicy document (PutBucketAcl, PutObjectAcl bodies).
struct AclGrant {
  std::string grantee_type;  // its xsi:type: CanonicalUser, Group or AmazonCustomerByEmail
  std::string id;            // CanonicalUser
  std::string uri;           // Group
  std::string permission;    // FULL_CONTROL, READ, WRITE, READ_ACP or WRITE_ACP
};

// Whether the canned ACL `name` (x-amz-acl, or a POST form's acl field) makes `subject` public.
// private and bucket-owner-full-control are what cairn is anyway: false. public-read on a bucket:
// true. Errors: InvalidArgument for a name that is no canned ACL, AccessControlListNotSupported for
// the other canned ACLs (public-read on an object among them).
Result<bool> CannedAclIsPublic(std::string_view name, AclSubject subject);

// The same for a policy's grants: FULL_CONTROL to the owner (`owner_id`) is what cairn is; READ to
// AllUsers makes a bucket public. Errors: AccessControlListNotSupported for any other grant.
Result<bool> GrantsArePublic(const std::vector<AclGrant>& grants, std::string_view owner_id,
                             AclSubject subject);

// x-amz-grant-read, -write, -read-acp, -write-acp and -full-control: grants to others by name,
// which a single-owner store cannot keep. AccessControlListNotSupported, naming `header`.
Error GrantHeaderNotSupported(std::string_view header);

}  // namespace cairn::core
