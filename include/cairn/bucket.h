// A bucket, with the methods of R2's Workers binding (put, get, head, delete, list,
// createMultipartUpload, resumeMultipartUpload), plus presigning and a high-level upload.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cairn/body.h"
#include "cairn/multipart.h"
#include "cairn/options.h"

namespace cairn {

class Client;

class Bucket {
 public:
  Bucket(Client& client, std::string name) : client_(&client), name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  // The stored object's description, or nullopt when an onlyIf precondition failed.
  std::optional<ObjectInfo> put(const std::string& key, Body body, const PutOptions& options = {});

  // nullopt when the key does not exist or a precondition failed (as R2: get returns null).
  std::optional<ObjectBody> get(const std::string& key, const GetOptions& options = {});
  // Streams the body instead of holding it: returns the description, or nullopt as get.
  std::optional<ObjectInfo> getToStream(const std::string& key, std::ostream& out,
                                        const GetOptions& options = {});
  std::optional<ObjectInfo> getToFile(const std::string& key, const std::string& path,
                                      const GetOptions& options = {});
  std::optional<ObjectInfo> head(const std::string& key);

  // R2's delete (a C++ keyword): one key, or many in batches of 1,000.
  void remove(const std::string& key);
  void remove(const std::vector<std::string>& keys);

  ListResult list(const ListOptions& options = {});

  MultipartUpload createMultipartUpload(const std::string& key, const PutOptions& options = {});
  MultipartUpload resumeMultipartUpload(const std::string& key, const std::string& uploadId);

  // A presigned URL for GET, HEAD, PUT, DELETE, or UploadPart (method "PUT" with `partNumber` and
  // `uploadId`). `headers` are signed: the request must send them exactly. expiry: at most 7 days.
  struct PresignOptions {
    std::chrono::seconds expiry{3600};
    std::map<std::string, std::string> headers = {};
    std::optional<uint32_t> partNumber = {};
    std::optional<std::string> uploadId = {};
  };
  std::string presign(const std::string& method, const std::string& key,
                      const PresignOptions& options);

  // Single PUT up to options.multipartThreshold, else multipart with parts in parallel, R2's part
  // rules, retries and resume. Aborts the upload on failure unless keepPartsOnFailure. Unlike put,
  // a failed onlyIf is an error here: S3Error PreconditionFailed.
  ObjectInfo upload(const std::string& key, const std::string& file,
                    const UploadOptions& options = {});
  // The same from a stream of unknown size (always multipart past the first part).
  ObjectInfo upload(const std::string& key, std::istream& in, const UploadOptions& options = {});

 private:
  Client* client_;
  std::string name_;
};

}  // namespace cairn
