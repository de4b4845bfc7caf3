#include "services/grid/mediation_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/case_rows.h"
#include "services/grid/case_transitions.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {
namespace {

std::string RequestKey(const WriteContext& write) {
  return absl::StrCat(write.actor, "|", write.request_id);
}

std::optional<v1::Mediation> FindByRequest(db::Connection& c, const WriteContext& write) {
  auto& select = c.Prepare("SELECT mediation FROM case_mediations WHERE request_key = ?");
  select.setString(1, RequestKey(write));
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::Mediation m;
  m.ParseFromString(std::string(rows->getString(1)));
  return m;
}

}  // namespace

absl::StatusOr<v1::Mediation> MediationStore::Record(const std::string& scope,
                                                     const WriteContext& write,
                                                     const std::string& case_id,
                                                     const std::string& etag,
                                                     const v1::Mediation& mediation) {
  v1::Mediation out;
  std::optional<v1::Case> updated;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        updated.reset();
        auto row = FindCaseRow(c, scope, case_id, " FOR UPDATE");
        if (!row) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
        if (!write.request_id.empty()) {
          // Before the etag, which the first record moved on.
          if (auto earlier = FindByRequest(c, write)) {
            out = *std::move(earlier);
            return absl::OkStatus();
          }
        }
        if (auto s = CheckEtag("etag", etag, row->version, "the case"); !s.ok()) return s;
        if (!IsOpen(row->view.state())) {
          return FailedPrecondition("CASE_NOT_OPEN",
                                    absl::StrCat("the case is ", StateName(row->view.state()),
                                                 ": mediations are recorded on open cases"));
        }
        out = mediation;
        out.set_id(NewId("md", write.now));
        out.set_case_id(case_id);
        out.set_recorded_by(write.actor);
        ToProtoTime(write.now, out.mutable_record_time());
        auto& insert = c.Prepare(
            "INSERT INTO case_mediations (id, case_id, mediation, request_key, create_time)"
            " VALUES (?, ?, ?, ?, ?)");
        insert.setString(1, out.id());
        insert.setString(2, case_id);
        insert.setString(3, out.SerializeAsString());
        if (write.request_id.empty()) {
          insert.setNull(4, sql::DataType::VARCHAR);
        } else {
          insert.setString(4, RequestKey(write));
        }
        insert.setString(5, db::ToDbTime(write.now));
        insert.executeUpdate();
        const v1::Case before = row->view;
        row->step_count += 1;
        UpdateCaseRow(c, *row, write.now);
        InsertCaseStep(
            c, case_id, row->step_count, write,
            CaseStepRecord{"Mediation", row->view.state(), row->view.state(), out.agreement(),
                           absl::StrCat("mediation_id=", out.id(),
                                        " outcome=", v1::Mediation::Outcome_Name(out.outcome()))});
        changes_.Append(
            c, write,
            {case_id, common::v1::Change::UPDATED, row->view.grid_path(), &row->view, &before});
        updated = row->view;
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok() || write.request_id.empty()) {
    if (!status.ok()) return status;
    if (updated && cache_ != nullptr) cache_->Offer(*updated);
    return out;
  }
  // A replay racing the first: the first's record answers.
  std::optional<v1::Mediation> first;
  auto read = db::RunReadOnly(pool_, [&](db::Connection& c) {
    first = FindByRequest(c, write);
    return absl::OkStatus();
  });
  if (read.ok() && first) return *first;
  return status;
}

absl::StatusOr<std::vector<v1::Mediation>> MediationStore::List(const std::string& scope,
                                                                const std::string& case_id) {
  std::vector<v1::Mediation> out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!FindCaseRow(c, scope, case_id, "")) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
    auto& select = c.Prepare(
        "SELECT mediation FROM case_mediations WHERE case_id = ? ORDER BY create_time, id");
    select.setString(1, case_id);
    auto rows = c.Query(select);
    while (rows->next()) {
      out.emplace_back().ParseFromString(std::string(rows->getString(1)));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace grassroots::grid
