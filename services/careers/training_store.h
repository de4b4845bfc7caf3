#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/careers/v1/training.pb.h"

namespace grassroots::careers {

// The only code that speaks SQL about courses, results and coverage. A
// passed post training marks the worker (passed_post_training) in the
// same transaction, and the qualification feed records the change.
class TrainingStore {
 public:
  TrainingStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::Course> CreateCourse(const std::string& scope, const WriteContext& write,
                                          const v1::Course& course);
  absl::StatusOr<v1::Course> GetCourse(const std::string& scope, const std::string& id);
  absl::StatusOr<v1::TrainingResult> Record(const std::string& scope, const WriteContext& write,
                                            const v1::TrainingResult& result);
  absl::StatusOr<std::vector<v1::TrainingResult>> Results(const std::string& scope,
                                                          const std::string& worker_id);
  absl::StatusOr<v1::TrainingCoverage> Coverage(const std::string& scope, const std::string& path,
                                                int year);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::careers
