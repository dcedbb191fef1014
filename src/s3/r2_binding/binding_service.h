// cairn as the storage service of workerd's R2 bucket binding (docs/r2-binding-protocol.md). A
// Worker's `env.MY_BUCKET` calls arrive on the S3 listener as `GET /` with a CF-R2-Request header
// or `PUT /` with CF-R2-Metadata-Size, which no S3 request carries. The workerd config names the
// bucket and an access key in headers it adds to every call:
//   cairn-bucket: <bucket>
//   cairn-access-key-id: <key id>
//   cairn-secret-access-key: <its secret>
// workerd cannot sign, so the key's secret itself is sent: use it over loopback or TLS only. The
// key's permission and scope apply as to its S3 requests (an object key with read-write on the
// bucket is enough).
#pragma once

#include <string>
#include <string_view>

#include "common/awaitable.h"
#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3::binding {

// True for a request of workerd's R2 binding (by its method, path and headers).
bool IsBindingRequest(const http::RequestHead& head);

// What the access log and the metrics are told of the call.
struct BindingReport {
  std::string_view operation = "R2Binding";  // "R2BindingPut", ...: static text
  std::string bucket;
  std::string key;
  std::string access_key_id;  // once the call authenticated
};

// Serves one binding call and answers it, errors included (CF-R2-Error).
Awaitable<void> ServeBinding(Services& services, http::Exchange& exchange,
                             std::string_view request_id, BindingReport& report);

}  // namespace cairn::s3::binding
