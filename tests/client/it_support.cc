// The shared parts of the client integration suites, and their main():
//
//   cairn_client_integration_tests [--cairn-binary PATH] [--endpoint URL] [gtest flags]
//
// The server binary defaults to CAIRN_BINARY, then the build's own `cairn`; the suites start it
// on a free port with a temporary data dir. With --endpoint they run against that server instead
// (keys from CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY), which keeps them honest about S3.
#include "it_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>

#include "client/client_impl.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::it {

live::ServerTarget g_target;
std::string g_binary;

ClientConfig ConfigFor(const live::ServerTarget& target) {
  ClientConfig config;
  config.endpoint = target.endpoint;
  config.accessKeyId = target.access_key_id;
  config.secretAccessKey = target.secret_access_key;
  config.timeout = std::chrono::seconds(60);
  return config;
}

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937_64 random(seed);
  std::string out(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = random();
    std::memcpy(out.data() + i, &v, std::min<size_t>(8, n - i));
  }
  return out;
}

std::string Md5Hex(std::string_view bytes) { return HexEncode(Md5(bytes)); }

std::string MultipartEtag(const std::vector<std::string>& parts) {
  std::string md5s;
  for (const std::string& p : parts) md5s += Md5(p);
  return Md5Hex(md5s) + "-" + std::to_string(parts.size());
}

std::vector<std::string> Split(const std::string& data, size_t part_size) {
  std::vector<std::string> out;
  for (size_t at = 0; at < data.size(); at += part_size) out.push_back(data.substr(at, part_size));
  return out;
}

TempDir::TempDir() {
  char name[] = "/tmp/cairn-client-files-XXXXXX";
  path_ = ::mkdtemp(name);
}

std::string TempDir::Write(const std::string& name, const std::string& bytes) const {
  const std::string file = path_ + "/" + name;
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> UploadIdsOf(Client& client, const std::string& bucket) {
  client::Request request{"GET", bucket, "", {{"uploads", ""}}};
  client::HttpResponse response = client.impl().Send(request);
  client::ExpectSuccess(response);
  std::vector<std::string> ids;
  client::XmlElement doc = client::ParseAnswer(response, "ListMultipartUploads");
  for (const client::XmlElement* u : doc.Children("Upload")) {
    ids.push_back(u->ChildText("UploadId"));
  }
  return ids;
}

void ClientIT::SetUp() {
  client_ = std::make_unique<Client>(ConfigFor(g_target));
  static std::atomic<int> counter{0};
  std::random_device random;
  name_ = "cit-" + std::to_string(counter++) + "-" + std::to_string(random() % 1000000);
  client_->createBucket(name_);
}

void ClientIT::TearDown() {
  try {
    Bucket b = bucket();
    ListResult page;
    do {
      page = b.list({.cursor = page.cursor});
      std::vector<std::string> keys;
      for (const ObjectInfo& o : page.objects) keys.push_back(o.key);
      if (!keys.empty()) b.remove(keys);
    } while (page.truncated);
    client::Request list{"GET", name_, "", {{"uploads", ""}}};
    client::HttpResponse uploads = client_->impl().Send(list);
    // (The document outlives the loop: a range-for keeps only its last temporary alive.)
    const client::XmlElement doc = client::ParseAnswer(uploads, "ListMultipartUploads");
    for (const client::XmlElement* u : doc.Children("Upload")) {
      b.resumeMultipartUpload(u->ChildText("Key"), u->ChildText("UploadId")).abort();
    }
    client_->deleteBucket(name_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleaning up " << name_ << ": " << e.what();
  }
}

}  // namespace cairn::it

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::string binary = std::getenv("CAIRN_BINARY") ? std::getenv("CAIRN_BINARY") : "";
  std::string endpoint;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--cairn-binary" && i + 1 < argc) {
      binary = argv[++i];
    } else if (arg.starts_with("--cairn-binary=")) {
      binary = arg.substr(15);
    } else if (arg == "--endpoint" && i + 1 < argc) {
      endpoint = argv[++i];
    } else if (arg.starts_with("--endpoint=")) {
      endpoint = arg.substr(11);
    } else if (!arg.starts_with("-")) {
      binary = arg;
    }
  }
#ifdef CAIRN_DEFAULT_BINARY
  if (binary.empty()) binary = CAIRN_DEFAULT_BINARY;
#endif
  std::unique_ptr<cairn::live::LiveServer> server;
  if (!endpoint.empty()) {
    const char* id = std::getenv("CAIRN_ACCESS_KEY_ID");
    const char* secret = std::getenv("CAIRN_SECRET_ACCESS_KEY");
    if (!id || !secret) {
      std::fprintf(stderr, "--endpoint needs CAIRN_ACCESS_KEY_ID and CAIRN_SECRET_ACCESS_KEY\n");
      return 2;
    }
    cairn::it::g_target = {endpoint, id, secret, false};
  } else {
    try {
      server = std::make_unique<cairn::live::LiveServer>(binary, std::chrono::seconds(30));
      cairn::it::g_binary = binary;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cannot start the server: %s\n", e.what());
      return 2;
    }
    cairn::it::g_target = server->target();
  }
  return RUN_ALL_TESTS();
}
