#include "keys/key_ring.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>

#include "common/log_text.h"

namespace cairn::keys {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kLastUsedResolutionMs = 1000;
// A key's last use reaches the store at most once a minute: a busy key costs no write per request.
constexpr int64_t kLastUsedPersistMs = 60'000;

std::string SettingName(std::string_view access_key_id) {
  return std::string(kSettingPrefix) + std::string(access_key_id);
}

int64_t Millis(TimePoint t) { return t.time_since_epoch().count(); }

Error NoSuchKey(std::string_view access_key_id) {
  return Error(ErrorCode::kNoSuchEntity, "There is no access key " + LogSafe(access_key_id) + ".");
}

std::shared_ptr<const auth::Principal> PrincipalOf(const AccessKeyRecord& record) {
  auto principal = std::make_shared<auth::Principal>();
  principal->access_key_id = record.access_key_id;
  principal->permission = record.spec.permission;
  principal->buckets = record.spec.buckets;
  principal->prefixes = record.spec.prefixes;
  principal->expires_at = record.spec.expires_at;
  return principal;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A temporary credential's scope within its parent's: the parent's when none is asked for.
Result<std::vector<std::string>> NarrowScope(
    const std::vector<std::string>& asked, const std::vector<std::string>& parents,
    bool (*within)(const std::string&, const std::vector<std::string>&), std::string_view what) {
  if (asked.empty()) return parents;
  if (parents.empty()) return asked;
  for (const std::string& item : asked) {
    if (!within(item, parents)) {
      return Error(ErrorCode::kAccessDenied, "A temporary credential's " + std::string(what) +
                                                 " must lie within its parent's.");
    }
  }
  return asked;
}

bool BucketWithin(const std::string& bucket, const std::vector<std::string>& buckets) {
  return Contains(buckets, bucket);
}

bool PrefixWithin(const std::string& prefix, const std::vector<std::string>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return prefix.starts_with(p); });
}

}  // namespace

struct KeyRing::Entry {
  AccessKeyRecord record;                                 // last_used_at is in last_used_ms
  std::shared_ptr<const auth::Credential> current;        // the current secret
  std::shared_ptr<const auth::Credential> with_previous;  // and the one in its grace; or null
  std::atomic<int64_t> last_used_ms{0};
  std::atomic<int64_t> persisted_last_used_ms{0};

  Entry(AccessKeyRecord r, const std::string& secret, const std::optional<std::string>& previous)
      : record(std::move(r)) {
    std::shared_ptr<const auth::Principal> principal = PrincipalOf(record);
    current = std::make_shared<auth::Credential>(auth::Credential{{secret}, principal});
    if (previous) {
      with_previous =
          std::make_shared<auth::Credential>(auth::Credential{{secret, *previous}, principal});
    }
    const int64_t used = record.last_used_at ? Millis(*record.last_used_at) : 0;
    last_used_ms = used;
    persisted_last_used_ms = used;
  }

  // Keeps the later use of `older`, this key's entry before a reload.
  void KeepUseOf(const Entry& older) {
    last_used_ms = std::max(last_used_ms.load(), older.last_used_ms.load());
    persisted_last_used_ms =
        std::max(persisted_last_used_ms.load(), older.persisted_last_used_ms.load());
  }

  AccessKeyRecord Snapshot() const {
    AccessKeyRecord out = record;
    if (const int64_t used = last_used_ms.load(); used != 0) {
      out.last_used_at = TimePoint(milliseconds(used));
    }
    return out;
  }
};

KeyRing::KeyRing(meta::MetaStore& store, std::string_view master_key, BuiltinKey builtin,
                 Defer defer, Now now)
    : store_(store),
      secrets_(master_key, "access-key-secret"),
      tokens_(master_key, "session-token"),
      defer_(std::move(defer)),
      now_(std::move(now)),
      builtin_id_(builtin.access_key_id) {
  AccessKeyRecord record;
  record.access_key_id = builtin.access_key_id;
  record.spec.name = "built-in admin key";
  record.spec.permission = auth::Permission::kAdminReadWrite;
  record.created_at = now_();
  record.builtin = true;
  entries_.emplace(
      builtin.access_key_id,
      std::make_unique<Entry>(std::move(record), builtin.secret_access_key, std::nullopt));
}

KeyRing::~KeyRing() = default;

