// `cairn presign METHOD BUCKET/KEY`: a presigned URL, so that someone without keys (a browser,
// curl) can make that one request until it expires. The URL is signed for the endpoint the command
// talks to, and for any header given (--content-type, --header): the request must send those
// exactly.
#include <cctype>
#include <chrono>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/errors.h"

namespace cairn::cli {
namespace {

constexpr int64_t kMaxExpiry = 7 * 24 * 3600;  // SigV4's limit: a week

struct PresignArgs {
  std::string method;
  std::string target;
  int64_t expires = 3600;
  std::string content_type;
  std::vector<std::string> headers;
  uint32_t part_number = 0;
  std::string upload_id;
};

int RunPresign(CommandContext& ctx, const PresignArgs& args) {
  std::string method = args.method;
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (method != "GET" && method != "HEAD" && method != "PUT" && method != "DELETE") {
    throw UsageError("presign METHOD is GET, HEAD, PUT or DELETE, got '" + args.method + "'");
  }
  const ObjectPath path = SplitObjectPath(args.target, /*key_required=*/true);
  if (args.expires < 1 || args.expires > kMaxExpiry) {
    throw UsageError("--expires must be between 1 and 604800 seconds (7 days)");
  }
  if ((args.part_number != 0) != !args.upload_id.empty() || (args.part_number && method != "PUT")) {
    throw UsageError("an UploadPart URL needs PUT with both --part-number and --upload-id");
  }
  if (ctx.connection().local) {
    throw UsageError(
        "--local serves only while the command runs: a presigned URL needs a "
        "running server (--endpoint)");
  }
  Bucket::PresignOptions options;
  options.expiry = std::chrono::seconds(args.expires);
  if (!args.content_type.empty()) options.headers["content-type"] = args.content_type;
  for (const std::string& header : args.headers) {
    const size_t colon = header.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw UsageError("--header wants 'Name: value', got '" + header + "'");
    }
    std::string name = header.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const size_t value = header.find_first_not_of(' ', colon + 1);
    options.headers[name] = value == std::string::npos ? "" : header.substr(value);
  }
  if (args.part_number != 0) {
    options.partNumber = args.part_number;
    options.uploadId = args.upload_id;
  }
  const std::string url = ctx.session().bucket(path.bucket).presign(method, path.key, options);
  if (ctx.json()) {
    Json headers = Json::object();
    for (const auto& [k, v] : options.headers) headers[k] = v;
    const auto expires_at = std::chrono::system_clock::now() + options.expiry;
    PrintJson({{"url", url},
               {"method", method},
               {"expiresIn", args.expires},
               {"expiresAt", FormatTime(expires_at)},
               {"headers", headers}});
  } else {
    PrintLine(url);
    for (const auto& [k, v] : options.headers) {
      std::fprintf(stderr, "(signed header: the request must send %s: %s)\n", k.c_str(), v.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

void AddPresignCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<PresignArgs>();
  CLI::App* cmd = app.add_subcommand("presign", "Make a presigned URL for one request");
  cmd->add_option("method", args->method, "GET, HEAD, PUT or DELETE")->required();
  cmd->add_option("target", args->target, "BUCKET/KEY")->required();
  cmd->add_option("--expires", args->expires, "Seconds the URL is valid (at most 604800)")
      ->capture_default_str();
  cmd->add_option("--content-type,--ct", args->content_type,
                  "Sign a Content-Type (PUT): the upload must send exactly this one");
  cmd->add_option("--header", args->headers, "Sign another header 'Name: value' (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--part-number", args->part_number, "For an UploadPart URL (with --upload-id)");
  cmd->add_option("--upload-id", args->upload_id, "For an UploadPart URL (with --part-number)");
  commands.Leaf(
      cmd, [args](CommandContext& ctx) { return RunPresign(ctx, *args); },
      R"(  cairn presign GET photos/cat.png --expires 600
  url=$(cairn presign PUT uploads/report.pdf --ct application/pdf)
  curl -X PUT -H 'Content-Type: application/pdf' --data-binary @report.pdf "$url"
)");
}

}  // namespace cairn::cli
