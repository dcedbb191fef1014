// The six workloads of `cairn bench`, each a function from settings to a report:
//   put        new keys, --size bytes each
//   get        random keys of a data set of --objects objects (prepared first when missing)
//   mixed      the same data set, GET with probability --get-ratio, else PUT of a new key (or,
//              with --overwrite, over a random key of the set)
//   multipart  whole multipart uploads of --size in --part-size parts, --parts-in-flight at once
//   list       ListObjectsV2 pages (--max-keys, optional --delimiter) over a data set of
//              --objects keys spread over --prefixes common prefixes (filled first when missing)
//   search     cairn's key search (GET /_cairn/admin/buckets/B/search) for --text over the list
//              workload's data set, --limit matches a page
// Preparing and filling use the same lanes with --prepare-concurrency workers and are not timed.
#pragma once

#include <cstdint>
#include <string>

#include "cli/bench_payload.h"
#include "cli/bench_report.h"
#include "cli/bench_runner.h"
#include "cli/bench_transport.h"

namespace cairn::cli {

struct BenchSettings {
  Target target;
  std::string bucket;
  std::string prefix;  // every key the run touches starts with it
  std::string run_id;  // names the new keys of this run
  uint64_t size = 0;
  uint64_t objects = 0;
  RunPlan plan;  // concurrency, warmup, duration, requests, cancel, progress
  unsigned prepare_concurrency = 32;
  double get_ratio = 0.7;        // mixed
  bool overwrite = false;        // mixed: PUT over the data set's keys instead of new ones
  uint64_t part_size = 0;        // multipart
  unsigned parts_in_flight = 2;  // multipart
  uint64_t common_prefixes = 0;  // list (and the layout of its data set)
  uint32_t max_keys = 1000;      // list
  std::string delimiter;         // list
  std::string list_prefix;       // list: what to list under (default: the data set's prefix)
  std::string search_text;       // search
  uint32_t search_limit = 100;   // search: matches per page
};

BenchReport RunPutBench(const BenchSettings& settings, const Payload& payload);
BenchReport RunGetBench(const BenchSettings& settings, const Payload& payload);
BenchReport RunMixedBench(const BenchSettings& settings, const Payload& payload);
BenchReport RunMultipartBench(const BenchSettings& settings, const Payload& payload);
BenchReport RunListBench(const BenchSettings& settings, const Payload& payload);
BenchReport RunSearchBench(const BenchSettings& settings, const Payload& payload);

// What the generator needs from a ListObjectsV2 page: how many entries it has, and where the next
// one starts. A scan for a few tags rather than an XML parse: parsing a 1,000-key page costs the
// client about as much as the server spends producing it, and would be measured as the server's.
struct ListPageScan {
  uint64_t entries = 0;  // <Contents> and <CommonPrefixes>
  bool truncated = false;
  std::string next_token;  // NextContinuationToken, entities expanded
};
ListPageScan ScanListPage(std::string_view xml);

// The same of a key search page (JSON: {"cursor": C or null, "matches": [...], "scanned": N}):
// its matches and its cursor (empty at the end). A scan for two names, for the same reason.
ListPageScan ScanSearchPage(std::string_view json);

// Makes sure the data set of `count` objects of `size` bytes (layout `common_prefixes`) is there:
// a sample of its keys is checked with HEAD, and if any is missing or of another size every
// object is written. Messages go to stderr. Throws CliError when writing fails.
void PrepareDataSet(const BenchSettings& settings, const Payload& payload, uint64_t count,
                    uint64_t size, uint64_t common_prefixes);

}  // namespace cairn::cli
