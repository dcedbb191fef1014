// The CORS rules `cairn bucket cors set --file` accepts and `get` shows: S3's CORSConfiguration XML
// (sent as is), the AWS CLI's JSON ({"CORSRules": [{"AllowedOrigins": [..], "AllowedMethods": [..],
// "AllowedHeaders": [..], "ExposeHeaders": [..], "MaxAgeSeconds": n}]}) or the JSON of R2's API and
// `wrangler r2 bucket cors` ({"rules": [{"allowed": {"origins": [..], "methods": [..], "headers":
// [..]}, "exposeHeaders": [..], "maxAgeSeconds": n}]}). `get` shows the AWS CLI's shape.
#pragma once

#include <string>
#include <string_view>

#include "cli/s3_document.h"

namespace cairn::cli {

const DocumentSchema& CorsSchema();

// The CORSConfiguration XML for a file's text; throws a usage error naming `what` when the text is
// neither.
std::string CorsDocumentToXml(std::string_view text, std::string_view what);

// R2's JSON rules in the AWS CLI's shape (exposed for tests).
Json CorsFromR2Json(const Json& r2, std::string_view what);

Json CorsXmlToJson(std::string_view xml);

}  // namespace cairn::cli
