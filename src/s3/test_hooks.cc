#include "s3/test_hooks.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "auth/request_auth.h"
#include "common/fault_plan.h"
#include "common/offload.h"
#include "common/time_format.h"

namespace cairn::s3 {
namespace {

struct JsonReply {
  int status;
  std::string body;
};

JsonReply Reply(int status, const nlohmann::json& body) { return {status, body.dump() + "\n"}; }

JsonReply AdvanceClock(TestHooks& hooks, const QueryParams& query) {
  std::string_view text = query.Get("advance-seconds").value_or("");
  int64_t seconds = -1;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || p != text.data() + text.size() || seconds < 0) {
    return Reply(400, {{"error", "advance-seconds must be a whole number >= 0"}});
  }
  hooks.advance_clock(std::chrono::seconds(seconds));
  return Reply(200, {{"advanced_seconds", seconds}});
}

// POST /_cairn/test/fault?target=T&error=E&count=N: the next N calls of T fail with E.
JsonReply ArmFault(FaultPlan& faults, const QueryParams& query) {
  const std::optional<FaultTarget> target = ParseFaultTarget(query.Get("target").value_or(""));
  const std::optional<FaultKind> kind = ParseFaultKind(query.Get("error").value_or(""));
  const std::string_view text = query.Get("count").value_or("1");
  uint32_t count = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (!target || !kind || ec != std::errc() || p != text.data() + text.size() || count == 0) {
    return Reply(400, {{"error",
                        "target must be blob.write, blob.sync, blob.read, blob.delete, "
                        "meta.commit or meta.read; error ENOSPC, EIO, SHORT_WRITE, CRASH, BUSY, "
                        "UNAVAILABLE or EIO_AFTER; count a whole number >= 1"}});
  }
  faults.Arm(*target, *kind, count);
  return Reply(200, {{"target", FaultTargetName(*target)},
                     {"error", query.Get("error").value_or("")},
                     {"count", count}});
}

// A failed sweep is an S3 error like any other: its detail goes to the log, not to the caller.
Result<JsonReply> SweepNow(TestHooks& hooks) {
  auto report = hooks.sweep_now();
  if (!report.ok()) return report.error();
  return Reply(200, {{"aborted_uploads", report->aborted_uploads},
                     {"expired_objects", report->expired_objects},
                     {"transitioned_objects", report->transitioned_objects}});
}

// The hooks answer the built-in admin key alone: a signature by any other key, admin-rw ones made
// through the admin API included, is refused.
Status AuthorizeHook(const TestHooks& hooks, const auth::SignableRequest& signable,
                     const auth::CredentialLookup& credentials) {
  auto authenticated = auth::Authenticate(signable, credentials, NowMillis());
  if (!authenticated.ok()) return authenticated.error();
  if (authenticated->access_key_id != hooks.admin_access_key_id) {
    return Error(ErrorCode::kAccessDenied);
  }
  return Status::Ok();
}

}  // namespace

// Replies are built in plain functions: GCC 12 cannot keep an initializer list alive across a
// co_await, and nlohmann::json literals are initializer lists.
Awaitable<Status> ServeTestHook(Services& services, http::Exchange& exchange,
                                const auth::SignableRequest& signable, const QueryParams& query) {
  TestHooks* hooks = services.test_hooks;
  if (hooks) {
    if (Status allowed = AuthorizeHook(*hooks, signable, services.credentials); !allowed.ok()) {
      co_return allowed;
    }
  }
  const std::string_view path = signable.raw_path;
  const bool post = exchange.request().method == "POST";
  const bool del = exchange.request().method == "DELETE";
  FaultPlan* faults = hooks ? hooks->faults : nullptr;
  JsonReply reply;
  if (hooks && post && path == "/_cairn/test/clock") {
    reply = AdvanceClock(*hooks, query);
  } else if (hooks && post && path == "/_cairn/test/sweep") {
    Result<JsonReply> swept =
        co_await RunBlocking(services.storage.pool, [hooks] { return SweepNow(*hooks); });
    if (!swept.ok()) co_return swept.error();
    reply = std::move(*swept);
  } else if (faults && post && path == "/_cairn/test/fault") {
    reply = ArmFault(*faults, query);
  } else if (faults && del && path == "/_cairn/test/fault") {
    faults->Clear();
    reply = Reply(200, {{"cleared", true}});
  } else {
    reply = Reply(404, {{"error", "no such endpoint"}});
  }
  http::ResponseHead head;
  head.status = reply.status;
  head.Set("Content-Type", "application/json");
  co_await exchange.Respond(std::move(head), reply.body);
  co_return Status::Ok();
}

}  // namespace cairn::s3
