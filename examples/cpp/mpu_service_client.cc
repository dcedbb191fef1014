// Drives mpu_service the way a client application would: it keeps the upload id and the parts'
// ETags itself and sends only plain HTTP requests (no keys) to the service.
//
//   mpu_service_client SERVICE_URL BUCKET [KEY]
//
// SERVICE_URL is where mpu_service listens (http://127.0.0.1:8787); BUCKET is the bucket the
// service writes to. The client creates an upload of KEY (default videos/large file.bin), uploads a
// 5 MiB part and a 100 KiB last part, completes it, and then reads the object straight from cairn
// (with the keys from CAIRN_ENDPOINT, CAIRN_ACCESS_KEY_ID, CAIRN_SECRET_ACCESS_KEY) to check that
// its ETag is the one the service answered and the multipart ETag the guide describes: the MD5 of
// the parts' binary MD5s, "-" and the number of parts. Along the way it checks the service's 400
// answers for missing parameters and that an aborted upload takes no more parts.
// Prints {"key", "etag", "size"}; exit status 0 when every check held.
#include <openssl/evp.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cairn/client.h"
#include "example_env.h"
#include "http_util.h"

namespace {

std::string Md5(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
}

std::string Hex(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

// Percent-encodes a key for a URL path, keeping '/' between segments.
std::string EncodePath(const std::string& key) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Chunk(size_t size, char seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + i * 7 % 253);
  return bytes;
}

int failures = 0;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: " << argv[0] << " SERVICE_URL BUCKET [KEY]\n";
    return 2;
  }
  std::string service = argv[1];
  while (!service.empty() && service.back() == '/') service.pop_back();
  const std::string bucket_name = argv[2];
  const std::string key = argc > 3 ? argv[3] : "videos/large file.bin";
  const std::string base = service + "/" + EncodePath(key);

  try {
    using examples::HttpRequest;
    // The service's answers for requests it cannot serve.
    auto missing_action = HttpRequest("POST", base);
    Check(missing_action.status == 400 && missing_action.body == "Missing key or action",
          "no action: expected 400 'Missing key or action', got " +
              std::to_string(missing_action.status) + " '" + missing_action.body + "'");
    auto missing_part = HttpRequest("PUT", base + "?action=mpu-uploadpart&uploadId=x", {}, "data");
    Check(
        missing_part.status == 400 && missing_part.body == "Missing uploadId, partNumber, or body",
        "no partNumber: expected 400, got " + std::to_string(missing_part.status) + " '" +
            missing_part.body + "'");

    // Step 1: create.
    auto created = HttpRequest("POST", base + "?action=mpu-create");
    if (created.status != 200) {
      std::cerr << "mpu-create answered " << created.status << ": " << created.body << "\n";
      return 1;
    }
    nlohmann::json upload = nlohmann::json::parse(created.body);
    const std::string upload_id = upload.at("uploadId").get<std::string>();
    Check(upload.at("key") == key, "mpu-create returned key " + upload.at("key").dump());

    // Step 2: the parts; every part but the last is at least 5 MiB.
    const std::vector<std::string> chunks = {Chunk(5 << 20, 'x'), Chunk(100 << 10, 'y')};
    nlohmann::json parts = nlohmann::json::array();
    std::string part_md5s;
    for (size_t i = 0; i < chunks.size(); ++i) {
      std::string url = base + "?action=mpu-uploadpart&uploadId=" + EncodePath(upload_id) +
                        "&partNumber=" + std::to_string(i + 1);
      auto put = HttpRequest("PUT", url, {{"Content-Type", "application/octet-stream"}}, chunks[i]);
      if (put.status != 200) {
        std::cerr << "mpu-uploadpart " << i + 1 << " answered " << put.status << ": " << put.body
                  << "\n";
        HttpRequest("DELETE", base + "?action=mpu-abort&uploadId=" + EncodePath(upload_id));
        return 1;
      }
      nlohmann::json part = nlohmann::json::parse(put.body);
      Check(part.at("etag") == Hex(Md5(chunks[i])),
            "part " + std::to_string(i + 1) + " etag " + part.at("etag").dump());
      parts.push_back(part);
      part_md5s += Md5(chunks[i]);
    }

    // Step 3: complete with the parts the client kept.
    auto completed = HttpRequest(
        "POST", base + "?action=mpu-complete&uploadId=" + EncodePath(upload_id),
        {{"Content-Type", "application/json"}}, nlohmann::json{{"parts", parts}}.dump());
    if (completed.status != 200) {
      std::cerr << "mpu-complete answered " << completed.status << ": " << completed.body << "\n";
      return 1;
    }
    const std::string expected_etag =
        "\"" + Hex(Md5(part_md5s)) + "-" + std::to_string(chunks.size()) + "\"";
    Check(completed.header("etag") == expected_etag,
          "mpu-complete ETag " + completed.header("etag") + ", expected " + expected_etag);

    // The object, read from cairn directly.
    cairn::Client client(examples::ConfigFromEnv());
    std::optional<cairn::ObjectBody> object = client.bucket(bucket_name).get(key);
    if (!object) {
      std::cerr << "FAILED: " << key << " is not in bucket " << bucket_name << "\n";
      return 1;
    }
    Check(object->httpEtag == expected_etag,
          "object ETag " + object->httpEtag + ", expected " + expected_etag);
    Check(object->body == chunks[0] + chunks[1], "object bytes differ from the parts sent");

    // Abort: a second upload, one part, then mpu-abort; the upload takes no more parts after.
    auto second = HttpRequest("POST", base + ".tmp?action=mpu-create");
    std::string second_id = nlohmann::json::parse(second.body).at("uploadId").get<std::string>();
    std::string second_base = base + ".tmp?uploadId=" + EncodePath(second_id);
    HttpRequest("PUT", second_base + "&action=mpu-uploadpart&partNumber=1", {}, chunks[1]);
    auto aborted = HttpRequest("DELETE", second_base + "&action=mpu-abort");
    Check(aborted.status == 204, "mpu-abort answered " + std::to_string(aborted.status));
    auto late =
        HttpRequest("PUT", second_base + "&action=mpu-uploadpart&partNumber=2", {}, chunks[1]);
    Check(late.status == 400, "a part after mpu-abort answered " + std::to_string(late.status));

    std::cout << nlohmann::json{{"key", key}, {"etag", object->httpEtag}, {"size", object->size}}
              << "\n";
  } catch (const std::exception& e) {
    std::cerr << "mpu_service_client: " << e.what() << "\n";
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
