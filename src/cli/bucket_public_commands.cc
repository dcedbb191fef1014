// `cairn bucket public enable|disable|status BUCKET`: whether a bucket serves anonymous GET and
// HEAD of its objects (docs/access-keys.md, "Public buckets"), through the admin API.
#include "cli/admin_api.h"
#include "cli/commands.h"
#include "cli/errors.h"

namespace cairn::cli {
namespace {

constexpr const char* kExamples = R"(  cairn bucket public enable site
  curl http://127.0.0.1:9000/site/index.html      (no key needed; no listing, no writes)
  cairn bucket public status site --json
  cairn bucket public disable site
)";

// One of the three commands: `change` is the new setting, or nullopt to only look.
void AddPublicLeaf(CLI::App& group, Commands& commands, const std::string& name,
                   const std::string& description, std::optional<bool> change) {
  auto bucket = std::make_shared<std::string>();
  CLI::App* cmd = group.add_subcommand(name, description);
  cmd->add_option("bucket", *bucket, "BUCKET")->required();
  commands.Leaf(
      cmd,
      [bucket, change](CommandContext& ctx) {
        const std::string path = "buckets/" + PathSegment("a bucket name", *bucket) + "/public";
        AdminApi api(ctx.session().client());
        const Json answer =
            change ? api.Call("PUT", path, {{"public", *change}}) : api.Call("GET", path);
        if (ctx.json()) {
          PrintJson(answer);
        } else if (answer.value("public", false)) {
          std::string line = "Bucket " + *bucket +
                             " is public: anyone may GET and HEAD its objects (no listing, no "
                             "writes)";
          if (!ctx.session().local())
            line += ", at " + ctx.session().endpoint() + "/" + *bucket + "/KEY";
          PrintLine(line);
        } else {
          PrintLine("Bucket " + *bucket + " is private: every request needs an access key");
        }
        return kExitOk;
      },
      kExamples);
}

}  // namespace

void AddBucketPublicCommands(CLI::App& bucket, Commands& commands) {
  CLI::App* group =
      bucket.add_subcommand("public", "Let anyone read a bucket's objects without a key, or not");
  group->require_subcommand(1);
  group->footer(std::string("\nExamples:\n") + kExamples);
  AddPublicLeaf(*group, commands, "enable", "Serve the bucket's objects to anonymous GET and HEAD",
                true);
  AddPublicLeaf(*group, commands, "disable", "Make the bucket private again (the default)", false);
  AddPublicLeaf(*group, commands, "status", "Show whether the bucket is public", std::nullopt);
}

}  // namespace cairn::cli
