// Errors of the cairn client library. Calls throw: an S3Error when the server answered with an
// error (its S3 code, message, HTTP status and request id are all there), a TransportError when no
// answer came (server unreachable, connection reset, TLS failure, timeout). A failed precondition
// on put/get is not an error: those calls return an empty optional, as R2's binding returns null.
#pragma once

#include <stdexcept>
#include <string>

namespace cairn {

class S3Error : public std::runtime_error {
 public:
  S3Error(std::string code, std::string message, int http_status, std::string request_id)
      : std::runtime_error(code + ": " + message),
        code_(std::move(code)),
        message_(std::move(message)),
        http_status_(http_status),
        request_id_(std::move(request_id)) {}
  const std::string& code() const { return code_; }  // "NoSuchKey"
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }  // 404
  const std::string& request_id() const { return request_id_; }

 private:
  std::string code_;
  std::string message_;
  int http_status_;
  std::string request_id_;
};

class TransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cairn
