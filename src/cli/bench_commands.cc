// `cairn bench put|get|mixed|multipart|list|search`: a load generator in the manner of MinIO's
// warp, built on the client library's connection and signer. It measures any S3 server (--target
// s3, the default) and, with --target plain-http, a web server serving the same paths (nginx with
// WebDAV PUT), which is how bench/run.sh compares cairn with nginx using the same generator.
// The summary is printed at the end (one JSON document with --json); the progress line goes to
// stderr. The exit status is 1 when any timed request failed, after the summary.
#include <cstdio>
#include <memory>

#include "cairn/errors.h"
#include "cli/args.h"
#include "cli/bench_args.h"
#include "cli/bench_server_probe.h"
#include "cli/bench_workloads.h"
#include "cli/commands.h"
#include "cli/errors.h"
#include "cli/progress.h"
#include "common/random.h"

namespace cairn::cli {
namespace {

enum class Workload { kPut, kGet, kMixed, kMultipart, kList, kSearch };

struct BenchArgs {
  Workload workload = Workload::kPut;
  std::string target = "s3";
  std::string bucket = "cairn-bench";
  std::string prefix = "bench/";
  unsigned concurrency = 16;
  std::string size = "1MiB";
  uint64_t objects = 100;
  std::string duration = "10s";
  uint64_t requests = 0;
  std::string warmup = "0s";
  bool progress = false;
  CLI::Option* progress_option = nullptr;
  bool cancel_at_end = false;
  bool sign_payload = false;
  bool cleanup = false;
  unsigned prepare_concurrency = 32;
  double get_ratio = 0.7;
  bool overwrite = false;
  std::string part_size = "16MiB";
  unsigned parts_in_flight = 2;
  uint64_t prefixes = 0;
  uint32_t max_keys = 1000;
  std::string delimiter;
  std::string list_prefix;
  std::string search_text;
  uint32_t search_limit = 100;
  std::vector<int> server_pids;
  CLI::Option* duration_option = nullptr;
};

const char* WorkloadName(Workload w) {
  switch (w) {
    case Workload::kPut:
      return "put";
    case Workload::kGet:
      return "get";
    case Workload::kMixed:
      return "mixed";
    case Workload::kMultipart:
      return "multipart";
    case Workload::kList:
      return "list";
    case Workload::kSearch:
      return "search";
  }
  return "";
}

ProgressMode ChooseProgress(const BenchArgs& args) {
  const bool asked = args.progress_option->count() > 0;
  if (asked && !args.progress) return ProgressMode::kOff;  // --no-progress
  if (StderrIsTerminal()) return ProgressMode::kRefresh;
  return asked ? ProgressMode::kLines : ProgressMode::kOff;
}

// The settings of a run, with every flag checked, before anything is sent.
BenchSettings MakeSettings(const BenchArgs& args) {
  BenchSettings s;
  s.bucket = args.bucket;
  s.prefix = args.prefix;
  s.run_id = RandomHex(4);
  s.size = ParseByteSize(args.size);
  s.objects = args.objects;
  s.prepare_concurrency = args.prepare_concurrency;
  s.get_ratio = args.get_ratio;
  s.overwrite = args.overwrite;
  s.parts_in_flight = args.parts_in_flight;
  s.common_prefixes = args.prefixes;
  s.max_keys = args.max_keys;
  s.delimiter = args.delimiter;
  s.list_prefix = args.list_prefix;
  s.search_text = args.search_text;
  s.search_limit = args.search_limit;
  RunPlan& plan = s.plan;
  plan.concurrency = args.concurrency;
  plan.warmup = ParseDuration(args.warmup, "--warmup");
  plan.requests = args.requests;
  // --requests alone runs until they are done; with --duration too, whichever comes first.
  if (args.requests == 0 || args.duration_option->count() > 0) {
    plan.duration = ParseDuration(args.duration);
    if (plan.duration.count() <= 0) throw UsageError("--duration must be more than 0");
  }
  plan.cancel_at_end = args.cancel_at_end;
  plan.progress = ChooseProgress(args);
  if (args.concurrency == 0 || args.prepare_concurrency == 0) {
    throw UsageError("--concurrency and --prepare-concurrency must be at least 1");
  }
  if (args.cancel_at_end && plan.duration.count() == 0) {
    throw UsageError("--cancel-at-end needs --duration");
  }
  const Workload w = args.workload;
  const bool data_set = w == Workload::kGet || w == Workload::kMixed || w == Workload::kList ||
                        w == Workload::kSearch;
  if (data_set && s.objects == 0) {
    throw UsageError("--objects must be at least 1");
  }
  if (w == Workload::kMixed && !(s.get_ratio >= 0 && s.get_ratio <= 1)) {
    throw UsageError("--get-ratio must be between 0 and 1");
  }
  if (w == Workload::kMultipart) {
    s.part_size = ParseByteSize(args.part_size);
    if (s.part_size < (5ull << 20) || s.part_size > (5ull << 30)) {
      throw UsageError("--part-size must be between 5MiB and 5GiB (S3's part rules)");
    }
    if (s.size == 0 || (s.size + s.part_size - 1) / s.part_size > 10000) {
      throw UsageError("--size must make between 1 and 10,000 parts of --part-size");
    }
    if (s.parts_in_flight == 0) throw UsageError("--parts-in-flight must be at least 1");
  }
  if (w == Workload::kList && (s.max_keys == 0 || s.max_keys > 1000)) {
    throw UsageError("--max-keys must be between 1 and 1000");
  }
  if (w == Workload::kSearch && s.search_text.empty()) throw UsageError("--text is required");
  if (w == Workload::kSearch && (s.search_limit == 0 || s.search_limit > 1000)) {
    throw UsageError("--limit must be between 1 and 1000");
  }
  return s;
}

Json Parameters(const BenchArgs& args, const BenchSettings& s) {
  Json p = {{"concurrency", s.plan.concurrency}, {"size", s.size}};
  const Workload w = args.workload;
  if (w == Workload::kGet || w == Workload::kMixed || w == Workload::kList ||
      w == Workload::kSearch)
    p["objects"] = s.objects;
  p["durationSeconds"] = std::chrono::duration<double>(s.plan.duration).count();
  p["requests"] = s.plan.requests;
  p["warmupSeconds"] = std::chrono::duration<double>(s.plan.warmup).count();
  if (w == Workload::kMixed) {
    p["getRatio"] = s.get_ratio;
    p["overwrite"] = s.overwrite;
  }
  if (w == Workload::kMultipart) {
    p["partSize"] = s.part_size;
    p["partsInFlight"] = s.parts_in_flight;
  }
  if (w == Workload::kList) {
    p["prefixes"] = s.common_prefixes;
    p["maxKeys"] = s.max_keys;
    p["delimiter"] = s.delimiter;
  }
  if (w == Workload::kSearch) {
    p["prefixes"] = s.common_prefixes;
    p["text"] = s.search_text;
    p["limit"] = s.search_limit;
  }
  p["signPayload"] = s.target.sign_payload;
  p["cancelAtEnd"] = s.plan.cancel_at_end;
  return p;
}

// CreateBucket; true when this run created it.
bool EnsureBucket(Client& client, const std::string& bucket) {
  try {
    client.createBucket(bucket);
    return true;
  } catch (const S3Error& e) {
    if (e.code() == "BucketAlreadyOwnedByYou" || e.code() == "BucketAlreadyExists") return false;
    throw;
  }
}

// Deletes every object under the run's prefix, then the bucket if this run created it.
void Cleanup(Client& client, const BenchSettings& s, bool created_bucket) {
  Bucket bucket = client.bucket(s.bucket);
  uint64_t deleted = 0;
  for (;;) {
    ListResult page = bucket.list({.prefix = s.prefix, .limit = 1000});
    if (page.objects.empty()) break;
    std::vector<std::string> keys;
    for (const ObjectInfo& o : page.objects) keys.push_back(o.key);
    bucket.remove(keys);
    deleted += keys.size();
  }
  if (created_bucket) client.deleteBucket(s.bucket);
  std::fprintf(stderr, "cairn bench: deleted %llu objects under %s/%s%s\n",
               static_cast<unsigned long long>(deleted), s.bucket.c_str(), s.prefix.c_str(),
               created_bucket ? " and the bucket" : "");
}

// Any answer at all will do: it shows that something listens there.
void CheckReachable(const Target& target) {
  Lane lane(target);
  LaneRequest head{"HEAD", "", ""};
  head.head = true;
  lane.Send(head);
}

BenchReport RunWorkload(Workload w, const BenchSettings& s, const Payload& payload) {
  switch (w) {
    case Workload::kPut:
      return RunPutBench(s, payload);
    case Workload::kGet:
      return RunGetBench(s, payload);
    case Workload::kMixed:
      return RunMixedBench(s, payload);
    case Workload::kMultipart:
      return RunMultipartBench(s, payload);
    case Workload::kList:
      return RunListBench(s, payload);
    case Workload::kSearch:
      return RunSearchBench(s, payload);
  }
  return {};
}

int RunBench(CommandContext& ctx, const BenchArgs& args) {
  const TargetKind kind = ParseTargetKind(args.target);
  BenchSettings s = MakeSettings(args);
  const Workload w = args.workload;
  bool created_bucket = false;
  Client* client = nullptr;
  if (kind == TargetKind::kPlainHttp) {
    if (ctx.connection().local) throw UsageError("--local serves S3: it needs --target s3");
    if (w == Workload::kMultipart || w == Workload::kList || w == Workload::kSearch) {
      throw UsageError(std::string(WorkloadName(w)) + " is an S3 operation: it needs --target s3");
    }
    if (args.cleanup) throw UsageError("--cleanup lists the bucket: it needs --target s3");
    s.target = Target::FromConfig(kind, ResolveClientConfig(ctx.connection(), ProcessEnv));
    CheckReachable(s.target);
  } else {
    client = &ctx.session().client();
    s.target = Target::FromConfig(kind, client->config());
    created_bucket = EnsureBucket(*client, s.bucket);
  }
  s.target.sign_payload = args.sign_payload;
  const Payload payload;
  ServerProbe probe(args.server_pids);
  if (!probe.empty()) {
    s.plan.on_window_open = [&probe] { probe.Open(); };
    s.plan.on_window_close = [&probe] { probe.Close(); };
  }

  BenchReport report = RunWorkload(w, s, payload);
  if (!probe.empty()) {
    report.server = probe.ToJson(report.total.operations + report.total.errors + report.cancelled);
  }
  report.workload = WorkloadName(w);
  report.target = std::string(TargetKindName(kind));
  report.endpoint = s.target.endpoint.base_url;
  report.bucket = s.bucket;
  report.parameters = Parameters(args, s);
  if (ctx.json()) {
    PrintJson(BenchReportJson(report));
  } else {
    std::fputs(BenchReportText(report).c_str(), stdout);
    std::fflush(stdout);
  }
  if (args.cleanup && client) Cleanup(*client, s, created_bucket);
  return report.total.errors > 0 ? kExitS3Error : kExitOk;
}

// The options every workload has.
void AddLoadOptions(CLI::App* cmd, BenchArgs& a) {
  const char* load = "Load";
  cmd->add_option("--target", a.target,
                  "s3 (signed S3 requests) or plain-http (the same paths unsigned: a web server "
                  "such as nginx with WebDAV PUT)")
      ->capture_default_str()
      ->group(load);
  cmd->add_option("--bucket", a.bucket, "Bucket to use (created when missing)")
      ->capture_default_str()
      ->group(load);
  cmd->add_option("--prefix", a.prefix, "Every key the run writes or reads starts with it")
      ->capture_default_str()
      ->group(load);
  cmd->add_option("-c,--concurrency", a.concurrency,
                  "Workers, each with its own connection, each sending its next request when "
                  "the last is answered")
      ->capture_default_str()
      ->group(load);
  a.duration_option = cmd->add_option("-d,--duration", a.duration, "How long to measure: 10s, 2m")
                          ->capture_default_str()
                          ->group(load);
  cmd->add_option("-n,--requests", a.requests,
                  "Stop after this many timed requests (with --duration too: whichever first)")
      ->group(load);
  cmd->add_option("--warmup", a.warmup, "Run this long first without counting")
      ->capture_default_str()
      ->group(load);
  cmd->add_flag("--cancel-at-end", a.cancel_at_end,
                "Cut requests still in flight when --duration ends (their bytes count, they do "
                "not) instead of waiting for them")
      ->group(load);
  cmd->add_flag("--sign-payload", a.sign_payload,
                "Sign bodies with their SHA-256 (the server then hashes them) instead of "
                "UNSIGNED-PAYLOAD")
      ->group(load);
  cmd->add_flag("--cleanup", a.cleanup,
                "Afterwards delete every object under --prefix, and the bucket if the run "
                "created it")
      ->group(load);
  cmd->add_option("--server-pid", a.server_pids,
                  "Report this process's CPU time and peak memory over the timed window "
                  "(repeatable: a server on this machine, e.g. nginx's master and workers)")
      ->group("Output");
  a.progress_option = cmd->add_flag("--progress,!--no-progress", a.progress,
                                    "A progress line on stderr (default: when it is a terminal; "
                                    "a line every 5 s when it is not)")
                          ->group("Output");
}

void AddSize(CLI::App* cmd, BenchArgs& a, const char* what) {
  cmd->add_option("-s,--size", a.size, what)->capture_default_str()->group("Load");
}

void AddDataSet(CLI::App* cmd, BenchArgs& a) {
  cmd->add_option("--objects", a.objects,
                  "Objects in the data set (written first unless a sample shows them there)")
      ->capture_default_str()
      ->group("Load");
  cmd->add_option("--prepare-concurrency", a.prepare_concurrency, "Workers that write the data set")
      ->capture_default_str()
      ->group("Load");
}

CLI::App* AddWorkload(CLI::App& bench, Commands& commands, Workload w, const char* help,
                      std::shared_ptr<BenchArgs> args, const std::string& examples) {
  args->workload = w;
  CLI::App* cmd = bench.add_subcommand(WorkloadName(w), help);
  AddLoadOptions(cmd, *args);
  commands.Leaf(
      cmd, [args](CommandContext& ctx) { return RunBench(ctx, *args); }, examples);
  return cmd;
}

}  // namespace

void AddBenchCommands(CLI::App& app, Commands& commands) {
  CLI::App* bench = app.add_subcommand(
      "bench", "Load generator: ops/s, MB/s and latency percentiles of an S3 (or HTTP) server");
  bench->require_subcommand(1);
  bench->footer(
      "\nExamples:\n  cairn bench put --size 4KiB --concurrency 64 --duration 10s\n"
      "  cairn bench get --size 1MiB --objects 100 --json\n"
      "  cairn bench get --target plain-http --endpoint http://127.0.0.1:8080 --size 4KiB\n"
      "Latency percentiles are exact (every request's latency is kept). The server comes "
      "from --endpoint and the key flags, CAIRN_* or a profile, as for every command.\n");

  auto put = std::make_shared<BenchArgs>();
  CLI::App* cmd =
      AddWorkload(*bench, commands, Workload::kPut, "PUT new objects", put,
                  R"(  cairn bench put --size 4KiB --concurrency 64 --duration 10s --warmup 2s
  cairn bench put --size 1GiB --concurrency 1 --requests 3 --json
  cairn bench put --target plain-http --endpoint http://127.0.0.1:8080 --size 4KiB -c 64
)");
  AddSize(cmd, *put, "Object size: 4KiB, 1MiB, 1GiB");

  auto get = std::make_shared<BenchArgs>();
  cmd = AddWorkload(*bench, commands, Workload::kGet, "GET random objects of a data set", get,
                    R"(  cairn bench get --size 4KiB --objects 1000 --concurrency 64
  cairn bench get --size 1GiB --objects 1 --concurrency 1 --requests 5
  cairn bench get --target plain-http --endpoint http://127.0.0.1:8080 --size 1MiB
)");
  AddSize(cmd, *get, "Object size");
  AddDataSet(cmd, *get);

  auto mixed = std::make_shared<BenchArgs>();
  cmd = AddWorkload(*bench, commands, Workload::kMixed,
                    "GETs of a data set and PUTs of new keys (or over the set's), at random", mixed,
                    R"(  cairn bench mixed --size 64KiB --objects 1000 --get-ratio 0.7 -c 32
  cairn bench mixed --size 4KiB --objects 10 --overwrite   (GETs racing with overwrites)
)");
  AddSize(cmd, *mixed, "Object size");
  AddDataSet(cmd, *mixed);
  cmd->add_option("--get-ratio", mixed->get_ratio, "Share of GETs (the rest are PUTs)")
      ->capture_default_str()
      ->group("Load");
  cmd->add_flag("--overwrite", mixed->overwrite, "PUT over random keys of the data set")
      ->group("Load");

  auto multipart = std::make_shared<BenchArgs>();
  multipart->size = "256MiB";
  multipart->concurrency = 1;
  cmd =
      AddWorkload(*bench, commands, Workload::kMultipart,
                  "Whole multipart uploads: create, parts in parallel, complete", multipart,
                  R"(  cairn bench multipart --size 1GiB --part-size 64MiB --parts-in-flight 4 -n 3
  cairn bench multipart --size 256MiB --concurrency 4 --duration 30s --json
)");
  AddSize(cmd, *multipart, "Size of each uploaded object");
  cmd->add_option("--part-size", multipart->part_size, "Part size (5MiB to 5GiB)")
      ->capture_default_str()
      ->group("Load");
  cmd->add_option("--parts-in-flight", multipart->parts_in_flight,
                  "Parts of one upload sent at once, each on its own connection")
      ->capture_default_str()
      ->group("Load");

  auto list = std::make_shared<BenchArgs>();
  list->size = "0";
  list->objects = 10000;
  list->concurrency = 1;
  cmd = AddWorkload(*bench, commands, Workload::kList,
                    "ListObjectsV2 pages over a bucket filled with --objects keys", list,
                    R"(  cairn bench list --objects 100000 --max-keys 1000 --duration 10s
  cairn bench list --objects 1000000 --prefixes 10000 --delimiter / --prepare-concurrency 128
    (keys PREFIX/data-0/dNNNN/NNNNNNNN: a delimiter listing of 10,000 common prefixes)
)");
  AddSize(cmd, *list, "Size of the objects the bucket is filled with");
  AddDataSet(cmd, *list);
  cmd->add_option("--prefixes", list->prefixes,
                  "Spread the keys over this many common prefixes (0: all side by side)")
      ->capture_default_str()
      ->group("Load");
  cmd->add_option("--max-keys", list->max_keys, "Keys per page")
      ->capture_default_str()
      ->group("Load");
  cmd->add_option("--delimiter", list->delimiter, "List with this delimiter, e.g. /")
      ->group("Load");
  cmd->add_option("--list-prefix", list->list_prefix,
                  "List under this prefix (default: the data set's, PREFIX/data-SIZE/)")
      ->group("Load");

  auto search = std::make_shared<BenchArgs>();
  search->size = "0";
  search->objects = 10000;
  search->concurrency = 1;
  cmd = AddWorkload(
      *bench, commands, Workload::kSearch,
      "cairn's key search (keys containing --text) over the list workload's bucket", search,
      R"(  cairn bench search --objects 1000000 --prefixes 10000 --text 424242 --limit 1000
    (one key in 10^6 holds it: every page reads the server's budget of 100,000 keys)
  cairn bench search --objects 1000000 --prefixes 10000 --text /00 --limit 1000
    (every key holds it: pages of 1,000 matches, as a ListObjectsV2 page of 1,000 keys)
)");
  AddSize(cmd, *search, "Size of the objects the bucket is filled with");
  AddDataSet(cmd, *search);
  cmd->add_option("--prefixes", search->prefixes,
                  "The data set's layout, as for list (keys spread over this many prefixes)")
      ->capture_default_str()
      ->group("Load");
  cmd->add_option("--text", search->search_text, "The text to find in the keys")->group("Load");
  cmd->add_option("--limit", search->search_limit, "Matches per page (1 to 1000)")
      ->capture_default_str()
      ->group("Load");
}

}  // namespace cairn::cli
