#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/changes/change_sequencer.h"
#include "common/changes/own_feed_follower.h"
#include "common/db/connection_pool.h"
#include "common/log/logger.h"
#include "grassroots/orgs/v1/admission.pb.h"
#include "services/orgs/admission_rules.h"

namespace grassroots::orgs {

// Every admission list version in memory, so CheckAdmission (which `grid`
// calls before each department task reaches a community) never waits on
// the database: a few map lookups up the place's path. Lists are small (a
// district's is 27 items) and change a few times a year, so holding all of
// them costs little. Loaded at start-up, then kept current as AreaCache is:
// this process's publications are applied as they commit, and other
// replicas' (and moved regions) arrive through the change feed, whose rows
// carry the whole list. A version is replaced only by a newer row version.
class AdmissionCache {
 public:
  AdmissionCache(db::ConnectionPool& pool, const ChangeLog& changes,
                 const ChangeSequencer* sequencer, Logger& log);
  ~AdmissionCache();

  // Reads every list and the feed position, then follows the feed.
  absl::Status Load();
  void Stop();
  bool loaded() const { return loaded_.load(std::memory_order_acquire); }

  void Apply(const v1::AdmissionList& list);
  // The list in force at the place on the day (see admission_rules.h), or
  // null when none applies.
  std::shared_ptr<const v1::AdmissionList> InForce(absl::string_view place_path,
                                                   absl::CivilDay day) const;
  // Applies every change after the cursor (also run by the follower).
  absl::Status CatchUp() { return feed_.CatchUp(); }
  size_t size() const;

 private:
  struct Region {
    std::string path;
    int64_t path_row_version = 0;  // the row version the path came with
    std::vector<AdmissionVersion> versions;
    absl::flat_hash_map<int32_t, int64_t> row_versions;  // by list version
  };
  void ApplyLocked(const v1::AdmissionList& list) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyChange(const common::v1::Change& change);

  db::ConnectionPool& pool_;
  Logger& log_;
  std::atomic<bool> loaded_{false};
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Region> regions_ ABSL_GUARDED_BY(mu_);         // by area id
  absl::flat_hash_map<std::string, std::string> region_at_ ABSL_GUARDED_BY(mu_);  // path -> id
  OwnFeedFollower feed_;
};

}  // namespace grassroots::orgs
