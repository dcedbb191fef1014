// `cairn object put|get|head|delete|list` (and `find`, object_find_command.cc): one object at a
// time, with the flags of `wrangler r2 object`. Unlike wrangler, put has no size cap: past
// --multipart-threshold a file goes up in parts, several at once, through Bucket::upload, and
// --pipe streams stdin in parts without ever holding it whole. get streams to a file or stdout the
// same way.
#include <unistd.h>

#include <cstdio>
#include <map>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/content_type.h"
#include "cli/errors.h"
#include "cli/fd_stream.h"
#include "cli/local_file.h"
#include "cli/progress.h"

namespace cairn::cli {
namespace {

struct PutArgs {
  std::string target;
  std::string file;
  bool pipe = false;
  std::string content_type;
  std::string content_disposition;
  std::string content_encoding;
  std::string content_language;
  std::string cache_control;
  std::string expires;
  std::string storage_class;
  std::vector<std::string> meta;
  unsigned concurrency = 4;
  std::string part_size;
  std::string multipart_threshold = "32MiB";
};

UploadOptions MakeUploadOptions(const PutArgs& args, const std::string& name_for_type) {
  UploadOptions options;
  HttpMetadata& m = options.httpMetadata;
  m.contentType = args.content_type.empty() ? GuessContentType(name_for_type) : args.content_type;
  if (!args.content_disposition.empty()) m.contentDisposition = args.content_disposition;
  if (!args.content_encoding.empty()) m.contentEncoding = args.content_encoding;
  if (!args.content_language.empty()) m.contentLanguage = args.content_language;
  if (!args.cache_control.empty()) m.cacheControl = args.cache_control;
  if (!args.expires.empty()) m.expires = NormalizeExpires(args.expires);
  if (!args.storage_class.empty()) options.storageClass = NormalizeStorageClass(args.storage_class);
  for (const std::string& pair : args.meta) {
    auto [name, value] = ParseMetadataPair(pair);
    options.customMetadata[name] = value;
  }
  if (args.concurrency == 0) throw UsageError("--concurrency must be at least 1");
  options.concurrency = args.concurrency;
  if (!args.part_size.empty()) {
    options.partSize = ParseByteSize(args.part_size);
    // R2's part rules: every part but the last between 5 MiB and 5 GiB.
    if (options.partSize < (5ull << 20) || options.partSize > (5ull << 30)) {
      throw UsageError("--part-size must be between 5MiB and 5GiB (R2's part rules)");
    }
  }
  options.multipartThreshold = ParseByteSize(args.multipart_threshold);
  return options;
}

int RunPut(CommandContext& ctx, const PutArgs& args) {
  const ObjectPath path = SplitObjectPath(args.target, /*key_required=*/true);
  if (args.file.empty() == !args.pipe) {
    throw UsageError("object put needs the content: --file PATH or --pipe (stdin)");
  }
  UploadOptions options = MakeUploadOptions(args, args.pipe ? path.key : args.file);
  if (!args.pipe) CheckReadableFile(args.file);
  ProgressBar bar(path.key, StderrIsTerminal());
  options.onProgress = [&bar](const UploadProgress& p) { bar.Update(p); };
  Bucket bucket = ctx.session().bucket(path.bucket);
  ObjectInfo info;
  if (args.pipe) {
    StdinStream in;
    info = bucket.upload(path.key, in, options);
  } else {
    info = bucket.upload(path.key, args.file, options);
  }
  bar.Finish();
  if (ctx.json()) {
    PrintJson(ObjectInfoJson(info));
  } else {
    PrintLine("Uploaded " + path.bucket + "/" + info.key + " (" + HumanSize(info.size) + ", etag " +
              info.httpEtag + ")");
  }
  return kExitOk;
}

// wrangler's `r2 object put|get|delete` take --remote (the real bucket rather than a local
// simulation). cairn has only the real one: the flag changes nothing, so that wrangler command
// lines paste as they are.
void AcceptWranglerRemote(CLI::App& cmd) {
  cmd.add_flag("--remote")
      ->description("Accepted as in wrangler; changes nothing (cairn is always the remote)");
}

void AddPut(CLI::App& object, Commands& commands) {
  auto args = std::make_shared<PutArgs>();
  CLI::App* cmd = object.add_subcommand("put", "Upload an object from a file or stdin");
  cmd->add_option("target", args->target, "BUCKET/KEY")->required();
  CLI::Option* file = cmd->add_option("-f,--file", args->file, "The file to upload");
  CLI::Option* pipe = cmd->add_flag("-p,--pipe", args->pipe, "Upload stdin (streamed in parts)");
  file->excludes(pipe);
  AcceptWranglerRemote(*cmd);
  const char* meta = "Object metadata";
  cmd->add_option("--content-type,--ct", args->content_type,
                  "Content-Type (default: guessed from the file name)")
      ->group(meta);
  cmd->add_option("--content-disposition,--cd", args->content_disposition, "Content-Disposition")
      ->group(meta);
  cmd->add_option("--content-encoding,--ce", args->content_encoding, "Content-Encoding")
      ->group(meta);
  cmd->add_option("--content-language,--cl", args->content_language, "Content-Language")
      ->group(meta);
  cmd->add_option("--cache-control,--cc", args->cache_control, "Cache-Control")->group(meta);
  cmd->add_option("--expires", args->expires, "Expires: an HTTP date or 2030-01-01")->group(meta);
  cmd->add_option("-s,--storage-class", args->storage_class, "Standard or InfrequentAccess")
      ->group(meta);
  cmd->add_option("--meta", args->meta, "Custom metadata NAME=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->group(meta);
  const char* transfer = "Transfer";
  cmd->add_option("--concurrency", args->concurrency, "Parts uploaded at once")
      ->capture_default_str()
      ->group(transfer);
  cmd->add_option("--part-size", args->part_size,
                  "Part size, e.g. 16MiB (default: 8MiB, more for files that would need over "
                  "10,000 parts)")
      ->group(transfer);
  cmd->add_option("--multipart-threshold", args->multipart_threshold,
                  "Larger files are uploaded in parts")
      ->capture_default_str()
      ->group(transfer);
  commands.Leaf(
      cmd, [args](CommandContext& ctx) { return RunPut(ctx, *args); },
      R"(  cairn object put photos/cat.png --file=cat.png
  cairn object put site/index.html -f index.html --cc "max-age=300" --meta build=42
  tar c dir | cairn object put backups/dir.tar --pipe --ct application/x-tar
  cairn object put media/film.mkv -f film.mkv --concurrency 8 --part-size 64MiB -s InfrequentAccess
)");
}

struct GetArgs {
  std::string target;
  std::string file;
  bool pipe = false;
};

int RunGet(CommandContext& ctx, const GetArgs& args) {
  const ObjectPath path = SplitObjectPath(args.target, /*key_required=*/true);
  if (args.pipe) {
    StdoutStream out;
    std::optional<ObjectInfo> info = ctx.session().bucket(path.bucket).getToStream(path.key, out);
    out.flush();
    if (!info)
      throw CliError(kExitNotFound, "NoSuchKey: no object " + path.bucket + "/" + path.key);
    if (!out) throw LocalFileError("cannot write the object to stdout");
    // stdout holds the object: the description, if wanted, goes to stderr.
    if (ctx.json()) std::fprintf(stderr, "%s\n", ObjectInfoJson(*info).dump(2).c_str());
    return kExitOk;
  }
  std::string file = args.file;
  if (file.empty()) {
    // As wrangler: into the current directory, under the key's last path component.
    const size_t slash = path.key.find_last_of('/');
    file = slash == std::string::npos ? path.key : path.key.substr(slash + 1);
    if (file.empty() || file == "." || file == "..") {
      throw UsageError("cannot name a file after the key '" + path.key + "': give --file PATH");
    }
  }
  // A download that fails leaves no file it created behind (a partial one would pass for the
  // object).
  const bool existed = CheckWritableFile(file);
  auto remove_if_created = [&] {
    if (!existed) ::unlink(file.c_str());
  };
  std::optional<ObjectInfo> info;
  try {
    info = ctx.session().bucket(path.bucket).getToFile(path.key, file);
  } catch (...) {
    remove_if_created();
    throw;
  }
  if (!info) {
    remove_if_created();
    throw CliError(kExitNotFound, "NoSuchKey: no object " + path.bucket + "/" + path.key);
  }
  if (ctx.json()) {
    Json out = ObjectInfoJson(*info);
    out["file"] = file;
    PrintJson(out);
  } else {
    PrintLine("Downloaded " + path.bucket + "/" + path.key + " to " + file + " (" +
              HumanSize(info->size) + ")");
  }
  return kExitOk;
}

void AddGet(CLI::App& object, Commands& commands) {
  auto args = std::make_shared<GetArgs>();
  CLI::App* cmd = object.add_subcommand("get", "Download an object to a file or stdout");
  cmd->add_option("target", args->target, "BUCKET/KEY")->required();
  AcceptWranglerRemote(*cmd);
  CLI::Option* file = cmd->add_option(
      "-f,--file", args->file, "Where to write it (default: the key's last component, here)");
  CLI::Option* pipe = cmd->add_flag("-p,--pipe", args->pipe,
                                    "Write it to stdout (with --json the description goes to "
                                    "stderr)");
  file->excludes(pipe);
  commands.Leaf(
      cmd, [args](CommandContext& ctx) { return RunGet(ctx, *args); },
      R"(  cairn object get photos/cat.png --file=/tmp/cat.png
  cairn object get backups/dir.tar --pipe | tar x
)");
}

int RunHead(CommandContext& ctx, const std::string& target) {
  const ObjectPath path = SplitObjectPath(target, /*key_required=*/true);
  std::optional<ObjectInfo> info = ctx.session().bucket(path.bucket).head(path.key);
  if (!info) throw CliError(kExitNotFound, "NoSuchKey: no object " + path.bucket + "/" + path.key);
  if (ctx.json()) {
    PrintJson(ObjectInfoJson(*info));
  } else {
    std::fputs(DescribeObject(*info).c_str(), stdout);
  }
  return kExitOk;
}

void AddHead(CLI::App& object, Commands& commands) {
  auto target = std::make_shared<std::string>();
  CLI::App* cmd = object.add_subcommand("head", "Show an object's size, ETag and metadata");
  cmd->add_option("target", *target, "BUCKET/KEY")->required();
  commands.Leaf(
      cmd, [target](CommandContext& ctx) { return RunHead(ctx, *target); },
      R"(  cairn object head photos/cat.png
  cairn object head photos/cat.png --json | jq .httpMetadata.contentType
)");
}

int RunDelete(CommandContext& ctx, const std::vector<std::string>& targets) {
  std::map<std::string, std::vector<std::string>> by_bucket;
  for (const std::string& target : targets) {
    ObjectPath path = SplitObjectPath(target, /*key_required=*/true);
    by_bucket[path.bucket].push_back(std::move(path.key));
  }
  Json deleted = Json::array();
  for (const auto& [bucket_name, keys] : by_bucket) {
    Bucket bucket = ctx.session().bucket(bucket_name);
    if (keys.size() == 1) {
      bucket.remove(keys.front());
    } else {
      bucket.remove(keys);
    }
    for (const std::string& key : keys) {
      deleted.push_back(bucket_name + "/" + key);
      if (!ctx.json()) PrintLine("Deleted " + bucket_name + "/" + key);
    }
  }
  if (ctx.json()) PrintJson({{"deleted", deleted}});
  return kExitOk;
}

void AddDelete(CLI::App& object, Commands& commands) {
  auto targets = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = object.add_subcommand(
      "delete", "Delete objects (as S3, deleting a key that does not exist succeeds)");
  cmd->add_option("targets", *targets, "BUCKET/KEY ...")->required();
  AcceptWranglerRemote(*cmd);
  commands.Leaf(
      cmd, [targets](CommandContext& ctx) { return RunDelete(ctx, *targets); },
      R"(  cairn object delete photos/cat.png
  cairn object delete photos/a.png photos/b.png photos/c.png
)");
}

struct ListArgs {
  std::string target;
  std::string delimiter;
  std::string start_after;
  uint64_t limit = 0;
};

int RunList(CommandContext& ctx, const ListArgs& args) {
  const ObjectPath path = SplitObjectPath(args.target, /*key_required=*/false);
  Bucket bucket = ctx.session().bucket(path.bucket);
  ListOptions options;
  options.prefix = path.key;
  options.delimiter = args.delimiter;
  options.startAfter = args.start_after;
  Json objects = Json::array();
  Json prefixes = Json::array();
  uint64_t listed = 0;
  bool truncated = false;
  std::string cursor;
  for (;;) {
    const uint64_t want = args.limit == 0 ? 1000 : std::min<uint64_t>(1000, args.limit - listed);
    options.limit = static_cast<uint32_t>(want);
    ListResult page = bucket.list(options);
    for (const std::string& prefix : page.delimitedPrefixes) {
      if (ctx.json()) {
        prefixes.push_back(prefix);
      } else {
        PrintLine(std::string(24, ' ') + "         PRE  " + prefix);
      }
    }
    for (const ObjectInfo& info : page.objects) {
      if (ctx.json()) {
        objects.push_back(ObjectInfoJson(info));
      } else {
        char size[24];
        std::snprintf(size, sizeof size, "%12llu", static_cast<unsigned long long>(info.size));
        PrintLine(FormatTime(info.uploaded) + " " + size + "  " + info.key);
      }
    }
    listed += page.objects.size() + page.delimitedPrefixes.size();
    truncated = page.truncated;
    cursor = page.cursor;
    if (!page.truncated || (args.limit != 0 && listed >= args.limit)) break;
    options.cursor = page.cursor;
    options.startAfter.clear();  // the cursor carries the position from here on
  }
  if (ctx.json()) {
    Json out = {{"objects", objects}, {"delimitedPrefixes", prefixes}, {"truncated", truncated}};
    if (truncated) out["cursor"] = cursor;
    PrintJson(out);
  } else if (truncated) {
    std::fprintf(stderr, "(stopped at --limit %llu; more objects follow)\n",
                 static_cast<unsigned long long>(args.limit));
  }
  return kExitOk;
}

void AddList(CLI::App& object, Commands& commands) {
  auto args = std::make_shared<ListArgs>();
  CLI::App* cmd = object.add_subcommand("list", "List objects (all pages unless --limit)");
  cmd->add_option("target", args->target, "BUCKET or BUCKET/PREFIX")->required();
  cmd->add_option("--delimiter", args->delimiter, "Group keys by this separator, e.g. /");
  cmd->add_option("--limit", args->limit, "At most this many entries (0: all)")
      ->capture_default_str();
  cmd->add_option("--start-after", args->start_after, "Only keys after this one");
  commands.Leaf(
      cmd, [args](CommandContext& ctx) { return RunList(ctx, *args); },
      R"(  cairn object list photos
  cairn object list photos/2024/ --delimiter /
  cairn object list logs --limit 100 --json
)");
}

}  // namespace

void AddObjectCommands(CLI::App& app, Commands& commands) {
  CLI::App* object =
      app.add_subcommand("object", "Upload, download, inspect, list and delete objects");
  object->require_subcommand(1);
  object->footer(
      "\nExamples:\n  cairn object put photos/cat.png -f cat.png\n"
      "  cairn object get photos/cat.png --pipe > cat.png\n  cairn object list photos --json\n"
      "Every command takes --help; the server comes from --endpoint and the keys, CAIRN_* or a "
      "profile, or --local.\n");
  AddPut(*object, commands);
  AddGet(*object, commands);
  AddHead(*object, commands);
  AddDelete(*object, commands);
  AddList(*object, commands);
  AddObjectFindCommand(*object, commands);
}

}  // namespace cairn::cli
