// R2MultipartUpload: a multipart upload in progress, created by Bucket::createMultipartUpload or
// recovered by Bucket::resumeMultipartUpload (which does not contact the server, as R2's).
#pragma once

#include <string>
#include <vector>

#include "cairn/body.h"
#include "cairn/options.h"

namespace cairn {

class Client;

class MultipartUpload {
 public:
  MultipartUpload(Client& client, std::string bucket, std::string key, std::string uploadId,
                  std::string checksumAlgorithm = {})
      : client_(&client),
        bucket_(std::move(bucket)),
        key_(std::move(key)),
        uploadId_(std::move(uploadId)),
        checksumAlgorithm_(std::move(checksumAlgorithm)) {}

  const std::string& key() const { return key_; }
  const std::string& uploadId() const { return uploadId_; }

  UploadedPart uploadPart(uint32_t partNumber, Body body);
  // Parts already uploaded (ListParts, all pages): how a resumed upload finds what is done.
  std::vector<UploadedPart> listParts();
  ObjectInfo complete(const std::vector<UploadedPart>& parts);
  void abort();

 private:
  Client* client_;
  std::string bucket_;
  std::string key_;
  std::string uploadId_;
  std::string checksumAlgorithm_;
};

}  // namespace cairn
