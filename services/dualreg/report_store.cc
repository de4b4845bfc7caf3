#include "services/dualreg/report_store.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "services/dualreg/hidden.h"
#include "services/dualreg/service_lines.h"

namespace grassroots::dualreg {
namespace {

std::optional<v1::EmployerReport> FindReport(db::Connection& c, const std::string& scope,
                                             const std::string& id, bool lock) {
  auto& select = c.Prepare(absl::StrCat(
      "SELECT body, state, acknowledge_time, acknowledged_by FROM employer_reports WHERE id = ?",
      db::InScope("community_path"), lock ? " FOR UPDATE" : ""));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::EmployerReport report;
  report.ParseFromString(rows->getString(1));
  report.set_state(static_cast<v1::ReportState>(rows->getInt(2)));
  if (!rows->isNull(3)) {
    ToProtoTime(db::FromDbTime(rows->getString(3)), report.mutable_acknowledge_time());
  }
  report.set_acknowledged_by(rows->getString(4));
  return report;
}

// Per registration with the organisation as employer: its service in the
// period and the community's latest evaluation of a year the period touches.
void ComputeLines(db::Connection& c, const std::string& organisation_id, const Period& period,
                  v1::EmployerReport& report) {
  std::map<std::string, v1::MemberServiceLine> lines =
      ServiceLines(c, RegistrationsOf::kEmployer, organisation_id, period);
  auto& evaluations = c.Prepare(
      "SELECT registration_id, year, grade FROM member_evaluations WHERE"
      " employer_organisation_id = ? AND year BETWEEN ? AND ? ORDER BY year");
  evaluations.setString(1, organisation_id);
  evaluations.setInt(2, static_cast<int>(period.start.year()));
  evaluations.setInt(3, static_cast<int>(period.end.year()));
  auto e = c.Query(evaluations);
  while (e->next()) {
    auto line = lines.find(e->getString(1));
    if (line == lines.end()) continue;
    line->second.set_evaluation_year(e->getInt(2));
    line->second.set_evaluation_grade(static_cast<v1::MemberEvaluationGrade>(e->getInt(3)));
  }
  for (auto& [id, line] : lines) *report.add_members() = line;
}

}  // namespace

absl::StatusOr<v1::EmployerReport> ReportStore::Create(const std::string& scope,
                                                       const WriteContext& write,
                                                       const std::string& unit_id,
                                                       const Period& period) {
  v1::EmployerReport report;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        report.Clear();
        auto& unit = c.Prepare(absl::StrCat(
            "SELECT organisation_id, community_path FROM unit_registrations WHERE id = ?",
            db::InScope("community_path")));
        unit.setString(1, unit_id);
        db::BindScope(unit, 2, scope);
        auto rows = c.Query(unit);
        if (!rows->next()) return Hidden(scope, "unit registration", "UNIT_NOT_FOUND");
        report.set_id(NewId("rp_", write.now));
        report.set_unit_id(unit_id);
        report.set_organisation_id(rows->getString(1));
        report.set_community_path(rows->getString(2));
        report.set_period_start(DateText(period.start));
        report.set_period_end(DateText(period.end));
        report.set_state(v1::DELIVERED);
        ToProtoTime(write.now, report.mutable_create_time());
        ComputeLines(c, report.organisation_id(), period, report);
        auto& insert = c.Prepare(
            "INSERT INTO employer_reports (id, unit_id, organisation_id, community_path,"
            " period_start, period_end, body, state, acknowledge_time, acknowledged_by,"
            " create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, '', ?)");
        insert.setString(1, report.id());
        insert.setString(2, unit_id);
        insert.setString(3, report.organisation_id());
        insert.setString(4, report.community_path());
        insert.setString(5, report.period_start());
        insert.setString(6, report.period_end());
        insert.setString(7, report.SerializeAsString());
        insert.setInt(8, v1::DELIVERED);
        insert.setString(9, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(
            c, write, {report.id(), common::v1::Change::CREATED, report.community_path(), &report});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return report;
  auto earlier = EarlierResultOr<v1::EmployerReport>(pool_, changes_, write, status);
  if (!earlier.ok() && db::IsDuplicateKey(earlier.status())) {
    return AlreadyExists("REPORT_EXISTS", "the employer has a report for this period already");
  }
  return earlier;
}

absl::StatusOr<v1::EmployerReport> ReportStore::Get(const std::string& scope,
                                                    const std::string& id) {
  std::optional<v1::EmployerReport> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindReport(c, scope, id, /*lock=*/false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "report", "REPORT_NOT_FOUND");
  return *found;
}

absl::StatusOr<v1::EmployerReport> ReportStore::Acknowledge(const std::string& scope,
                                                            const WriteContext& write,
                                                            const std::string& id,
                                                            const std::string& only_organisation) {
  v1::EmployerReport after;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    std::optional<v1::EmployerReport> before = FindReport(c, scope, id, /*lock=*/true);
    if (!before) return Hidden(scope, "report", "REPORT_NOT_FOUND");
    const bool is_employer =
        only_organisation.empty() || only_organisation == before->organisation_id();
    if (auto s = CheckAcknowledgeable(*before, is_employer); !s.ok()) return s;
    after = *before;
    after.set_state(v1::ACKNOWLEDGED);
    after.set_acknowledged_by(write.actor);
    ToProtoTime(write.now, after.mutable_acknowledge_time());
    auto& update = c.Prepare(
        "UPDATE employer_reports SET state = ?, acknowledge_time = ?, acknowledged_by = ? WHERE"
        " id = ?");
    update.setInt(1, v1::ACKNOWLEDGED);
    update.setString(2, db::ToDbTime(write.now));
    update.setString(3, write.actor);
    update.setString(4, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, after.community_path(), &after, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return after;
}

}  // namespace grassroots::dualreg
