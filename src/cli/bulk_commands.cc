// `cairn bulk put BUCKET --file list.json`: many files, several at once. The list is a JSON array
// of {"key": .., "file": .., "content_type": ..} (content_type optional, else guessed from the file
// name). Every entry is attempted even after others failed: each failure is reported on stderr
// with its reason, the summary says how many went up, and the exit status is non-zero if any
// failed (the failures' own code when they all share one, such as 6 for missing files).
#include <atomic>
#include <mutex>
#include <thread>

#include "cli/args.h"
#include "cli/bulk_list.h"
#include "cli/commands.h"
#include "cli/content_type.h"
#include "cli/errors.h"
#include "cli/local_file.h"

namespace cairn::cli {
namespace {

struct BulkArgs {
  std::string bucket;
  std::string list;
  unsigned concurrency = 8;
  unsigned part_concurrency = 2;
  std::string storage_class;
};

struct Outcome {
  bool ok = false;
  ObjectInfo info;
  Failure failure;
};

int RunBulkPut(CommandContext& ctx, const BulkArgs& args) {
  const std::vector<BulkEntry> entries = ParseBulkList(ReadSmallFile(args.list), args.list);
  if (args.concurrency == 0 || args.part_concurrency == 0) {
    throw UsageError("--concurrency and --part-concurrency must be at least 1");
  }
  UploadOptions base;
  if (!args.storage_class.empty()) base.storageClass = NormalizeStorageClass(args.storage_class);
  base.concurrency = args.part_concurrency;
  Session& session = ctx.session();
  const std::string endpoint = session.endpoint();

  std::vector<Outcome> outcomes(entries.size());
  std::atomic<size_t> next{0};
  std::mutex report_mu;
  auto worker = [&] {
    Bucket bucket = session.bucket(args.bucket);
    for (size_t i = next++; i < entries.size(); i = next++) {
      const BulkEntry& entry = entries[i];
      Outcome& outcome = outcomes[i];
      try {
        CheckReadableFile(entry.file);
        UploadOptions options = base;
        options.httpMetadata.contentType =
            entry.content_type.empty() ? GuessContentType(entry.file) : entry.content_type;
        outcome.info = bucket.upload(entry.key, entry.file, options);
        outcome.ok = true;
      } catch (...) {
        outcome.failure = DescribeFailure(std::current_exception(), endpoint);
        std::lock_guard lock(report_mu);
        std::fprintf(stderr, "cairn: failed %s (%s): %s\n", entry.key.c_str(), entry.file.c_str(),
                     outcome.failure.message.c_str());
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t n = std::min<size_t>(args.concurrency, std::max<size_t>(1, entries.size()));
  for (size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();

  size_t failed = 0;
  uint64_t bytes = 0;
  int exit_code = kExitOk;
  Json uploaded = Json::array();
  Json failures = Json::array();
  for (size_t i = 0; i < entries.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (o.ok) {
      bytes += o.info.size;
      uploaded.push_back({{"key", o.info.key},
                          {"file", entries[i].file},
                          {"size", o.info.size},
                          {"etag", o.info.etag}});
      continue;
    }
    ++failed;
    exit_code = (exit_code == kExitOk || exit_code == o.failure.exit_code) ? o.failure.exit_code
                                                                           : kExitS3Error;
    failures.push_back({{"key", entries[i].key},
                        {"file", entries[i].file},
                        {"code", o.failure.code},
                        {"message", o.failure.message},
                        {"exitCode", o.failure.exit_code}});
  }
  if (ctx.json()) {
    PrintJson(
        {{"ok", failed == 0}, {"uploaded", uploaded}, {"failed", failures}, {"bytes", bytes}});
  } else {
    PrintLine("Uploaded " + std::to_string(entries.size() - failed) + " of " +
              std::to_string(entries.size()) + " files (" + HumanSize(bytes) + ") to " +
              args.bucket + (failed ? "; " + std::to_string(failed) + " failed" : ""));
  }
  return exit_code;
}

void AddBulkPut(CLI::App& bulk, Commands& commands) {
  auto args = std::make_shared<BulkArgs>();
  CLI::App* cmd = bulk.add_subcommand("put", "Upload the files of a JSON list, several at once");
  cmd->add_option("bucket", args->bucket, "BUCKET")->required();
  cmd->add_option("-f,--file", args->list,
                  "JSON array of {\"key\": .., \"file\": .., \"content_type\": ..} (- for stdin)")
      ->required();
  cmd->add_option("--concurrency", args->concurrency, "Files uploaded at once")
      ->capture_default_str();
  cmd->add_option("--part-concurrency", args->part_concurrency,
                  "Parts at once within one large file")
      ->capture_default_str();
  cmd->add_option("-s,--storage-class", args->storage_class, "Standard or InfrequentAccess");
  commands.Leaf(
      cmd, [args](CommandContext& ctx) { return RunBulkPut(ctx, *args); },
      R"(  cairn bulk put photos --file list.json --concurrency 20
    with list.json: [{"key": "2024/cat.png", "file": "cat.png"},
                     {"key": "notes.txt", "file": "notes", "content_type": "text/plain"}]
  find img -type f | jq -R '{key: ., file: .}' | jq -s . | cairn bulk put photos -f -
)");
}

}  // namespace

void AddBulkCommands(CLI::App& app, Commands& commands) {
  CLI::App* bulk = app.add_subcommand("bulk", "Upload many objects at once");
  bulk->require_subcommand(1);
  bulk->footer("\nExamples:\n  cairn bulk put photos --file list.json --concurrency 20\n");
  AddBulkPut(*bulk, commands);
}

}  // namespace cairn::cli
