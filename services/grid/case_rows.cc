#include "services/grid/case_rows.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_parameters.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/time/proto_time.h"

namespace grassroots::grid {
namespace {

std::optional<absl::Time> OptionalTime(sql::ResultSet& r, int column) {
  if (r.isNull(column)) return std::nullopt;
  return db::FromDbTime(r.getString(column));
}

void SetOptionalTime(sql::PreparedStatement& s, int index, const std::optional<absl::Time>& t) {
  if (t) {
    s.setString(index, db::ToDbTime(*t));
  } else {
    s.setNull(index, sql::DataType::VARCHAR);
  }
}

// Whole seconds, rounded up: a suspended case never loses a fraction of
// its allowance to storage.
int64_t StoredSeconds(absl::Duration d) {
  return absl::ToInt64Seconds(absl::Ceil(d, absl::Seconds(1)));
}

// Photos, extra fields, a task's admission item, a service matter's
// appointment and another system's ticket: read only with the whole case.
std::string DetailsOf(const v1::Case& view) {
  v1::Case details;
  *details.mutable_photo_refs() = view.photo_refs();
  *details.mutable_extra_fields() = view.extra_fields();
  details.set_admission_item_code(view.admission_item_code());
  details.set_requesting_department(view.requesting_department());
  if (view.has_appointment_time()) *details.mutable_appointment_time() = view.appointment_time();
  details.set_handled_on_behalf(view.handled_on_behalf());
  if (view.has_external_ticket()) *details.mutable_external_ticket() = view.external_ticket();
  return details.SerializeAsString();
}

}  // namespace

const char kCaseSelect[] =
    "SELECT id, kind, source, category_code, grid_id, grid_path, latitude, longitude, address,"
    " description, reporter_ref, details, state, suspended_from, level, urgent, department_id,"
    " step_due_time, escalation_due_time, suspended_remaining_seconds, overdue, rework_count,"
    " extension_count, extension_minutes, pending_extension_minutes, resolution, satisfaction,"
    " duplicate_reports, step_count, version, create_time, update_time, close_time, merged_into"
    " FROM cases";

CaseRow ReadCaseRow(sql::ResultSet& r) {
  CaseRow row;
  v1::Case& v = row.view;
  v.ParseFromString(std::string(r.getString(12)));  // photos and extra fields
  v.set_id(r.getString(1));
  v.set_kind(static_cast<v1::Case::Kind>(r.getInt(2)));
  v.set_source(static_cast<v1::Case::Source>(r.getInt(3)));
  v.set_category_code(r.getString(4));
  v.set_grid_id(r.getString(5));
  v.set_grid_path(r.getString(6));
  v.set_latitude(r.getDouble(7));
  v.set_longitude(r.getDouble(8));
  v.set_address(r.getString(9));
  v.set_description(r.getString(10));
  v.set_reporter_ref(r.getString(11));
  v.set_state(static_cast<v1::Case::State>(r.getInt(13)));
  v.set_suspended_from(static_cast<v1::Case::State>(r.getInt(14)));
  v.set_level(static_cast<v1::Case::Level>(r.getInt(15)));
  v.set_urgent(r.getBoolean(16));
  v.set_department_id(r.getString(17));
  row.step_due = OptionalTime(r, 18);
  row.escalation_due = OptionalTime(r, 19);
  row.suspended_remaining = absl::Seconds(r.getInt64(20));
  v.set_overdue(r.getBoolean(21));
  v.set_rework_count(r.getInt(22));
  v.set_extension_count(r.getInt(23));
  row.extension_minutes = r.getInt(24);
  v.set_pending_extension_minutes(r.getInt(25));
  v.set_resolution(static_cast<v1::Case::Resolution>(r.getInt(26)));
  v.set_satisfaction(r.getInt(27));
  v.set_duplicate_reports(r.getInt(28));
  row.step_count = r.getInt(29);
  row.version = r.getInt64(30);
  v.set_etag(EtagOf(row.version));
  ToProtoTime(db::FromDbTime(r.getString(31)), v.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(32)), v.mutable_update_time());
  row.close_time = OptionalTime(r, 33);
  v.set_merged_into_case_id(r.getString(34));
  SyncView(row);
  return row;
}

