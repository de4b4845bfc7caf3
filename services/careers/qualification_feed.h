#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "grassroots/careers/v1/training.pb.h"

namespace grassroots::careers {

// The only code that speaks SQL about the qualification feed: numbered
// changes of whether a worker may work alone, which grid follows.
class QualificationFeed {
 public:
  explicit QualificationFeed(db::ConnectionPool& pool) : pool_(pool) {}

  // Inside the transaction that changes the worker: the next number, taken
  // under the head row's lock, so numbers become visible in order.
  static void Append(db::Connection& c, const std::string& worker_id,
                     const std::string& community_path, bool qualified_alone, absl::Time now);

  // Changes after `after_sequence`, oldest first, at most `limit`.
  absl::StatusOr<std::vector<v1::QualificationChange>> List(int64_t after_sequence, int limit);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace grassroots::careers