Result<std::unique_ptr<KeyRing::Entry>> KeyRing::MakeEntry(AccessKeyRecord record) const {
  std::optional<std::string> secret = secrets_.Open(record.sealed_secret, record.access_key_id);
  if (!secret) {
    return Error(ErrorCode::kInternalError,
                 "the secret of access key " + LogSafe(record.access_key_id) +
                     " does not open with this master key (is CAIRN_MASTER_KEY the one it was "
                     "made with?)");
  }
  std::optional<std::string> previous;
  if (!record.sealed_previous_secret.empty()) {
    previous = secrets_.Open(record.sealed_previous_secret, record.access_key_id);
  }
  return std::make_unique<Entry>(std::move(record), *secret, previous);
}

Status KeyRing::Load() {
  std::lock_guard write(write_mutex_);
  return LoadLocked();
}

Result<bool> KeyRing::Refresh() {
  auto count = store_.GetSetting(std::string(kChangeCounter));
  if (!count.ok()) return count.error();
  std::lock_guard write(write_mutex_);
  if (*count == loaded_count_) return false;
  if (Status s = LoadLocked(); !s.ok()) return s.error();
  return true;
}

Status KeyRing::LoadLocked() {
  // The count before the keys: a change that commits between the two reads moves the count past
  // the one remembered, so the next Refresh loads again.
  auto count = store_.GetSetting(std::string(kChangeCounter));
  if (!count.ok()) return count.error();
  auto stored = store_.ListSettings(std::string(kSettingPrefix));
  if (!stored.ok()) return stored.error();
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> loaded;
  for (const auto& [name, document] : *stored) {
    Result<AccessKeyRecord> record = DecodeAccessKey(document);
    if (!record.ok()) return record.error();
    if (record->access_key_id == builtin_id_) continue;  // the built-in key wins
    Result<std::unique_ptr<Entry>> entry = MakeEntry(std::move(*record));
    if (!entry.ok()) return entry.error();
    std::string id = (*entry)->record.access_key_id;
    loaded.emplace(std::move(id), std::move(*entry));
  }
  std::unique_lock lock(mutex_);
  for (auto& [id, entry] : loaded) {
    if (auto older = entries_.find(id); older != entries_.end()) entry->KeepUseOf(*older->second);
  }
  loaded.insert(entries_.extract(builtin_id_));
  entries_.swap(loaded);
  loaded_count_ = *count;
  return Status::Ok();
}

Result<std::shared_ptr<const auth::Credential>> KeyRing::Lookup(std::string_view access_key_id,
                                                                std::string_view session_token) {
  const TimePoint now = now_();
  if (!session_token.empty()) return LookupTemporary(access_key_id, session_token, now);
  return LookupPermanent(access_key_id, now);
}

auth::CredentialLookup KeyRing::AsLookup() {
  return [this](std::string_view id, std::string_view token) { return Lookup(id, token); };
}

Result<std::shared_ptr<const auth::Credential>> KeyRing::LookupPermanent(std::string_view id,
                                                                         TimePoint now) {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return Error(ErrorCode::kInvalidAccessKeyId);
  Entry& entry = *it->second;
  const AccessKeyRecord& record = entry.record;
  if (record.spec.expires_at && now >= *record.spec.expires_at) {
    return Error(ErrorCode::kInvalidAccessKeyId);
  }
  RecordUse(entry, now);
  if (entry.with_previous && record.previous_expires_at && now < *record.previous_expires_at) {
    return entry.with_previous;
  }
  return entry.current;
}

Result<std::shared_ptr<const auth::Credential>> KeyRing::LookupTemporary(std::string_view id,
                                                                         std::string_view token,
                                                                         TimePoint now) {
  Result<TemporaryCredential> temporary = OpenSessionToken(tokens_, id, token);
  if (!temporary.ok()) return temporary.error();
  if (now >= temporary->expires_at) return Error(ErrorCode::kExpiredToken);
  Result<std::shared_ptr<const auth::Credential>> parent = LookupPermanent(temporary->parent, now);
  if (!parent.ok()) return Error(ErrorCode::kInvalidAccessKeyId);
  auto principal = std::make_shared<auth::Principal>();
  principal->access_key_id = std::string(id);
  principal->permission = temporary->permission;
  principal->buckets = std::move(temporary->buckets);
  principal->prefixes = std::move(temporary->prefixes);
  principal->parent = (*parent)->principal;
  principal->expires_at = temporary->expires_at;
  return std::shared_ptr<const auth::Credential>(std::make_shared<auth::Credential>(
      auth::Credential{{std::move(temporary->secret_access_key)}, std::move(principal)}));
}

