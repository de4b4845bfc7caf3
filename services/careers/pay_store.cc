#include "services/careers/pay_store.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "services/careers/hidden.h"
#include "services/careers/pay_rules.h"
#include "services/careers/region_lookup.h"
#include "services/careers/worker_rules.h"
#include "services/careers/worker_store.h"

namespace grassroots::careers {
namespace {

absl::Status RequireRegionInScope(const std::string& scope, const std::string& region,
                                  absl::string_view field) {
  if (PathWithin(region, scope)) return absl::OkStatus();
  return PermissionDenied("OUT_OF_SCOPE",
                          absl::StrCat(field, " lies outside the caller's jurisdiction"));
}

v1::SalaryRevision ReadRevision(sql::ResultSet& r) {
  v1::SalaryRevision revision;
  revision.set_id(r.getString(1));
  revision.set_worker_id(r.getString(2));
  revision.set_monthly_fen(r.getInt64(3));
  revision.set_reason(r.getString(4));
  revision.set_effective_date(r.getString(5));
  revision.set_actor(r.getString(6));
  ToProtoTime(db::FromDbTime(r.getString(7)), revision.mutable_create_time());
  return revision;
}

constexpr char kRevisionColumns[] =
    "SELECT id, worker_id, monthly_fen, reason, effective_date, actor, create_time FROM"
    " salary_revisions";

}  // namespace

v1::PayPolicy PayStore::PolicyFor(db::Connection& c, const std::string& path) {
  const std::vector<std::string> regions = EnclosingRegions(path);
  auto& select = c.Prepare(
      absl::StrCat("SELECT region_path, grade_count, step_years FROM pay_policies WHERE TRUE",
                   InEnclosingRegions(regions), " ORDER BY LENGTH(region_path) DESC LIMIT 1"));
  BindRegions(select, 1, regions);
  auto rows = c.Query(select);
  if (!rows->next()) return DefaultPayPolicy();
  v1::PayPolicy policy;
  policy.set_region_path(rows->getString(1));
  policy.set_grade_count(rows->getInt(2));
  policy.set_step_years(rows->getInt(3));
  auto& ranges = c.Prepare(
      "SELECT post, lowest, highest FROM grade_ranges WHERE region_path = ? ORDER BY post");
  ranges.setString(1, policy.region_path());
  auto range_rows = c.Query(ranges);
  while (range_rows->next()) {
    v1::GradeRange* range = policy.add_ranges();
    range->set_post(static_cast<v1::Post>(range_rows->getInt(1)));
    range->set_lowest(range_rows->getInt(2));
    range->set_highest(range_rows->getInt(3));
  }
  return policy;
}

absl::StatusOr<v1::PayPolicy> PayStore::SetPolicy(const std::string& scope,
                                                  const WriteContext& write,
                                                  const v1::PayPolicy& policy) {
  if (auto s = RequireRegionInScope(scope, policy.region_path(), "policy.region_path"); !s.ok()) {
    return s;
  }
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    auto& upsert = c.Prepare(
        "INSERT INTO pay_policies (region_path, grade_count, step_years, update_time) VALUES"
        " (?, ?, ?, ?) ON DUPLICATE KEY UPDATE grade_count = VALUES(grade_count),"
        " step_years = VALUES(step_years), update_time = VALUES(update_time)");
    upsert.setString(1, policy.region_path());
    upsert.setInt(2, policy.grade_count());
    upsert.setInt(3, policy.step_years());
    upsert.setString(4, db::ToDbTime(write.now));
    upsert.executeUpdate();
    auto& clear = c.Prepare("DELETE FROM grade_ranges WHERE region_path = ?");
    clear.setString(1, policy.region_path());
    clear.executeUpdate();
    for (const v1::GradeRange& r : policy.ranges()) {
      auto& insert = c.Prepare(
          "INSERT INTO grade_ranges (region_path, post, lowest, highest) VALUES (?, ?, ?, ?)");
      insert.setString(1, policy.region_path());
      insert.setInt(2, r.post());
      insert.setInt(3, r.lowest());
      insert.setInt(4, r.highest());
      insert.executeUpdate();
    }
    changes_.Append(c, write,
                    {absl::StrCat("pay-policy/", policy.region_path()), common::v1::Change::UPDATED,
                     policy.region_path(), &policy, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return policy;
}

absl::StatusOr<v1::PayPolicy> PayStore::GetPolicy(const std::string& scope,
                                                  const std::string& path) {
  if (auto s = RequireRegionInScope(scope, path, "path"); !s.ok()) return s;
  v1::PayPolicy policy;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    policy = PolicyFor(c, path);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return policy;
}

absl::StatusOr<v1::AverageWage> PayStore::RecordWage(const std::string& scope,
                                                     const WriteContext& write,
                                                     const v1::AverageWage& wage) {
  if (auto s = RequireRegionInScope(scope, wage.region_path(), "wage.region_path"); !s.ok()) {
    return s;
  }
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    auto& upsert = c.Prepare(
        "INSERT INTO average_wages (region_path, year, effective_date, monthly_fen, actor,"
        " create_time) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
        " monthly_fen = VALUES(monthly_fen), actor = VALUES(actor),"
        " create_time = VALUES(create_time)");
    upsert.setString(1, wage.region_path());
    upsert.setInt(2, wage.year());
    upsert.setString(3, wage.effective_date());
    upsert.setInt64(4, wage.monthly_fen());
    upsert.setString(5, write.actor);
    upsert.setString(6, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(c, write,
                    {absl::StrCat("wage/", wage.region_path(), "/", wage.year()),
                     common::v1::Change::UPDATED, wage.region_path(), &wage, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return wage;
}

absl::StatusOr<v1::PayTable> PayStore::SetTable(const std::string& scope, const WriteContext& write,
                                                const v1::PayTable& requested) {
  if (auto s = RequireRegionInScope(scope, requested.region_path(), "table.region_path"); !s.ok()) {
    return s;
  }
  v1::PayTable table = requested;
  const std::string today = DateText(absl::ToCivilDay(write.now, absl::UTCTimeZone()));
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    // The wage of the table's own region, as in force today: a later record
    // of the year (the statistics bureau's final figure) supersedes an earlier one.
    auto& wage = c.Prepare(
        "SELECT monthly_fen FROM average_wages WHERE region_path = ? AND year = ? AND"
        " effective_date <= ? ORDER BY effective_date DESC LIMIT 1");
    wage.setString(1, table.region_path());
    wage.setInt(2, table.year() - 1);
    wage.setString(3, today);
    auto rows = c.Query(wage);
    if (!rows->next()) {
      return FailedPrecondition(
          "NO_AVERAGE_WAGE",
          absl::StrCat("no average wage of ", table.year() - 1, " is recorded for ",
                       table.region_path().empty() ? "the city" : table.region_path(),
                       "; record it before the pay table"));
    }
    table.set_floor_fen(rows->getInt64(1));
    if (auto s = ValidatePayTable(table, PolicyFor(c, table.region_path()), table.floor_fen());
        !s.ok()) {
      return s;
    }
    auto& upsert = c.Prepare(
        "INSERT INTO pay_tables (region_path, year, floor_fen, update_time) VALUES (?, ?, ?, ?)"
        " ON DUPLICATE KEY UPDATE floor_fen = VALUES(floor_fen), update_time = "
        "VALUES(update_time)");
    upsert.setString(1, table.region_path());
    upsert.setInt(2, table.year());
    upsert.setInt64(3, table.floor_fen());
    upsert.setString(4, db::ToDbTime(write.now));
    upsert.executeUpdate();
    auto& clear = c.Prepare("DELETE FROM pay_cells WHERE region_path = ? AND year = ?");
    clear.setString(1, table.region_path());
    clear.setInt(2, table.year());
    clear.executeUpdate();
    for (const v1::PayCell& cell : table.cells()) {
      auto& insert = c.Prepare(
          "INSERT INTO pay_cells (region_path, year, post, grade, monthly_fen) VALUES (?, ?, ?, ?,"
          " ?)");
      insert.setString(1, table.region_path());
      insert.setInt(2, table.year());
      insert.setInt(3, cell.post());
      insert.setInt(4, cell.grade());
      insert.setInt64(5, cell.monthly_fen());
      insert.executeUpdate();
    }
    changes_.Append(c, write,
                    {absl::StrCat("pay-table/", table.region_path(), "/", table.year()),
                     common::v1::Change::UPDATED, table.region_path(), &table, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return table;
}

std::optional<v1::PayTable> PayStore::TableFor(db::Connection& c, const std::string& path,
                                               int year) {
  const std::vector<std::string> regions = EnclosingRegions(path);
  auto& select = c.Prepare(
      absl::StrCat("SELECT region_path, floor_fen FROM pay_tables WHERE year = ?",
                   InEnclosingRegions(regions), " ORDER BY LENGTH(region_path) DESC LIMIT 1"));
  select.setInt(1, year);
  BindRegions(select, 2, regions);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::PayTable table;
  table.set_region_path(rows->getString(1));
  table.set_year(year);
  table.set_floor_fen(rows->getInt64(2));
  auto& cells = c.Prepare(
      "SELECT post, grade, monthly_fen FROM pay_cells WHERE region_path = ? AND year = ? ORDER BY"
      " post, grade");
  cells.setString(1, table.region_path());
  cells.setInt(2, year);
  auto cell_rows = c.Query(cells);
  while (cell_rows->next()) {
    v1::PayCell* cell = table.add_cells();
    cell->set_post(static_cast<v1::Post>(cell_rows->getInt(1)));
    cell->set_grade(cell_rows->getInt(2));
    cell->set_monthly_fen(cell_rows->getInt64(3));
  }
  return table;
}

absl::StatusOr<v1::PayTable> PayStore::GetTable(const std::string& scope, const std::string& path,
                                                int year) {
  if (auto s = RequireRegionInScope(scope, path, "path"); !s.ok()) return s;
  std::optional<v1::PayTable> table;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    table = TableFor(c, path, year);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!table)
    return NotFound("PAY_TABLE_NOT_FOUND", absl::StrCat("no pay table of ", year, " applies here"));
  return *table;
}

absl::StatusOr<v1::WorkerPay> PayStore::WorkerPay(const std::string& scope,
                                                  const std::string& worker_id, int year) {
  std::optional<WorkerRow> row;
  std::optional<v1::PayTable> table;
  v1::PayPolicy policy;
  std::optional<v1::SalaryRevision> revision;
  const std::string year_end = absl::StrCat(year, "-12-31");
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    row = WorkerStore::FindInScope(c, scope, worker_id);
    if (!row) return absl::OkStatus();
    table = TableFor(c, row->worker.community_path(), year);
    policy = PolicyFor(c, row->worker.community_path());
    auto& latest = c.Prepare(absl::StrCat(kRevisionColumns,
                                          " WHERE worker_id = ? AND effective_date <= ? ORDER BY"
                                          " effective_date DESC, create_time DESC LIMIT 1"));
    latest.setString(1, worker_id);
    latest.setString(2, year_end);
    auto rows = c.Query(latest);
    if (rows->next()) revision = ReadRevision(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!row) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  const v1::Worker& w = row->worker;
  if (!table) {
    return FailedPrecondition(
        "PAY_TABLE_NOT_FOUND",
        absl::StrCat("no pay table of ", year, " applies to ", w.community_path()));
  }
  auto amount = PayFor(*table, w.post(), w.grade());
  if (!amount) {
    return FailedPrecondition(
        "PAY_CELL_MISSING", absl::StrCat("the pay table has no cell for ", v1::Post_Name(w.post()),
                                         " grade ", w.grade()));
  }
  v1::WorkerPay pay;
  pay.set_worker_id(w.id());
  pay.set_year(year);
  pay.set_post(w.post());
  pay.set_grade(w.grade());
  pay.set_table_monthly_fen(*amount);
  pay.set_table_region_path(table->region_path());
  const absl::CivilDay end(year, 12, 31);
  pay.set_service_years(
      ServiceYears(*ParseDate("hire_date", w.hire_date()), end, DegreeYears(w.degree())));
  if (auto range = RangeOf(policy, w.post())) {
    pay.set_eligible_grade(EligibleGrade(*range, pay.service_years(), policy.step_years()));
  }
  if (revision) *pay.mutable_latest_revision() = *revision;
  return pay;
}

absl::StatusOr<v1::SalaryRevision> PayStore::CreateRevision(const std::string& scope,
                                                            const WriteContext& write,
                                                            const v1::SalaryRevision& requested) {
  v1::SalaryRevision made = requested;
  made.set_id(NewId("sr", write.now));
  made.set_actor(write.actor);
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto worker = WorkerStore::FindInScope(c, scope, made.worker_id());
        if (!worker) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
        auto& insert = c.Prepare(
            "INSERT INTO salary_revisions (id, worker_id, monthly_fen, reason, effective_date,"
            " actor, create_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.worker_id());
        insert.setInt64(3, made.monthly_fen());
        insert.setString(4, made.reason());
        insert.setString(5, made.effective_date());
        insert.setString(6, made.actor());
        insert.setString(7, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write,
                        {made.id(), common::v1::Change::CREATED, worker->worker.community_path(),
                         &made, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::SalaryRevision>(pool_, changes_, write, status);
}

absl::StatusOr<std::vector<v1::SalaryRevision>> PayStore::ListRevisions(
    const std::string& scope, const std::string& worker_id) {
  std::vector<v1::SalaryRevision> revisions;
  bool found = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    revisions.clear();
    found = WorkerStore::FindInScope(c, scope, worker_id).has_value();
    if (!found) return absl::OkStatus();
    auto& select = c.Prepare(
        absl::StrCat(kRevisionColumns, " WHERE worker_id = ? ORDER BY effective_date, id"));
    select.setString(1, worker_id);
    auto rows = c.Query(select);
    while (rows->next()) revisions.push_back(ReadRevision(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  return revisions;
}

}  // namespace grassroots::careers
