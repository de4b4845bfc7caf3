#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/dues.pb.h"

namespace grassroots::orgs {

// Party dues (党费) as the regulations set them: a share of after-tax
// monthly income by bracket, the bracket's rate applied to the whole income.
// Money is in fen (0.01 yuan). Pure rules, no I/O.

struct DuesBracket {
  int64_t up_to_fen;  // inclusive upper bound; the last bracket has INT64_MAX
  int basis_points;   // 1/10000 of the income
};

// One year's table.
struct DuesTable {
  std::vector<DuesBracket> employed;
  std::vector<DuesBracket> retired;
  int64_t flat_fen;  // students and members on low incomes
};

// The national table: employed 0.5% up to 3,000 yuan, 1% up to 5,000, 1.5%
// up to 10,000, 2% above; retired 0.5% up to 5,000, 1% above; 0.2 yuan flat.
DuesTable StandardDuesTable();

// INVALID_ARGUMENT naming the field unless each list of brackets is
// non-empty, ascending and ends open (INT64_MAX), every rate is 0-10000
// basis points and the flat amount 0-10000 fen.
absl::Status ValidateDuesTable(const DuesTable& table);

// The monthly dues in fen, rounded half up to the fen.
absl::StatusOr<int64_t> MonthlyDues(const DuesTable& table, v1::DuesCategory category,
                                    int64_t income_fen);

// Where a member stands on `current`, from the months paid so far.
struct DuesPosition {
  // The last month of the unbroken run of paid months from the first month
  // due; nullopt when that first month is unpaid.
  std::optional<absl::CivilMonth> paid_up_to;
  // Months from the first due to `current` (both included) still unpaid,
  // gaps included.
  int unpaid_months = 0;
};
DuesPosition PositionOf(absl::CivilMonth first_due, std::vector<absl::CivilMonth> paid_months,
                        absl::CivilMonth current);

// 3 months without dues raises an alert; 6 is a case to handle (the
// regulations treat it as leaving the party).
v1::DuesStanding StandingFor(int months_in_arrears);

}  // namespace grassroots::orgs
