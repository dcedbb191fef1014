// `cairn key create|list|revoke|rotate|temp`: access keys and temporary credentials, through the
// admin API (docs/access-keys.md) with the session's admin key, or --local on a stopped server's
// data directory. A secret is printed once, by the command that made it; `list` never has one.
// Durations (--expires, --grace, --ttl) and permissions are checked here, so that a typo is a
// usage error before anything is sent; limits (60 s to 10 years, ...) are the server's to enforce.
#include <cstdio>
#include <memory>

#include "cli/admin_api.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/errors.h"
#include "cli/key_output.h"

namespace cairn::cli {
namespace {

constexpr const char* kKeyId = "an access key id";

// A CLI11 validator: the empty string accepts.
std::string CheckPermission(const std::string& value) {
  for (const char* permission : {"admin-rw", "admin-ro", "object-rw", "object-ro"}) {
    if (value == permission) return {};
  }
  return "must be admin-rw, admin-ro, object-rw or object-ro, got '" + value + "'";
}

// The permission and scope of a key or temporary credential being made.
struct ScopeArgs {
  std::string permission;
  std::vector<std::string> buckets;
  std::vector<std::string> prefixes;
};

void AddScopeOptions(CLI::App* cmd, ScopeArgs& args, const std::string& permission_help) {
  cmd->add_option("--permission", args.permission, permission_help)->check(CheckPermission);
  cmd->add_option("--bucket", args.buckets,
                  "Limit an object key to this bucket (repeatable; none: every bucket)")
      ->allow_extra_args(false);
  cmd->add_option("--prefix", args.prefixes,
                  "Limit an object key to object keys starting with this (repeatable; none: all)")
      ->allow_extra_args(false);
}

void AddScope(Json& body, const ScopeArgs& args) {
  if ((!args.buckets.empty() || !args.prefixes.empty()) &&
      args.permission.rfind("admin-", 0) == 0) {
    throw UsageError("--bucket and --prefix limit object keys (object-rw, object-ro); " +
                     args.permission + " has no scope");
  }
  if (!args.permission.empty()) body["permission"] = args.permission;
  if (!args.buckets.empty()) body["buckets"] = args.buckets;
  if (!args.prefixes.empty()) body["prefixes"] = args.prefixes;
}

// A key or credential just made: its document with --json, else its lines and, on stderr, that
// its secret is shown this once.
void PrintIssued(CommandContext& ctx, const Json& issued, const std::string& after,
                 bool rotation = false) {
  if (ctx.json()) {
    PrintJson(issued);
    return;
  }
  std::fputs(DescribeIssuedKey(issued, rotation).c_str(), stdout);
  std::fflush(stdout);
  std::string note = "The secret is shown only this once and cannot be shown again: store it now.";
  if (!after.empty()) note += " " + after;
  std::fprintf(stderr, "%s\n", note.c_str());
}

void AddCreate(CLI::App& key, Commands& commands) {
  struct Args {
    std::string name;
    ScopeArgs scope;
    std::string expires;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = key.add_subcommand("create", "Make an access key (prints its secret once)");
  cmd->add_option("--name", args->name, "What the key is for (1 to 128 characters)")->required();
  AddScopeOptions(cmd, args->scope, "admin-rw, admin-ro, object-rw or object-ro");
  cmd->get_option("--permission")->required();
  cmd->add_option("--expires", args->expires,
                  "The key stops working after this long: 30d, 12h, 90m (default: never)");
  commands.Leaf(
      cmd,
      [args](CommandContext& ctx) {
        Json body = {{"name", args->name}};
        AddScope(body, args->scope);
        if (!args->expires.empty()) {
          body["expiresInSeconds"] = ParseSeconds(args->expires, "--expires").count();
        }
        const Json created = AdminApi(ctx.session().client()).Call("POST", "keys", body);
        PrintIssued(ctx, created,
                    "(`cairn key rotate " + created.value("accessKeyId", std::string("ID")) +
                        "` makes a new one.)");
        return kExitOk;
      },
      R"(  cairn key create --name uploader --permission object-rw --bucket photos
  cairn key create --name ci --permission object-ro --bucket builds --prefix releases/ --expires 30d
  cairn key create --name ops --permission admin-ro --json | jq -r .secretAccessKey
)");
}

void AddList(CLI::App& key, Commands& commands) {
  CLI::App* cmd = key.add_subcommand("list", "List the access keys (never their secrets)");
  commands.Leaf(
      cmd,
      [](CommandContext& ctx) {
        Json list = AdminApi(ctx.session().client()).Call("GET", "keys");
        if (ctx.session().local() && list.contains("keys") && list["keys"].is_array()) {
          // The one-off key --local signs with exists only while this command runs.
          const std::string own = ctx.session().client().config().accessKeyId;
          Json& keys = list["keys"];
          for (auto it = keys.begin(); it != keys.end();) {
            it = it->value("accessKeyId", std::string()) == own ? keys.erase(it) : it + 1;
          }
        }
        if (ctx.json()) {
          PrintJson(list);
        } else {
          std::fputs(KeyTable(list).c_str(), stdout);
        }
        return kExitOk;
      },
      R"(  cairn key list
  cairn key list --json | jq -r '.keys[] | select(.permission == "object-rw") | .accessKeyId'
)");
}

void AddRevoke(CLI::App& key, Commands& commands) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = key.add_subcommand("revoke", "Revoke an access key: it stops working at once");
  cmd->add_option("id", *id, "ACCESS_KEY_ID")->required();
  commands.Leaf(
      cmd,
      [id](CommandContext& ctx) {
        AdminApi(ctx.session().client()).Call("DELETE", "keys/" + PathSegment(kKeyId, *id));
        if (ctx.json()) {
          PrintJson({{"accessKeyId", *id}, {"revoked", true}});
        } else {
          PrintLine("Revoked access key " + *id +
                    ": it no longer works, nor do its temporary "
                    "credentials and presigned URLs");
        }
        return kExitOk;
      },
      "  cairn key revoke CAIRN3F9A1C2B7D4E5F60\n");
}

void AddRotate(CLI::App& key, Commands& commands) {
  struct Args {
    std::string id;
    std::string grace;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = key.add_subcommand("rotate", "Give an access key a new secret (printed once)");
  cmd->add_option("id", args->id, "ACCESS_KEY_ID")->required();
  cmd->add_option("--grace", args->grace,
                  "The old secret keeps working this long, for the apps to switch: 1h, 7d "
                  "(default: it stops at once)");
  commands.Leaf(
      cmd,
      [args](CommandContext& ctx) {
        Json body = Json::object();
        if (!args->grace.empty()) {
          body["graceSeconds"] = ParseSeconds(args->grace, "--grace").count();
        }
        const Json rotated =
            AdminApi(ctx.session().client())
                .Call("POST", "keys/" + PathSegment(kKeyId, args->id) + "/rotate", body);
        PrintIssued(ctx, rotated, "", /*rotation=*/true);
        return kExitOk;
      },
      R"(  cairn key rotate CAIRN3F9A1C2B7D4E5F60
  cairn key rotate CAIRN3F9A1C2B7D4E5F60 --grace 1h --json
)");
}

void AddTemp(CLI::App& key, Commands& commands) {
  struct Args {
    std::string parent;
    std::string ttl;
    ScopeArgs scope;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = key.add_subcommand(
      "temp", "Issue temporary credentials (key id, secret, session token) that expire");
  cmd->add_option("--parent", args->parent,
                  "The key they derive from (default: the key this command signs with)");
  cmd->add_option("--ttl", args->ttl, "How long they work: 15m, 1h (at most 36h)")->required();
  AddScopeOptions(cmd, args->scope, "At most the parent's (default: the parent's)");
  commands.Leaf(
      cmd,
      [args](CommandContext& ctx) {
        Json body = {{"ttlSeconds", ParseSeconds(args->ttl, "--ttl").count()}};
        if (!args->parent.empty()) body["parent"] = PathSegment(kKeyId, args->parent);
        AddScope(body, args->scope);
        const Json issued =
            AdminApi(ctx.session().client()).Call("POST", "temporary-credentials", body);
        PrintIssued(ctx, issued,
                    "Clients send the session token with each request (aws_session_token, "
                    "sessionToken).");
        return kExitOk;
      },
      R"(  cairn key temp --parent CAIRN3F9A1C2B7D4E5F60 --ttl 1h --bucket uploads --prefix user-42/ --json
  cairn key temp --ttl 15m --permission object-ro
)");
}

}  // namespace

void AddKeyCommands(CLI::App& app, Commands& commands) {
  CLI::App* key =
      app.add_subcommand("key", "Access keys: create, list, revoke, rotate; temporary credentials");
  key->require_subcommand(1);
  key->footer(
      "\nExamples:\n  cairn key create --name uploader --permission object-rw --bucket photos\n"
      "  cairn key list\n  cairn key temp --ttl 1h --bucket photos --prefix user-42/ --json\n"
      "\nPermissions: admin-rw (everything), admin-ro (read everything), object-rw and object-ro\n"
      "(objects only, limited by --bucket and --prefix). See docs/access-keys.md.\n");
  AddCreate(*key, commands);
  AddList(*key, commands);
  AddRevoke(*key, commands);
  AddRotate(*key, commands);
  AddTemp(*key, commands);
}

}  // namespace cairn::cli
