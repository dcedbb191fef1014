// Multipart uploads: create, upload a part from a body or copy one from another object, complete,
// abort, and the two listings. R2's part rules (core/multipart_rules.h) are applied here; a part is
// a blob like a PUT body, a copied part shares its source's blobs, and completing makes the object
// the list of its parts' extents inside one metadata transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/awaitable.h"
#include "common/hashing.h"
#include "common/status.h"
#include "core/body_source.h"
#include "core/integrity_checker.h"
#include "core/lifecycle.h"
#include "core/multipart_completion.h"
#include "core/multipart_rules.h"
#include "core/preconditions.h"
#include "core/records.h"
#include "core/storage.h"

namespace cairn::core {

struct CreateUploadRequest {
  std::string bucket;
  std::string key;
  ObjectMetadata metadata;
  std::optional<ChecksumAlgorithm> checksum_algorithm;
  std::optional<std::string> checksum_type;  // as sent; must fit the algorithm (UploadChecksumType)
};

struct CreatedUpload {
  UploadRecord upload;
  AbortSchedule abort;  // when the lifecycle rules (or R2's 7-day default) abort it
};

// Errors: NoSuchBucket, InvalidRequest (a checksum type that does not fit the algorithm).
Awaitable<Result<CreatedUpload>> CreateUpload(Storage& storage, CreateUploadRequest request);

struct PartTarget {
  std::string bucket;
  std::string key;
  std::string upload_id;
  uint32_t part_number = 0;  // validated by the caller (core::ValidatePartNumber)
};

// Stores `body` as a part. An upload with a checksum algorithm keeps that checksum of every part.
// Errors: NoSuchUpload, InvalidRequest (another checksum algorithm than the upload's), those of
// the body and its checks, InsufficientStorage, storage errors.
Awaitable<Result<PartRecord>> UploadPart(Storage& storage, PartTarget target, BodySource& body,
                                         IntegrityExpectations expectations);

struct PartCopySource {
  std::string bucket;
  std::string key;
  Conditions conditions;             // x-amz-copy-source-if-*
  std::optional<std::string> range;  // x-amz-copy-source-range as sent
};

// Makes a part of a range of another object, sharing its blobs; reads the bytes only to compute
// the part's MD5 when the source's ETag is not already it. Errors: NoSuchUpload, NoSuchKey,
// PreconditionFailed, InvalidRange/InvalidArgument (the range), EntityTooLarge, storage errors.
Awaitable<Result<PartRecord>> UploadPartCopy(Storage& storage, PartTarget target,
                                             PartCopySource source);

// Completes the upload with the parts `requested`, checking the object's checksum against
// `expected` when the client sent one. A retry of a Complete that succeeded (same upload, same
// part list) is answered from the completion's record: the object returned carries the first
// answer's ETag, checksums and size, even if the object was overwritten or deleted since (S3
// answers a retry from the completed upload, not from the key); the conditions are not looked at
// again. Errors: NoSuchUpload (also a completed upload with another part list), the part rules'
// (InvalidPart, InvalidPartOrder, EntityTooSmall, ...), InvalidRequest and BadDigest (the expected
// checksum), PreconditionFailed, NoSuchKey (If-Match on an empty key), storage errors. Returns the
// completed object.
Awaitable<Result<ObjectRecord>> CompleteUpload(Storage& storage, std::string bucket,
                                               std::string key, std::string upload_id,
                                               std::vector<RequestedPart> requested,
                                               Conditions conditions,
                                               std::optional<ExpectedChecksum> expected = {});

// Errors: NoSuchUpload. An upload completed recently (its completion is still recorded) answers
// OK and nothing changes: S3 answers 204 to such an Abort for a while before NoSuchUpload
// (minio/minio#2250, where MinIO's maintainers observed it on S3).
Awaitable<Status> AbortUpload(Storage& storage, std::string bucket, std::string key,
                              std::string upload_id);

struct PartsListing {
  UploadRecord upload;
  PartsPage page;
  AbortSchedule abort;
};
// Errors: NoSuchUpload.
Awaitable<Result<PartsListing>> ListParts(Storage& storage, std::string bucket, std::string key,
                                          std::string upload_id, uint32_t part_number_marker,
                                          uint32_t max_parts);

// Errors: NoSuchBucket.
Awaitable<Result<UploadsPage>> ListUploads(Storage& storage, std::string bucket,
                                           UploadsQuery query);

}  // namespace cairn::core
