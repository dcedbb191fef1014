// GetObjectAttributes (Amazon S3 API reference): what the request asks for, read from its headers,
// and the GetObjectAttributesResponse document. Pure functions, so the header parse is fuzzed and
// the document unit-tested without a server; the handler is object_attributes.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/records.h"

namespace cairn::s3 {

struct ObjectAttributesRequest {
  // x-amz-object-attributes: the root elements asked for; only those are returned.
  bool etag = false;
  bool checksum = false;
  bool object_parts = false;
  bool storage_class = false;
  bool object_size = false;
  // ObjectParts paging: x-amz-max-parts (1000 at most) and x-amz-part-number-marker (parts after
  // it are listed).
  uint32_t max_parts = 1000;
  uint32_t part_number_marker = 0;
};

// `attributes` is every x-amz-object-attributes value of the request joined by commas (nullopt
// when there is none): names separated by commas, spaces around them ignored, empty items skipped.
// Errors, with S3's codes and messages:
// - no name at all: InvalidRequest "The x-amz-object-attributes header specifying the attributes
//   to be retrieved is either missing or empty";
// - a name S3 does not define (case matters): InvalidArgument "Invalid attribute name specified.";
// - a part-number-marker that is not an integer in 0..2^31-1: InvalidArgument.
// An x-amz-max-parts that is not a non-negative integer is ignored, as S3 does (1000 then).
Result<ObjectAttributesRequest> ParseObjectAttributesRequest(
    std::optional<std::string_view> attributes, std::optional<std::string_view> max_parts,
    std::optional<std::string_view> part_number_marker);

// The GetObjectAttributesResponse document for `object` (the Last-Modified header is the
// handler's).
std::string RenderObjectAttributes(const ObjectAttributesRequest& request,
                                   const core::ObjectRecord& object);

}  // namespace cairn::s3
