// The workloads' operations. Each worker owns its lanes (connections), created before the run, so
// the only state workers share is the read-only payload block and the run's counters.
#include "cli/bench_workloads.h"

#include <cinttypes>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <thread>

#include "cli/args.h"
#include "cli/bench_args.h"
#include "cli/errors.h"
#include "client/xml.h"
#include "common/ascii.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::cli {
namespace {

using Lanes = std::vector<std::unique_ptr<Lane>>;

Lanes MakeLanes(const Target& target, size_t n) {
  Lanes lanes;
  for (size_t i = 0; i < n; ++i) lanes.push_back(std::make_unique<Lane>(target));
  return lanes;
}

std::string SignedHash(const BenchSettings& s, const Payload& payload, uint64_t size) {
  return s.target.sign_payload ? payload.Sha256Hex(size) : std::string();
}

void PutObject(Lane& lane, const BenchSettings& s, const Payload& payload, const std::string& key,
               uint64_t size, const std::string& sha256, const WorkerContext& w) {
  Body body = payload.MakeBody(size, w.meter, w.cancel);
  LaneRequest request{"PUT", s.bucket, key};
  request.body = &body;
  request.payload_sha256 = sha256;
  lane.SendOk(request);
}

// A GET whose body is counted and dropped; a short body is an error.
uint64_t GetObject(Lane& lane, const BenchSettings& s, const std::string& key, uint64_t size,
                   const WorkerContext& w) {
  LaneRequest request{"GET", s.bucket, key};
  uint64_t received = 0;
  lane.SendOk(request, CountingSink(w.meter, w.cancel, &received));
  if (received != size) {
    throw std::runtime_error("GET " + key + ": " + std::to_string(received) + " of " +
                             std::to_string(size) + " bytes");
  }
  return received;
}

uint64_t RandomIndex(WorkerContext& w, uint64_t count) {
  return std::uniform_int_distribution<uint64_t>(0, count - 1)(w.random);
}

// Keys checked to decide whether a data set is already in place: both ends and evenly between.
std::vector<uint64_t> SampleIndexes(uint64_t count) {
  std::vector<uint64_t> out;
  if (count == 0) return out;
  constexpr uint64_t kSamples = 16;
  for (uint64_t i = 0; i < kSamples && i < count; ++i) out.push_back(i * count / kSamples);
  out.push_back(count - 1);
  return out;
}

bool DataSetPresent(const BenchSettings& s, const std::string& set, uint64_t count, uint64_t size,
                    uint64_t common_prefixes) {
  Lane lane(s.target);
  for (uint64_t index : SampleIndexes(count)) {
    LaneRequest head{"HEAD", s.bucket, DataSetKey(set, index, common_prefixes)};
    head.head = true;
    client::HttpResponse response = lane.Send(head);
    if (response.status != 200) return false;
    if (response.Header("content-length").value_or("") != std::to_string(size)) return false;
  }
  return count > 0;
}

// The report of a run that must not fail (preparing data): any error ends the command.
void ExpectNoErrors(const BenchReport& report, const std::string& what) {
  if (report.total.errors == 0 && report.cancelled == 0) return;
  throw CliError(kExitS3Error, what + ": " + std::to_string(report.total.errors) + " of " +
                                   std::to_string(report.total.errors + report.total.operations) +
                                   " requests failed (first: " + report.first_error + ")");
}

std::string ExpandEntities(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool expanded = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size();
          expanded = true;
          break;
        }
      }
    }
    if (!expanded) out += text[i++];
  }
  return out;
}

uint64_t CountOf(std::string_view text, std::string_view tag) {
  uint64_t n = 0;
  for (size_t at = text.find(tag); at != std::string_view::npos; at = text.find(tag, at + 1)) ++n;
  return n;
}

// The text of the first <tag>...</tag>, or nullopt.
std::optional<std::string_view> ElementText(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const size_t start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  const size_t end = xml.find("</" + std::string(tag) + ">", start + open.size());
  if (end == std::string_view::npos) return std::nullopt;
  return xml.substr(start + open.size(), end - start - open.size());
}

}  // namespace

