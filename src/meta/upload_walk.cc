// The engine-neutral ListMultipartUploads walk; see upload_walk.h for the marker rules.
#include "meta/upload_walk.h"

#include <utility>

#include "meta/list_walk.h"

namespace cairn::meta {
namespace {

// Where a page starts: the lowest key it may hold and, when the page resumes inside the marker
// key's uploads, the upload it resumes after.
struct Start {
  std::string from;
  std::optional<UploadCursor> after;
};

// nullopt: nothing can follow (the marker's group runs to the end of the key space).
std::optional<Start> StartOf(const core::UploadsQuery& q,
                             const std::optional<TimePoint>& initiated) {
  Start start{q.prefix, std::nullopt};
  if (q.key_marker.empty()) return start;
  std::string from = q.key_marker;
  std::optional<UploadCursor> after;
  if (q.upload_id_marker.empty()) {
    from += '\0';  // the byte string right after the marker: its key's uploads are done
  } else if (initiated) {
    after = UploadCursor{q.key_marker, *initiated, q.upload_id_marker};
  }
  if (from >= start.from) start = Start{std::move(from), std::move(after)};
  // A marker inside a common prefix: that prefix was returned already, skip its whole group.
  if (!q.delimiter.empty() && q.key_marker.starts_with(q.prefix)) {
    size_t pos = q.key_marker.find(q.delimiter, q.prefix.size());
    if (pos != std::string::npos) {
      std::optional<std::string> past_group =
          PrefixSuccessor(std::string_view(q.key_marker).substr(0, pos + q.delimiter.size()));
      if (!past_group) return std::nullopt;
      if (*past_group > start.from) start = Start{std::move(*past_group), std::nullopt};
    }
  }
  return start;
}

}  // namespace

Result<core::UploadsPage> WalkUploads(const core::UploadsQuery& q,
                                      const std::optional<TimePoint>& marker_initiated,
                                      UploadScanner& scanner) {
  core::UploadsPage page;
  if (q.max_uploads == 0) return page;  // like max-keys=0: empty and not truncated
  std::optional<Start> start = StartOf(q, marker_initiated);
  if (!start) return page;
  const std::optional<std::string> upper = PrefixSuccessor(q.prefix);

  uint64_t emitted = 0;
  // One more row than the page holds tells whether the listing is truncated.
  if (Status s = scanner.Seek(start->from, start->after, upper, uint64_t{q.max_uploads} + 1);
      !s.ok()) {
    return s;
  }
  std::string key;
  while (true) {
    Result<bool> more = scanner.Next(&key);
    if (!more.ok()) return more.error();
    if (!*more) break;
    if (emitted == q.max_uploads) {
      page.truncated = true;
      break;
    }
    size_t pos = q.delimiter.empty() ? std::string::npos : key.find(q.delimiter, q.prefix.size());
    if (pos == std::string::npos) {
      Result<core::UploadRecord> upload = scanner.Current();
      if (!upload.ok()) return upload.error();
      page.next_key_marker = upload->key;
      page.next_upload_id_marker = upload->upload_id;
      page.uploads.push_back(std::move(*upload));
      ++emitted;
      continue;
    }
    std::string common = key.substr(0, pos + q.delimiter.size());
    std::optional<std::string> past_group = PrefixSuccessor(common);
    page.next_key_marker = common;
    page.next_upload_id_marker.clear();
    page.common_prefixes.push_back(std::move(common));
    ++emitted;
    if (!past_group || (upper && *past_group >= *upper)) break;  // the group ends the range
    if (Status s = scanner.Seek(*past_group, std::nullopt, upper, q.max_uploads - emitted + 1);
        !s.ok()) {
      return s;
    }
  }
  return page;
}

}  // namespace cairn::meta
