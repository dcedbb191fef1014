// The live server the client integration tests run against: by default `cairn serve` started on
// a free loopback port (--listen 127.0.0.1:0, the port read from its banner) with a temporary data
// directory and keys passed in the environment, stopped at the end; with --endpoint URL an already
// running S3 server, its keys from CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY. Also a raw HTTP
// helper, so that presigned URLs are tested with a client that is not the library.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cairn::live {

struct ServerTarget {
  std::string endpoint;  // http://127.0.0.1:PORT
  std::string access_key_id;
  std::string secret_access_key;
  bool own_server = false;  // false with --endpoint: cairn-specific checks are skipped
};

class LiveServer {
 public:
  // Starts `binary serve [extra_args]`; throws std::runtime_error (with the server's log) when it
  // does not answer GET /_cairn/health within `timeout`.
  LiveServer(const std::string& binary, std::chrono::seconds timeout,
             const std::vector<std::string>& extra_args = {});
  ~LiveServer();  // SIGTERM, then SIGKILL after 10 s; removes the data dir unless CAIRN_TEST_KEEP
  const ServerTarget& target() const { return target_; }

 private:
  void Stop();
  std::string workdir_;
  pid_t pid_ = -1;
  ServerTarget target_;
};

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

// One request over a fresh plain-HTTP connection (Connection: close), body sent with its length.
RawResponse RawHttp(const std::string& method, const std::string& url,
                    const std::map<std::string, std::string>& headers = {},
                    const std::string& body = {});

// A loopback port nothing listens on.
int ClosedPort();

// Writes a fresh self-signed certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1, EC P-256)
// and its key, both PEM: what `cairn serve --tls-cert --tls-key` needs and a client's caFile.
void WriteSelfSignedCertificate(const std::string& cert_path, const std::string& key_path);

}  // namespace cairn::live