ListPageScan ScanSearchPage(std::string_view json) {
  // Inside a JSON string every quote is escaped, so an unescaped "name": is always a name.
  ListPageScan scan;
  scan.entries = CountOf(json, "\"storageClass\":");
  static constexpr std::string_view kCursor = "\"cursor\":\"";
  if (const size_t at = json.find(kCursor); at != std::string_view::npos) {
    const size_t start = at + kCursor.size();
    const size_t end = json.find('"', start);  // base64: nothing to unescape
    if (end != std::string_view::npos) {
      scan.truncated = true;
      scan.next_token = std::string(json.substr(start, end - start));
    }
  }
  return scan;
}

ListPageScan ScanListPage(std::string_view xml) {
  ListPageScan scan;
  scan.entries = CountOf(xml, "<Contents>") + CountOf(xml, "<CommonPrefixes>");
  scan.truncated = ElementText(xml, "IsTruncated").value_or("") == "true";
  if (auto token = ElementText(xml, "NextContinuationToken"))
    scan.next_token = ExpandEntities(*token);
  return scan;
}

void PrepareDataSet(const BenchSettings& s, const Payload& payload, uint64_t count, uint64_t size,
                    uint64_t common_prefixes) {
  const std::string set = DataSetPrefix(s.prefix, size);
  if (DataSetPresent(s, set, count, size, common_prefixes)) {
    std::fprintf(stderr, "cairn bench: using the %" PRIu64 " objects already under %s/%s\n", count,
                 s.bucket.c_str(), set.c_str());
    return;
  }
  std::fprintf(stderr, "cairn bench: writing %" PRIu64 " objects of %s under %s/%s\n", count,
               HumanSize(size).c_str(), s.bucket.c_str(), set.c_str());
  RunPlan plan;
  plan.label = "prepare";
  plan.kinds = {"PUT"};
  plan.concurrency = static_cast<unsigned>(std::min<uint64_t>(s.prepare_concurrency, count));
  plan.requests = count;
  plan.progress = s.plan.progress;
  const Lanes lanes = MakeLanes(s.target, plan.concurrency);
  const std::string sha256 = SignedHash(s, payload, size);
  std::atomic<uint64_t> next{0};
  const BenchReport report = RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    const uint64_t index = next++;
    PutObject(*lanes[w.index], s, payload, DataSetKey(set, index, common_prefixes), size, sha256,
              w);
    out.bytes = size;
  });
  ExpectNoErrors(report, "preparing the data set");
  std::fprintf(stderr, "cairn bench: wrote %" PRIu64 " objects in %.1f s (%.0f/s)\n", count,
               report.seconds, report.seconds > 0 ? count / report.seconds : 0.0);
}

BenchReport RunPutBench(const BenchSettings& s, const Payload& payload) {
  RunPlan plan = s.plan;
  plan.label = "put";
  plan.kinds = {"PUT"};
  const Lanes lanes = MakeLanes(s.target, plan.concurrency);
  const std::string sha256 = SignedHash(s, payload, s.size);
  return RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    PutObject(*lanes[w.index], s, payload, NewObjectKey(s.prefix, s.run_id, w.index, w.seq), s.size,
              sha256, w);
    out.bytes = s.size;
  });
}

BenchReport RunGetBench(const BenchSettings& s, const Payload& payload) {
  PrepareDataSet(s, payload, s.objects, s.size, 0);
  RunPlan plan = s.plan;
  plan.label = "get";
  plan.kinds = {"GET"};
  const Lanes lanes = MakeLanes(s.target, plan.concurrency);
  const std::string set = DataSetPrefix(s.prefix, s.size);
  return RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    const std::string key = DataSetKey(set, RandomIndex(w, s.objects), 0);
    out.bytes = GetObject(*lanes[w.index], s, key, s.size, w);
  });
}

