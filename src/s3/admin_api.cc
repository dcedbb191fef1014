// One function per call; each checks its permission class first, reads and checks its JSON, then
// runs the key ring or the bucket documents on the worker pool when it writes or reads the store.
#include "s3/admin_api.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>

#include "common/log_text.h"
#include "core/bucket_service.h"
#include "core/object_search.h"
#include "s3/authorization.h"
#include "s3/handlers.h"
#include "s3/key_search_api.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;

constexpr uint64_t kMaxAdminBody = 64 << 10;

json TimeOrNull(const std::optional<TimePoint>& t) {
  return t ? json(FormatIso8601(*t)) : json(nullptr);
}

json KeyJson(const keys::AccessKeyRecord& key) {
  return json{{"accessKeyId", key.access_key_id},
              {"name", key.spec.name},
              {"permission", auth::PermissionName(key.spec.permission)},
              {"buckets", key.spec.buckets},
              {"prefixes", key.spec.prefixes},
              {"createdAt", FormatIso8601(key.created_at)},
              {"expiresAt", TimeOrNull(key.spec.expires_at)},
              {"lastUsedAt", TimeOrNull(key.last_used_at)},
              {"previousSecretExpiresAt", TimeOrNull(key.previous_expires_at)},
              {"builtin", key.builtin}};
}

json IssuedJson(const keys::IssuedKey& issued) {
  json out = KeyJson(issued.record);
  out["secretAccessKey"] = issued.secret_access_key;
  return out;
}

json TemporaryJson(const keys::IssuedTemporary& issued) {
  const keys::TemporaryCredential& c = issued.credential;
  return json{{"accessKeyId", c.access_key_id},
              {"secretAccessKey", c.secret_access_key},
              {"sessionToken", issued.session_token},
              {"expiresAt", FormatIso8601(c.expires_at)},
              {"parent", c.parent},
              {"permission", auth::PermissionName(c.permission)},
              {"buckets", c.buckets},
              {"prefixes", c.prefixes}};
}

// Secrets travel in some answers: no cache may keep any of them.
Awaitable<Status> RespondJson(RequestContext& ctx, int status, const json& body) {
  http::ResponseHead head = BaseHead(ctx, status);
  head.Set("Cache-Control", "no-store");
  if (status == 204) {
    co_await ctx.exchange.Respond(std::move(head), {});
    co_return Status::Ok();
  }
  head.Set("Content-Type", "application/json");
  const std::string text = body.dump();
  co_await ctx.exchange.Respond(std::move(head), text);
  co_return Status::Ok();
}

Error Invalid(const std::string& message) { return Error(ErrorCode::kInvalidArgument, message); }

Status Require(const RequestContext& ctx, auth::Action action, std::string_view bucket = {}) {
  const auth::Principal* who = ctx.auth.principal.get();
  // A credential that expires must not make, rotate or revoke keys: a permanent key made with it
  // would outlive its expiry and its parent's revocation.
  if (who != nullptr && who->temporary() && action == auth::Action::kManageKeys) {
    return Error(ErrorCode::kAccessDenied,
                 "Access Denied: temporary credentials cannot create, rotate or revoke keys.");
  }
  if (who != nullptr && who->Allows(action, bucket)) return Status::Ok();
  return Error(ErrorCode::kAccessDenied, "Access Denied: this call needs a key that may " +
                                             std::string(auth::ActionName(action)) + ".");
}

// Each call's fields. Arrays, not initializer lists: GCC 12 cannot keep an initializer list alive
// across a co_await (nlohmann::json literals are initializer lists too, hence the plain functions
// that build answers).
using Fields = std::span<const std::string_view>;
constexpr std::string_view kCreateFields[] = {"name", "permission", "buckets", "prefixes",
                                              "expiresInSeconds"};
constexpr std::string_view kRotateFields[] = {"graceSeconds"};
constexpr std::string_view kTemporaryFields[] = {"parent", "ttlSeconds", "permission", "buckets",
                                                 "prefixes"};
constexpr std::string_view kPublicFields[] = {"public"};

