// How the command line fails: one exit code per kind of failure, so that a script can tell "no such
// key" from "wrong secret" from "server down" without parsing messages, and one function that turns
// whatever a command threw (a CliError of its own, or the client library's S3Error and
// TransportError) into a one-line message and that code.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cairn::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitS3Error = 1,      // any other error the server answered (and anything unexpected)
  kExitUsage = 2,        // bad flags or arguments, or an unreadable rules document
  kExitNotFound = 3,     // no such bucket, key, upload or access key
  kExitAuth = 4,         // InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied, bad tokens
  kExitUnreachable = 5,  // no answer: connection refused, DNS, TLS, timeout
  kExitLocalFile = 6,    // a local file is missing or cannot be read or written
};

// A failure a command detected itself, with the exit code it maps to, and optionally the S3 code
// it stands for (shown by --json; empty: a kind derived from the exit code).
class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message, std::string code = {})
      : std::runtime_error(message), exit_code_(exit_code), code_(std::move(code)) {}
  int exit_code() const { return exit_code_; }
  const std::string& code() const { return code_; }

 private:
  int exit_code_;
  std::string code_;
};

inline CliError UsageError(const std::string& message) { return CliError(kExitUsage, message); }
inline CliError LocalFileError(const std::string& message) {
  return CliError(kExitLocalFile, message);
}

// What the user is told: the exit code, a short machine-readable kind ("NoSuchKey",
// "Unreachable", "LocalFile", ...) for --json, and a one-line message.
struct Failure {
  int exit_code = kExitS3Error;
  std::string code;
  std::string message;
};

// The exit code for an S3 error code and HTTP status (a HEAD answer has no body, so only its
// status tells a missing bucket from a denied request).
int ExitCodeForS3Error(std::string_view code, int http_status);

// Describes `error` (from a catch block: std::current_exception()). `endpoint` names the server in
// the message of a TransportError.
Failure DescribeFailure(std::exception_ptr error, std::string_view endpoint);

}  // namespace cairn::cli
