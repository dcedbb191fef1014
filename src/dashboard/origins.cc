#include "dashboard/origins.h"

#include "core/origin.h"

namespace cairn::dashboard {
namespace {

std::string_view SchemeOf(const http::RequestHead& head) { return head.secure ? "https" : "http"; }

}  // namespace

S3Endpoint S3EndpointFor(const ConsoleOrigins& origins, const http::RequestHead& console_request) {
  if (!origins.s3_public_url.empty()) {
    const std::string& origin = origins.s3_public_url;
    return S3Endpoint{origin, origin.substr(origin.find("://") + 3)};
  }
  const std::string_view scheme = SchemeOf(console_request);
  std::string host = core::Authority(
      scheme, core::HostName(console_request.Header("host").value_or("")), origins.s3_port);
  return S3Endpoint{std::string(scheme) + "://" + host, std::move(host)};
}

std::string ConsoleOriginOf(const ConsoleOrigins& origins,
                            const http::RequestHead& console_request) {
  if (!origins.console_public_url.empty()) return origins.console_public_url;
  return std::string(SchemeOf(console_request)) + "://" +
         std::string(console_request.Header("host").value_or(""));
}

}  // namespace cairn::dashboard
