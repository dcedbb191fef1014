// Every access key the server knows, in memory, in front of the metadata store that keeps them.
// Lookups (one per request, on the event loop) never touch the store; changes (create, revoke,
// rotate) write the store first and then the memory, so a revoked key stops on the next request.
// Several gateways may share one store: each change is counted in the store in the same
// transaction (kChangeCounter), and Refresh, called every few hundred milliseconds, reloads the
// ring when the count moved, so a change made on another gateway is honoured here as soon.
// The built-in admin key (CAIRN_ACCESS_KEY_ID or the data dir's credentials.json) is listed but
// never stored, revoked or rotated here. Temporary credentials are sealed in their session tokens
// (keys/temporary_credential.h) and cost the ring nothing to issue.
//
// Thread-safe. Lookup, List and Get never block on I/O; Load, Create, Revoke and Rotate write the
// store and block (run them on a worker pool).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/request_auth.h"
#include "common/status.h"
#include "keys/access_key.h"
#include "keys/secret_box.h"
#include "keys/temporary_credential.h"
#include "meta/meta_store.h"

namespace cairn::keys {

struct BuiltinKey {
  std::string access_key_id;
  std::string secret_access_key;
};

// A key with its secret in the clear: what create and rotate answer, once.
struct IssuedKey {
  AccessKeyRecord record;
  std::string secret_access_key;
};

struct TemporaryRequest {
  std::string parent;  // empty: the key that asks
  std::chrono::seconds ttl{3600};
  std::optional<auth::Permission> permission;  // empty: the parent's
  std::vector<std::string> buckets;            // empty: the parent's
  std::vector<std::string> prefixes;           // empty: the parent's
};

struct IssuedTemporary {
  TemporaryCredential credential;
  std::string session_token;
};

inline constexpr std::chrono::seconds kMinKeyLifetime{60};
inline constexpr std::chrono::seconds kMaxKeyLifetime{10LL * 366 * 24 * 3600};
inline constexpr std::chrono::seconds kMaxRotationGrace{30 * 24 * 3600};
inline constexpr std::chrono::seconds kMinTemporaryTtl{1};
inline constexpr std::chrono::seconds kMaxTemporaryTtl{36 * 3600};

class KeyRing {
 public:
  // Runs a deferred store write (a key's last-used time) off the caller's thread.
  using Defer = std::function<void(std::function<void()>)>;
  using Now = std::function<TimePoint()>;

  // `master_key`: 32 bytes. `defer` null: last-used times are kept in memory only.
  KeyRing(meta::MetaStore& store, std::string_view master_key, BuiltinKey builtin, Defer defer = {},
          Now now = NowMillis);
  ~KeyRing();

  // Reads every stored key, replacing what the ring held (keys another gateway revoked go).
  // Errors: the store's, or InternalError for a record that does not decode or whose secret does
  // not open with this master key (the wrong CAIRN_MASTER_KEY); the ring is then left as it was.
  Status Load();
  // Load, if a key changed in the store since the last Load (one indexed read when nothing did).
  // Returns whether it reloaded.
  Result<bool> Refresh();

  // The credential for a request signed with `access_key_id` (and `session_token`, for temporary
  // credentials): see auth::CredentialLookup for the errors. Records the key's last use.
  Result<std::shared_ptr<const auth::Credential>> Lookup(std::string_view access_key_id,
                                                         std::string_view session_token);
  auth::CredentialLookup AsLookup();

  // Every key, built-in first, then by name and id. Never secrets.
  std::vector<AccessKeyRecord> List() const;
  // Errors: NoSuchEntity.
  Result<AccessKeyRecord> Get(std::string_view access_key_id) const;

  // A key that expires `lifetime` from now (nullopt: never); `spec.expires_at` is set from it.
  // Errors: InvalidArgument (ValidateKeySpec; a lifetime outside 60 s to 10 years).
  Result<IssuedKey> Create(const KeySpec& spec,
                           std::optional<std::chrono::seconds> lifetime = std::nullopt);
  // Errors: NoSuchEntity, InvalidArgument for the built-in key.
  Status Revoke(std::string_view access_key_id);
  // A new secret; the old one keeps working for `grace` (0: stops at once). Errors: NoSuchEntity,
  // InvalidArgument for the built-in key or a grace beyond 30 days.
  Result<IssuedKey> Rotate(std::string_view access_key_id, std::chrono::seconds grace);

  // Issues a temporary credential for `signer` (docs/access-keys.md). Errors: AccessDenied (a
  // temporary signer, another parent without admin-rw, more than the parent may do),
  // NoSuchEntity (no such parent), InvalidArgument (a ttl outside 1 s to 36 h, a bad scope).
  Result<IssuedTemporary> IssueTemporary(const auth::Principal& signer,
                                         const TemporaryRequest& request);

 private:
  struct Entry;

  Result<std::shared_ptr<const auth::Credential>> LookupPermanent(std::string_view id,
                                                                  TimePoint now);
  Result<std::shared_ptr<const auth::Credential>> LookupTemporary(std::string_view id,
                                                                  std::string_view token,
                                                                  TimePoint now);
  Result<std::unique_ptr<Entry>> MakeEntry(AccessKeyRecord record) const;
  void RecordUse(Entry& entry, TimePoint now);
  Status Store(const AccessKeyRecord& record);  // a change, counted; under write_mutex_
  Status LoadLocked();                          // under write_mutex_

  meta::MetaStore& store_;
  const SecretBox secrets_;  // stored secrets
  const SecretBox tokens_;   // session tokens
  Defer defer_;
  Now now_;
  std::string builtin_id_;
  mutable std::shared_mutex mutex_;  // guards entries_
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
  std::mutex write_mutex_;  // one store write or load at a time, so that a load never drops a
                            // change of this ring's own made between its read and its swap
  std::optional<std::string> loaded_count_;  // kChangeCounter as of the last Load; write_mutex_
};

}  // namespace cairn::keys
