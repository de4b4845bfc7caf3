#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/changes/own_feed_follower.h"
#include "grassroots/grid/v1/case.pb.h"

namespace grassroots::grid {

// Cases read or written lately, so GetCase answers from memory on gRPC's
// thread (apps poll the cases they reported; a case is read far more often
// than it changes). Bounded: two generations of at most capacity/2 cases
// each; when the young one fills, the old one is dropped and the young one
// ages, so a case read in the last half of the cache stays. Kept current
// the same two ways as orgs' area cache: this process's writes are offered
// as they commit, and every committed change to a case (from any replica
// or write path) arrives through the service's own change feed within
// milliseconds. Each view carries its version (the etag), and an older
// view never replaces a newer one. An area move rewrites cases' grid paths
// without a change per case: the grids' MOVED changes empty the cache.
class CaseViewCache {
 public:
  CaseViewCache(db::ConnectionPool& pool, const ChangeLog& changes,
                const ChangeSequencer* sequencer, Logger& log, size_t capacity);
  ~CaseViewCache();

  // Follows the feed from its current position (cases already in the
  // database are cached as they are read).
  absl::Status Start();
  void Stop();

  std::optional<v1::Case> Find(const std::string& id) const;
  // Keeps `view` unless a newer version of the case is cached.
  void Offer(const v1::Case& view);
  // Drops the case, for a write whose new view is not at hand; the feed
  // brings it.
  void Forget(const std::string& id);
  void Clear();
  size_t size() const;
  // Applies every committed change after the cursor (also run by the thread).
  absl::Status CatchUp() { return feed_.CatchUp(); }

 private:
  void Apply(const common::v1::Change& change);

  db::ConnectionPool& pool_;
  const size_t generation_size_;
  // Until the feed is followed, nothing is kept: a view cached earlier
  // could miss a change committed before the follower's starting point.
  std::atomic<bool> following_{false};
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, v1::Case> young_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, v1::Case> old_ ABSL_GUARDED_BY(mu_);
  OwnFeedFollower feed_;
};

}  // namespace grassroots::grid
