// `cairn bucket create|list|delete|info`: buckets themselves. Their CORS and lifecycle rules are
// in bucket_config_commands.cc, public access in bucket_public_commands.cc.
#include <algorithm>

#include "cli/admin_api.h"
#include "cli/args.h"
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
  CLI::App* cmd = bucket.add_subcommand(
      "info", "Show a bucket's object count, total size, creation date and location");
  cmd->add_option("name", *name, "NAME")->required();
  commands.Leaf(
      cmd,
      [name](CommandContext& ctx) {
        // The admin API's figures are counters the server keeps: instant in any bucket size.
        AdminApi api(ctx.session().client());
        const Json info = api.Call("GET", "buckets/" + PathSegment("a bucket name", *name));
        const uint64_t objects = info.value("objectCount", uint64_t{0});
        const uint64_t bytes = info.value("bytes", uint64_t{0});
        if (ctx.json()) {
          PrintJson({{"name", *name},
                     {"created", info.value("createdAt", "")},
                     {"location", info.value("location", "")},
                     {"objects", objects},
                     {"bytes", bytes}});
        } else {
          PrintLine("name:      " + *name);
          PrintLine("objects:   " + std::to_string(objects));
          PrintLine("size:      " + std::to_string(bytes) + " (" + HumanSize(bytes) + ")");
          PrintLine("created:   " + info.value("createdAt", ""));
          PrintLine("location:  " + info.value("location", ""));
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
