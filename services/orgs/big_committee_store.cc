#include "services/orgs/big_committee_store.h"

#include <cppconn/exception.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/regional_places.h"
#include "services/orgs/resident_unit_rules.h"
#include "services/orgs/resident_unit_store.h"

namespace grassroots::orgs {
namespace {

constexpr char kColumns[] =
    "s.id, s.organisation_id, s.area_path, s.unit_id, u.display_name, s.role, s.holder_title,"
    " s.term_start, s.term_end, s.state, s.remove_reason, s.version, s.create_time, s.remove_time";
constexpr char kFromSeats[] =
    " FROM big_committee_seats s JOIN resident_units u ON u.id = s.unit_id";

v1::BigCommitteeSeat ReadSeat(sql::ResultSet& row) {
  v1::BigCommitteeSeat s;
  s.set_id(row.getString(1));
  s.set_organisation_id(row.getString(2));
  s.set_area_path(row.getString(3));
  s.set_unit_id(row.getString(4));
  s.set_unit_name(row.getString(5));
  s.set_role(static_cast<v1::BigCommitteeSeat::Role>(row.getInt(6)));
  s.set_holder_title(row.getString(7));
  s.set_term_start(row.getString(8));
  s.set_term_end(row.getString(9));
  s.set_state(static_cast<v1::BigCommitteeSeat::State>(row.getInt(10)));
  s.set_remove_reason(row.getString(11));
  s.set_etag(EtagOf(row.getInt64(12)));
  ToProtoTime(db::FromDbTime(row.getString(13)), s.mutable_create_time());
  if (!row.isNull(14)) ToProtoTime(db::FromDbTime(row.getString(14)), s.mutable_remove_time());
  return s;
}

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the seat lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("id: no such seat"), "SEAT_NOT_FOUND");
}

// Ends one seat (locked by the caller) with its change row.
void End(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
         const v1::BigCommitteeSeat& before, const std::string& reason, bool carries_request_id) {
  v1::BigCommitteeSeat after = before;
  after.set_state(v1::BigCommitteeSeat::REMOVED);
  after.set_remove_reason(reason);
  after.set_etag(EtagOf(std::stoll(before.etag()) + 1));
  ToProtoTime(write.now, after.mutable_remove_time());
  const std::string now = db::ToDbTime(write.now);
  auto& update = c.Prepare(
      "UPDATE big_committee_seats SET state = ?, seated_unit_id = NULL, remove_reason = ?,"
      " remove_time = ?, version = version + 1, update_time = ? WHERE id = ?");
  update.setInt(1, v1::BigCommitteeSeat::REMOVED);
  update.setString(2, reason);
  update.setString(3, now);
  update.setString(4, now);
  update.setString(5, before.id());
  update.executeUpdate();
  ChangeRecord record{before.id(), common::v1::Change::UPDATED, before.area_path(), &after,
                      &before};
  record.carries_request_id = carries_request_id;
  changes.Append(c, write, record);
}

}  // namespace

