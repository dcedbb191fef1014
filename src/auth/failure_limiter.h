// Counts failed authentication attempts per id (an access key id, a client address) over a sliding
// window, so that guessing can be slowed down. Only failures are recorded: a caller consults the
// limiter when something went wrong (or, for sign-in, before it checks a guess), so requests that
// authenticate never take its lock.
//
// Memory is bounded whatever an attacker sends: at most `max_tracked` ids are remembered (the one
// whose last failure is oldest is forgotten first), each with at most `max_failures` times, and an
// id is remembered by its first kMaxIdBytes bytes only.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cairn::auth {

struct FailureLimits {
  int max_failures = 10;            // failures of one id allowed within `window` (1 or more)
  std::chrono::seconds window{60};  // how long a failure counts
  size_t max_tracked = 10000;       // ids remembered at once
};

class FailureLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Access key ids are at most 128 characters (AWS), addresses far fewer.
  static constexpr size_t kMaxIdBytes = 128;

  explicit FailureLimiter(
      FailureLimits limits = {}, Clock clock = [] { return std::chrono::steady_clock::now(); });

  FailureLimiter(const FailureLimiter&) = delete;
  FailureLimiter& operator=(const FailureLimiter&) = delete;

  // Zero while `id` has had fewer than max_failures failures within the window; otherwise how long
  // until the oldest of them leaves it (whole seconds, at least 1): the Retry-After to send.
  std::chrono::seconds RetryAfter(std::string_view id) const;

  // Records a failure of `id` and returns what RetryAfter(id) was just before it: non-zero when
  // this failure is beyond the limit. A failure beyond the limit is recorded too (it replaces the
  // oldest), so an attacker who keeps failing stays limited.
  std::chrono::seconds RecordFailure(std::string_view id);

  size_t tracked() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    std::string id;
    std::vector<TimePoint> failures;  // oldest first, at most max_failures, maybe some expired
  };

  std::chrono::seconds RetryAfterLocked(const Entry& entry, TimePoint now) const;

  const FailureLimits limits_;
  const Clock clock_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently failed first
  // Keys view the ids inside entries_, whose list nodes never move.
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
};

}  // namespace cairn::auth
