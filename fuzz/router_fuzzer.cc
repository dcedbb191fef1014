// The query string parser and the router: which S3 operation a request names, with its bucket
// and key; the x-amz-copy-source header, which names a second bucket and key; and the headers of
// GetObjectAttributes. Input lines: method, request target (path and query), Host header,
// x-amz-copy-source (absent when empty), x-amz-object-attributes, x-amz-max-parts,
// x-amz-part-number-marker (each absent when empty).
#include "fuzz/fuzz_input.h"
#include "s3/copy_source.h"
#include "s3/object_attributes.h"
#include "s3/router.h"

namespace {

using cairn::fuzz::Check;

std::optional<std::string_view> Header(std::string_view value) {
  if (value.empty()) return std::nullopt;
  return value;
}

// A parsed request asks for something and pages within S3's bounds; it renders against a
// multipart object with part checksums.
void CheckObjectAttributes(std::string_view attributes, std::string_view max_parts,
                           std::string_view marker) {
  auto request = cairn::s3::ParseObjectAttributesRequest(Header(attributes), Header(max_parts),
                                                         Header(marker));
  cairn::fuzz::CheckMessage(request);
  if (!request.ok()) return;
  Check(request->etag || request->checksum || request->object_parts || request->storage_class ||
            request->object_size,
        "an attributes request that asks for nothing");
  Check(request->max_parts <= 1000, "more than 1000 parts a page");
  cairn::core::ObjectRecord object;
  object.etag = "0123-3";
  object.size = 30;
  object.checksums = {{"CRC32", "AAAAAA==-3"}};
  object.checksum_type = "COMPOSITE";
  object.parts_count = 3;
  object.parts.assign(3, cairn::core::ObjectPart{10, {{"CRC32", "AAAAAA=="}}});
  Check(!cairn::s3::RenderObjectAttributes(*request, object).empty(), "an empty document");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> f = cairn::fuzz::Fields(cairn::fuzz::AsText(data, size), 7);
  CheckObjectAttributes(f[4], f[5], f[6]);
  auto source = cairn::s3::ParseCopySource(f[3]);
  cairn::fuzz::CheckMessage(source);
  if (source.ok()) {
    Check(!source->bucket.empty() && !source->key.empty(), "a copy source without bucket or key");
  }
  const std::string_view target = f[1];
  const size_t q = target.find('?');
  auto query = cairn::s3::QueryParams::Parse(q == std::string_view::npos ? std::string_view()
                                                                         : target.substr(q + 1));
  cairn::fuzz::CheckMessage(query);
  if (!query.ok()) return 0;
  cairn::s3::RouteInput in;
  in.method = f[0];
  in.raw_path = target.substr(0, q);
  in.query = &*query;
  in.host = f[2];
  in.base_domain = "s3.example.com";
  in.has_copy_source = !f[3].empty();
  auto route = cairn::s3::ResolveRoute(in);
  cairn::fuzz::CheckMessage(route);
  if (!route.ok()) return 0;
  (void)cairn::s3::OpName(route->op);
  Check(route->op == cairn::s3::Op::kListBuckets || !route->bucket.empty(),
        "an operation on no bucket");
  Check(route->op != cairn::s3::Op::kListBuckets || route->bucket.empty(),
        "ListBuckets with a bucket");
  return 0;
}