absl::StatusOr<v1::BigCommitteeSeat> BigCommitteeStore::Add(const std::string& scope,
                                                            const WriteContext& write,
                                                            const v1::BigCommitteeSeat& seat) {
  v1::BigCommitteeSeat added;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto committee = OrganisationStore::FindActiveInScope(c, scope, seat.organisation_id());
        if (!committee) {
          if (!scope.empty()) {
            return PermissionDenied("OUT_OF_SCOPE",
                                    "seat.organisation_id lies outside the caller's jurisdiction");
          }
          return InvalidField("seat.organisation_id", "ORGANISATION_NOT_FOUND",
                              "no active organisation with this id");
        }
        if (auto s = ValidateRegionalLead("seat.organisation_id", committee->kind()); !s.ok()) {
          return s;
        }
        auto unit = ResidentUnitStore::FindUnit(c, seat.unit_id());
        // A unit the caller cannot see looks like no unit at all.
        if (!unit || !PathWithin(unit->area_path, scope)) {
          if (!scope.empty()) {
            return PermissionDenied("OUT_OF_SCOPE",
                                    "seat.unit_id lies outside the caller's jurisdiction");
          }
          return InvalidField("seat.unit_id", "UNIT_NOT_FOUND", "no such resident unit");
        }
        if (auto s = ValidateUnitTakesPart("seat.unit_id", unit->state, unit->area_path,
                                           committee->area_path());
            !s.ok()) {
          return s;
        }
        added = seat;
        added.set_id(NewId("bs", write.now));
        added.set_area_path(committee->area_path());
        added.set_unit_name(unit->display_name);
        added.set_state(v1::BigCommitteeSeat::SEATED);
        added.clear_remove_reason();
        added.clear_remove_time();
        added.set_etag(EtagOf(1));
        ToProtoTime(write.now, added.mutable_create_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO big_committee_seats (id, organisation_id, area_path, unit_id,"
            " seated_unit_id, role, holder_title, term_start, term_end, state, version,"
            " create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, added.id());
        insert.setString(2, committee->id());
        insert.setString(3, committee->area_path());
        insert.setString(4, unit->id);
        insert.setString(5, unit->id);
        insert.setInt(6, added.role());
        insert.setString(7, added.holder_title());
        insert.setString(8, added.term_start());
        insert.setString(9, added.term_end());
        insert.setInt(10, v1::BigCommitteeSeat::SEATED);
        insert.setString(11, now);
        insert.setString(12, now);
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return AlreadyExists("UNIT_ALREADY_ON_COMMITTEE",
                               absl::StrCat(unit->display_name,
                                            " already holds a seat on this committee; a unit is "
                                            "on a committee at most once"));
        }
        changes_.Append(
            c, write,
            {added.id(), common::v1::Change::CREATED, added.area_path(), &added, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return added;
  return EarlierResultOr<v1::BigCommitteeSeat>(pool_, changes_, write, status);
}

absl::StatusOr<v1::BigCommitteeSeat> BigCommitteeStore::Remove(const std::string& scope,
                                                               const WriteContext& write,
                                                               const std::string& id,
                                                               const std::string& etag,
                                                               const std::string& reason) {
  v1::BigCommitteeSeat removed;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, kFromSeats, " WHERE s.id = ?",
                                          db::InScope("s.area_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    v1::BigCommitteeSeat before;
    {
      auto rows = c.Query(select);
      if (!rows->next()) return Hidden(scope);
      before = ReadSeat(*rows);
    }
    if (auto s = CheckEtag("etag", etag, std::stoll(before.etag())); !s.ok()) return s;
    if (before.state() != v1::BigCommitteeSeat::SEATED) {
      return FailedPrecondition("SEAT_REMOVED", "the seat has already ended");
    }
    End(c, changes_, write, before, reason, /*carries_request_id=*/true);
    removed = before;
    removed.set_state(v1::BigCommitteeSeat::REMOVED);
    removed.set_remove_reason(reason);
    removed.set_etag(EtagOf(std::stoll(before.etag()) + 1));
    ToProtoTime(write.now, removed.mutable_remove_time());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return removed;
}

absl::StatusOr<BigCommitteeSeatPage> BigCommitteeStore::List(const std::string& scope,
                                                             const std::string& organisation_id,
                                                             bool include_removed, int page_size,
                                                             const std::string& after_id) {
  BigCommitteeSeatPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto committee = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!committee.ok()) return committee.status();
    auto& select = c.Prepare(
        absl::StrCat("SELECT ", kColumns, kFromSeats, " WHERE s.organisation_id = ? AND s.id > ?",
                     db::InScope("s.area_path"), " AND (? OR s.state = ?) ORDER BY s.id LIMIT ?"));
    select.setString(1, committee->id());
    select.setString(2, after_id);
    int index = db::BindScope(select, 3, scope);
    select.setBoolean(index++, include_removed);
    select.setInt(index++, v1::BigCommitteeSeat::SEATED);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.seats.push_back(ReadSeat(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.seats.size()) > page_size) {
    page.seats.pop_back();
    page.last_id = page.seats.back().id();
  }
  return page;
}

void BigCommitteeStore::EndSeatsOfUnit(db::Connection& c, const ChangeLog& changes,
                                       const WriteContext& write, const std::string& unit_id,
                                       const std::string& reason) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, kFromSeats,
                                        " WHERE s.unit_id = ? AND s.state = ? ORDER BY s.id"
                                        " FOR UPDATE"));
  select.setString(1, unit_id);
  select.setInt(2, v1::BigCommitteeSeat::SEATED);
  std::vector<v1::BigCommitteeSeat> seated;
  {
    auto rows = c.Query(select);
    while (rows->next()) seated.push_back(ReadSeat(*rows));
  }
  for (const auto& seat : seated) End(c, changes, write, seat, reason, false);
}

}  // namespace grassroots::orgs
