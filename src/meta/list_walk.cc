// The engine-neutral ListObjects walk; see list_walk.h for why it seeks past common prefixes.
#include "meta/list_walk.h"

#include <algorithm>

namespace cairn::meta {
namespace {

// Where a page starts: after start_after, inside the prefix, and past start_after's group.
// nullopt: nothing can follow (start_after's group runs to the end of the key space).
std::optional<std::string> LowerBound(const core::ListQuery& q) {
  std::string lower = q.prefix;
  if (!q.start_after.empty()) {
    // The byte string right after start_after, so the bound stays inclusive.
    lower = std::max(lower, q.start_after + '\0');
  }
  if (!q.delimiter.empty() && q.start_after.starts_with(q.prefix)) {
    size_t pos = q.start_after.find(q.delimiter, q.prefix.size());
    if (pos != std::string::npos) {
      std::optional<std::string> past_group =
          PrefixSuccessor(std::string_view(q.start_after).substr(0, pos + q.delimiter.size()));
      if (!past_group) return std::nullopt;
      lower = std::max(lower, *past_group);
    }
  }
  return lower;
}

}  // namespace

std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty() && static_cast<unsigned char>(out.back()) == 0xFF) out.pop_back();
  if (out.empty()) return std::nullopt;
  out.back() = static_cast<char>(static_cast<unsigned char>(out.back()) + 1);
  return out;
}

Result<core::ListPage> WalkListing(const core::ListQuery& q, KeyScanner& scanner) {
  core::ListPage page;
  // S3 answers max-keys=0 with an empty, untruncated page.
  if (q.max_keys == 0) return page;
  std::optional<std::string> lower = LowerBound(q);
  if (!lower) return page;
  // No upper bound for an empty or all-0xFF prefix: every key >= it already starts with it.
  const std::optional<std::string> upper = PrefixSuccessor(q.prefix);

  uint64_t emitted = 0;
  // One more row than the page holds tells whether the listing is truncated.
  if (Status s = scanner.Seek(*lower, upper, uint64_t{q.max_keys} + 1); !s.ok()) return s;
  std::string key;
  while (true) {
    Result<bool> more = scanner.Next(&key);
    if (!more.ok()) return more.error();
    if (!*more) break;
    if (emitted == q.max_keys) {
      page.truncated = true;
      break;
    }
    size_t pos = q.delimiter.empty() ? std::string::npos : key.find(q.delimiter, q.prefix.size());
    if (pos == std::string::npos) {
      Result<core::ObjectRecord> record = scanner.Current();
      if (!record.ok()) return record.error();
      page.objects.push_back(std::move(*record));
      page.next_marker = key;
      ++emitted;
      continue;
    }
    std::string common = key.substr(0, pos + q.delimiter.size());
    std::optional<std::string> past_group = PrefixSuccessor(common);
    page.next_marker = common;
    page.common_prefixes.push_back(std::move(common));
    ++emitted;
    if (!past_group || (upper && *past_group >= *upper)) break;  // the group ends the range
    if (Status s = scanner.Seek(*past_group, upper, q.max_keys - emitted + 1); !s.ok()) return s;
  }
  return page;
}

}  // namespace cairn::meta
