#include "services/grid/visit_report_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "services/grid/grid_store.h"
#include "services/grid/scope_errors.h"
#include "services/grid/visit_page_key.h"

namespace grassroots::grid {
namespace {

// One branch of the overdue report: a kind of key record with its last
// visit. `due` is DueDay (visit_report_rules.h) in SQL, so that the filter
// and the order need no visit rows; the conditions of the branch follow.
std::string OverdueBranch(const char* columns, const char* table, const char* where, bool by_grid) {
  return absl::StrCat(
      "SELECT ", columns,
      ", t.visit_interval_days AS days, t.create_time AS recorded, lv.last_visit_id,"
      " lv.last_visit_time, lv.last_worker_ref, lv.last_contact_time,"
      " DATE_ADD(COALESCE(DATE(lv.last_visit_time), DATE(t.create_time)),"
      " INTERVAL t.visit_interval_days DAY) AS due FROM ",
      table, " t LEFT JOIN last_visits lv ON lv.subject_id = t.id WHERE ", where,
      db::InScope("t.grid_path"), db::InScope("t.grid_path"), by_grid ? " AND t.grid_id = ?" : "");
}

int BindBranch(sql::PreparedStatement& s, int index, const ReportWhere& where) {
  index = db::BindScope(s, index, where.scope);
  index = db::BindScope(s, index, where.under);
  if (!where.grid_id.empty()) s.setString(index++, where.grid_id);
  return index;
}

v1::OverdueVisit ReadOverdue(sql::ResultSet& r, absl::CivilDay as_of) {
  v1::OverdueVisit o;
  if (r.getInt(1) == 1) {
    o.set_household_id(r.getString(2));
  } else {
    o.set_key_person_id(r.getString(2));
  }
  o.set_grid_id(r.getString(3));
  o.set_grid_path(r.getString(4));
  o.set_label(r.getString(5));
  o.set_visit_interval_days(r.getInt(6));
  std::optional<absl::Time> last_visit;
  if (!r.isNull(9)) {
    last_visit = db::FromDbTime(r.getString(9));
    o.set_last_visit_id(r.getString(8));
    ToProtoTime(*last_visit, o.mutable_last_visit_time());
    o.set_last_worker_ref(r.getString(10));
  }
  if (!r.isNull(11)) ToProtoTime(db::FromDbTime(r.getString(11)), o.mutable_last_contact_time());
  const absl::CivilDay due =
      DueDay(last_visit, db::FromDbTime(r.getString(7)), o.visit_interval_days());
  o.set_due_date(DateText(due));
  o.set_days_overdue(DaysOverdue(due, as_of));
  return o;
}

absl::Status CheckGrid(db::Connection& c, const ReportWhere& where) {
  if (where.grid_id.empty() || GridStore::FindInScope(c, where.scope, where.grid_id)) {
    return absl::OkStatus();
  }
  return HiddenReference(where.scope, "grid_id", "grid", "GRID_NOT_FOUND");
}

}  // namespace

absl::StatusOr<OverduePage> VisitReportStore::Overdue(const ReportWhere& where,
                                                      absl::CivilDay as_of, int page_size,
                                                      const std::string& after_key) {
  OverduePage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (auto s = CheckGrid(c, where); !s.ok()) return s;
    const bool by_grid = !where.grid_id.empty();
    const std::optional<PairKey> after = ReadPairKey(after_key);
    auto& select = c.Prepare(absl::StrCat(
        "SELECT * FROM (",
        OverdueBranch("1 AS subject, t.id, t.grid_id, t.grid_path, t.address AS label",
                      "households", "t.key_household = 1", by_grid),
        " UNION ALL ",
        OverdueBranch("2, t.id, t.grid_id, t.grid_path, t.name_masked", "key_persons", "1 = 1",
                      by_grid),
        ") o WHERE o.due < ?", after ? AfterPair("o.due", "o.id", /*descending=*/false) : "",
        " ORDER BY o.due, o.id LIMIT ?"));
    int index = BindBranch(select, 1, where);
    index = BindBranch(select, index, where);
    select.setString(index++, DateText(as_of));
    if (after) index = BindAfterPair(select, index, *after);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.overdue.push_back(ReadOverdue(*rows, as_of));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.overdue.size()) > page_size) {
    page.overdue.pop_back();
    const v1::OverdueVisit& last = page.overdue.back();
    page.last_key = PairKeyText(
        last.due_date(), last.household_id().empty() ? last.key_person_id() : last.household_id());
  }
  return page;
}

absl::StatusOr<WorkerCountPage> VisitReportStore::CountByWorker(const ReportWhere& where,
                                                                const DayPeriod& period,
                                                                int page_size,
                                                                const std::string& after_key) {
  WorkerCountPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (auto s = CheckGrid(c, where); !s.ok()) return s;
    auto& select = c.Prepare(
        absl::StrCat("SELECT worker_ref, MAX(worker_name_masked), SUM(visits), SUM(door_visits),"
                     " SUM(key_visits), SUM(follow_ups) FROM visit_worker_days t"
                     " WHERE day >= ? AND day < ? AND worker_ref > ?",
                     db::InScope("t.grid_path"), db::InScope("t.grid_path"),
                     where.grid_id.empty() ? "" : " AND t.grid_id = ?",
                     " GROUP BY worker_ref ORDER BY worker_ref LIMIT ?"));
    select.setString(1, DateText(period.start));
    select.setString(2, DateText(period.end));
    select.setString(3, after_key);
    int index = BindBranch(select, 4, where);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::WorkerVisitCount& count = page.counts.emplace_back();
      count.set_worker_ref(rows->getString(1));
      count.set_worker_name(rows->getString(2));
      count.set_visits(rows->getInt64(3));
      count.set_door_visits(rows->getInt64(4));
      count.set_key_visits(rows->getInt64(5));
      count.set_follow_ups(rows->getInt64(6));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.counts.size()) > page_size) {
    page.counts.pop_back();
    page.last_key = page.counts.back().worker_ref();
  }
  return page;
}

}  // namespace grassroots::grid