BenchReport RunMixedBench(const BenchSettings& s, const Payload& payload) {
  PrepareDataSet(s, payload, s.objects, s.size, 0);
  RunPlan plan = s.plan;
  plan.label = "mixed";
  plan.kinds = {"GET", "PUT"};
  const Lanes lanes = MakeLanes(s.target, plan.concurrency);
  const std::string set = DataSetPrefix(s.prefix, s.size);
  const std::string sha256 = SignedHash(s, payload, s.size);
  return RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    const bool get = std::bernoulli_distribution(s.get_ratio)(w.random);
    const std::string key = DataSetKey(set, RandomIndex(w, s.objects), 0);
    if (get) {
      out.kind = 0;
      out.bytes = GetObject(*lanes[w.index], s, key, s.size, w);
    } else {
      out.kind = 1;
      PutObject(*lanes[w.index], s, payload,
                s.overwrite ? key : NewObjectKey(s.prefix, s.run_id, w.index, w.seq), s.size,
                sha256, w);
      out.bytes = s.size;
    }
  });
}

namespace {

// One multipart upload: create, parts from `part_lanes` (one thread each), complete. On failure
// the upload is aborted (best effort) and the first error rethrown.
void UploadMultipart(const BenchSettings& s, const Payload& payload, Lanes& part_lanes,
                     const std::string& key, const std::string& part_sha256,
                     const std::string& last_sha256, const WorkerContext& w) {
  Lane& lane = *part_lanes[0];
  LaneRequest create{"POST", s.bucket, key, {{"uploads", ""}}};
  const client::HttpResponse created = lane.SendOk(create);
  std::optional<client::XmlElement> doc = client::ParseXml(created.body);
  const std::string upload_id = doc ? doc->ChildText("UploadId") : "";
  if (upload_id.empty())
    throw std::runtime_error("CreateMultipartUpload: no UploadId in the answer");

  const uint64_t parts = (s.size + s.part_size - 1) / s.part_size;
  std::vector<std::string> etags(parts);
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mu;
  auto send_parts = [&](Lane& part_lane) {
    for (uint64_t p = next++; p < parts && !failed; p = next++) {
      try {
        const uint64_t length = std::min(s.part_size, s.size - p * s.part_size);
        Body body = payload.MakeBody(length, w.meter, w.cancel);
        LaneRequest put{
            "PUT", s.bucket, key, {{"partNumber", std::to_string(p + 1)}, {"uploadId", upload_id}}};
        put.body = &body;
        put.payload_sha256 = length == s.part_size ? part_sha256 : last_sha256;
        etags[p] = part_lane.SendOk(put).Header("etag").value_or("");
      } catch (...) {
        std::lock_guard lock(error_mu);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t in_flight = std::min<uint64_t>(part_lanes.size(), parts);
  for (size_t i = 1; i < in_flight; ++i) threads.emplace_back(send_parts, std::ref(*part_lanes[i]));
  send_parts(lane);
  for (std::thread& t : threads) t.join();
  if (first_error) {
    try {
      LaneRequest abort{"DELETE", s.bucket, key, {{"uploadId", upload_id}}};
      lane.Send(abort);
    } catch (...) {
    }
    std::rethrow_exception(first_error);
  }

  std::string xml = "<CompleteMultipartUpload>";
  for (uint64_t p = 0; p < parts; ++p) {
    xml += "<Part><PartNumber>" + std::to_string(p + 1) + "</PartNumber><ETag>" +
           client::XmlEscape(etags[p]) + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  Body body = Body::FromString(xml);
  LaneRequest complete{"POST", s.bucket, key, {{"uploadId", upload_id}}};
  complete.body = &body;
  complete.payload_sha256 = HexEncode(Sha256(xml));
  const client::HttpResponse completed = lane.SendOk(complete);
  // S3 may answer 200 and report a failure in the document.
  std::optional<client::XmlElement> answer = client::ParseXml(completed.body);
  if (!answer || answer->name != "CompleteMultipartUploadResult") {
    throw std::runtime_error("CompleteMultipartUpload " + key + ": " +
                             (answer ? answer->ChildText("Code") : "no XML answer"));
  }
}

}  // namespace

BenchReport RunMultipartBench(const BenchSettings& s, const Payload& payload) {
  RunPlan plan = s.plan;
  plan.label = "multipart";
  plan.kinds = {"UPLOAD"};
  std::vector<Lanes> lanes;
  for (unsigned i = 0; i < plan.concurrency; ++i) {
    lanes.push_back(MakeLanes(s.target, s.parts_in_flight));
  }
  const std::string part_sha256 = SignedHash(s, payload, s.part_size);
  const uint64_t last = s.size % s.part_size;
  const std::string last_sha256 = last ? SignedHash(s, payload, last) : part_sha256;
  return RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    UploadMultipart(s, payload, lanes[w.index], NewObjectKey(s.prefix, s.run_id, w.index, w.seq),
                    part_sha256, last_sha256, w);
    out.bytes = s.size;
  });
}

namespace {

// The list workload's data set, in place; returns the prefix the pages are read under.
std::string PagedDataSet(const BenchSettings& s, const Payload& payload) {
  PrepareDataSet(s, payload, s.objects, s.size, s.common_prefixes);
  return s.list_prefix.empty() ? DataSetPrefix(s.prefix, s.size) : s.list_prefix;
}

// Each worker walks a paged answer page by page and starts over at the end: `request` makes the
// request of the page after `token` ("" for the first), `scan` reads an answer. `kind` names the
// requests in the report.
BenchReport WalkPages(const BenchSettings& s, const std::string& kind,
                      const std::function<LaneRequest(const std::string& token)>& request,
                      const std::function<ListPageScan(std::string_view body)>& scan) {
  RunPlan plan = s.plan;
  plan.label = AsciiLowercase(kind);
  plan.kinds = {kind};
  const Lanes lanes = MakeLanes(s.target, plan.concurrency);
  std::vector<std::string> tokens(plan.concurrency);
  return RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    std::string& token = tokens[w.index];
    LaneRequest page_request = request(token);
    const auto start = std::chrono::steady_clock::now();
    const client::HttpResponse response = lanes[w.index]->SendOk(page_request);
    out.nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    w.meter->bytes.fetch_add(response.body.size(), std::memory_order_relaxed);
    out.bytes = response.body.size();
    const ListPageScan page = scan(response.body);
    out.items = page.entries;
    token = page.truncated ? page.next_token : "";
  });
}

}  // namespace

