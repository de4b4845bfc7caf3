#include "services/orgs/admission_cache.h"

#include "absl/strings/numbers.h"
#include "common/db/transaction.h"
#include "services/orgs/admission_store.h"

namespace grassroots::orgs {
namespace {

int64_t RowVersion(const v1::AdmissionList& list) {
  int64_t version = 0;
  (void)absl::SimpleAtoi(list.etag(), &version);
  return version;
}

}  // namespace

AdmissionCache::AdmissionCache(db::ConnectionPool& pool, const ChangeLog& changes,
                               const ChangeSequencer* sequencer, Logger& log)
    : pool_(pool),
      log_(log),
      feed_(pool, changes, sequencer, log, "admission list cache",
            [this](const common::v1::Change& change) { ApplyChange(change); }) {}

AdmissionCache::~AdmissionCache() { Stop(); }

void AdmissionCache::Stop() { feed_.Stop(); }

absl::Status AdmissionCache::Load() {
  int64_t cursor = 0;
  std::vector<v1::AdmissionList> all;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    // The position first: what commits after it is replayed from the feed,
    // and replaying a version the snapshot holds changes nothing.
    auto position = OwnFeedFollower::CurrentPosition(c);
    if (!position.ok()) return position.status();
    cursor = *position;
    all = AdmissionStore::LoadAll(c);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& list : all) ApplyLocked(list);
  }
  feed_.SetCursor(cursor);
  if (auto s = CatchUp(); !s.ok()) return s;
  loaded_.store(true, std::memory_order_release);
  feed_.Start();
  log_.Info("admission list cache loaded", {{"lists", std::to_string(size())}});
  return absl::OkStatus();
}

size_t AdmissionCache::size() const {
  absl::ReaderMutexLock lock(&mu_);
  size_t n = 0;
  for (const auto& [id, region] : regions_) n += region.versions.size();
  return n;
}

void AdmissionCache::Apply(const v1::AdmissionList& list) {
  absl::MutexLock lock(&mu_);
  ApplyLocked(list);
}

void AdmissionCache::ApplyLocked(const v1::AdmissionList& list) {
  const int64_t row_version = RowVersion(list);
  Region& region = regions_[list.region_area_id()];
  // The region's path: from the newest row seen (a move bumps every version's row).
  if (region.path.empty() || row_version > region.path_row_version) {
    if (!region.path.empty() && region.path != list.region_path()) {
      auto it = region_at_.find(region.path);
      if (it != region_at_.end() && it->second == list.region_area_id()) region_at_.erase(it);
    }
    region.path = list.region_path();
    region.path_row_version = row_version;
    region_at_[region.path] = list.region_area_id();
  }
  auto known = region.row_versions.find(list.version());
  if (known != region.row_versions.end() && known->second >= row_version) return;
  region.row_versions[list.version()] = row_version;
  absl::CivilDay effective;
  (void)absl::ParseCivilTime(list.effective_date(), &effective);
  AdmissionVersion version{effective, list.version(),
                           std::make_shared<const v1::AdmissionList>(list)};
  for (auto& existing : region.versions) {
    if (existing.version == list.version()) {
      existing = std::move(version);
      return;
    }
  }
  region.versions.push_back(std::move(version));
}

std::shared_ptr<const v1::AdmissionList> AdmissionCache::InForce(absl::string_view place_path,
                                                                 absl::CivilDay day) const {
  absl::ReaderMutexLock lock(&mu_);
  const AdmissionVersion* found = ListInForce(
      place_path, day, [this](absl::string_view path) -> const std::vector<AdmissionVersion>* {
        auto id = region_at_.find(path);
        if (id == region_at_.end()) return nullptr;
        auto region = regions_.find(id->second);
        return region == regions_.end() ? nullptr : &region->second.versions;
      });
  return found == nullptr ? nullptr : found->list;
}

void AdmissionCache::ApplyChange(const common::v1::Change& change) {
  if (change.resource_type() != v1::AdmissionList::descriptor()->full_name()) return;
  v1::AdmissionList list;
  if (change.after().UnpackTo(&list)) Apply(list);
}

}  // namespace grassroots::orgs
