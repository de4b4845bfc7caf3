#include "services/grid/staff_store.h"

#include <cppconn/datatype.h>

#include "absl/strings/str_cat.h"
#include "common/changes/earlier_result.h"
#include "common/crypto/personal_data.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "services/grid/building_store.h"
#include "services/grid/grid_store.h"
#include "services/grid/scope_errors.h"
#include "services/grid/staff_rules.h"

namespace grassroots::grid {
namespace {

constexpr char kSelect[] =
    "SELECT id, grid_id, grid_path, role, person_ref, person_name_masked, building_id,"
    " start_date, end_date, version, create_time, update_time FROM staff_assignments";

v1::StaffAssignment ReadAssignment(sql::ResultSet& r) {
  v1::StaffAssignment a;
  a.set_id(r.getString(1));
  a.set_grid_id(r.getString(2));
  a.set_grid_path(r.getString(3));
  a.set_role(static_cast<v1::StaffRole>(r.getInt(4)));
  a.set_person_ref(r.getString(5));
  a.set_person_name(r.getString(6));
  a.set_building_id(r.getString(7));
  a.set_start_date(r.getString(8));
  if (!r.isNull(9)) a.set_end_date(r.getString(9));
  a.set_etag(EtagOf(r.getInt64(10)));
  ToProtoTime(db::FromDbTime(r.getString(11)), a.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(12)), a.mutable_update_time());
  return a;
}

// Dates as stored: written by this service, so they parse.
StaffPeriod PeriodOf(const v1::StaffAssignment& a) {
  StaffPeriod period;
  period.start = *ParseDate("start_date", a.start_date());
  if (!a.end_date().empty()) period.end = *ParseDate("end_date", a.end_date());
  return period;
}

Holding HoldingOf(const v1::StaffAssignment& a) {
  return Holding{a.id(), a.role(), a.person_ref(), a.person_name(), a.building_id(), PeriodOf(a)};
}

// The grid's assignments the checks must see: its grid leaders and the
// person's own.
std::vector<Holding> Rivals(db::Connection& c, const std::string& grid_id,
                            const std::string& person_ref) {
  auto& select =
      c.Prepare(absl::StrCat(kSelect, " WHERE grid_id = ? AND (role = ? OR person_ref = ?)"));
  select.setString(1, grid_id);
  select.setInt(2, v1::GRID_LEADER);
  select.setString(3, person_ref);
  std::vector<Holding> out;
  auto rows = c.Query(select);
  while (rows->next()) out.push_back(HoldingOf(ReadAssignment(*rows)));
  return out;
}

void BindEnd(sql::PreparedStatement& statement, int index, const std::string& end_date) {
  if (end_date.empty()) {
    statement.setNull(index, sql::DataType::DATE);
  } else {
    statement.setString(index, end_date);
  }
}

}  // namespace

