#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/changes/change_log.h"
#include "common/changes/change_sequencer.h"
#include "common/changes/own_feed_follower.h"
#include "common/db/connection_pool.h"
#include "common/log/logger.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::orgs {

// The whole jurisdiction tree in memory, for reads that must not wait on the
// database (every scope check in the suite starts from an area). Loaded once
// at start-up, then kept current two ways: this process's own writes are
// applied as they commit (read-your-writes), and other replicas' writes
// arrive through the change feed, typically within tens of milliseconds.
// Each record keeps its version, so an older state never replaces a newer
// one, and deleted ids are remembered so a late change cannot revive them.
class AreaCache {
 public:
  AreaCache(db::ConnectionPool& pool, const ChangeLog& changes, const ChangeSequencer* sequencer,
            Logger& log);
  ~AreaCache();

  // Reads every area and the feed position, then starts following the feed.
  absl::Status Load();
  void Stop();
  bool loaded() const { return loaded_.load(std::memory_order_acquire); }

  std::optional<v1::Area> Find(const std::string& id) const;
  void Upsert(const v1::Area& area);
  void Erase(const std::string& id, int64_t version);
  // Applies every change after the cursor (also run by the follower).
  absl::Status CatchUp() { return feed_.CatchUp(); }
  size_t size() const;

 private:
  void Apply(const common::v1::Change& change);

  db::ConnectionPool& pool_;
  Logger& log_;
  std::atomic<bool> loaded_{false};
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, v1::Area> areas_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int64_t> deleted_ ABSL_GUARDED_BY(mu_);
  OwnFeedFollower feed_;
};

}  // namespace grassroots::orgs