// The request's JSON object, whose fields must all be among `known`.
Awaitable<Result<json>> ReadObject(RequestContext& ctx, Fields known) {
  Result<std::string> body = co_await ReadRequestDocument(ctx, kMaxAdminBody, false);
  if (!body.ok() && body.error().code == ErrorCode::kEntityTooLarge) {
    co_return Error(ErrorCode::kEntityTooLarge, "An admin API request body is at most 64 KiB.");
  }
  if (!body.ok()) co_return body.error();
  json doc = body->empty() ? json::object() : json::parse(*body, nullptr, false);
  if (!doc.is_object()) co_return Invalid("The request body must be a JSON object.");
  for (const auto& [name, value] : doc.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      co_return Invalid("Unknown field \"" + name + "\".");
    }
  }
  co_return doc;
}

Result<std::string> StringField(const json& doc, const char* name, bool required) {
  if (!doc.contains(name) || doc[name].is_null()) {
    if (required) return Invalid(std::string("The field \"") + name + "\" is required.");
    return std::string();
  }
  if (!doc[name].is_string()) return Invalid(std::string("\"") + name + "\" must be a string.");
  return doc[name].get<std::string>();
}

Result<std::vector<std::string>> ListField(const json& doc, const char* name) {
  std::vector<std::string> out;
  if (!doc.contains(name) || doc[name].is_null()) return out;
  if (!doc[name].is_array())
    return Invalid(std::string("\"") + name + "\" must be a list of strings.");
  for (const json& item : doc[name]) {
    if (!item.is_string())
      return Invalid(std::string("\"") + name + "\" must be a list of strings.");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::optional<seconds>> SecondsField(const json& doc, const char* name) {
  if (!doc.contains(name) || doc[name].is_null()) return std::optional<seconds>();
  if (!doc[name].is_number_integer()) {
    return Invalid(std::string("\"") + name + "\" must be a whole number of seconds.");
  }
  const int64_t value = doc[name].get<int64_t>();
  // Far beyond every limit, and far from overflowing a time point.
  if (value < 0 || value > 100LL * 366 * 24 * 3600) {
    return Invalid(std::string("\"") + name + "\" is out of range.");
  }
  return std::optional<seconds>(seconds(value));
}

Result<std::optional<auth::Permission>> PermissionField(const json& doc, bool required) {
  Result<std::string> name = StringField(doc, "permission", required);
  if (!name.ok()) return name.error();
  if (name->empty() && !required) return std::optional<auth::Permission>();
  std::optional<auth::Permission> permission = auth::ParsePermission(*name);
  if (!permission) {
    return Invalid("\"permission\" must be admin-rw, admin-ro, object-rw or object-ro.");
  }
  return permission;
}

// "buckets" and "prefixes", both optional.
Status ReadScope(const json& doc, std::vector<std::string>& buckets,
                 std::vector<std::string>& prefixes) {
  auto listed_buckets = ListField(doc, "buckets");
  if (!listed_buckets.ok()) return listed_buckets.error();
  auto listed_prefixes = ListField(doc, "prefixes");
  if (!listed_prefixes.ok()) return listed_prefixes.error();
  buckets = std::move(*listed_buckets);
  prefixes = std::move(*listed_prefixes);
  return Status::Ok();
}

// What POST /keys asks for: the key's spec and its lifetime (none: it never expires).
struct KeyRequest {
  keys::KeySpec spec;
  std::optional<seconds> lifetime;
};

Result<KeyRequest> ParseKeyRequest(const json& doc) {
  KeyRequest request;
  keys::KeySpec& spec = request.spec;
  auto name = StringField(doc, "name", true);
  if (!name.ok()) return name.error();
  spec.name = std::move(*name);
  auto permission = PermissionField(doc, true);
  if (!permission.ok()) return permission.error();
  spec.permission = **permission;
  if (Status s = ReadScope(doc, spec.buckets, spec.prefixes); !s.ok()) return s.error();
  auto lifetime = SecondsField(doc, "expiresInSeconds");
  if (!lifetime.ok()) return lifetime.error();
  request.lifetime = *lifetime;
  return request;
}

Result<keys::TemporaryRequest> ParseTemporaryRequest(const json& doc) {
  keys::TemporaryRequest request;
  auto parent = StringField(doc, "parent", false);
  if (!parent.ok()) return parent.error();
  request.parent = std::move(*parent);
  auto ttl = SecondsField(doc, "ttlSeconds");
  if (!ttl.ok()) return ttl.error();
  request.ttl = ttl->value_or(request.ttl);
  auto permission = PermissionField(doc, false);
  if (!permission.ok()) return permission.error();
  request.permission = *permission;
  if (Status s = ReadScope(doc, request.buckets, request.prefixes); !s.ok()) return s.error();
  return request;
}

HandlerResult CreateKey(RequestContext& ctx) {
  if (Status s = Require(ctx, auth::Action::kManageKeys); !s.ok()) co_return s;
  Result<json> doc = co_await ReadObject(ctx, kCreateFields);
  if (!doc.ok()) co_return doc.error();
  Result<KeyRequest> request = ParseKeyRequest(*doc);
  if (!request.ok()) co_return request.error();
  const keys::KeySpec* spec = &request->spec;
  keys::KeyRing& ring = *ctx.services.keys;
  auto issued = co_await ctx.Blocking([&] { return ring.Create(*spec, request->lifetime); });
  if (!issued.ok()) co_return issued.error();
  spdlog::info("access key {} ({}, \"{}\") created by {}", issued->record.access_key_id,
               auth::PermissionName(spec->permission), LogSafe(spec->name), ctx.auth.access_key_id);
  const json answer = IssuedJson(*issued);  // named: GCC 12 may destroy a co_await temporary twice
  co_return co_await RespondJson(ctx, 200, answer);
}

HandlerResult RotateKey(RequestContext& ctx, const std::string& id) {
  if (Status s = Require(ctx, auth::Action::kManageKeys); !s.ok()) co_return s;
  Result<json> doc = co_await ReadObject(ctx, kRotateFields);
  if (!doc.ok()) co_return doc.error();
  auto grace = SecondsField(*doc, "graceSeconds");
  if (!grace.ok()) co_return grace.error();
  keys::KeyRing& ring = *ctx.services.keys;
  const seconds period = grace->value_or(seconds(0));
  auto issued = co_await ctx.Blocking([&] { return ring.Rotate(id, period); });
  if (!issued.ok()) co_return issued.error();
  spdlog::info("access key {} rotated by {} (old secret valid {} s more)", LogSafe(id),
               ctx.auth.access_key_id, period.count());
  const json answer = IssuedJson(*issued);
  co_return co_await RespondJson(ctx, 200, answer);
}

HandlerResult IssueTemporary(RequestContext& ctx) {
  Result<json> doc = co_await ReadObject(ctx, kTemporaryFields);
  if (!doc.ok()) co_return doc.error();
  Result<keys::TemporaryRequest> request = ParseTemporaryRequest(*doc);
  if (!request.ok()) co_return request.error();
  auto issued = ctx.services.keys->IssueTemporary(*ctx.auth.principal, *request);
  if (!issued.ok()) co_return issued.error();
  spdlog::debug("temporary credential {} issued from {} by {}", issued->credential.access_key_id,
                issued->credential.parent, ctx.auth.access_key_id);
  const json answer = TemporaryJson(*issued);
  co_return co_await RespondJson(ctx, 200, answer);
}

Result<json> WhoAmIJson(const auth::Principal& who, const keys::KeyRing& ring) {
  if (who.temporary()) {
    return json{{"accessKeyId", who.access_key_id},
                {"permission", auth::PermissionName(who.permission)},
                {"buckets", who.buckets},
                {"prefixes", who.prefixes},
                {"temporary", true},
                {"parent", who.parent->access_key_id},
                {"expiresAt", TimeOrNull(who.expires_at)}};
  }
  auto key = ring.Get(who.access_key_id);
  if (!key.ok()) return Error(ErrorCode::kInvalidAccessKeyId);
  json out = KeyJson(*key);
  out["temporary"] = false;
  return out;
}

json KeyListJson(const keys::KeyRing& ring) {
  json list = json::array();
  for (const keys::AccessKeyRecord& key : ring.List()) list.push_back(KeyJson(key));
  return json{{"keys", std::move(list)}};
}

json BucketJson(const core::BucketSummary& summary) {
  return json{{"name", summary.bucket.name},
              {"createdAt", FormatIso8601(summary.bucket.created)},
              {"location", summary.bucket.location},
              {"objectCount", summary.usage.objects},
              {"bytes", summary.usage.bytes}};
}

json BucketListJson(const std::vector<core::BucketSummary>& summaries) {
  json list = json::array();
  for (const core::BucketSummary& summary : summaries) list.push_back(BucketJson(summary));
  return json{{"buckets", std::move(list)}};
}

// GET buckets: every bucket with its figures (an admin key's view, like ListBuckets).
HandlerResult ListBucketFigures(RequestContext& ctx) {
  for (auth::Action needed : {auth::Action::kListBuckets, auth::Action::kReadBucketConfig}) {
    if (Status s = Require(ctx, needed); !s.ok()) co_return s;
  }
  auto summaries = co_await core::ListBucketSummaries(ctx.services.storage);
  if (!summaries.ok()) co_return summaries.error();
  const json answer = BucketListJson(*summaries);
  co_return co_await RespondJson(ctx, 200, answer);
}

// GET buckets/B: one bucket's figures.
HandlerResult BucketFigures(RequestContext& ctx, const std::string& bucket) {
  if (Status s = Require(ctx, auth::Action::kReadBucketConfig, bucket); !s.ok()) co_return s;
  auto summary = co_await core::GetBucketSummary(ctx.services.storage, bucket);
  if (!summary.ok()) co_return summary.error();
  const json answer = BucketJson(*summary);
  co_return co_await RespondJson(ctx, 200, answer);
}

json PublicJson(const std::string& bucket, bool is_public) {
  return json{{"bucket", bucket}, {"public", is_public}};
}

HandlerResult WhoAmI(RequestContext& ctx) {
  Result<json> who = WhoAmIJson(*ctx.auth.principal, *ctx.services.keys);
  if (!who.ok()) co_return who.error();
  co_return co_await RespondJson(ctx, 200, *who);
}

HandlerResult PublicAccess(RequestContext& ctx, const std::string& bucket) {
  const bool write = ctx.head().method == "PUT";
  if (Status s = Require(
          ctx, write ? auth::Action::kManageBuckets : auth::Action::kReadBucketConfig, bucket);
      !s.ok()) {
    co_return s;
  }
  std::optional<bool> wanted;
  if (write) {
    Result<json> doc = co_await ReadObject(ctx, kPublicFields);
    if (!doc.ok()) co_return doc.error();
    if (!doc->contains("public") || !(*doc)["public"].is_boolean()) {
      co_return Invalid("Send {\"public\": true} or {\"public\": false}.");
    }
    wanted = (*doc)["public"].get<bool>();
  }
  if (wanted) {
    Status stored = co_await core::PutBucketPublicAccess(ctx.services.storage, bucket, *wanted);
    if (!stored.ok()) co_return stored;
  }
  auto state = co_await core::GetBucketPublicAccess(ctx.services.storage, bucket);
  if (!state.ok()) co_return state.error();
  const json answer = PublicJson(bucket, *state);
  co_return co_await RespondJson(ctx, 200, answer);
}

// The keys of a bucket containing a substring, a page at a time (s3/key_search_api.h). It shows
// keys as a listing with the same prefix would, so it is allowed as that listing is.
HandlerResult SearchKeys(RequestContext& ctx, const std::string& bucket) {
  const std::string prefix(ctx.query.Get("prefix").value_or(""));
  if (Status s = AuthorizeListing(*ctx.auth.principal, "search keys", bucket, prefix); !s.ok()) {
    co_return s;
  }
  Result<core::SearchRequest> request = ParseSearchRequest(bucket, ctx.query);
  if (!request.ok()) co_return request.error();
  auto page = co_await core::SearchObjects(ctx.services.storage, std::move(*request));
  if (!page.ok()) co_return page.error();
  const json answer = SearchPageJson(*page);
  co_return co_await RespondJson(ctx, 200, answer);
}

std::vector<std::string_view> Segments(std::string_view call) {
  std::vector<std::string_view> out;
  while (!call.empty()) {
    const size_t slash = call.find('/');
    out.push_back(call.substr(0, slash));
    call = slash == std::string_view::npos ? std::string_view() : call.substr(slash + 1);
  }
  return out;
}

}  // namespace

Awaitable<Status> ServeAdminApi(RequestContext& ctx, std::string_view call) {
  if (ctx.services.keys == nullptr) {
    co_return Error(ErrorCode::kNotImplemented, "This server has no admin API.");
  }
  const std::string_view method = ctx.head().method;
  const std::vector<std::string_view> path = Segments(call);
  const Error no_method(ErrorCode::kMethodNotAllowed);
  keys::KeyRing& ring = *ctx.services.keys;

  if (path.size() == 1 && path[0] == "whoami") {
    if (method != "GET") co_return no_method;
    co_return co_await WhoAmI(ctx);
  }
  if (path.size() == 1 && path[0] == "temporary-credentials") {
    if (method != "POST") co_return no_method;
    co_return co_await IssueTemporary(ctx);
  }
  if (path.size() == 1 && path[0] == "keys") {
    if (method == "POST") co_return co_await CreateKey(ctx);
    if (method != "GET") co_return no_method;
    if (Status s = Require(ctx, auth::Action::kReadKeys); !s.ok()) co_return s;
    const json answer = KeyListJson(ring);
    co_return co_await RespondJson(ctx, 200, answer);
  }
  if (path.size() == 2 && path[0] == "keys") {
    const std::string id(path[1]);
    if (method == "GET") {
      if (Status s = Require(ctx, auth::Action::kReadKeys); !s.ok()) co_return s;
      auto key = ring.Get(id);
      if (!key.ok()) co_return key.error();
      const json answer = KeyJson(*key);
      co_return co_await RespondJson(ctx, 200, answer);
    }
    if (method != "DELETE") co_return no_method;
    if (Status s = Require(ctx, auth::Action::kManageKeys); !s.ok()) co_return s;
    Status revoked = co_await ctx.Blocking([&] { return ring.Revoke(id); });
    if (!revoked.ok()) co_return revoked;
    spdlog::info("access key {} revoked by {}", LogSafe(id), ctx.auth.access_key_id);
    const json none;
    co_return co_await RespondJson(ctx, 204, none);
  }
  if (path.size() == 3 && path[0] == "keys" && path[2] == "rotate") {
    if (method != "POST") co_return no_method;
    const std::string id(path[1]);  // named: GCC 12 may destroy a co_await temporary twice
    co_return co_await RotateKey(ctx, id);
  }
  if (path.size() == 1 && path[0] == "buckets") {
    if (method != "GET") co_return no_method;
    co_return co_await ListBucketFigures(ctx);
  }
  if (path.size() == 2 && path[0] == "buckets") {
    if (method != "GET") co_return no_method;
    const std::string bucket(path[1]);
    co_return co_await BucketFigures(ctx, bucket);
  }
  if (path.size() == 3 && path[0] == "buckets" && path[2] == "public") {
    if (method != "GET" && method != "PUT") co_return no_method;
    const std::string bucket(path[1]);
    co_return co_await PublicAccess(ctx, bucket);
  }
  if (path.size() == 3 && path[0] == "buckets" && path[2] == "search") {
    if (method != "GET") co_return no_method;
    const std::string bucket(path[1]);
    co_return co_await SearchKeys(ctx, bucket);
  }
  co_return Error(ErrorCode::kInvalidRequest, "No such admin API call; see docs/access-keys.md.");
}

}  // namespace cairn::s3
