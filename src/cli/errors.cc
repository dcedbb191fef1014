// The exit codes of errors.h. A HEAD answer has no error document, so its status decides; a 403
// without one is taken as a key problem because cairn denies requests only for their key (a wrong
// signature, or a permission or scope the key lacks).
#include "cli/errors.h"

#include "cairn/errors.h"

namespace cairn::cli {
namespace {

const char* KindOfExitCode(int exit_code) {
  switch (exit_code) {
    case kExitUsage:
      return "Usage";
    case kExitNotFound:
      return "NotFound";
    case kExitAuth:
      return "Credentials";
    case kExitUnreachable:
      return "Unreachable";
    case kExitLocalFile:
      return "LocalFile";
    default:
      return "Error";
  }
}

std::string Describe(const S3Error& e) {
  std::string code = e.code().empty() ? "HTTP " + std::to_string(e.http_status()) : e.code();
  std::string text = code;
  if (!e.message().empty() && e.message() != e.code()) text += ": " + e.message();
  switch (ExitCodeForS3Error(e.code(), e.http_status())) {
    case kExitAuth:
      if (e.code() == "AccessDenied") {
        return text + " (the access key's permission or scope does not allow this)";
      }
      return text +
             " (check the access key id and secret: --access-key-id/--secret-access-key, "
             "CAIRN_ACCESS_KEY_ID/CAIRN_SECRET_ACCESS_KEY or the profile)";
    case kExitNotFound:
      return text;
    default:
      break;
  }
  if (e.code() == "NotImplemented") return "the server does not support this (" + text + ")";
  if (!e.request_id().empty()) text += " (request id " + e.request_id() + ")";
  return text;
}

}  // namespace

int ExitCodeForS3Error(std::string_view code, int http_status) {
  if (code == "NoSuchBucket" || code == "NoSuchKey" || code == "NoSuchUpload" ||
      code == "NoSuchEntity") {
    return kExitNotFound;
  }
  if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "AccessDenied" ||
      code == "ExpiredToken" || code == "InvalidToken") {
    return kExitAuth;
  }
  // HEAD answers carry no error document; a client library reports them by status alone.
  const bool bodiless = code.empty() || code == "NotFound" || code == "Forbidden" ||
                        code == std::to_string(http_status);
  if (bodiless && http_status == 404) return kExitNotFound;
  // cairn has no ACLs: a 403 without a document is a key the server did not accept or allow.
  if (bodiless && http_status == 403) return kExitAuth;
  return kExitS3Error;
}

Failure DescribeFailure(std::exception_ptr error, std::string_view endpoint) {
  try {
    std::rethrow_exception(error);
  } catch (const CliError& e) {
    return {e.exit_code(), e.code().empty() ? KindOfExitCode(e.exit_code()) : e.code(), e.what()};
  } catch (const S3Error& e) {
    return {ExitCodeForS3Error(e.code(), e.http_status()),
            e.code().empty() ? "HTTP" + std::to_string(e.http_status()) : e.code(), Describe(e)};
  } catch (const TransportError& e) {
    return {kExitUnreachable, "Unreachable",
            "cannot reach the server at " + std::string(endpoint) + ": " + e.what()};
  } catch (const std::exception& e) {
    return {kExitS3Error, "Error", e.what()};
  } catch (...) {
    return {kExitS3Error, "Error", "unknown error"};
  }
}

}  // namespace cairn::cli
