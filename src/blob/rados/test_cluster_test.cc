// The Ceph test cluster (test_cluster.h), and a test that it takes a write.
#include "blob/rados/test_cluster.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>

namespace cairn::blob::rados::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScript = std::string(CAIRN_TEST_DATA_DIR) + "/../services/ceph.sh";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class Cluster {
 public:
  Status Start() {
    const auto started = std::chrono::steady_clock::now();
    std::string dir = ::testing::TempDir() + "cairn-ceph-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) return Status(ErrorCode::kStorageIOError, "mkdtemp");
    dir_ = dir;
    // ceph.sh bounds every wait of its own and prints the ceph.conf path on success.
    const std::string log = dir_ + ".log";
    const std::string command = "'" + kScript + "' start '" + dir_ + "/cluster' 2>'" + log + "'";
    FILE* out = popen(command.c_str(), "r");
    if (out == nullptr) return Status(ErrorCode::kStorageUnavailable, "cannot run " + kScript);
    char line[4096] = {};
    const bool got = fgets(line, sizeof line, out) != nullptr;
    const int rc = pclose(out);
    if (!got || rc != 0) {
      return Status(ErrorCode::kStorageUnavailable,
                    "the Ceph test cluster did not start (" + kScript +
                        "; Debian's ceph-mon, ceph-osd and ceph-common are needed: "
                        "scripts/install-deps.sh):\n" +
                        ReadFile(log));
    }
    conf_ = line;
    while (!conf_.empty() && (conf_.back() == '\n' || conf_.back() == '\r')) conf_.pop_back();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    std::cerr << "[ ceph ] test cluster (" << conf_ << ") started in " << ms << " ms\n";
    return Status::Ok();
  }

  RadosBlobOptions FreshStore(std::chrono::seconds op_timeout) {
    RadosBlobOptions options;
    options.connect.conf_path = conf_;
    options.connect.pool = "cairn";
    options.connect.name_space = "test" + std::to_string(++stores_);
    options.connect.op_timeout = op_timeout;
    return options;
  }

  Status SignalOsd(int signal) {
    const std::string pid_file = dir_ + "/cluster/run/osd.0.pid";
    const int pid = atoi(ReadFile(pid_file).c_str());
    if (pid <= 0 || kill(pid, signal) != 0) {
      return Status(ErrorCode::kStorageIOError, "cannot signal the OSD (" + pid_file + ")");
    }
    return Status::Ok();
  }

  ~Cluster() {
    if (dir_.empty()) return;
    (void)SignalOsd(SIGCONT);  // a paused OSD would not stop
    const std::string command = "'" + kScript + "' stop '" + dir_ + "/cluster' >/dev/null 2>&1";
    if (system(command.c_str()) != 0) std::cerr << "[ ceph ] stopping the test cluster failed\n";
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::remove(dir_ + ".log", ec);
  }

 private:
  std::string dir_;
  std::string conf_;
  int stores_ = 0;
};

std::mutex mu;
std::unique_ptr<Cluster> cluster;
std::optional<Status> start_status;

// Stops the cluster, if a test started it, when the test binary ends.
class ClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(mu);
    cluster.reset();
  }
};

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

}  // namespace

Result<RadosBlobOptions> FreshStoreOptions(std::chrono::seconds op_timeout) {
  std::lock_guard lock(mu);
  if (!start_status) {
    cluster = std::make_unique<Cluster>();
    start_status = cluster->Start();
  }
  if (!start_status->ok()) return start_status->error();
  return cluster->FreshStore(op_timeout);
}

Status PauseOsd() {
  std::lock_guard lock(mu);
  if (!cluster) return Status(ErrorCode::kStorageUnavailable, "no test cluster");
  return cluster->SignalOsd(SIGSTOP);
}

Status ResumeOsd() {
  std::lock_guard lock(mu);
  if (!cluster) return Status(ErrorCode::kStorageUnavailable, "no test cluster");
  return cluster->SignalOsd(SIGCONT);
}

TEST(CephTestCluster, TakesAWriteInAFreshNamespace) {
  Result<RadosBlobOptions> options = FreshStoreOptions();
  ASSERT_TRUE(options.ok()) << options.error().Message();
  Result<std::unique_ptr<BlobStore>> store = OpenRadosBlobStore(*options);
  ASSERT_TRUE(store.ok()) << store.error().Message();
  Result<std::vector<std::string>> ids = (*store)->ListIds("", 10);
  ASSERT_TRUE(ids.ok()) << ids.error().Message();
  EXPECT_TRUE(ids->empty());
}

}  // namespace cairn::blob::rados::testing
