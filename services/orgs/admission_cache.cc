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

constexpr int kFeedPage = 1000;

}  // namespace

AdmissionCache::AdmissionCache(db::ConnectionPool& pool, const ChangeLog& changes,
                               const ChangeSequencer* sequencer, Logger& log)
    : pool_(pool), changes_(changes), sequencer_(sequencer), log_(log) {}

AdmissionCache::~AdmissionCache() { Stop(); }

void AdmissionCache::Stop() {
  stopping_ = true;
  if (follower_.joinable()) follower_.join();
}

absl::Status AdmissionCache::Load() {
  int64_t cursor = 0;
  std::vector<v1::AdmissionList> all;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    // The position first: what commits after it is replayed from the feed,
    // and replaying a version the snapshot holds changes nothing.
    auto& position = c.Prepare("SELECT last_sequence FROM change_sequencer WHERE id = 1");
    auto rows = c.Query(position);
    if (rows->next()) cursor = rows->getInt64(1);
    all = AdmissionStore::LoadAll(c);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& list : all) ApplyLocked(list);
  }
  {
    absl::MutexLock lock(&follow_mu_);
    cursor_ = cursor;
  }
  if (auto s = CatchUp(); !s.ok()) return s;
  loaded_.store(true, std::memory_order_release);
  if (!follower_.joinable()) follower_ = std::thread([this] { Follow(); });
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

absl::Status AdmissionCache::CatchUp() {
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
      if (change.resource_type() != v1::AdmissionList::descriptor()->full_name()) continue;
      v1::AdmissionList list;
      if (change.after().UnpackTo(&list)) Apply(list);
    }
    if (page.size() < static_cast<size_t>(kFeedPage)) return absl::OkStatus();
  }
}

void AdmissionCache::Follow() {
  while (!stopping_.load()) {
    int64_t cursor;
    {
      absl::MutexLock lock(&follow_mu_);
      cursor = cursor_;
    }
    // The sequencer re-reads the feed position every tick, so comparing
    // with it costs no query.
    if (sequencer_ == nullptr || sequencer_->last_sequence() > cursor) {
      if (auto s = CatchUp(); !s.ok()) {
        log_.Warn("admission list cache could not follow the feed", {{"error", s.ToString()}});
      }
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
}

}  // namespace grassroots::orgs
