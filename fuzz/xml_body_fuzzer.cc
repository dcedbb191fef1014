// Every XML request body cairn reads: DeleteObjects, CompleteMultipartUpload, CreateBucket's
// configuration, lifecycle and CORS configurations. Each parser gets the same bytes (the root
// element decides which one gets far). A configuration that parses must render to XML that
// parses back to the same configuration, since GET returns what PUT stored.
#include "fuzz/fuzz_input.h"
#include "s3/xml.h"

namespace {

using cairn::fuzz::Check;

// What PUT stores, GET renders: the rendering must parse back to the same configuration.
template <typename Parse, typename Render>
void CheckRoundTrip(std::string_view xml, Parse parse, Render render, const char* what) {
  auto config = parse(xml);
  if (!config.ok()) return;
  const std::string rendered = render(*config);
  auto again = parse(rendered);
  if (!again.ok()) {
    std::fprintf(stderr, "%s as rendered:\n%s\nis refused: %s\n", what, rendered.c_str(),
                 std::string(again.error().Message()).c_str());
    cairn::fuzz::Fail("a stored configuration does not parse back");
  }
  Check(render(*again) == rendered, "a configuration changes on its way back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml = cairn::fuzz::AsText(data, size);
  if (auto request = cairn::s3::ParseDeleteRequest(xml); request.ok()) {
    Check(request->keys.size() <= 1000, "DeleteObjects with more than 1000 keys");
  }
  (void)cairn::s3::ParseCompleteMultipartUpload(xml);
  (void)cairn::s3::ParseCreateBucketConfiguration(xml);

  CheckRoundTrip(xml, cairn::s3::ParseLifecycleConfiguration,
                 cairn::s3::RenderLifecycleConfiguration, "a lifecycle configuration");
  CheckRoundTrip(xml, cairn::s3::ParseCorsConfiguration, cairn::s3::RenderCorsConfiguration,
                 "a CORS configuration");
  return 0;
}
