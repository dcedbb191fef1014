// The engine-neutral key search; see key_search.h for the scan budget.
#include "meta/key_search.h"

#include <algorithm>

#include "common/ascii.h"

namespace cairn::meta {

bool KeyContains(std::string_view key, std::string_view substring, bool ignore_ascii_case) {
  if (substring.empty()) return true;
  if (!ignore_ascii_case) return key.find(substring) != std::string_view::npos;
  return std::search(key.begin(), key.end(), substring.begin(), substring.end(),
                     [](char a, char b) { return AsciiLower(a) == AsciiLower(b); }) != key.end();
}

Result<core::SearchPage> WalkSearch(const core::SearchQuery& q, KeyScanner& scanner) {
  core::SearchPage page;
  if (q.max_matches == 0) return page;
  std::string lower = q.prefix;
  // The byte string right after start_after, so the bound stays inclusive (as list_walk.cc).
  if (!q.start_after.empty()) lower = std::max(lower, q.start_after + '\0');
  const std::optional<std::string> upper = PrefixSuccessor(q.prefix);
  if (upper && lower >= *upper) return page;

  const uint64_t budget = std::max<uint64_t>(q.scan_budget, 1);
  if (Status s = scanner.Seek(lower, upper, budget + 1); !s.ok()) return s;
  std::string key;
  std::string last_read;
  while (true) {
    Result<bool> more = scanner.Next(&key);
    if (!more.ok()) return more.error();
    if (!*more) break;
    if (page.scanned == budget) {  // a key beyond the budget: the scan stops before it
      page.truncated = true;
      page.resume_after = std::move(last_read);
      break;
    }
    ++page.scanned;
    if (KeyContains(key, q.substring, q.ignore_ascii_case)) {
      if (page.matches.size() == q.max_matches) {  // one match more than the page holds
        page.truncated = true;
        page.resume_after = page.matches.back().key;
        break;
      }
      Result<core::ObjectRecord> record = scanner.Current();
      if (!record.ok()) return record.error();
      page.matches.push_back(std::move(*record));
    }
    last_read = std::move(key);
  }
  return page;
}

}  // namespace cairn::meta
