// The lifecycle rules `cairn bucket lifecycle set --file` accepts and `get` shows. A file may hold
// S3's LifecycleConfiguration XML (sent as is), the AWS CLI's JSON ({"Rules": [{"ID": ..,
// "Filter": {"Prefix": ..}, "Status": .., "Expiration": {"Days": n}, ...}]}) or the JSON of R2's
// API and `wrangler r2 bucket lifecycle` ({"rules": [{"id": .., "enabled": true, "conditions":
// {"prefix": ..}, "deleteObjectsTransition": {"condition": {"type": "Age", "maxAge": seconds}},
// ...}]}); both JSON shapes are converted to the XML. `get` shows the AWS CLI's shape, which `set`
// takes back.
#pragma once

#include <string>
#include <string_view>

#include "cli/s3_document.h"

namespace cairn::cli {

const DocumentSchema& LifecycleSchema();

// The LifecycleConfiguration XML for a file's text; throws a usage error naming `what` (the file)
// when the text is neither.
std::string LifecycleDocumentToXml(std::string_view text, std::string_view what);

// R2's JSON rules in the AWS CLI's shape (exposed for tests).
Json LifecycleFromR2Json(const Json& r2, std::string_view what);

Json LifecycleXmlToJson(std::string_view xml);

}  // namespace cairn::cli
