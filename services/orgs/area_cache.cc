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

}  // namespace

AreaCache::AreaCache(db::ConnectionPool& pool, const ChangeLog& changes,
                     const ChangeSequencer* sequencer, Logger& log)
    : pool_(pool),
      log_(log),
      feed_(pool, changes, sequencer, log, "area cache",
            [this](const common::v1::Change& change) { Apply(change); }) {}

AreaCache::~AreaCache() { Stop(); }

void AreaCache::Stop() { feed_.Stop(); }

absl::Status AreaCache::Load() {
  int64_t cursor = 0;
  std::vector<v1::Area> all;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    // The position first: whatever commits after it is replayed from the
    // feed, and replaying a state the snapshot already holds changes nothing.
    auto position = OwnFeedFollower::CurrentPosition(c);
    if (!position.ok()) return position.status();
    cursor = *position;
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
  feed_.SetCursor(cursor);
  if (auto s = CatchUp(); !s.ok()) return s;
  loaded_.store(true, std::memory_order_release);
  feed_.Start();
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

void AreaCache::Apply(const common::v1::Change& change) {
  if (change.resource_type() != v1::Area::descriptor()->full_name()) return;
  v1::Area state;
  if (change.action() == common::v1::Change::DELETED) {
    if (change.before().UnpackTo(&state)) Erase(state.id(), Version(state));
  } else if (change.after().UnpackTo(&state)) {
    Upsert(state);
  }
}

}  // namespace grassroots::orgs
