// `cairn bucket cors get|set|delete` and `cairn bucket lifecycle get|set|delete`: a bucket's
// configuration documents. `set` reads S3's XML or JSON in the AWS CLI's or R2's shape
// (cors_document.h, lifecycle_document.h) and sends XML; `get` shows the AWS CLI's JSON, which
// `set` takes back, or with --xml what the server returned. Both documents go through the same
// three commands, told apart by a ConfigKind.
#include <cstdio>

#include "cairn/errors.h"
#include "cli/commands.h"
#include "cli/cors_document.h"
#include "cli/errors.h"
#include "cli/lifecycle_document.h"
#include "cli/local_file.h"

namespace cairn::cli {
namespace {

struct ConfigKind {
  std::string name;      // "lifecycle"
  std::string title;     // "lifecycle rules"
  std::string list_key;  // "Rules": the list an empty document shows
  std::optional<std::string> (Client::*get)(const std::string&);
  void (Client::*put)(const std::string&, const std::string&);
  void (Client::*remove)(const std::string&);
  std::string (*to_xml)(std::string_view text, std::string_view what);
  Json (*to_json)(std::string_view xml);
  bool may_be_missing;  // servers may not offer the operation at all (cairn's CORS came later)
  std::string examples;
};

// Runs `call`. Where the whole operation may be missing from a server, its NotImplemented answer
// says so plainly; elsewhere NotImplemented refuses one part of a document and the server's own
// message (which names that part) is the clearer one.
template <typename F>
auto Call(const ConfigKind& kind, F call) {
  try {
    return call();
  } catch (const S3Error& e) {
    if (e.code() != "NotImplemented" || !kind.may_be_missing) throw;
    throw CliError(kExitS3Error,
                   "this server does not support bucket " + kind.title +
                       " (NotImplemented: " + e.message() + ")",
                   e.code());
  }
}

void AddGet(CLI::App& group, Commands& commands, const ConfigKind& kind) {
  auto bucket = std::make_shared<std::string>();
  auto xml = std::make_shared<bool>(false);
  CLI::App* cmd = group.add_subcommand("get", "Show the bucket's " + kind.title + " (as JSON)");
  cmd->add_option("bucket", *bucket, "BUCKET")->required();
  cmd->add_flag("--xml", *xml, "Show the XML the server returned instead of JSON");
  commands.Leaf(
      cmd,
      [bucket, xml, kind](CommandContext& ctx) {
        Client& client = ctx.session().client();
        std::optional<std::string> document =
            Call(kind, [&] { return (client.*kind.get)(*bucket); });
        if (!document) {
          std::fprintf(stderr, "bucket %s has no %s\n", bucket->c_str(), kind.title.c_str());
          if (!*xml) PrintJson({{kind.list_key, Json::array()}});
          return kExitOk;
        }
        if (*xml) {
          std::fputs(document->c_str(), stdout);
          if (!document->empty() && document->back() != '\n') std::fputc('\n', stdout);
        } else {
          PrintJson(kind.to_json(*document));
        }
        return kExitOk;
      },
      kind.examples);
}

void AddSet(CLI::App& group, Commands& commands, const ConfigKind& kind) {
  auto bucket = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = group.add_subcommand("set", "Replace the bucket's " + kind.title);
  cmd->add_option("bucket", *bucket, "BUCKET")->required();
  cmd->add_option("-f,--file", *file, "JSON or XML document (- for stdin)")->required();
  commands.Leaf(
      cmd,
      [bucket, file, kind](CommandContext& ctx) {
        const std::string xml = kind.to_xml(ReadSmallFile(*file), *file);
        Client& client = ctx.session().client();
        Call(kind, [&] { (client.*kind.put)(*bucket, xml); });
        if (ctx.json()) {
          PrintJson({{"bucket", *bucket}, {kind.name, kind.to_json(xml)}});
        } else {
          PrintLine("Set the " + kind.title + " of " + *bucket);
        }
        return kExitOk;
      },
      kind.examples);
}

void AddDelete(CLI::App& group, Commands& commands, const ConfigKind& kind) {
  auto bucket = std::make_shared<std::string>();
  CLI::App* cmd = group.add_subcommand("delete", "Remove the bucket's " + kind.title);
  cmd->add_option("bucket", *bucket, "BUCKET")->required();
  commands.Leaf(
      cmd,
      [bucket, kind](CommandContext& ctx) {
        Client& client = ctx.session().client();
        Call(kind, [&] { (client.*kind.remove)(*bucket); });
        if (ctx.json()) {
          PrintJson({{"bucket", *bucket}, {"deleted", true}});
        } else {
          PrintLine("Removed the " + kind.title + " of " + *bucket);
        }
        return kExitOk;
      },
      kind.examples);
}

void AddGroup(CLI::App& bucket, Commands& commands, const ConfigKind& kind,
              const std::string& description) {
  CLI::App* group = bucket.add_subcommand(kind.name, description);
  group->require_subcommand(1);
  group->footer("\nExamples:\n" + kind.examples);
  AddGet(*group, commands, kind);
  AddSet(*group, commands, kind);
  AddDelete(*group, commands, kind);
}

}  // namespace

void AddBucketConfigCommands(CLI::App& bucket, Commands& commands) {
  AddGroup(bucket, commands,
           {"lifecycle", "lifecycle rules", "Rules", &Client::getBucketLifecycle,
            &Client::putBucketLifecycle, &Client::deleteBucketLifecycle, &LifecycleDocumentToXml,
            &LifecycleXmlToJson, /*may_be_missing=*/false,
            R"(  cairn bucket lifecycle set logs --file rules.json
    with rules.json (AWS CLI shape):
      {"Rules": [{"ID": "expire-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
                  "Expiration": {"Days": 30},
                  "Transitions": [{"Days": 7, "StorageClass": "STANDARD_IA"}],
                  "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]}
    or R2's shape: {"rules": [{"id": "expire-logs", "enabled": true,
      "conditions": {"prefix": "logs/"},
      "deleteObjectsTransition": {"condition": {"type": "Age", "maxAge": 2592000}}}]}
    or a LifecycleConfiguration XML file
  cairn bucket lifecycle get logs          (JSON; --xml for the server's XML)
  cairn bucket lifecycle delete logs
)"},
           "Get, set or remove a bucket's lifecycle rules");
  AddGroup(bucket, commands,
           {"cors", "CORS rules", "CORSRules", &Client::getBucketCors, &Client::putBucketCors,
            &Client::deleteBucketCors, &CorsDocumentToXml, &CorsXmlToJson,
            /*may_be_missing=*/true,
            R"(  cairn bucket cors set site --file cors.json
    with cors.json (AWS CLI shape):
      {"CORSRules": [{"AllowedOrigins": ["https://example.com"], "AllowedMethods": ["GET", "PUT"],
                      "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3600}]}
    or R2's shape: {"rules": [{"allowed": {"origins": ["*"], "methods": ["GET"]}}]}
    or a CORSConfiguration XML file
  cairn bucket cors get site --xml
  cairn bucket cors delete site
)"},
           "Get, set or remove a bucket's CORS rules");
}

}  // namespace cairn::cli