std::optional<CaseRow> FindCaseRow(db::Connection& c, const std::string& scope,
                                   const std::string& id, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat(kCaseSelect, " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadCaseRow(*rows);
}

namespace {

// The columns every step may change, in the order both statements list them.
constexpr char kWorkflowColumns[] =
    "state, suspended_from, level, department_id, step_due_time, escalation_due_time,"
    " suspended_remaining_seconds, overdue, rework_count, extension_count, extension_minutes,"
    " pending_extension_minutes, resolution, satisfaction, duplicate_reports, step_count, version,"
    " merged_into";
constexpr int kWorkflowColumnCount = 18;

int BindWorkflowColumns(sql::PreparedStatement& s, int index, const CaseRow& row) {
  const v1::Case& v = row.view;
  s.setInt(index++, v.state());
  s.setInt(index++, v.suspended_from());
  s.setInt(index++, v.level());
  s.setString(index++, v.department_id());
  SetOptionalTime(s, index++, row.step_due);
  SetOptionalTime(s, index++, row.escalation_due);
  s.setInt64(index++, StoredSeconds(row.suspended_remaining));
  s.setBoolean(index++, v.overdue());
  s.setInt(index++, v.rework_count());
  s.setInt(index++, v.extension_count());
  s.setInt(index++, row.extension_minutes);
  s.setInt(index++, v.pending_extension_minutes());
  s.setInt(index++, v.resolution());
  s.setInt(index++, v.satisfaction());
  s.setInt(index++, v.duplicate_reports());
  s.setInt(index++, row.step_count);
  s.setInt64(index++, row.version);
  s.setString(index++, v.merged_into_case_id());
  return index;
}

// "a = ?, b = ?, ..." for the workflow columns.
std::string WorkflowAssignments() {
  std::string out;
  for (absl::string_view column : absl::StrSplit(kWorkflowColumns, ',')) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", absl::StripAsciiWhitespace(column), " = ?");
  }
  return out;
}

}  // namespace

CaseRow NewCaseRow(const v1::Case& report, const v1::Grid& grid, const v1::CaseCategory& category,
                   const WorkCalendarRules& calendar, absl::Time now) {
  CaseRow row;
  row.view = report;
  row.view.set_id(NewId("cs", now));
  row.view.set_grid_id(grid.id());
  row.view.set_grid_path(grid.path());
  row.view.set_etag(EtagOf(1));
  ToProtoTime(now, row.view.mutable_create_time());
  ToProtoTime(now, row.view.mutable_update_time());
  StartCase(row, category, calendar, now);
  return row;
}

CaseStepRecord FirstCaseStep(const v1::Case& report) {
  return CaseStepRecord{"Report", v1::Case::STATE_UNSPECIFIED, v1::Case::REPORTED, "",
                        absl::StrCat("source=", v1::Case::Source_Name(report.source()))};
}

void InsertCaseRow(db::Connection& c, const CaseRow& row) { InsertCaseRows(c, {&row}); }

