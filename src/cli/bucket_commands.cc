// `cairn bucket create|list|delete|info`: buckets themselves. Their CORS and lifecycle rules are
// in bucket_config_commands.cc, public access in bucket_public_commands.cc.
#include <algorithm>

#include "cli/commands.h"
#include "cli/errors.h"

namespace cairn::cli {
namespace {

void AddCreate(CLI::App& bucket, Commands& commands) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = bucket.add_subcommand("create", "Create a bucket");
  cmd->add_option("name", *name, "NAME")->required();
  commands.Leaf(
      cmd,
      [name](CommandContext& ctx) {
        ctx.session().client().createBucket(*name);
        if (ctx.json()) {
          PrintJson({{"name", *name}, {"created", true}});
        } else {
          PrintLine("Created bucket " + *name);
        }
        return kExitOk;
      },
      "  cairn bucket create photos\n");
}

void AddList(CLI::App& bucket, Commands& commands) {
  CLI::App* cmd = bucket.add_subcommand("list", "List the buckets");
  commands.Leaf(
      cmd,
      [](CommandContext& ctx) {
        std::vector<BucketInfo> buckets = ctx.session().client().listBuckets();
        std::sort(buckets.begin(), buckets.end(),
                  [](const BucketInfo& a, const BucketInfo& b) { return a.name < b.name; });
        Json list = Json::array();
        for (const BucketInfo& b : buckets) {
          if (ctx.json()) {
            list.push_back({{"name", b.name}, {"created", FormatTime(b.created)}});
          } else {
            PrintLine(FormatTime(b.created) + "  " + b.name);
          }
        }
        if (ctx.json()) PrintJson({{"buckets", list}});
        return kExitOk;
      },
      "  cairn bucket list\n  cairn bucket list --json | jq -r '.buckets[].name'\n");
}

void AddDelete(CLI::App& bucket, Commands& commands) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = bucket.add_subcommand("delete", "Delete an empty bucket");
  cmd->add_option("name", *name, "NAME")->required();
  commands.Leaf(
      cmd,
      [name](CommandContext& ctx) {
        ctx.session().client().deleteBucket(*name);
        if (ctx.json()) {
          PrintJson({{"name", *name}, {"deleted", true}});
        } else {
          PrintLine("Deleted bucket " + *name);
        }
        return kExitOk;
      },
      "  cairn bucket delete photos\n");
}

void AddInfo(CLI::App& bucket, Commands& commands) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = bucket.add_subcommand("info", "Show a bucket's creation date and location");
  cmd->add_option("name", *name, "NAME")->required();
  commands.Leaf(
      cmd,
      [name](CommandContext& ctx) {
        Client& client = ctx.session().client();
        BucketInfo info = client.headBucket(*name);
        // HeadBucket tells the location; only ListBuckets tells when the bucket was made.
        std::optional<Time> created;
        for (const BucketInfo& b : client.listBuckets()) {
          if (b.name == *name) created = b.created;
        }
        if (ctx.json()) {
          Json out = {{"name", *name}, {"location", info.location}};
          out["created"] = created ? Json(FormatTime(*created)) : Json(nullptr);
          PrintJson(out);
        } else {
          PrintLine("name:      " + *name);
          if (created) PrintLine("created:   " + FormatTime(*created));
          PrintLine("location:  " + info.location);
        }
        return kExitOk;
      },
      "  cairn bucket info photos\n");
}

}  // namespace

void AddBucketCommands(CLI::App& app, Commands& commands) {
  CLI::App* bucket = app.add_subcommand(
      "bucket", "Create, list, inspect and delete buckets; CORS, lifecycle, public access");
  bucket->require_subcommand(1);
  bucket->footer(
      "\nExamples:\n  cairn bucket create photos\n  cairn bucket list --json\n"
      "  cairn bucket lifecycle set photos --file rules.json\n");
  AddCreate(*bucket, commands);
  AddList(*bucket, commands);
  AddDelete(*bucket, commands);
  AddInfo(*bucket, commands);
  AddBucketConfigCommands(*bucket, commands);
  AddBucketPublicCommands(*bucket, commands);
}

}  // namespace cairn::cli
