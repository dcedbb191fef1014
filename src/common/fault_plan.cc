#include "common/fault_plan.h"

#include <utility>

namespace cairn {
namespace {

constexpr std::array<std::pair<FaultTarget, std::string_view>, kFaultTargetCount> kTargets = {{
    {FaultTarget::kBlobWrite, "blob.write"},
    {FaultTarget::kBlobSync, "blob.sync"},
    {FaultTarget::kBlobRead, "blob.read"},
    {FaultTarget::kBlobDelete, "blob.delete"},
    {FaultTarget::kMetaCommit, "meta.commit"},
    {FaultTarget::kMetaRead, "meta.read"},
}};

constexpr std::array<std::pair<FaultKind, std::string_view>, 7> kKinds = {{
    {FaultKind::kNoSpace, "ENOSPC"},
    {FaultKind::kIoError, "EIO"},
    {FaultKind::kShortWrite, "SHORT_WRITE"},
    {FaultKind::kCrash, "CRASH"},
    {FaultKind::kBusy, "BUSY"},
    {FaultKind::kUnavailable, "UNAVAILABLE"},
    {FaultKind::kIoErrorAfter, "EIO_AFTER"},
}};

// The error code and the engine's words for each kind.
std::pair<ErrorCode, std::string_view> Failure(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNoSpace:
      return {ErrorCode::kStorageNoSpace, "No space left on device"};
    case FaultKind::kIoError:
    case FaultKind::kShortWrite:
      return {ErrorCode::kStorageIOError, "Input/output error"};
    case FaultKind::kIoErrorAfter:
      return {ErrorCode::kStorageIOError, "Input/output error after the call took effect"};
    case FaultKind::kCrash:
      return {ErrorCode::kStorageUnavailable, "the storage is off"};
    case FaultKind::kBusy:
      return {ErrorCode::kStorageBusy, "the storage is busy"};
    case FaultKind::kUnavailable:
      break;
  }
  return {ErrorCode::kStorageUnavailable, "the storage cannot be reached"};
}

}  // namespace

std::optional<FaultTarget> ParseFaultTarget(std::string_view name) {
  for (const auto& [target, known] : kTargets) {
    if (known == name) return target;
  }
  return std::nullopt;
}

std::string_view FaultTargetName(FaultTarget target) {
  return kTargets[static_cast<size_t>(target)].second;
}

std::optional<FaultKind> ParseFaultKind(std::string_view name) {
  for (const auto& [kind, known] : kKinds) {
    if (known == name) return kind;
  }
  return std::nullopt;
}

Error InjectedError(FaultKind kind, std::string_view call) {
  const auto [code, words] = Failure(kind);
  Error error(code, std::string(call) + ": " + std::string(words) + " (injected " +
                        std::string(kKinds[static_cast<size_t>(kind)].second) + ")");
  error.outcome_unknown = kind == FaultKind::kIoErrorAfter;
  return error;
}

void FaultPlan::Arm(FaultTarget target, FaultKind kind, uint32_t count) {
  std::lock_guard lock(mutex_);
  armed_[static_cast<size_t>(target)] = Armed{kind, count};
}

void FaultPlan::Clear() {
  std::lock_guard lock(mutex_);
  armed_.fill(Armed{});
  crashed_ = false;
}

std::optional<FaultKind> FaultPlan::Take(FaultTarget target) {
  std::lock_guard lock(mutex_);
  if (crashed_) return FaultKind::kCrash;
  Armed& armed = armed_[static_cast<size_t>(target)];
  if (armed.remaining == 0) return std::nullopt;
  --armed.remaining;
  if (armed.kind == FaultKind::kCrash) crashed_ = true;
  return armed.kind;
}

bool FaultPlan::crashed() const {
  std::lock_guard lock(mutex_);
  return crashed_;
}

}  // namespace cairn