void InsertCaseRows(db::Connection& c, const std::vector<const CaseRow*>& rows) {
  if (rows.empty()) return;
  constexpr int kColumns = 16 + kWorkflowColumnCount;
  auto& insert = c.Prepare(absl::StrCat(
      "INSERT INTO cases (id, kind, source, category_code, grid_id, grid_path, latitude,"
      " longitude, address, description, reporter_ref, details, urgent, create_time,"
      " update_time, close_time, ",
      kWorkflowColumns, ") VALUES ", db::ParameterRows(kColumns, static_cast<int>(rows.size()))));
  int index = 1;
  for (const CaseRow* row : rows) {
    const v1::Case& v = row->view;
    insert.setString(index++, v.id());
    insert.setInt(index++, v.kind());
    insert.setInt(index++, v.source());
    insert.setString(index++, v.category_code());
    insert.setString(index++, v.grid_id());
    insert.setString(index++, v.grid_path());
    insert.setDouble(index++, v.latitude());
    insert.setDouble(index++, v.longitude());
    insert.setString(index++, v.address());
    insert.setString(index++, v.description());
    insert.setString(index++, v.reporter_ref());
    insert.setString(index++, DetailsOf(v));
    insert.setBoolean(index++, v.urgent());
    insert.setString(index++, db::ToDbTime(FromProtoTime(v.create_time())));
    insert.setString(index++, db::ToDbTime(FromProtoTime(v.update_time())));
    SetOptionalTime(insert, index++, row->close_time);
    index = BindWorkflowColumns(insert, index, *row);
  }
  insert.executeUpdate();
}

void UpdateCaseRow(db::Connection& c, CaseRow& row, absl::Time now) {
  row.version += 1;
  v1::Case& v = row.view;
  v.set_etag(EtagOf(row.version));
  ToProtoTime(now, v.mutable_update_time());
  auto& update = c.Prepare(absl::StrCat("UPDATE cases SET ", WorkflowAssignments(),
                                        ", update_time = ?, close_time = ? WHERE id = ?"));
  int index = BindWorkflowColumns(update, 1, row);
  update.setString(index++, db::ToDbTime(now));
  SetOptionalTime(update, index++, row.close_time);
  update.setString(index, v.id());
  update.executeUpdate();
}

void InsertCaseStep(db::Connection& c, const std::string& case_id, int number,
                    const WriteContext& write, const CaseStepRecord& record) {
  InsertCaseSteps(c, {{&case_id, number, &record, &write}});
}

void InsertCaseSteps(db::Connection& c, const std::vector<CaseStepLine>& lines) {
  if (lines.empty()) return;
  auto& insert = c.Prepare(absl::StrCat(
      "INSERT INTO case_steps (case_id, number, action, from_state, to_state, actor, time, note,"
      " detail) VALUES ",
      db::ParameterRows(9, static_cast<int>(lines.size()))));
  int index = 1;
  for (const CaseStepLine& line : lines) {
    insert.setString(index++, *line.case_id);
    insert.setInt(index++, line.number);
    insert.setString(index++, line.record->action);
    insert.setInt(index++, line.record->from);
    insert.setInt(index++, line.record->to);
    insert.setString(index++, line.write->actor);
    insert.setString(index++, db::ToDbTime(line.write->now));
    insert.setString(index++, line.record->note);
    insert.setString(index++, line.record->detail);
  }
  insert.executeUpdate();
}

std::vector<v1::CaseStep> ReadCaseSteps(db::Connection& c, const std::string& case_id,
                                        int after_number, int limit) {
  auto& select = c.Prepare(
      "SELECT number, action, from_state, to_state, actor, time, note, detail FROM case_steps"
      " WHERE case_id = ? AND number > ? ORDER BY number LIMIT ?");
  select.setString(1, case_id);
  select.setInt(2, after_number);
  select.setInt(3, limit);
  auto rows = c.Query(select);
  std::vector<v1::CaseStep> steps;
  while (rows->next()) {
    v1::CaseStep& s = steps.emplace_back();
    s.set_number(rows->getInt(1));
    s.set_action(rows->getString(2));
    s.set_from_state(static_cast<v1::Case::State>(rows->getInt(3)));
    s.set_to_state(static_cast<v1::Case::State>(rows->getInt(4)));
    s.set_actor(rows->getString(5));
    ToProtoTime(db::FromDbTime(rows->getString(6)), s.mutable_time());
    s.set_note(rows->getString(7));
    s.set_detail(rows->getString(8));
  }
  return steps;
}

}  // namespace grassroots::grid
