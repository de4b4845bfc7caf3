#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/careers/v1/pay.pb.h"

namespace grassroots::careers {

// The only code that speaks SQL about pay: policies, average wages, pay
// tables, salary revisions, and a worker's pay.
class PayStore {
 public:
  PayStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::PayPolicy> SetPolicy(const std::string& scope, const WriteContext& write,
                                          const v1::PayPolicy& policy);
  absl::StatusOr<v1::PayPolicy> GetPolicy(const std::string& scope, const std::string& path);
  absl::StatusOr<v1::AverageWage> RecordWage(const std::string& scope, const WriteContext& write,
                                             const v1::AverageWage& wage);
  // Checks the cells against the policy and the year before's wage in force today.
  absl::StatusOr<v1::PayTable> SetTable(const std::string& scope, const WriteContext& write,
                                        const v1::PayTable& table);
  absl::StatusOr<v1::PayTable> GetTable(const std::string& scope, const std::string& path,
                                        int year);
  absl::StatusOr<v1::WorkerPay> WorkerPay(const std::string& scope, const std::string& worker_id,
                                          int year);
  absl::StatusOr<v1::SalaryRevision> CreateRevision(const std::string& scope,
                                                    const WriteContext& write,
                                                    const v1::SalaryRevision& revision);
  absl::StatusOr<std::vector<v1::SalaryRevision>> ListRevisions(const std::string& scope,
                                                                const std::string& worker_id);

  // For other stores inside their transactions: the policy of the nearest
  // region of `path` that has one (the default when none has).
  static v1::PayPolicy PolicyFor(db::Connection& c, const std::string& path);

 private:
  static std::optional<v1::PayTable> TableFor(db::Connection& c, const std::string& path, int year);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::careers