void KeyRing::RecordUse(Entry& entry, TimePoint now) {
  const int64_t at = Millis(now);
  if (at - entry.last_used_ms.load(std::memory_order_relaxed) < kLastUsedResolutionMs) return;
  entry.last_used_ms.store(at, std::memory_order_relaxed);
  int64_t persisted = entry.persisted_last_used_ms.load();
  if (!defer_ || entry.record.builtin || at - persisted < kLastUsedPersistMs ||
      !entry.persisted_last_used_ms.compare_exchange_strong(persisted, at)) {
    return;
  }
  defer_([this, id = entry.record.access_key_id] {
    std::lock_guard write(write_mutex_);
    AccessKeyRecord record;
    {
      std::shared_lock lock(mutex_);
      auto it = entries_.find(id);
      if (it == entries_.end()) return;  // revoked meanwhile: nothing to write back
      record = it->second->Snapshot();
    }
    // Only over a stored key: this ring's copy may be of a key another gateway just revoked.
    Result<bool> s =
        store_.ReplaceSetting(SettingName(record.access_key_id), EncodeAccessKey(record));
    if (!s.ok()) {
      spdlog::warn("could not record the last use of access key {}: {}", LogSafe(id),
                   s.error().Message());
    }
  });
}

Status KeyRing::Store(const AccessKeyRecord& record) {
  return store_.PutSettingCounted(SettingName(record.access_key_id), EncodeAccessKey(record),
                                  std::string(kChangeCounter));
}

std::vector<AccessKeyRecord> KeyRing::List() const {
  std::vector<AccessKeyRecord> out;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [id, entry] : entries_) out.push_back(entry->Snapshot());
  }
  std::sort(out.begin(), out.end(), [](const AccessKeyRecord& a, const AccessKeyRecord& b) {
    return std::tie(b.builtin, a.spec.name, a.access_key_id) <
           std::tie(a.builtin, b.spec.name, b.access_key_id);
  });
  return out;
}

Result<AccessKeyRecord> KeyRing::Get(std::string_view access_key_id) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(access_key_id);
  if (it == entries_.end()) return NoSuchKey(access_key_id);
  return it->second->Snapshot();
}

Result<IssuedKey> KeyRing::Create(const KeySpec& spec,
                                  std::optional<std::chrono::seconds> lifetime) {
  if (Status s = ValidateKeySpec(spec); !s.ok()) return s.error();
  if (lifetime && (*lifetime < kMinKeyLifetime || *lifetime > kMaxKeyLifetime)) {
    return Error(ErrorCode::kInvalidArgument,
                 "A key must expire between 60 seconds and 10 years from now.");
  }
  const TimePoint now = now_();
  IssuedKey issued{{}, NewSecretAccessKey()};
  AccessKeyRecord& record = issued.record;
  record.spec = spec;
  record.spec.expires_at.reset();
  if (lifetime) record.spec.expires_at = now + *lifetime;
  record.created_at = now;
  std::lock_guard write(write_mutex_);
  {
    std::shared_lock lock(mutex_);
    do {
      record.access_key_id = NewAccessKeyId();
    } while (entries_.contains(record.access_key_id));
  }
  record.sealed_secret = secrets_.Seal(issued.secret_access_key, record.access_key_id);
  if (Status s = Store(record); !s.ok()) return s.error();
  auto entry = std::make_unique<Entry>(record, issued.secret_access_key, std::nullopt);
  std::unique_lock lock(mutex_);
  entries_.emplace(record.access_key_id, std::move(entry));
  return issued;
}

Status KeyRing::Revoke(std::string_view access_key_id) {
  std::lock_guard write(write_mutex_);
  Result<AccessKeyRecord> record = Get(access_key_id);
  if (!record.ok()) return record.error();
  if (record->builtin) {
    return Status(ErrorCode::kInvalidArgument,
                  "The built-in admin key cannot be revoked here: change CAIRN_ACCESS_KEY_ID or "
                  "the data dir's credentials.json and restart.");
  }
  // The store first: a key the store still has would come back at the next start.
  if (Status s = store_.PutSettingCounted(SettingName(access_key_id), std::nullopt,
                                          std::string(kChangeCounter));
      !s.ok()) {
    return s;
  }
  std::unique_lock lock(mutex_);
  entries_.erase(entries_.find(access_key_id));
  return Status::Ok();
}

