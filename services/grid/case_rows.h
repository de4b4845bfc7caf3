#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/changes/change_log.h"
#include "common/db/connection.h"
#include "grassroots/grid/v1/case.pb.h"
#include "grassroots/grid/v1/grid.pb.h"
#include "services/grid/case_step_effects.h"

namespace grassroots::grid {

// The columns of a case row and its timeline, read and written in one
// place for the case store and the sweeper.

extern const char kCaseSelect[];

CaseRow ReadCaseRow(sql::ResultSet& r);
// The case `id` inside `scope`; `lock` is "" or " FOR UPDATE".
std::optional<CaseRow> FindCaseRow(db::Connection& c, const std::string& scope,
                                   const std::string& id, const char* lock);
// The row of a new case for `report` (what a reporter may say) in `grid`,
// started on its category's deadlines under `calendar`.
CaseRow NewCaseRow(const v1::Case& report, const v1::Grid& grid, const v1::CaseCategory& category,
                   const WorkCalendarRules& calendar, absl::Time now);
// A new case's first timeline line.
CaseStepRecord FirstCaseStep(const v1::Case& report);
void InsertCaseRow(db::Connection& c, const CaseRow& row);
// Several in one multi-row INSERT (one round trip).
void InsertCaseRows(db::Connection& c, const std::vector<const CaseRow*>& rows);
// Writes the row's changing columns under a new version (row.version and the
// view's etag and update time move on).
void UpdateCaseRow(db::Connection& c, CaseRow& row, absl::Time now);

void InsertCaseStep(db::Connection& c, const std::string& case_id, int number,
                    const WriteContext& write, const CaseStepRecord& record);
// Several timeline lines, each under its own write, in one multi-row INSERT.
struct CaseStepLine {
  const std::string* case_id;
  int number = 0;
  const CaseStepRecord* record;
  const WriteContext* write;
};
void InsertCaseSteps(db::Connection& c, const std::vector<CaseStepLine>& lines);
std::vector<v1::CaseStep> ReadCaseSteps(db::Connection& c, const std::string& case_id,
                                        int after_number, int limit);

}  // namespace grassroots::grid
