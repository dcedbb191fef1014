#include "core/blob_reclaimer.h"

#include <spdlog/spdlog.h>

#include <limits>

#include "common/log_text.h"

namespace cairn::core {
namespace {

// Failed deletions kept for another try; beyond this, the start-up sweep finds them.
constexpr size_t kMaxFailed = 100000;

}  // namespace

BlobReclaimer::BlobReclaimer(meta::MetaStore& meta, blob::BlobStore& blobs, Scheduler schedule,
                             std::chrono::milliseconds grace, Clock clock)
    : meta_(meta),
      blobs_(blobs),
      schedule_(std::move(schedule)),
      grace_(grace),
      clock_(std::move(clock)) {}

BlobReclaimer::Reader::~Reader() {
  if (owner_) owner_->EndRead(epoch_);
}

BlobReclaimer::Reader BlobReclaimer::BeginRead() {
  std::lock_guard lock(mu_);
  ++readers_[epoch_];
  return Reader(this, epoch_);
}

void BlobReclaimer::Release(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  {
    std::lock_guard lock(mu_);
    const uint64_t epoch = ++epoch_;
    // readers_ holds epochs below `epoch` only: any reader may have seen these blobs.
    if (!readers_.empty() || grace_.count() > 0) {
      deferred_.push_back(Deferred{epoch, clock_() + grace_, ids});
      return;
    }
  }
  // No reader is active, so none can hold or re-reference them.
  Remove(ids);
}

void BlobReclaimer::EndRead(uint64_t epoch) {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mu_);
    auto it = readers_.find(epoch);
    if (--it->second == 0) readers_.erase(it);
    due = TakeDueLocked();
  }
  ScheduleRemoval(std::move(due));
}

void BlobReclaimer::RemoveDue() {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mu_);
    due = TakeDueLocked();
  }
  ScheduleRemoval(std::move(due));
}

std::vector<std::string> BlobReclaimer::TakeDueLocked() {
  const uint64_t oldest =
      readers_.empty() ? std::numeric_limits<uint64_t>::max() : readers_.begin()->first;
  const auto now = grace_.count() > 0 ? clock_() : std::chrono::steady_clock::time_point::max();
  std::vector<std::string> due;
  while (!deferred_.empty() && deferred_.front().epoch <= oldest &&
         deferred_.front().not_before <= now) {
    auto& ids = deferred_.front().ids;
    due.insert(due.end(), std::make_move_iterator(ids.begin()), std::make_move_iterator(ids.end()));
    deferred_.pop_front();
  }
  return due;
}

void BlobReclaimer::ScheduleRemoval(std::vector<std::string> due) {
  if (due.empty()) return;
  schedule_([this, due = std::move(due)] { RemoveIfUnreferenced(due); });
}

void BlobReclaimer::Remove(std::vector<std::string> ids) {
  {
    std::lock_guard lock(mu_);
    ids.insert(ids.end(), std::make_move_iterator(failed_.begin()),
               std::make_move_iterator(failed_.end()));
    failed_.clear();
  }
  std::vector<std::string> failed;
  for (std::string& id : ids) {
    if (Status s = blobs_.Remove(id); !s.ok()) {
      spdlog::warn("could not remove blob {} (will try again): {}", id,
                   LogSafe(s.error().Message()));
      failed.push_back(std::move(id));
    }
  }
  if (failed.empty()) return;
  std::lock_guard lock(mu_);
  for (std::string& id : failed) {
    if (failed_.size() == kMaxFailed) {
      spdlog::warn("blob {} left for the start-up sweep: too many failed deletions", id);
      continue;
    }
    failed_.push_back(std::move(id));
  }
}

void BlobReclaimer::RemoveIfUnreferenced(const std::vector<std::string>& ids) {
  std::vector<std::string> unreferenced;
  for (const std::string& id : ids) {
    Result<bool> referenced = meta_.BlobReferenced(id);
    if (!referenced.ok()) {
      // Keep it: the start-up sweep removes it if it really is an orphan.
      spdlog::warn("could not check blob {}: {}", id, LogSafe(referenced.error().Message()));
    } else if (!*referenced) {
      unreferenced.push_back(id);
    }
  }
  Remove(std::move(unreferenced));
}

size_t BlobReclaimer::failed() const {
  std::lock_guard lock(mu_);
  return failed_.size();
}

size_t BlobReclaimer::deferred() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const Deferred& release : deferred_) n += release.ids.size();
  return n;
}

}  // namespace cairn::core
