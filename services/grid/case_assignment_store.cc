#include "services/grid/case_assignment_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {

absl::StatusOr<v1::CaseAssignment> CaseAssignmentStore::Assign(const std::string& scope,
                                                               const WriteContext& write,
                                                               const std::string& case_id,
                                                               const std::string& worker_id) {
  v1::CaseAssignment made;
  made.set_case_id(case_id);
  made.set_worker_id(worker_id);
  made.set_actor(write.actor);
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_assign_time());
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& find = c.Prepare(
        absl::StrCat("SELECT grid_path FROM cases WHERE id = ?", db::InScope("grid_path")));
    find.setString(1, case_id);
    db::BindScope(find, 2, scope);
    auto found = c.Query(find);
    if (!found->next()) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
    made.set_grid_path(found->getString(1));
    // Read under a shared lock: a qualification change applied meanwhile
    // waits for this assignment, or this one sees it.
    auto& qualified = c.Prepare(
        "SELECT qualified_alone FROM worker_qualifications WHERE worker_id = ? LOCK IN SHARE MODE");
    qualified.setString(1, worker_id);
    auto q = c.Query(qualified);
    if (!q->next() || !q->getBoolean(1)) {
      return FailedPrecondition(
          "WORKER_NOT_QUALIFIED_ALONE",
          absl::StrCat("worker_id: ", worker_id,
                       " has not passed post training and may not work alone (careers' training "
                       "rule); pair them with a qualified worker"));
    }
    auto& upsert = c.Prepare(
        "INSERT INTO case_assignments (case_id, worker_id, grid_path, actor, assign_time) VALUES"
        " (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE worker_id = VALUES(worker_id),"
        " actor = VALUES(actor), assign_time = VALUES(assign_time)");
    upsert.setString(1, case_id);
    upsert.setString(2, worker_id);
    upsert.setString(3, made.grid_path());
    upsert.setString(4, write.actor);
    upsert.setString(5, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(c, write,
                    {absl::StrCat(case_id, "/assignment"), common::v1::Change::UPDATED,
                     made.grid_path(), &made, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return made;
}

}  // namespace grassroots::grid
