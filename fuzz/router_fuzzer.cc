// The query string parser and the router: which S3 operation a request names, with its bucket
// and key; and the x-amz-copy-source header, which names a second bucket and key. Input lines:
// method, request target (path and query), Host header, x-amz-copy-source (absent when empty).
#include "fuzz/fuzz_input.h"
#include "s3/copy_source.h"
#include "s3/router.h"

namespace {

using cairn::fuzz::Check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> f = cairn::fuzz::Fields(cairn::fuzz::AsText(data, size), 4);
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
