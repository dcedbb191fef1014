// The one table of S3 errors: code -> S3 `Code`, HTTP status, default message.
// Codes and statuses follow the "Error responses" page of the Amazon S3 API reference; 507 for a
// full disk follows MinIO and R2's practice of answering InsufficientStorage.
#include <array>

#include "common/status.h"

namespace cairn {
namespace {

struct Row {
  ErrorCode code;
  ErrorInfo info;
};

constexpr Row kRows[] = {
    {ErrorCode::kAccessControlListNotSupported,
     {"AccessControlListNotSupported", 400, "The bucket does not allow ACLs"}},
    {ErrorCode::kAccessDenied, {"AccessDenied", 403, "Access Denied"}},
    {ErrorCode::kAccessForbidden,
     {"AccessForbidden", 403,
      "CORSResponse: This CORS request is not allowed. No CORS rule of the bucket allows this "
      "origin, method and these headers."}},
    {ErrorCode::kAuthorizationHeaderMalformed,
     {"AuthorizationHeaderMalformed", 400, "The authorization header is malformed."}},
    {ErrorCode::kAuthorizationQueryParametersError,
     {"AuthorizationQueryParametersError", 400,
      "Error parsing the X-Amz-Credential parameter; the query-string authentication is invalid."}},
    {ErrorCode::kBadDigest,
     {"BadDigest", 400,
      "The Content-MD5 or checksum you specified did not match what we received."}},
    {ErrorCode::kBucketAlreadyExists,
     {"BucketAlreadyExists", 409, "The requested bucket name is not available."}},
    {ErrorCode::kBucketAlreadyOwnedByYou,
     {"BucketAlreadyOwnedByYou", 409,
      "Your previous request to create the named bucket succeeded and you already own it."}},
    {ErrorCode::kBucketNotEmpty,
     {"BucketNotEmpty", 409, "The bucket you tried to delete is not empty."}},
    {ErrorCode::kConditionalRequestConflict,
     {"ConditionalRequestConflict", 409,
      "A conflicting operation occurred. If using PutObject you can retry the request."}},
    {ErrorCode::kEntityTooLarge,
     {"EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size."}},
    {ErrorCode::kEntityTooSmall,
     {"EntityTooSmall", 400,
      "Your proposed upload is smaller than the minimum allowed object size."}},
    {ErrorCode::kExpiredToken, {"ExpiredToken", 400, "The provided token has expired."}},
    {ErrorCode::kIncompleteBody,
     {"IncompleteBody", 400,
      "You did not provide the number of bytes specified by the Content-Length HTTP header."}},
    {ErrorCode::kIncorrectNumberOfFilesInPostRequest,
     {"IncorrectNumberOfFilesInPostRequest", 400,
      "POST requires exactly one file upload per request."}},
    {ErrorCode::kInsufficientStorage,
     {"InsufficientStorage", 507,
      "There is not enough free space on the server to store the object."}},
    {ErrorCode::kInternalError,
     {"InternalError", 500, "We encountered an internal error. Please try again."}},
    {ErrorCode::kInvalidAccessKeyId,
     {"InvalidAccessKeyId", 403,
      "The AWS access key Id you provided does not exist in our records."}},
    {ErrorCode::kInvalidArgument, {"InvalidArgument", 400, "Invalid Argument"}},
    {ErrorCode::kInvalidBucketName,
     {"InvalidBucketName", 400, "The specified bucket is not valid."}},
    {ErrorCode::kInvalidChunkSizeError,
     {"InvalidChunkSizeError", 400,
      "Only the last chunk is allowed to have a size less than 8192 bytes"}},
    {ErrorCode::kInvalidDigest,
     {"InvalidDigest", 400, "The Content-MD5 you specified is not valid."}},
    {ErrorCode::kInvalidObjectState,
     {"InvalidObjectState", 403,
      "The operation is not valid for the current state of the object."}},
    {ErrorCode::kInvalidPart,
     {"InvalidPart", 400,
      "One or more of the specified parts could not be found. The part might not have been "
      "uploaded, "
      "or the specified entity tag might not have matched the part's entity tag."}},
    {ErrorCode::kInvalidPartNumber,
     {"InvalidPartNumber", 416, "The requested partnumber is not satisfiable"}},
    {ErrorCode::kInvalidPartOrder,
     {"InvalidPartOrder", 400,
      "The list of parts was not in ascending order. The parts list must be specified in order by "
      "part number."}},
    {ErrorCode::kInvalidPolicyDocument,
     {"InvalidPolicyDocument", 400,
      "The content of the form does not meet the conditions specified in the policy document."}},
    {ErrorCode::kInvalidRange, {"InvalidRange", 416, "The requested range is not satisfiable"}},
    {ErrorCode::kInvalidRequest, {"InvalidRequest", 400, "Invalid Request"}},
    {ErrorCode::kInvalidStorageClass,
     {"InvalidStorageClass", 400, "The storage class you specified is not valid"}},
    {ErrorCode::kInvalidToken,
     {"InvalidToken", 400, "The provided token is malformed or otherwise invalid."}},
    {ErrorCode::kKeyTooLongError, {"KeyTooLongError", 400, "Your key is too long"}},
    {ErrorCode::kMalformedPOSTRequest,
     {"MalformedPOSTRequest", 400,
      "The body of your POST request is not well-formed multipart/form-data."}},
    {ErrorCode::kMalformedXML,
     {"MalformedXML", 400,
      "The XML you provided was not well-formed or did not validate against our published "
      "schema."}},
    {ErrorCode::kMaxPostPreDataLengthExceededError,
     {"MaxPostPreDataLengthExceededError", 400,
      "Your POST request fields preceding the upload file were too large."}},
    {ErrorCode::kMetadataTooLarge,
     {"MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size."}},
    {ErrorCode::kMethodNotAllowed,
     {"MethodNotAllowed", 405, "The specified method is not allowed against this resource."}},
    {ErrorCode::kMissingContentLength,
     {"MissingContentLength", 411, "You must provide the Content-Length HTTP header."}},
    {ErrorCode::kMissingSecurityHeader,
     {"MissingSecurityHeader", 400, "Your request is missing a required header."}},
    {ErrorCode::kNoSuchBucket, {"NoSuchBucket", 404, "The specified bucket does not exist."}},
    {ErrorCode::kNoSuchCORSConfiguration,
     {"NoSuchCORSConfiguration", 404, "The CORS configuration does not exist"}},
    // Not an S3 code: IAM's, for cairn's admin API (an access key that does not exist).
    {ErrorCode::kNoSuchEntity, {"NoSuchEntity", 404, "The access key does not exist."}},
    {ErrorCode::kNoSuchKey, {"NoSuchKey", 404, "The specified key does not exist."}},
    {ErrorCode::kNoSuchLifecycleConfiguration,
     {"NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist."}},
    {ErrorCode::kNoSuchUpload,
     {"NoSuchUpload", 404,
      "The specified multipart upload does not exist. The upload ID might not be valid, or the "
      "multipart upload might have been aborted or completed."}},
    {ErrorCode::kNotImplemented,
     {"NotImplemented", 501,
      "A header or query you provided implies functionality that is not implemented."}},
    {ErrorCode::kNotModified, {"NotModified", 304, "Not Modified"}},
    {ErrorCode::kPreconditionFailed,
     {"PreconditionFailed", 412, "At least one of the preconditions you specified did not hold."}},
    {ErrorCode::kRequestHeaderSectionTooLarge,
     {"RequestHeaderSectionTooLarge", 400,
      "Your request header section exceeds the maximum allowed size."}},
    {ErrorCode::kRequestTimeTooSkewed,
     {"RequestTimeTooSkewed", 403,
      "The difference between the request time and the server's time is too large."}},
    {ErrorCode::kRequestTimeout,
     {"RequestTimeout", 400,
      "Your socket connection to the server was not read from or written to within the timeout "
      "period."}},
    {ErrorCode::kSignatureDoesNotMatch,
     {"SignatureDoesNotMatch", 403,
      "The request signature we calculated does not match the signature you provided. Check your "
      "key and signing method."}},
    {ErrorCode::kSlowDown, {"SlowDown", 503, "Please reduce your request rate."}},
    {ErrorCode::kXAmzContentSHA256Mismatch,
     {"XAmzContentSHA256Mismatch", 400,
      "The provided 'x-amz-content-sha256' header does not match what was computed."}},
    // Storage failures are never sent as they are (core::ToClientError maps them first); their
    // rows name them for the log and, should one slip through, make it a 500 without detail.
    {ErrorCode::kStorageNotFound, {"StorageNotFound", 500, "Storage: not found."}},
    {ErrorCode::kStorageAlreadyExists, {"StorageAlreadyExists", 500, "Storage: already exists."}},
    {ErrorCode::kStorageConflict, {"StorageConflict", 500, "Storage: conflicting change."}},
    {ErrorCode::kStorageBusy, {"StorageBusy", 500, "Storage: busy."}},
    {ErrorCode::kStorageNoSpace, {"StorageNoSpace", 500, "Storage: no space left."}},
    {ErrorCode::kStorageIOError, {"StorageIOError", 500, "Storage: I/O error."}},
    {ErrorCode::kStorageCorruption, {"StorageCorruption", 500, "Storage: corrupted data."}},
    {ErrorCode::kStorageUnavailable, {"StorageUnavailable", 500, "Storage: unavailable."}},
};

constexpr auto BuildIndex() {
  std::array<const ErrorInfo*, static_cast<size_t>(ErrorCode::kCount)> index{};
  for (const Row& row : kRows) index[static_cast<size_t>(row.code)] = &row.info;
  return index;
}

constexpr auto kIndex = BuildIndex();

}  // namespace

const ErrorInfo& LookupError(ErrorCode code) {
  static const ErrorInfo kUnknown{"InternalError", 500, "Unknown error"};
  auto i = static_cast<size_t>(code);
  if (i >= kIndex.size() || kIndex[i] == nullptr) return kUnknown;
  return *kIndex[i];
}

}  // namespace cairn
