#include "dashboard/session_store.h"

#include <algorithm>

#include "common/hashing.h"
#include "common/random.h"

namespace cairn::dashboard {

SessionStore::SessionStore(std::chrono::seconds lifetime, size_t capacity)
    : lifetime_(lifetime), capacity_(std::max<size_t>(1, capacity)) {}

Session SessionStore::Create(std::string access_key_id, std::string secret_digest, TimePoint now) {
  Session session{RandomHex(32), std::move(access_key_id), std::move(secret_digest),
                  now + std::chrono::duration_cast<std::chrono::milliseconds>(lifetime_)};
  std::lock_guard lock(mu_);
  MakeRoom(now);
  sessions_[Sha256(session.token)] =
      Entry{session.access_key_id, session.secret_digest, session.expires};
  return session;
}

std::optional<Session> SessionStore::Find(std::string_view token, TimePoint now) {
  if (token.empty()) return std::nullopt;
  const std::string id = Sha256(token);
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return Session{std::string(token), it->second.access_key_id, it->second.secret_digest,
                 it->second.expires};
}

void SessionStore::Remove(std::string_view token) {
  const std::string id = Sha256(token);
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

void SessionStore::MakeRoom(TimePoint now) {
  if (sessions_.size() < capacity_) return;
  std::erase_if(sessions_, [now](const auto& entry) { return entry.second.expires <= now; });
  if (sessions_.size() < capacity_) return;
  auto oldest = std::min_element(
      sessions_.begin(), sessions_.end(),
      [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
  sessions_.erase(oldest);
}

}  // namespace cairn::dashboard
