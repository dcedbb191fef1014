// The PostgreSQL test server (test_server.h), and a test that it answers.
#include "meta/postgres/test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "meta/postgres/connection.h"

namespace cairn::meta::postgres::testing {
namespace {

namespace fs = std::filesystem;

// The directory that holds initdb and postgres, or empty.
std::string FindBinaries() {
  if (const char* dir = getenv("CAIRN_POSTGRES_BIN"); dir && *dir) return dir;
  if (const char* path = getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      std::error_code ec;
      // Debian links initdb into PATH; postgres itself sits beside the link's target.
      fs::path target = fs::canonical(fs::path(dir) / "initdb", ec);
      if (!ec && fs::exists(target.parent_path() / "postgres")) return target.parent_path();
    }
  }
  glob_t found{};
  std::string best;
  if (glob("/usr/lib/postgresql/*/bin/postgres", 0, nullptr, &found) == 0 && found.gl_pathc > 0) {
    best = fs::path(found.gl_pathv[found.gl_pathc - 1]).parent_path();
  }
  globfree(&found);
  return best;
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Starts `argv` with output to `log`, as `user` when set (the caller is root).
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log,
            const std::optional<passwd>& user) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  dup2(out, 1);
  dup2(out, 2);
  if (user &&
      (setgroups(0, nullptr) != 0 || setgid(user->pw_gid) != 0 || setuid(user->pw_uid) != 0)) {
    _exit(126);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

class Server {
 public:
  // Starts the server, or returns why it could not.
  Status Start() {
    const auto started = std::chrono::steady_clock::now();
    const std::string bin = FindBinaries();
    if (bin.empty()) {
      return Status(ErrorCode::kStorageUnavailable,
                    "no PostgreSQL server binaries (initdb, postgres): install Debian's "
                    "`postgresql` package (scripts/install-deps.sh) or set CAIRN_POSTGRES_BIN");
    }
    std::string dir = ::testing::TempDir() + "cairn-pg-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) return Status(ErrorCode::kStorageIOError, "mkdtemp");
    dir_ = dir;
    std::optional<passwd> user;
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) {
        return Status(ErrorCode::kStorageUnavailable,
                      "running as root, and there is no `postgres` user to run the server as");
      }
      user = *pw;
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        return Status(ErrorCode::kStorageIOError, "chown " + dir_);
      }
    }
    const std::string log = dir_ + "/server.log";
    pid_t initdb = Spawn({bin + "/initdb", "-D", dir_ + "/data", "-U", "cairn", "-A", "trust", "-E",
                          "UTF8", "--locale=C", "--no-sync"},
                         log, user);
    int status = 0;
    waitpid(initdb, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return Status(ErrorCode::kStorageUnavailable, "initdb failed:\n" + Tail(log));
    }
    port_ = FreeLoopbackPort();
    pid_ =
        Spawn({bin + "/postgres", "-D", dir_ + "/data", "-p", std::to_string(port_), "-k", dir_,
               "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
               "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"},
              log, user);
    const std::string admin = "host=127.0.0.1 port=" + std::to_string(port_) +
                              " user=cairn dbname=postgres connect_timeout=2";
    while (PQping(admin.c_str()) != PQPING_OK) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return Status(ErrorCode::kStorageUnavailable, "postgres exited:\n" + Tail(log));
      }
      if (std::chrono::steady_clock::now() - started > std::chrono::seconds(60)) {
        return Status(ErrorCode::kStorageUnavailable, "postgres did not answer in 60 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Result<std::unique_ptr<Connection>> c = Connection::Open(admin);
    if (!c.ok()) return c.status();
    admin_ = std::move(*c);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    std::cerr << "[ postgres ] test server on 127.0.0.1:" << port_ << " started in " << ms
              << " ms (initdb included)\n";
    return Status::Ok();
  }

  Result<std::string> FreshSchema() {
    const std::string schema = "t" + std::to_string(++schemas_);
    if (Status s = admin_->ExecScript("CREATE SCHEMA " + schema); !s.ok()) return s.error();
    return "postgresql://cairn@127.0.0.1:" + std::to_string(port_) +
           "/postgres?options=-csearch_path%3D" + schema;
  }

  ~Server() {
    admin_.reset();
    if (pid_ > 0) {
      kill(pid_, SIGINT);  // fast shutdown
      waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::unique_ptr<Connection> admin_;
  int schemas_ = 0;
};

std::mutex mu;
std::unique_ptr<Server> server;
std::optional<Status> start_status;

// Stops the server, if a test started it, when the test binary ends.
class ServerEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(mu);
    server.reset();
  }
};

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new ServerEnvironment);

}  // namespace

Result<std::string> FreshDatabase() {
  std::lock_guard lock(mu);
  if (!start_status) {
    server = std::make_unique<Server>();
    start_status = server->Start();
  }
  if (!start_status->ok()) return start_status->error();
  return server->FreshSchema();
}

TEST(PostgresTestServer, AnswersOnTheUriItGives) {
  Result<std::string> uri = FreshDatabase();
  ASSERT_TRUE(uri.ok()) << uri.error().Message();
  Result<std::unique_ptr<Connection>> c = Connection::Open(*uri);
  ASSERT_TRUE(c.ok()) << c.error().Message();
  Result<Rows> rows = (*c)->Exec("SELECT current_schema()::text");
  ASSERT_TRUE(rows.ok()) << rows.error().Message();
  EXPECT_EQ(rows->Bytes(0, 0).substr(0, 1), "t");
}

}  // namespace cairn::meta::postgres::testing
