#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/dualreg/v1/report.pb.h"
#include "services/dualreg/report_rules.h"

namespace grassroots::dualreg {

// The only code that speaks SQL about reports to employers.
class ReportStore {
 public:
  ReportStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // Computes the lines and stores the report in one transaction; the unit
  // registration must lie in the scope.
  absl::StatusOr<v1::EmployerReport> Create(const std::string& scope, const WriteContext& write,
                                            const std::string& unit_id, const Period& period);
  absl::StatusOr<v1::EmployerReport> Get(const std::string& scope, const std::string& id);
  // `only_organisation`: when set, the report must be that organisation's.
  absl::StatusOr<v1::EmployerReport> Acknowledge(const std::string& scope,
                                                 const WriteContext& write, const std::string& id,
                                                 const std::string& only_organisation);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::dualreg