BenchReport RunListBench(const BenchSettings& s, const Payload& payload) {
  const std::string prefix = PagedDataSet(s, payload);
  return WalkPages(
      s, "LIST",
      [&](const std::string& token) {
        LaneRequest list{
            "GET", s.bucket, "", {{"list-type", "2"}, {"max-keys", std::to_string(s.max_keys)}}};
        list.query.emplace_back("prefix", prefix);
        if (!s.delimiter.empty()) list.query.emplace_back("delimiter", s.delimiter);
        if (!token.empty()) list.query.emplace_back("continuation-token", token);
        return list;
      },
      [&](std::string_view body) {
        ListPageScan page = ScanListPage(body);
        if (page.entries == 0)
          throw std::runtime_error("ListObjectsV2 of " + prefix + ": an empty page");
        return page;
      });
}

BenchReport RunSearchBench(const BenchSettings& s, const Payload& payload) {
  const std::string prefix = PagedDataSet(s, payload);
  // The admin API's path, as `cairn object find` sends it: the "bucket" _cairn, the "key" admin/...
  const std::string path = "admin/buckets/" + s.bucket + "/search";
  return WalkPages(
      s, "SEARCH",
      [&](const std::string& token) {
        LaneRequest search{
            "GET",
            "_cairn",
            path,
            {{"q", s.search_text}, {"prefix", prefix}, {"limit", std::to_string(s.search_limit)}}};
        if (!token.empty()) search.query.emplace_back("cursor", token);
        return search;
      },
      // A page may hold no match: it read its budget of keys and found none.
      [](std::string_view body) { return ScanSearchPage(body); });
}

}  // namespace cairn::cli
