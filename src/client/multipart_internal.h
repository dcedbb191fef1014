// The multipart requests (UploadPart, ListParts, CompleteMultipartUpload, AbortMultipartUpload) as
// functions of the client, shared by MultipartUpload and the high-level uploader, which needs
// more than the binding exposes: part sizes from ListParts (to resume) and conditional completes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/client.h"
#include "cairn/options.h"

namespace cairn::client {

struct ListedPart {
  uint32_t part_number = 0;
  std::string etag;  // without quotes
  uint64_t size = 0;
  std::string last_modified;  // as the server wrote it (ISO 8601)
};

struct UploadTarget {
  std::string bucket;
  std::string key;
  std::string upload_id;
};

// `content_md5`: base64, empty to send none.
UploadedPart UploadPart(Client::Impl& impl, const UploadTarget& target, uint32_t part_number,
                        Body& body, const std::string& content_md5 = {});
// Every part, following ListParts' pages.
std::vector<ListedPart> ListAllParts(Client::Impl& impl, const UploadTarget& target);
// Completes with `parts` (sorted by number here, as S3 requires), honouring `only_if` as R2 does;
// the description comes from a HEAD of the new object.
ObjectInfo CompleteUpload(Client::Impl& impl, const UploadTarget& target,
                          std::vector<UploadedPart> parts, const Conditional& only_if = {});
void AbortUpload(Client::Impl& impl, const UploadTarget& target);

}  // namespace cairn::client
