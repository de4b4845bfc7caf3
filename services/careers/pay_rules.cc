#include "services/careers/pay_rules.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/civil_date.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {
namespace {

constexpr v1::Post kPosts[] = {v1::POST_PRINCIPAL, v1::POST_DEPUTY, v1::POST_FULL_TIME_STAFF,
                               v1::POST_COMMITTEE_MEMBER};

void AddRange(v1::PayPolicy& policy, v1::Post post, int lowest, int highest) {
  v1::GradeRange* range = policy.add_ranges();
  range->set_post(post);
  range->set_lowest(lowest);
  range->set_highest(highest);
}

}  // namespace

absl::Status ValidateYear(absl::string_view field, int year) {
  if (year < 2000 || year > 2100)
    return InvalidField(field, "YEAR_INVALID", "must be 2000 to 2100");
  return absl::OkStatus();
}

v1::PayPolicy DefaultPayPolicy() {
  v1::PayPolicy policy;
  policy.set_grade_count(18);
  policy.set_step_years(3);
  AddRange(policy, v1::POST_PRINCIPAL, 7, 18);
  AddRange(policy, v1::POST_DEPUTY, 4, 15);
  AddRange(policy, v1::POST_FULL_TIME_STAFF, 1, 12);
  AddRange(policy, v1::POST_COMMITTEE_MEMBER, 1, 12);
  return policy;
}

absl::Status ValidatePayPolicy(const v1::PayPolicy& policy) {
  if (auto s = ValidatePath("policy.region_path", policy.region_path(), true); !s.ok()) return s;
  if (policy.grade_count() < 1 || policy.grade_count() > 40) {
    return InvalidField("policy.grade_count", "GRADE_COUNT_INVALID", "must be 1 to 40");
  }
  if (policy.step_years() < 1 || policy.step_years() > 10) {
    return InvalidField("policy.step_years", "STEP_YEARS_INVALID", "must be 1 to 10");
  }
  std::set<int> seen;
  for (int i = 0; i < policy.ranges_size(); ++i) {
    const v1::GradeRange& r = policy.ranges(i);
    const std::string field = absl::StrCat("policy.ranges[", i, "]");
    if (r.post() == v1::POST_UNSPECIFIED || !v1::Post_IsValid(r.post()) ||
        !seen.insert(r.post()).second) {
      return InvalidField(field, "GRADE_RANGE_POST", "names each of the four posts once");
    }
    if (r.lowest() < 1 || r.lowest() > r.highest() || r.highest() > policy.grade_count()) {
      return InvalidField(
          field, "GRADE_RANGE_INVALID",
          absl::StrCat("needs 1 <= lowest <= highest <= grade_count (", policy.grade_count(), ")"));
    }
  }
  if (seen.size() != std::size(kPosts)) {
    return InvalidField("policy.ranges", "GRADE_RANGE_POST",
                        "needs a range for each of the four posts");
  }
  return absl::OkStatus();
}

std::optional<v1::GradeRange> RangeOf(const v1::PayPolicy& policy, v1::Post post) {
  for (const v1::GradeRange& r : policy.ranges()) {
    if (r.post() == post) return r;
  }
  return std::nullopt;
}

absl::Status CheckGradeInRange(const v1::PayPolicy& policy, v1::Post post, int grade,
                               absl::string_view field) {
  auto range = RangeOf(policy, post);
  if (!range || grade < range->lowest() || grade > range->highest()) {
    return InvalidField(field, "GRADE_OUTSIDE_POST_RANGE",
                        range ? absl::StrCat("the post spans grades ", range->lowest(), " to ",
                                             range->highest(), " in this region")
                              : std::string("the region's policy has no range for the post"));
  }
  return absl::OkStatus();
}

absl::Status ValidateAverageWage(const v1::AverageWage& wage) {
  for (const absl::Status& s : {ValidatePath("wage.region_path", wage.region_path(), true),
                                ValidateYear("wage.year", wage.year()),
                                ParseDate("wage.effective_date", wage.effective_date()).status()}) {
    if (!s.ok()) return s;
  }
  if (wage.monthly_fen() <= 0) {
    return InvalidField("wage.monthly_fen", "AMOUNT_INVALID", "must be above 0");
  }
  return absl::OkStatus();
}

absl::Status ValidatePayTable(const v1::PayTable& table, const v1::PayPolicy& policy,
                              int64_t floor_fen) {
  for (const absl::Status& s : {ValidatePath("table.region_path", table.region_path(), true),
                                ValidateYear("table.year", table.year())}) {
    if (!s.ok()) return s;
  }
  std::set<std::pair<int, int>> cells;
  for (int i = 0; i < table.cells_size(); ++i) {
    const v1::PayCell& cell = table.cells(i);
    const std::string field = absl::StrCat("table.cells[", i, "]");
    if (auto s = CheckGradeInRange(policy, cell.post(), cell.grade(), field); !s.ok()) return s;
    if (!cells.insert({cell.post(), cell.grade()}).second) {
      return InvalidField(field, "PAY_CELL_REPEATED", "the post and grade have a cell already");
    }
    if (cell.monthly_fen() <= 0) {
      return InvalidField(absl::StrCat(field, ".monthly_fen"), "AMOUNT_INVALID", "must be above 0");
    }
  }
  for (const v1::GradeRange& r : policy.ranges()) {
    for (int grade = r.lowest(); grade <= r.highest(); ++grade) {
      if (!cells.count({r.post(), grade})) {
        return InvalidField(
            "table.cells", "PAY_TABLE_INCOMPLETE",
            absl::StrCat("no cell for ", v1::Post_Name(r.post()), " grade ", grade));
      }
    }
  }
  for (int i = 0; i < table.cells_size(); ++i) {
    if (table.cells(i).monthly_fen() < floor_fen) {
      return FailedPrecondition(
          "PAY_BELOW_AVERAGE_WAGE",
          absl::StrCat("table.cells[", i, "] (", v1::Post_Name(table.cells(i).post()), " grade ",
                       table.cells(i).grade(), ") pays ", table.cells(i).monthly_fen(),
                       " fen a month, below last year's local average wage of ", floor_fen));
    }
  }
  return absl::OkStatus();
}

std::optional<int64_t> PayFor(const v1::PayTable& table, v1::Post post, int grade) {
  for (const v1::PayCell& cell : table.cells()) {
    if (cell.post() == post && cell.grade() == grade) return cell.monthly_fen();
  }
  return std::nullopt;
}

int ServiceYears(absl::CivilDay hire, absl::CivilDay on, int degree_years) {
  if (on < hire) return degree_years;
  int years = static_cast<int>(on.year() - hire.year());
  if (on.month() < hire.month() || (on.month() == hire.month() && on.day() < hire.day())) --years;
  return years + degree_years;
}

int EligibleGrade(const v1::GradeRange& range, int service_years, int step_years) {
  const int grade = range.lowest() + service_years / step_years;
  return grade > range.highest() ? range.highest() : grade;
}

absl::Status ValidateSalaryRevision(const v1::SalaryRevision& r) {
  if (r.worker_id().empty() || r.worker_id().size() > 40) {
    return InvalidField("revision.worker_id", "ID_INVALID", "must be a worker id");
  }
  for (const absl::Status& s :
       {ValidateText("revision.reason", r.reason(), 500, true),
        ParseDate("revision.effective_date", r.effective_date()).status()}) {
    if (!s.ok()) return s;
  }
  if (r.monthly_fen() <= 0) {
    return InvalidField("revision.monthly_fen", "AMOUNT_INVALID", "must be above 0");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::careers
