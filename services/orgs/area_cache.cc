#include "services/orgs/area_cache.h"

#include "absl/strings/numbers.h"
#include "common/db/transaction.h"
#include "services/orgs/area_sql.h"

namespace grassroots::orgs {
namespace {

int64_t Version(const v1::Area& area) {
  int64_t version = 0;
  (void)absl::SimpleAtoi(area.etag(), &version);
  return version;
}

constexpr int kFeedPage = 1000;

}  // namespace

AreaCache::AreaCache(db::ConnectionPool& pool, const ChangeLog& changes,
                     const ChangeSequencer* sequencer, Logger& log)
    : pool_(pool), changes_(changes), sequencer_(sequencer), log_(log) {}

AreaCache::~AreaCache() { Stop(); }

void AreaCache::Stop() {
  stopping_ = true;
  if (follower_.joinable()) follower_.join();
}

absl::Status AreaCache::Load() {
  int64_t cursor = 0;
  std::vector<v1::Area> all;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    // The position first: whatever commits after it is replayed from the
    // feed, and replaying a state the snapshot already holds changes nothing.
    auto& position = c.Prepare("SELECT last_sequence FROM change_sequencer WHERE id = 1");
    auto rows = c.Query(position);
    if (rows->next()) cursor = rows->getInt64(1);
    auto& select = c.Prepare(std::string("SELECT ") + kAreaColumns + " FROM areas");
    auto areas = c.Query(select);
    all.clear();
    while (areas->next()) all.push_back(ReadArea(*areas));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  {
    absl::MutexLock lock(&mu_);
    for (auto& area : all) {
      std::string id = area.id();
      areas_.insert_or_assign(std::move(id), std::move(area));
    }
  }
  {
    absl::MutexLock lock(&follow_mu_);
    cursor_ = cursor;
  }
  if (auto s = CatchUp(); !s.ok()) return s;
  loaded_.store(true, std::memory_order_release);
  if (!follower_.joinable()) follower_ = std::thread([this] { Follow(); });
  log_.Info("area cache loaded", {{"areas", std::to_string(size())}});
  return absl::OkStatus();
}

size_t AreaCache::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return areas_.size();
}

std::optional<v1::Area> AreaCache::Find(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = areas_.find(id);
  if (it == areas_.end()) return std::nullopt;
  return it->second;
}

void AreaCache::Upsert(const v1::Area& area) {
  const int64_t version = Version(area);
  absl::MutexLock lock(&mu_);
  if (auto gone = deleted_.find(area.id()); gone != deleted_.end() && gone->second >= version) {
    return;
  }
  auto it = areas_.find(area.id());
  if (it != areas_.end() && Version(it->second) >= version) return;
  areas_.insert_or_assign(area.id(), area);
}

void AreaCache::Erase(const std::string& id, int64_t version) {
  absl::MutexLock lock(&mu_);
  deleted_[id] = std::max(deleted_[id], version);
  auto it = areas_.find(id);
  if (it != areas_.end() && Version(it->second) <= version) areas_.erase(it);
}

absl::Status AreaCache::CatchUp() {
  absl::MutexLock follow(&follow_mu_);
  while (true) {
    std::vector<common::v1::Change> page;
    absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
      page = changes_.Read(c, cursor_, kFeedPage, "");
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    for (const auto& change : page) {
      cursor_ = change.sequence();
      if (change.resource_type() != v1::Area::descriptor()->full_name()) continue;
      v1::Area state;
      if (change.action() == common::v1::Change::DELETED) {
        if (change.before().UnpackTo(&state)) Erase(state.id(), Version(state));
      } else if (change.after().UnpackTo(&state)) {
        Upsert(state);
      }
    }
    if (page.size() < static_cast<size_t>(kFeedPage)) return absl::OkStatus();
  }
}

void AreaCache::Follow() {
  while (!stopping_.load()) {
    int64_t cursor;
    {
      absl::MutexLock lock(&follow_mu_);
      cursor = cursor_;
    }
    // The sequencer re-reads the feed position every tick, whichever replica
    // numbered the changes, so comparing with it costs no query.
    if (sequencer_ == nullptr || sequencer_->last_sequence() > cursor) {
      if (auto s = CatchUp(); !s.ok()) {
        log_.Warn("area cache could not follow the feed", {{"error", s.ToString()}});
      }
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
}

}  // namespace grassroots::orgs
