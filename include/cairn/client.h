// The cairn client library: an S3 client (SigV4, streaming bodies, TLS) with R2's Workers bucket
// API on top. Thread-safe: one Client may be used from many threads; it keeps a pool of
// connections.
//
//   cairn::Client client({.endpoint = "http://127.0.0.1:9000", .accessKeyId = "...",
//                         .secretAccessKey = "..."});
//   cairn::Bucket bucket = client.bucket("photos");
//   auto object = bucket.put("cat.png", cairn::Body::FromFile("cat.png"), options);
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cairn/body.h"
#include "cairn/errors.h"
#include "cairn/options.h"

namespace cairn {

struct ClientConfig {
  std::string endpoint = {};  // "http://127.0.0.1:9000" or "https://..."
  std::string region = "auto";
  std::string accessKeyId = {};
  std::string secretAccessKey = {};
  std::string sessionToken = {};  // temporary credentials only (cairn key temp)
  bool verifyTls = true;
  std::string caFile = {};  // PEM bundle; empty: the system's
  std::chrono::seconds timeout{300};
};

struct BucketInfo {
  std::string name = {};
  Time created = {};
  std::string location = {};  // only from Client::headBucket / bucketLocation
};

class Bucket;

class Client {
 public:
  // Makes no request. Throws std::invalid_argument for an endpoint that is not
  // http(s)://host[:port], TransportError when caFile (or the system's store) cannot be loaded.
  explicit Client(ClientConfig config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Bucket bucket(const std::string& name);

  std::vector<BucketInfo> listBuckets();
  void createBucket(const std::string& name);
  void deleteBucket(const std::string& name);
  BucketInfo headBucket(const std::string& name);  // with its location

  // Bucket configuration documents in S3's XML (CORS, lifecycle). get: nullopt when none is set.
  std::optional<std::string> getBucketCors(const std::string& bucket);
  void putBucketCors(const std::string& bucket, const std::string& xml);
  void deleteBucketCors(const std::string& bucket);
  std::optional<std::string> getBucketLifecycle(const std::string& bucket);
  void putBucketLifecycle(const std::string& bucket, const std::string& xml);
  void deleteBucketLifecycle(const std::string& bucket);

  const ClientConfig& config() const;
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn

#include "cairn/bucket.h"
