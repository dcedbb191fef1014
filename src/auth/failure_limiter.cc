#include "auth/failure_limiter.h"

#include <algorithm>

namespace cairn::auth {

namespace {

// A limit of no failures at all would lock everyone out: one is the least.
FailureLimits AtLeastOneFailure(FailureLimits limits) {
  limits.max_failures = std::max(limits.max_failures, 1);
  return limits;
}

}  // namespace

FailureLimiter::FailureLimiter(FailureLimits limits, Clock clock)
    : limits_(AtLeastOneFailure(limits)), clock_(std::move(clock)) {}

std::chrono::seconds FailureLimiter::RetryAfterLocked(const Entry& entry, TimePoint now) const {
  const TimePoint horizon = now - limits_.window;
  const auto live = std::count_if(entry.failures.begin(), entry.failures.end(),
                                  [horizon](TimePoint t) { return t > horizon; });
  if (live < limits_.max_failures) return std::chrono::seconds(0);
  // Full of live failures: the oldest one leaving the window lets the next attempt in.
  const auto wait = entry.failures.front() + limits_.window - now;
  const auto rounded_up = std::chrono::ceil<std::chrono::seconds>(wait);
  return std::max(rounded_up, std::chrono::seconds(1));
}

std::chrono::seconds FailureLimiter::RetryAfter(std::string_view id) const {
  id = id.substr(0, kMaxIdBytes);
  const TimePoint now = clock_();
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it == index_.end()) return std::chrono::seconds(0);
  return RetryAfterLocked(*it->second, now);
}

std::chrono::seconds FailureLimiter::RecordFailure(std::string_view id) {
  id = id.substr(0, kMaxIdBytes);
  const TimePoint now = clock_();
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it != index_.end()) {
    entries_.splice(entries_.begin(), entries_, it->second);  // now the most recently failed
  } else {
    if (index_.size() >= limits_.max_tracked && !entries_.empty()) {
      index_.erase(entries_.back().id);
      entries_.pop_back();
    }
    entries_.push_front(Entry{std::string(id), {}});
    entries_.front().failures.reserve(static_cast<size_t>(limits_.max_failures));
    index_.emplace(entries_.front().id, entries_.begin());
  }
  Entry& entry = entries_.front();
  const std::chrono::seconds retry_after = RetryAfterLocked(entry, now);
  const TimePoint horizon = now - limits_.window;
  std::erase_if(entry.failures, [horizon](TimePoint t) { return t <= horizon; });
  if (entry.failures.size() >= static_cast<size_t>(limits_.max_failures)) {
    entry.failures.erase(entry.failures.begin());
  }
  entry.failures.push_back(now);
  return retry_after;
}

size_t FailureLimiter::tracked() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}

}  // namespace cairn::auth
