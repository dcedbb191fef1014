// The XML documents of the S3 API that cairn reads and writes (pugixml underneath). Rendering is
// plain functions of plain structs, so handlers stay short and the XML is unit-tested alone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/acl.h"
#include "core/cors.h"
#include "core/lifecycle.h"
#include "core/multipart_rules.h"
#include "core/records.h"

namespace cairn::s3 {

inline constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

struct Owner {
  std::string id;
  std::string display_name;
};

// <Error><Code/><Message/>[<BucketName/>][<Key/>]<Resource/><RequestId/></Error>. S3 names the
// bucket in NoSuchBucket and the key in NoSuchKey; `bucket` and `key` are added only for those.
struct ErrorSubject {
  std::string_view bucket;
  std::string_view key;
};
std::string RenderError(const Error& error, std::string_view resource, std::string_view request_id,
                        const ErrorSubject& subject = {});

// ListAllMyBucketsResult.
std::string RenderListBuckets(const std::vector<core::BucketRecord>& buckets, const Owner& owner);

// <LocationConstraint>auto</LocationConstraint>
std::string RenderLocationConstraint(std::string_view location);

// ListBucketResult for ListObjects (v1) and ListObjectsV2. Keys, prefixes, delimiter, markers
// and start-after are URL-encoded (UriEncode, '/' kept) when encoding_type is "url".
struct ListRender {
  int version = 2;  // 1 or 2
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  uint32_t max_keys = 1000;
  std::string encoding_type;  // "" or "url"
  bool fetch_owner = false;   // v2: Owner only when asked; v1: always
  Owner owner;
  // v1
  std::string marker;
  std::string next_marker;  // v1: set when truncated and a delimiter was given
  // v2
  std::string continuation_token;
  std::string next_continuation_token;
  std::string start_after;
  const core::ListPage* page = nullptr;
};
std::string RenderListObjects(const ListRender& list);

// CopyObjectResult (ETag quoted, LastModified ISO 8601, checksums if any).
std::string RenderCopyObjectResult(const core::ObjectRecord& object);

// PostResponse, the body of a POST Object answered with success_action_status 201: Location (the
// object's URL), Bucket, Key, ETag (quoted). Without a namespace, as S3 sends it.
std::string RenderPostResponse(std::string_view location, const core::ObjectRecord& object);

// DeleteObjects: the request body and the DeleteResult.
struct DeleteRequest {
  bool quiet = false;
  std::vector<std::string> keys;  // at most 1000 (MalformedXML past that, as S3)
};
Result<DeleteRequest> ParseDeleteRequest(std::string_view xml);  // MalformedXML on bad input

struct DeleteOutcome {
  std::string key;
  std::optional<Error> error;  // nullopt: deleted
};
std::string RenderDeleteResult(const std::vector<DeleteOutcome>& outcomes, bool quiet);

// CreateBucketConfiguration's LocationConstraint, or nullopt for an empty body.
// MalformedXML on bad input.
Result<std::optional<std::string>> ParseCreateBucketConfiguration(std::string_view xml);

// --- Multipart (Amazon S3 API reference pages of each operation) ---

// InitiateMultipartUploadResult: Bucket, Key, UploadId.
std::string RenderInitiateMultipartUpload(std::string_view bucket, std::string_view key,
                                          std::string_view upload_id);

// The CompleteMultipartUpload request body: <CompleteMultipartUpload><Part><PartNumber/><ETag/>
// [<ChecksumCRC32/>...]</Part>...</CompleteMultipartUpload>. MalformedXML on bad XML, a part
// without a number or ETag, or a number that is not an integer. An empty list parses (the caller
// decides: S3 answers MalformedXML).
Result<std::vector<core::RequestedPart>> ParseCompleteMultipartUpload(std::string_view xml);

// CompleteMultipartUploadResult: Location, Bucket, Key, ETag (quoted), checksums and ChecksumType.
std::string RenderCompleteMultipartUpload(std::string_view location,
                                          const core::ObjectRecord& object);

// CopyPartResult: ETag (quoted), LastModified, part checksums.
std::string RenderCopyPartResult(const core::PartRecord& part);

// ListPartsResult. Initiator and Owner are both `owner` (one account).
struct ListPartsRender {
  std::string bucket;
  std::string key;
  std::string upload_id;
  uint32_t part_number_marker = 0;
  uint32_t max_parts = 1000;
  Owner owner;
  const core::UploadRecord* upload = nullptr;  // StorageClass, ChecksumAlgorithm, ChecksumType
  const core::PartsPage* page = nullptr;
};
std::string RenderListParts(const ListPartsRender& list);

// ListMultipartUploadsResult.
struct ListUploadsRender {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  uint32_t max_uploads = 1000;
  std::string encoding_type;
  Owner owner;
  const core::UploadsPage* page = nullptr;
};
std::string RenderListUploads(const ListUploadsRender& list);

// --- Lifecycle ---

// LifecycleConfiguration XML <-> rules. Parse errors: MalformedXML for XML that is not
// well-formed or breaks the schema (unknown or repeated elements, a Rule without Status or without
// Filter/Prefix, Days that are not integers); NotImplemented for what cairn cannot honour (Tag,
// And and object-size filters, NoncurrentVersion* actions, ExpiredObjectDeleteMarker). A parsed
// configuration has also passed core::ValidateLifecycle. Rendering writes back what was stored:
// a legacy top-level Prefix stays one, other rules get a Filter (empty when it matches every key).
Result<core::LifecycleConfiguration> ParseLifecycleConfiguration(std::string_view xml);
std::string RenderLifecycleConfiguration(const core::LifecycleConfiguration& config);

// --- CORS ---

// CORSConfiguration XML <-> rules (CORSRule: ID, AllowedOrigin*, AllowedMethod*, AllowedHeader*,
// ExposeHeader*, MaxAgeSeconds). Parse errors: MalformedXML; rule checks are core::ValidateCors's.
Result<core::CorsConfiguration> ParseCorsConfiguration(std::string_view xml);
std::string RenderCorsConfiguration(const core::CorsConfiguration& config);

// AccessControlPolicy (GetBucketAcl, GetObjectAcl): the owner with FULL_CONTROL, and with
// `all_users_read` READ for the AllUsers group (a public bucket).
std::string RenderAccessControlPolicy(const Owner& owner, bool all_users_read);
// The grants of a PutBucketAcl or PutObjectAcl body. The Owner element is not checked: cairn has
// one. Errors: MalformedXML.
Result<std::vector<core::AclGrant>> ParseAccessControlPolicy(std::string_view xml);

}  // namespace cairn::s3
