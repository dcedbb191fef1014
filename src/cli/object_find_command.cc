// `cairn object find BUCKET TEXT`: the keys containing TEXT anywhere, through the admin API's key
// search (docs/access-keys.md, "Searching keys"), one per line, following the cursors to the end
// (or --limit). A page that read its budget of keys may hold no match and still have a cursor.
#include <algorithm>
#include <cstdio>

#include "cli/admin_api.h"
#include "cli/commands.h"
#include "cli/errors.h"

namespace cairn::cli {
namespace {

constexpr uint64_t kMaxPage = 1000;  // the API's largest page

struct FindArgs {
  std::string bucket;
  std::string text;
  std::string prefix;
  uint64_t limit = 0;
  bool ignore_case = false;
};

int RunFind(CommandContext& ctx, const FindArgs& args) {
  if (args.text.empty()) throw UsageError("give the text to search for");
  const std::string path = "buckets/" + PathSegment("a bucket name", args.bucket) + "/search";
  AdminApi api(ctx.session().client());
  Json matches = Json::array();
  uint64_t found = 0;
  std::string cursor;
  bool stopped_at_limit = false;
  while (true) {
    const uint64_t want = args.limit == 0 ? kMaxPage : std::min(kMaxPage, args.limit - found);
    AdminApi::Query query = {{"q", args.text}, {"limit", std::to_string(want)}};
    if (!args.prefix.empty()) query.emplace_back("prefix", args.prefix);
    if (args.ignore_case) query.emplace_back("ignoreCase", "true");
    if (!cursor.empty()) query.emplace_back("cursor", cursor);
    const Json page = api.Call("GET", path, nullptr, query);
    for (const Json& match : page.value("matches", Json::array())) {
      ++found;
      if (ctx.json()) {
        matches.push_back(match);
      } else {
        PrintLine(match.value("key", ""));
      }
    }
    const Json next = page.value("cursor", Json(nullptr));
    if (!next.is_string()) break;
    if (args.limit != 0 && found >= args.limit) {
      stopped_at_limit = true;
      break;
    }
    cursor = next.get<std::string>();
  }
  if (ctx.json()) {
    PrintJson({{"matches", matches}, {"truncated", stopped_at_limit}});
  } else if (stopped_at_limit) {
    std::fprintf(stderr, "(stopped at --limit %llu; more keys may match)\n",
                 static_cast<unsigned long long>(args.limit));
  }
  return kExitOk;
}

}  // namespace

void AddObjectFindCommand(CLI::App& object, Commands& commands) {
  auto args = std::make_shared<FindArgs>();
  CLI::App* cmd = object.add_subcommand(
      "find", "List the keys that contain a text anywhere (all of them unless --limit)");
  cmd->add_option("bucket", args->bucket, "BUCKET")->required();
  cmd->add_option("text", args->text, "The text to find in keys: plain characters, no patterns")
      ->required();
  cmd->add_option("--prefix", args->prefix, "Only keys starting with this");
  cmd->add_option("--limit", args->limit, "At most this many keys (0: all)")->capture_default_str();
  cmd->add_flag("-i,--ignore-case", args->ignore_case, "A-Z and a-z match each other");
  commands.Leaf(
      cmd, [args](CommandContext& ctx) { return RunFind(ctx, *args); },
      R"(  cairn object find photos 0242
  cairn object find logs error --prefix 2026/12/ --limit 50
  cairn object find docs report -i --json
)");
}

}  // namespace cairn::cli
