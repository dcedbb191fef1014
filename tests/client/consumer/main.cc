// The consumer of the installed library: with CAIRN_ENDPOINT, CAIRN_ACCESS_KEY_ID and
// CAIRN_SECRET_ACCESS_KEY set it creates a bucket, puts, gets, lists and deletes an object and
// removes the bucket, as the R2 guide's binding example does; it always checks that an
// unreachable server is a TransportError. Prints "consumer ok" and exits 0 when all held.
#include <cairn/client.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>

namespace {

int failures = 0;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "consumer: FAILED %s\n", what.c_str());
    ++failures;
  }
}

void RoundTrip(const std::string& endpoint, const char* id, const char* secret) {
  cairn::ClientConfig config;
  config.endpoint = endpoint;
  config.accessKeyId = id;
  config.secretAccessKey = secret;
  cairn::Client client(config);
  // The server may still be starting.
  for (int attempt = 0;; ++attempt) {
    try {
      client.listBuckets();
      break;
    } catch (const cairn::TransportError&) {
      if (attempt == 100) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  const std::string name = "consumer-" + std::to_string(std::time(nullptr) % 100000);
  client.createBucket(name);
  cairn::Bucket bucket = client.bucket(name);
  cairn::PutOptions options;
  options.httpMetadata.contentType = "image/png";
  std::optional<cairn::ObjectInfo> object =
      bucket.put("image.png", cairn::Body::FromString("not really a png"), options);
  Check(object.has_value(), "put returns the object");
  Check(object && object->size == 16, "put reports the size");
  std::optional<cairn::ObjectBody> got = bucket.get("image.png");
  Check(got && got->body == "not really a png", "get returns the bytes");
  Check(got && got->httpMetadata.contentType == "image/png", "get returns the content type");
  Check(bucket.list().objects.size() == 1, "list shows the object");
  bucket.remove("image.png");
  Check(!bucket.head("image.png"), "head after delete is empty");
  client.deleteBucket(name);
  try {
    client.headBucket(name);
    Check(false, "headBucket of a deleted bucket throws");
  } catch (const cairn::S3Error& e) {
    Check(e.code() == "NoSuchBucket", "the error code is NoSuchBucket, got " + e.code());
  }
}

}  // namespace

int main() {
  try {
    cairn::ClientConfig config;
    config.endpoint = "http://127.0.0.1:1";
    config.accessKeyId = "id";
    config.secretAccessKey = "secret";
    cairn::Client unreachable(config);
    try {
      unreachable.listBuckets();
      Check(false, "a closed port gives an error");
    } catch (const cairn::TransportError& e) {
      Check(std::string(e.what()).find("cannot connect to 127.0.0.1:1") == 0,
            std::string("the transport error names the server: ") + e.what());
    }

    const char* endpoint = std::getenv("CAIRN_ENDPOINT");
    const char* id = std::getenv("CAIRN_ACCESS_KEY_ID");
    const char* secret = std::getenv("CAIRN_SECRET_ACCESS_KEY");
    if (endpoint && id && secret) {
      RoundTrip(endpoint, id, secret);
    } else {
      std::printf("consumer: no CAIRN_ENDPOINT, server round trip skipped\n");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer: FAILED with %s\n", e.what());
    return 1;
  }
  if (failures > 0) return 1;
  std::printf("consumer ok\n");
  return 0;
}
