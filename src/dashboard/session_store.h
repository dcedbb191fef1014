// The dashboard's sign-in sessions: an unguessable token (the session cookie's value) per
// signed-in browser, mapped to the access key it signed in with and its expiry. Sessions live in
// memory only, so a restart signs everybody out: the safe way to fail. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/time_format.h"

namespace cairn::dashboard {

struct Session {
  std::string token;  // 64 hex characters; only the browser's cookie holds it
  std::string access_key_id;
  // SHA-256 of the secret it signed in with: the session lasts only while that secret is one of
  // the key's (a rotation past its grace period ends it, as a revocation does).
  std::string secret_digest;
  TimePoint expires;
};

class SessionStore {
 public:
  // `capacity` bounds memory: when full, expired sessions go first, then the oldest.
  explicit SessionStore(std::chrono::seconds lifetime, size_t capacity = 4096);

  Session Create(std::string access_key_id, std::string secret_digest, TimePoint now);
  // The live session of `token`, or nullopt (unknown, signed out or expired).
  std::optional<Session> Find(std::string_view token, TimePoint now);
  void Remove(std::string_view token);

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  struct Entry {
    std::string access_key_id;
    std::string secret_digest;
    TimePoint expires;
  };
  void MakeRoom(TimePoint now);  // needs mu_

  const std::chrono::seconds lifetime_;
  const size_t capacity_;
  std::mutex mu_;
  // Keyed by the SHA-256 of the token, so a lookup's timing says nothing about stored tokens.
  std::unordered_map<std::string, Entry> sessions_;
};

}  // namespace cairn::dashboard
