// Small request bodies that are documents (XML of DeleteObjects, CreateBucket, lifecycle rules,
// CompleteMultipartUpload): read whole, bounded, and verified against any Content-MD5 or checksum
// sent with them.
#pragma once

#include <string>

#include "common/status.h"
#include "s3/context.h"
#include "s3/integrity.h"

namespace cairn::s3 {

// Errors: those of PayloadReader and core::IntegrityChecker; with `digest_required` (S3 requires
// Content-MD5 or an x-amz-checksum-* on DeleteObjects and PutBucketLifecycleConfiguration),
// InvalidRequest when neither was sent. `headers` says whose checksum the x-amz-checksum-*
// headers are (ReadIntegrityExpectations).
Awaitable<Result<std::string>> ReadRequestDocument(
    RequestContext& ctx, uint64_t max_bytes, bool digest_required,
    ChecksumHeaders headers = ChecksumHeaders::kOfTheBody);

}  // namespace cairn::s3
