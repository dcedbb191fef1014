// What the client integration suites share: the server they run against (started by main() in
// it_support.cc, or given with --endpoint), a fixture that gives each test a fresh bucket and
// empties it afterwards, and helpers for test data and multipart ETags.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/client.h"
#include "live_server.h"

namespace cairn::it {

inline constexpr uint64_t kMiB = 1 << 20;

extern live::ServerTarget g_target;
extern std::string g_binary;  // the server binary; empty with --endpoint

ClientConfig ConfigFor(const live::ServerTarget& target);
// `n` pseudo-random bytes, the same for the same seed.
std::string RandomBytes(size_t n, unsigned seed);
std::string Md5Hex(std::string_view bytes);
// The ETag of a multipart object: MD5 of the parts' binary MD5s, "-", the part count.
std::string MultipartEtag(const std::vector<std::string>& parts);
std::vector<std::string> Split(const std::string& data, size_t part_size);
std::string ReadWhole(const std::string& path);
// ListMultipartUploads of `bucket`: the upload ids in progress.
std::vector<std::string> UploadIdsOf(Client& client, const std::string& bucket);

class TempDir {
 public:
  TempDir();
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& bytes) const;
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Each test gets a fresh bucket, emptied (objects and uploads) and deleted afterwards.
class ClientIT : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  Bucket bucket() { return client_->bucket(name_); }

  std::unique_ptr<Client> client_;
  std::string name_;
};

}  // namespace cairn::it