Result<IssuedKey> KeyRing::Rotate(std::string_view access_key_id, std::chrono::seconds grace) {
  if (grace.count() < 0 || grace > kMaxRotationGrace) {
    return Error(ErrorCode::kInvalidArgument, "The grace period must be 0 to 30 days.");
  }
  const TimePoint now = now_();
  std::lock_guard write(write_mutex_);
  Result<AccessKeyRecord> current = Get(access_key_id);
  if (!current.ok()) return current.error();
  if (current->builtin) {
    return Error(ErrorCode::kInvalidArgument,
                 "The built-in admin key cannot be rotated here: change CAIRN_SECRET_ACCESS_KEY or "
                 "the data dir's credentials.json and restart.");
  }
  std::optional<std::string> previous;
  IssuedKey issued{*current, NewSecretAccessKey()};
  AccessKeyRecord& record = issued.record;
  record.sealed_previous_secret.clear();
  record.previous_expires_at.reset();
  if (grace.count() > 0) {
    previous = secrets_.Open(current->sealed_secret, current->access_key_id);
    record.sealed_previous_secret = current->sealed_secret;
    record.previous_expires_at = now + grace;
  }
  record.sealed_secret = secrets_.Seal(issued.secret_access_key, record.access_key_id);
  if (Status s = Store(record); !s.ok()) return s.error();
  auto entry = std::make_unique<Entry>(record, issued.secret_access_key, previous);
  std::unique_lock lock(mutex_);
  entries_[record.access_key_id] = std::move(entry);
  return issued;
}

Result<IssuedTemporary> KeyRing::IssueTemporary(const auth::Principal& signer,
                                                const TemporaryRequest& request) {
  if (signer.temporary()) {
    return Error(ErrorCode::kAccessDenied,
                 "Temporary credentials cannot issue temporary credentials.");
  }
  const std::string parent_id = request.parent.empty() ? signer.access_key_id : request.parent;
  if (parent_id != signer.access_key_id &&
      !auth::PermissionAllows(signer.permission, auth::Action::kManageKeys)) {
    return Error(ErrorCode::kAccessDenied,
                 "Only an admin-rw key may issue temporary credentials for another key.");
  }
  if (request.ttl < kMinTemporaryTtl || request.ttl > kMaxTemporaryTtl) {
    return Error(ErrorCode::kInvalidArgument, "ttlSeconds must be 1 to 129600 (36 hours).");
  }
  const TimePoint now = now_();
  Result<AccessKeyRecord> parent = Get(parent_id);
  if (!parent.ok()) return parent.error();
  const KeySpec& scope = parent->spec;
  if (scope.expires_at && now >= *scope.expires_at) return NoSuchKey(parent_id);

  const auth::Permission permission = request.permission.value_or(scope.permission);
  if (!auth::PermissionWithin(permission, scope.permission)) {
    return Error(ErrorCode::kAccessDenied,
                 "A temporary credential cannot do more than its parent (" +
                     std::string(auth::PermissionName(scope.permission)) + ").");
  }
  if (Status s = ValidateScope(permission, request.buckets, request.prefixes); !s.ok()) {
    return s.error();
  }
  auto buckets = NarrowScope(request.buckets, scope.buckets, BucketWithin, "buckets");
  if (!buckets.ok()) return buckets.error();
  auto prefixes = NarrowScope(request.prefixes, scope.prefixes, PrefixWithin, "prefixes");
  if (!prefixes.ok()) return prefixes.error();

  IssuedTemporary issued;
  TemporaryCredential& credential = issued.credential;
  credential.access_key_id = NewAccessKeyId(kTemporaryKeyLead);
  credential.secret_access_key = NewSecretAccessKey();
  credential.parent = parent_id;
  credential.permission = permission;
  credential.buckets = std::move(*buckets);
  credential.prefixes = std::move(*prefixes);
  credential.expires_at = now + request.ttl;
  if (scope.expires_at) credential.expires_at = std::min(credential.expires_at, *scope.expires_at);
  issued.session_token = SealSessionToken(tokens_, credential);
  return issued;
}

}  // namespace cairn::keys
