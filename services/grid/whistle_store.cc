#include "services/grid/whistle_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/case_rows.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/case_transitions.h"
#include "services/grid/scope_errors.h"
#include "services/grid/whistle_rules.h"

namespace grassroots::grid {
namespace {

constexpr char kSelectWhistle[] =
    "SELECT id, case_id, grid_path, note, blown_by, blow_time, due_time FROM whistles";

std::optional<v1::Whistle> FindWhistle(db::Connection& c, const std::string& scope,
                                       const std::string& id, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat(kSelectWhistle, " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::Whistle w;
  w.set_id(rows->getString(1));
  w.set_case_id(rows->getString(2));
  w.set_grid_path(rows->getString(3));
  w.set_note(rows->getString(4));
  w.set_blown_by(rows->getString(5));
  ToProtoTime(db::FromDbTime(rows->getString(6)), w.mutable_blow_time());
  ToProtoTime(db::FromDbTime(rows->getString(7)), w.mutable_due_time());
  auto& calls = c.Prepare(
      "SELECT department_id, report_time, note, late FROM whistle_calls WHERE whistle_id = ?"
      " ORDER BY department_id");
  calls.setString(1, w.id());
  auto call_rows = c.Query(calls);
  while (call_rows->next()) {
    auto* call = w.add_calls();
    call->set_department_id(call_rows->getString(1));
    if (!call_rows->isNull(2)) {
      ToProtoTime(db::FromDbTime(call_rows->getString(2)), call->mutable_report_time());
    }
    call->set_note(call_rows->getString(3));
    call->set_late(call_rows->getBoolean(4));
  }
  return w;
}

// A line in the case's timeline for a whistle event; the case keeps its state.
// The line moves the case's version on, so the case's change row goes with
// it: whoever follows the feed (the case cache, other systems) sees the new
// etag. The new view, or nothing if the case is out of reach.
std::optional<v1::Case> AddTimelineLine(db::Connection& c, const ChangeLog& changes,
                                        const WriteContext& write, const std::string& scope,
                                        const std::string& case_id, const std::string& action,
                                        const std::string& note, const std::string& detail) {
  auto row = FindCaseRow(c, scope, case_id, " FOR UPDATE");
  if (!row) return std::nullopt;
  const v1::Case before = row->view;
  row->step_count += 1;
  UpdateCaseRow(c, *row, write.now);
  InsertCaseStep(c, case_id, row->step_count, write,
                 CaseStepRecord{action, row->view.state(), row->view.state(), note, detail});
  ChangeRecord change{case_id, common::v1::Change::UPDATED, row->view.grid_path(), &row->view,
                      &before};
  change.carries_request_id = false;  // the whistle's own change carries it
  changes.Append(c, write, change);
  return row->view;
}

}  // namespace

absl::StatusOr<v1::Whistle> WhistleStore::Blow(const std::string& scope, const WriteContext& write,
                                               const v1::BlowWhistleRequest& request, int minutes) {
  v1::Whistle made;
  std::optional<v1::Case> updated;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        updated.reset();
        auto row = FindCaseRow(c, scope, request.case_id(), " FOR UPDATE");
        if (!row) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
        if (!IsOpen(row->view.state())) {
          return FailedPrecondition("CASE_NOT_OPEN", "a whistle is blown on an open case only");
        }
        for (const std::string& id : request.department_ids()) {
          if (!CaseSetupStore::FindDepartment(c, id)) {
            return InvalidField("department_ids", "DEPARTMENT_NOT_FOUND",
                                absl::StrCat("no department has the id ", id));
          }
        }
        const absl::Time due = write.now + absl::Minutes(minutes);
        made = v1::Whistle();
        made.set_id(NewId("wh", write.now));
        made.set_case_id(row->view.id());
        made.set_grid_path(row->view.grid_path());
        made.set_note(request.note());
        made.set_blown_by(write.actor);
        ToProtoTime(write.now, made.mutable_blow_time());
        ToProtoTime(due, made.mutable_due_time());
        auto& insert = c.Prepare(
            "INSERT INTO whistles (id, case_id, grid_path, note, blown_by, blow_time, due_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.case_id());
        insert.setString(3, made.grid_path());
        insert.setString(4, made.note());
        insert.setString(5, made.blown_by());
        insert.setString(6, db::ToDbTime(write.now));
        insert.setString(7, db::ToDbTime(due));
        insert.executeUpdate();
        std::vector<std::string> sorted(request.department_ids().begin(),
                                        request.department_ids().end());
        std::sort(sorted.begin(), sorted.end());
        for (const std::string& id : sorted) {
          auto& call = c.Prepare(
              "INSERT INTO whistle_calls (whistle_id, department_id, due_time, report_time, note,"
              " late, open_due_time) VALUES (?, ?, ?, NULL, '', 0, ?)");
          call.setString(1, made.id());
          call.setString(2, id);
          call.setString(3, db::ToDbTime(due));
          call.setString(4, db::ToDbTime(due));
          call.executeUpdate();
          made.add_calls()->set_department_id(id);
        }
        updated = AddTimelineLine(
            c, changes_, write, scope, made.case_id(), "Whistle", request.note(),
            absl::StrCat("departments=", absl::StrJoin(sorted, ","), " minutes=", minutes));
        changes_.Append(c, write,
                        {made.id(), common::v1::Change::CREATED, made.grid_path(), &made, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) {
    if (updated && cache_ != nullptr) cache_->Offer(*updated);
    return made;
  }
  return EarlierResultOr<v1::Whistle>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Whistle> WhistleStore::ReportIn(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::ReportInRequest& request) {
  v1::Whistle after;
  std::optional<v1::Case> updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    updated.reset();
    auto whistle = FindWhistle(c, scope, request.whistle_id(), "");
    if (!whistle) return HiddenRecord(scope, "whistle", "WHISTLE_NOT_FOUND");
    auto& select = c.Prepare(
        "SELECT due_time, report_time FROM whistle_calls WHERE whistle_id = ? AND"
        " department_id = ? FOR UPDATE");
    select.setString(1, request.whistle_id());
    select.setString(2, request.department_id());
    auto rows = c.Query(select);
    if (!rows->next()) {
      return InvalidField("department_id", "DEPARTMENT_NOT_CALLED",
                          "this whistle did not name the department");
    }
    if (!rows->isNull(2)) {  // reported already: once is enough
      after = *whistle;
      return absl::OkStatus();
    }
    const bool late = IsLateReport(write.now, db::FromDbTime(rows->getString(1)));
    auto& update = c.Prepare(
        "UPDATE whistle_calls SET report_time = ?, note = ?, late = ?, open_due_time = NULL"
        " WHERE whistle_id = ? AND department_id = ?");
    update.setString(1, db::ToDbTime(write.now));
    update.setString(2, request.note());
    update.setBoolean(3, late);
    update.setString(4, request.whistle_id());
    update.setString(5, request.department_id());
    update.executeUpdate();
    updated = AddTimelineLine(
        c, changes_, write, scope, whistle->case_id(), "ReportIn", request.note(),
        absl::StrCat("department_id=", request.department_id(), late ? " late" : " on_time"));
    after = *FindWhistle(c, scope, request.whistle_id(), "");
    changes_.Append(
        c, write, {after.id(), common::v1::Change::UPDATED, after.grid_path(), &after, &*whistle});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (updated && cache_ != nullptr) cache_->Offer(*updated);
  return after;
}

absl::StatusOr<std::vector<v1::Whistle>> WhistleStore::List(const std::string& scope,
                                                            const std::string& case_id) {
  std::vector<v1::Whistle> out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!FindCaseRow(c, scope, case_id, "")) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
    auto& select = c.Prepare("SELECT id FROM whistles WHERE case_id = ? ORDER BY id");
    select.setString(1, case_id);
    auto rows = c.Query(select);
    std::vector<std::string> ids;
    while (rows->next()) ids.push_back(rows->getString(1));
    for (const std::string& id : ids) {
      if (auto w = FindWhistle(c, scope, id, "")) out.push_back(*std::move(w));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<int> WhistleStore::FlagLateCalls(const WriteContext& write, int limit) {
  int flagged = 0;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    flagged = 0;
    auto& select = c.Prepare(
        "SELECT whistle_id, department_id FROM whistle_calls WHERE open_due_time <= ?"
        " ORDER BY open_due_time LIMIT ? FOR UPDATE SKIP LOCKED");
    select.setString(1, db::ToDbTime(write.now));
    select.setInt(2, limit);
    std::vector<std::pair<std::string, std::string>> due;
    auto rows = c.Query(select);
    while (rows->next()) due.emplace_back(rows->getString(1), rows->getString(2));
    for (const auto& [whistle_id, department_id] : due) {
      auto& update = c.Prepare(
          "UPDATE whistle_calls SET late = 1, open_due_time = NULL WHERE whistle_id = ? AND"
          " department_id = ?");
      update.setString(1, whistle_id);
      update.setString(2, department_id);
      update.executeUpdate();
      auto whistle = FindWhistle(c, "", whistle_id, "");
      if (whistle) {
        changes_.Append(
            c, write,
            {whistle->id(), common::v1::Change::UPDATED, whistle->grid_path(), &*whistle, nullptr});
      }
      ++flagged;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return flagged;
}

}  // namespace grassroots::grid
