#include "services/orgs/dues_rules.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

constexpr int64_t kYuan = 100;  // fen

int64_t Apply(const std::vector<DuesBracket>& brackets, int64_t income_fen) {
  for (const auto& bracket : brackets) {
    if (income_fen <= bracket.up_to_fen) {
      return (income_fen * bracket.basis_points + 5000) / 10000;
    }
  }
  return 0;  // unreachable: the last bracket is unbounded
}

}  // namespace

DuesTable StandardDuesTable() {
  constexpr int64_t kAbove = std::numeric_limits<int64_t>::max();
  return DuesTable{
      {{3000 * kYuan, 50}, {5000 * kYuan, 100}, {10000 * kYuan, 150}, {kAbove, 200}},
      {{5000 * kYuan, 50}, {kAbove, 100}},
      20,
  };
}

absl::Status ValidateDuesTable(const DuesTable& table) {
  for (const auto& [field, brackets] :
       {std::pair{"table.employed", &table.employed}, std::pair{"table.retired", &table.retired}}) {
    if (brackets->empty()) {
      return InvalidField(field, "DUES_BRACKETS_REQUIRED", "give at least one bracket");
    }
    int64_t previous = -1;
    for (const DuesBracket& b : *brackets) {
      if (b.up_to_fen <= previous) {
        return InvalidField(field, "DUES_BRACKETS_NOT_ASCENDING",
                            "each bracket's upper bound must be above the one before");
      }
      if (b.basis_points < 0 || b.basis_points > 10000) {
        return InvalidField(field, "DUES_RATE_INVALID", "a rate is 0 to 10000 basis points");
      }
      previous = b.up_to_fen;
    }
    if (previous != std::numeric_limits<int64_t>::max()) {
      return InvalidField(field, "DUES_TOP_BRACKET_BOUNDED",
                          "the last bracket has no upper bound (up_to_fen 0)");
    }
  }
  if (table.flat_fen < 0 || table.flat_fen > 10000) {
    return InvalidField("table.flat_fen", "DUES_FLAT_INVALID", "must be 0 to 10000 fen");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MonthlyDues(const DuesTable& table, v1::DuesCategory category,
                                    int64_t income_fen) {
  // Up to 10 million yuan a month: keeps income * basis points far from overflow.
  if (income_fen < 0 || income_fen > 1'000'000'000) {
    return InvalidField("monthly_income_fen", "INCOME_INVALID",
                        "must be between 0 and 1,000,000,000 fen");
  }
  switch (category) {
    case v1::EMPLOYED:
      return Apply(table.employed, income_fen);
    case v1::RETIRED:
      return Apply(table.retired, income_fen);
    case v1::STUDENT_OR_LOW_INCOME:
      return table.flat_fen;
    default:
      return InvalidField("category", "DUES_CATEGORY_INVALID",
                          "must be EMPLOYED, RETIRED or STUDENT_OR_LOW_INCOME");
  }
}

DuesPosition PositionOf(absl::CivilMonth first_due, std::vector<absl::CivilMonth> paid_months,
                        absl::CivilMonth current) {
  std::sort(paid_months.begin(), paid_months.end());
  paid_months.erase(std::unique(paid_months.begin(), paid_months.end()), paid_months.end());
  DuesPosition position;
  absl::CivilMonth next = first_due;
  int paid_in_window = 0;
  for (absl::CivilMonth month : paid_months) {
    if (month < first_due) continue;  // before any dues fell due
    if (month == next) {
      position.paid_up_to = month;
      ++next;
    }
    if (month <= current) ++paid_in_window;
  }
  const int due = current >= first_due ? static_cast<int>(current - first_due) + 1 : 0;
  position.unpaid_months = due - paid_in_window;
  return position;
}

v1::DuesStanding StandingFor(int months_in_arrears) {
  if (months_in_arrears >= 6) return v1::HANDLING_REQUIRED;
  if (months_in_arrears >= 3) return v1::ALERT;
  return v1::IN_GOOD_STANDING;
}

}  // namespace grassroots::orgs