absl::StatusOr<v1::StaffAssignment> StaffStore::Assign(const std::string& scope,
                                                       const WriteContext& write,
                                                       const v1::StaffAssignment& requested) {
  v1::StaffAssignment created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // Locked for update: assignments to one grid take turns.
        auto grid = GridStore::FindInScope(c, scope, requested.grid_id(), " FOR UPDATE");
        if (!grid) return HiddenReference(scope, "assignment.grid_id", "grid", "GRID_NOT_FOUND");
        if (!requested.building_id().empty()) {
          auto building =
              BuildingStore::FindInScope(c, scope, requested.building_id(), " LOCK IN SHARE MODE");
          if (!building || building->grid_id() != grid->id()) {
            return InvalidField("assignment.building_id", "BUILDING_NOT_IN_GRID",
                                "the building a building leader leads must stand in the grid");
          }
        }
        created = requested;
        created.set_id(NewId("sa", write.now));
        created.set_grid_path(grid->path());
        created.set_person_name(MaskName(requested.person_name()));
        created.set_etag(EtagOf(1));
        ToProtoTime(write.now, created.mutable_create_time());
        ToProtoTime(write.now, created.mutable_update_time());
        if (auto s =
                CheckAssignment(HoldingOf(created), Rivals(c, grid->id(), created.person_ref()));
            !s.ok()) {
          return s;
        }
        auto& insert = c.Prepare(
            "INSERT INTO staff_assignments (id, grid_id, grid_path, role, person_ref,"
            " person_name_masked, building_id, start_date, end_date, version, create_time,"
            " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, created.id());
        insert.setString(2, created.grid_id());
        insert.setString(3, created.grid_path());
        insert.setInt(4, created.role());
        insert.setString(5, created.person_ref());
        insert.setString(6, created.person_name());
        insert.setString(7, created.building_id());
        insert.setString(8, created.start_date());
        BindEnd(insert, 9, created.end_date());
        insert.setString(10, db::ToDbTime(write.now));
        insert.setString(11, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {created.id(), common::v1::Change::CREATED, created.grid_path(), &created, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::StaffAssignment>(pool_, changes_, write, status);
}

absl::StatusOr<v1::StaffAssignment> StaffStore::Get(const std::string& scope,
                                                    const std::string& id) {
  std::optional<v1::StaffAssignment> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = ReadAssignment(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "staff assignment", "STAFF_ASSIGNMENT_NOT_FOUND");
  return *found;
}

absl::StatusOr<StaffPage> StaffStore::List(const std::string& scope, const StaffFilter& filter,
                                           int page_size, const std::string& after_id) {
  StaffPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!GridStore::FindInScope(c, scope, filter.grid_id)) {
      return HiddenReference(scope, "grid_id", "grid", "GRID_NOT_FOUND");
    }
    const bool by_role = filter.role != v1::STAFF_ROLE_UNSPECIFIED;
    auto& select = c.Prepare(absl::StrCat(
        kSelect, " WHERE grid_id = ? AND id > ?", db::InScope("grid_path"),
        by_role ? " AND role = ?" : "",
        filter.active_on ? " AND start_date <= ? AND (end_date IS NULL OR end_date > ?)" : "",
        " ORDER BY id LIMIT ?"));
    select.setString(1, filter.grid_id);
    select.setString(2, after_id);
    int index = db::BindScope(select, 3, scope);
    if (by_role) select.setInt(index++, filter.role);
    if (filter.active_on) {
      select.setString(index++, DateText(*filter.active_on));
      select.setString(index++, DateText(*filter.active_on));
    }
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.assignments.push_back(ReadAssignment(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.assignments.size()) > page_size) {
    page.assignments.pop_back();
    page.last_id = page.assignments.back().id();
  }
  return page;
}

absl::StatusOr<v1::StaffAssignment> StaffStore::Update(const std::string& scope,
                                                       const WriteContext& write,
                                                       const v1::StaffAssignment& changes,
                                                       const std::vector<std::string>& fields) {
  v1::StaffAssignment updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    std::string grid_id;
    {
      auto& select = c.Prepare(absl::StrCat("SELECT grid_id FROM staff_assignments WHERE id = ?",
                                            db::InScope("grid_path")));
      select.setString(1, changes.id());
      db::BindScope(select, 2, scope);
      auto rows = c.Query(select);
      if (!rows->next()) {
        return HiddenRecord(scope, "staff assignment", "STAFF_ASSIGNMENT_NOT_FOUND");
      }
      grid_id = rows->getString(1);
    }
    // The grid first, as Assign takes it: changes to one grid take turns.
    if (!GridStore::FindInScope(c, scope, grid_id, " FOR UPDATE")) {
      return HiddenRecord(scope, "staff assignment", "STAFF_ASSIGNMENT_NOT_FOUND");
    }
    auto& select =
        c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path"), " FOR UPDATE"));
    select.setString(1, changes.id());
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return HiddenRecord(scope, "staff assignment", "STAFF_ASSIGNMENT_NOT_FOUND");
    const v1::StaffAssignment before = ReadAssignment(*rows);
    const int64_t version = VersionOf(before.etag());
    if (auto s = CheckEtag("assignment.etag", changes.etag(), version, "the assignment"); !s.ok()) {
      return s;
    }
    updated = before;
    for (const std::string& field : fields) {
      if (field == "start_date") updated.set_start_date(changes.start_date());
      if (field == "end_date") updated.set_end_date(changes.end_date());
    }
    if (auto s = ValidatePeriod(PeriodOf(updated)); !s.ok()) return s;
    if (auto s = CheckAssignment(HoldingOf(updated), Rivals(c, grid_id, updated.person_ref()));
        !s.ok()) {
      return s;
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE staff_assignments SET start_date = ?, end_date = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setString(1, updated.start_date());
    BindEnd(update, 2, updated.end_date());
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, updated.id());
    update.executeUpdate();
    changes_.Append(
        c, write,
        {updated.id(), common::v1::Change::UPDATED, updated.grid_path(), &updated, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

}  // namespace grassroots::grid
