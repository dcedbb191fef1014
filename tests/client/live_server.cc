// Starting and stopping `cairn serve` for the tests, and a deliberately plain HTTP/1.1 client.
#include "live_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "cairn/client.h"
#include "client/client_impl.h"

namespace cairn::live {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string RandomToken(size_t n, const char* alphabet) {
  std::random_device random;
  std::string out;
  const size_t size = std::strlen(alphabet);
  for (size_t i = 0; i < n; ++i) out += alphabet[random() % size];
  return out;
}

}  // namespace

// GET /_cairn/health through the library (plain or TLS; the certificate is not checked here).
bool Healthy(const ServerTarget& target) {
  ClientConfig config;
  config.endpoint = target.endpoint;
  config.accessKeyId = target.access_key_id;
  config.secretAccessKey = target.secret_access_key;
  config.verifyTls = false;
  config.timeout = std::chrono::seconds(5);
  Client client(config);
  client::Request request{"GET", "_cairn", "health"};
  return client.impl().Send(request).status == 200;
}

LiveServer::LiveServer(const std::string& binary, std::chrono::seconds timeout,
                       const std::vector<std::string>& extra_args) {
  if (!std::filesystem::exists(binary)) throw std::runtime_error("no cairn binary at " + binary);
  char dir[] = "/tmp/cairn-client-it-XXXXXX";
  if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  workdir_ = dir;
  const std::string log = workdir_ + "/server.log";
  target_.access_key_id = "CAIRNCLIENT" + RandomToken(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  target_.secret_access_key =
      RandomToken(40, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  target_.own_server = true;

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setenv("CAIRN_ACCESS_KEY_ID", target_.access_key_id.c_str(), 1);
    ::setenv("CAIRN_SECRET_ACCESS_KEY", target_.secret_access_key.c_str(), 1);
    FILE* out = std::freopen(log.c_str(), "w", stdout);
    if (!out || ::dup2(STDOUT_FILENO, STDERR_FILENO) < 0) ::_exit(127);
    const std::string data = workdir_ + "/data";
    std::vector<std::string> args = {binary,       "serve", "--listen",     "127.0.0.1:0",
                                     "--data-dir", data,    "--io-threads", "2"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("cairn serve exited during start-up:\n" + ReadFile(log));
    }
    const std::string text = ReadFile(log);
    const std::string banner = "serving S3 at ";
    if (size_t at = text.find(banner); at != std::string::npos && target_.endpoint.empty()) {
      size_t end = text.find_first_of(" \n", at + banner.size());
      target_.endpoint = text.substr(at + banner.size(), end - at - banner.size());
    }
    if (!target_.endpoint.empty()) {
      try {
        if (Healthy(target_)) return;
      } catch (const std::exception&) {
        // not listening yet
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string tail = ReadFile(log);
  Stop();
  throw std::runtime_error("cairn serve did not become healthy:\n" + tail);
}

LiveServer::~LiveServer() { Stop(); }

void LiveServer::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (!workdir_.empty() && !std::getenv("CAIRN_TEST_KEEP")) {
    std::error_code ec;
    std::filesystem::remove_all(workdir_, ec);
    workdir_.clear();
  }
}

RawResponse RawHttp(const std::string& method, const std::string& url,
                    const std::map<std::string, std::string>& headers, const std::string& body) {
  if (!url.starts_with("http://")) throw std::runtime_error("RawHttp speaks plain http only");
  const size_t slash = url.find('/', 7);
  const std::string authority = url.substr(7, slash - 7);
  const std::string target = slash == std::string::npos ? "/" : url.substr(slash);
  const size_t colon = authority.rfind(':');
  const std::string host = authority.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) {
    throw std::runtime_error("cannot resolve " + host);
  }
  int fd = ::socket(found->ai_family, SOCK_STREAM, 0);
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const bool connected = ::connect(fd, found->ai_addr, found->ai_addrlen) == 0;
  ::freeaddrinfo(found);
  if (!connected) {
    ::close(fd);
    throw std::runtime_error("cannot connect to " + authority);
  }
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "PUT" || method == "POST") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer early and close; read what it said
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);

  RawResponse response;
  const size_t head_end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || head_end == std::string::npos) {
    throw std::runtime_error("no HTTP response from " + authority);
  }
  response.status = std::stoi(raw.substr(9, 3));
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t c = line.find(':');
    if (c == std::string::npos) continue;
    std::string name = line.substr(0, c);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    response.headers[name] = line.substr(line.find_first_not_of(' ', c + 1));
  }
  response.body = method == "HEAD" ? "" : raw.substr(head_end + 4);
  return response;
}

int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

void WriteSelfSignedCertificate(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (!key || !cert) throw std::runtime_error("cannot create a test certificate");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert),
                   static_cast<long>(std::random_device()() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (const char* ext : {"subjectAltName=IP:127.0.0.1", "basicConstraints=critical,CA:TRUE"}) {
    const std::string spec(ext);
    const size_t eq = spec.find('=');
    X509_EXTENSION* e =
        X509V3_EXT_conf(nullptr, &ctx, spec.substr(0, eq).c_str(), spec.substr(eq + 1).c_str());
    if (!e) throw std::runtime_error("cannot add " + spec + " to the test certificate");
    X509_add_ext(cert, e, -1);
    X509_EXTENSION_free(e);
  }
  X509_sign(cert, key, EVP_sha256());
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  const bool ok = c && k && PEM_write_X509(c, cert) &&
                  PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  if (c) std::fclose(c);
  if (k) std::fclose(k);
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!ok) throw std::runtime_error("cannot write the test certificate");
}

}  // namespace cairn::live
