// The admin API's calls ride on Client::Impl::Send: the path /_cairn/admin/... is the "bucket"
// _cairn and the "key" admin/..., which RawPath turns back into that path, so signing, pooling
// and TLS are the client's own.
#include "cli/admin_api.h"

#include "cli/errors.h"
#include "client/client_impl.h"

namespace cairn::cli {
namespace {

constexpr const char* kReservedBucket = "_cairn";

// A server from before the admin API takes /_cairn/admin/... for an object in a bucket named
// _cairn (NoSuchBucket naming it), or refuses the method on it (405).
bool IsOlderServer(const client::HttpResponse& response) {
  if (response.status == 405) return true;
  std::optional<client::XmlElement> error = client::ParseXml(response.body);
  return error && error->name == "Error" && error->ChildText("Code") == "NoSuchBucket" &&
         error->ChildText("BucketName") == kReservedBucket;
}

}  // namespace

Json AdminApi::Call(const std::string& method, const std::string& path, const Json& body,
                    const Query& query) {
  client::Request request{method, kReservedBucket, "admin/" + path, query};
  std::optional<Body> payload;
  if (!body.is_null()) {
    payload = Body::FromString(body.dump());
    request.headers.emplace_back("content-type", "application/json");
    request.body = &*payload;
  }
  client::HttpResponse response = client_.impl().Send(request);
  if (response.status / 100 != 2) {
    if (IsOlderServer(response)) {
      throw CliError(kExitS3Error,
                     "this server has no admin API at /_cairn/admin/ (a cairn from before access "
                     "keys, or another S3 server)",
                     "NotImplemented");
    }
    if (client::ErrorCodeOf(response) == "InvalidArgument") {
      std::optional<client::XmlElement> error = client::ParseXml(response.body);
      throw CliError(kExitUsage, error ? error->ChildText("Message") : "invalid argument",
                     "InvalidArgument");
    }
    client::ThrowS3Error(response);
  }
  if (response.body.empty()) return nullptr;
  Json answer = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded()) {
    throw CliError(kExitS3Error,
                   "the server's answer to " + method + " /_cairn/admin/" + path + " is not JSON");
  }
  return answer;
}

std::string PathSegment(std::string_view what, std::string_view value) {
  if (value.empty() || value == "." || value == ".." || value.find('/') != std::string_view::npos) {
    throw UsageError("'" + std::string(value) + "' is not " + std::string(what));
  }
  return std::string(value);
}

}  // namespace cairn::cli
