#include "s3/request_document.h"

#include "s3/integrity.h"
#include "s3/payload.h"

namespace cairn::s3 {

Awaitable<Result<std::string>> ReadRequestDocument(RequestContext& ctx, uint64_t max_bytes,
                                                   bool digest_required, ChecksumHeaders headers) {
  Result<core::IntegrityExpectations> expectations = ReadIntegrityExpectations(ctx, headers);
  if (!expectations.ok()) co_return expectations.error();
  if (digest_required && !expectations->content_md5 && !expectations->algorithm) {
    co_return Error(ErrorCode::kInvalidRequest,
                    "Missing required header for this request: Content-MD5 or x-amz-checksum-*");
  }
  auto payload = PayloadReader::Open(ctx, max_bytes, PayloadReader::Framing::kLengthOptional);
  if (!payload.ok()) co_return payload.error();
  Result<std::string> document = co_await (*payload)->ReadAll();
  if (!document.ok()) co_return document.error();
  core::IntegrityChecker checker(std::move(*expectations));
  checker.Update(*document);
  if (auto verified = checker.Finish((*payload)->trailers()); !verified.ok()) {
    co_return verified.error();
  }
  co_return document;
}

}  // namespace cairn::s3
