#include "services/grid/case_view_cache.h"

#include <algorithm>

#include "common/db/transaction.h"
#include "common/server/etag.h"
#include "grassroots/grid/v1/grid.pb.h"

namespace grassroots::grid {

CaseViewCache::CaseViewCache(db::ConnectionPool& pool, const ChangeLog& changes,
                             const ChangeSequencer* sequencer, Logger& log, size_t capacity)
    : pool_(pool),
      generation_size_(std::max<size_t>(1, capacity / 2)),
      feed_(pool, changes, sequencer, log, "case cache",
            [this](const common::v1::Change& change) { Apply(change); }) {}

CaseViewCache::~CaseViewCache() { Stop(); }

absl::Status CaseViewCache::Start() {
  int64_t cursor = 0;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto position = OwnFeedFollower::CurrentPosition(c);
    if (!position.ok()) return position.status();
    cursor = *position;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  feed_.SetCursor(cursor);
  following_.store(true, std::memory_order_release);
  feed_.Start();
  return absl::OkStatus();
}

void CaseViewCache::Stop() {
  following_.store(false, std::memory_order_release);
  feed_.Stop();
  Clear();
}

std::optional<v1::Case> CaseViewCache::Find(const std::string& id) const {
  if (!following_.load(std::memory_order_acquire)) return std::nullopt;
  absl::ReaderMutexLock lock(&mu_);
  if (auto it = young_.find(id); it != young_.end()) return it->second;
  if (auto it = old_.find(id); it != old_.end()) return it->second;
  return std::nullopt;
}

void CaseViewCache::Offer(const v1::Case& view) {
  if (!following_.load(std::memory_order_acquire)) return;
  const int64_t version = VersionOf(view.etag());
  absl::MutexLock lock(&mu_);
  auto young = young_.find(view.id());
  if (young != young_.end()) {
    if (VersionOf(young->second.etag()) < version) young->second = view;
    return;
  }
  if (auto old = old_.find(view.id()); old != old_.end()) {
    if (VersionOf(old->second.etag()) > version) return;
    old_.erase(old);
  }
  if (young_.size() >= generation_size_) {
    old_ = std::move(young_);
    young_.clear();
  }
  young_.emplace(view.id(), view);
}

void CaseViewCache::Forget(const std::string& id) {
  absl::MutexLock lock(&mu_);
  young_.erase(id);
  old_.erase(id);
}

void CaseViewCache::Clear() {
  absl::MutexLock lock(&mu_);
  young_.clear();
  old_.clear();
}

size_t CaseViewCache::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return young_.size() + old_.size();
}

void CaseViewCache::Apply(const common::v1::Change& change) {
  if (change.resource_type() == v1::Grid::descriptor()->full_name() &&
      change.action() == common::v1::Change::MOVED) {
    Clear();
    return;
  }
  if (change.resource_type() != v1::Case::descriptor()->full_name()) return;
  v1::Case state;
  if (change.after().UnpackTo(&state)) Offer(state);
}

}  // namespace grassroots::grid
