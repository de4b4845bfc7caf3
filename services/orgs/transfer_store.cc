#include "services/orgs/transfer_store.h"

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
#include "services/orgs/dues_store.h"
#include "services/orgs/member_store.h"
#include "services/orgs/organisation_store.h"

namespace grassroots::orgs {
namespace {

constexpr char kColumns[] =
    "id, member_id, from_organisation_id, to_organisation_id, state, reason, requested_by,"
    " decided_by, request_time, decide_time, version, from_area_path, to_area_path";

struct Row {
  v1::Transfer transfer;
  std::string from_area_path;
  std::string to_area_path;
};

Row ReadRow(sql::ResultSet& r) {
  Row row;
  v1::Transfer& t = row.transfer;
  t.set_id(r.getString(1));
  t.set_member_id(r.getString(2));
  t.set_from_organisation_id(r.getString(3));
  t.set_to_organisation_id(r.getString(4));
  t.set_state(static_cast<v1::Transfer::State>(r.getInt(5)));
  t.set_reason(r.getString(6));
  t.set_requested_by(r.getString(7));
  t.set_decided_by(r.getString(8));
  ToProtoTime(db::FromDbTime(r.getString(9)), t.mutable_request_time());
  if (!r.isNull(10)) ToProtoTime(db::FromDbTime(r.getString(10)), t.mutable_decide_time());
  t.set_etag(EtagOf(r.getInt64(11)));
  row.from_area_path = r.getString(12);
  row.to_area_path = r.getString(13);
  return row;
}

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the transfer lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("id: no such transfer"), "TRANSFER_NOT_FOUND");
}

std::optional<Row> FindById(db::Connection& c, const std::string& id, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM member_transfers WHERE id = ?", lock));
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadRow(*rows);
}

}  // namespace

absl::StatusOr<v1::Transfer> TransferStore::Request(
    const std::string& scope, const WriteContext& write, const std::string& member_id,
    const std::string& to_organisation_id, const std::string& reason, absl::CivilMonth current) {
  v1::Transfer created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto& member = c.Prepare(
            absl::StrCat("SELECT organisation_id, area_path, join_date,"
                         " (SELECT MAX(p.month) FROM dues_payments p WHERE p.member_id = m.id)"
                         " FROM members m WHERE m.id = ?",
                         db::InScope("m.area_path"), " FOR UPDATE"));
        member.setString(1, member_id);
        db::BindScope(member, 2, scope);
        std::string from_organisation, from_area_path, join_date;
        {
          auto rows = c.Query(member);
          if (!rows->next()) {
            return scope.empty() ? WithReason(absl::NotFoundError("member_id: no such member"),
                                              "MEMBER_NOT_FOUND")
                                 : PermissionDenied("OUT_OF_SCOPE",
                                                    "the member lies outside the caller's "
                                                    "jurisdiction");
          }
          from_organisation = rows->getString(1);
          from_area_path = rows->getString(2);
          join_date = rows->getString(3);
        }
        // Transfers go anywhere: the destination need not be in the caller's scope.
        auto to = OrganisationStore::FindActiveInScope(c, "", to_organisation_id);
        if (!to) {
          return InvalidField("to_organisation_id", "ORGANISATION_NOT_FOUND",
                              "no active organisation with this id");
        }
        if (to->id() == from_organisation) {
          return FailedPrecondition("SAME_ORGANISATION",
                                    "the member already belongs to that organisation");
        }
        const int behind =
            DuesStore::PositionOfMember(c, member_id, join_date, current).unpaid_months;
        if (behind > 0) {
          return FailedPrecondition("DUES_NOT_SETTLED",
                                    absl::StrCat("dues are settled before a transfer out: ", behind,
                                                 " month(s) up to this month are unpaid"));
        }
        created.set_id(NewId("tr", write.now));
        created.set_member_id(member_id);
        created.set_from_organisation_id(from_organisation);
        created.set_to_organisation_id(to->id());
        created.set_state(v1::Transfer::PENDING);
        created.set_reason(reason);
        created.set_requested_by(write.actor);
        ToProtoTime(write.now, created.mutable_request_time());
        created.set_etag(EtagOf(1));
        auto& insert = c.Prepare(
            "INSERT INTO member_transfers (id, member_id, pending_member_id, from_organisation_id,"
            " to_organisation_id, from_area_path, to_area_path, state, reason, requested_by,"
            " request_time, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
        insert.setString(1, created.id());
        insert.setString(2, member_id);
        insert.setString(3, member_id);
        insert.setString(4, from_organisation);
        insert.setString(5, to->id());
        insert.setString(6, from_area_path);
        insert.setString(7, to->area_path());
        insert.setInt(8, v1::Transfer::PENDING);
        insert.setString(9, reason);
        insert.setString(10, write.actor);
        insert.setString(11, db::ToDbTime(write.now));
        try {
          insert.executeUpdate();
          changes_.Append(
              c, write,
              {created.id(), common::v1::Change::CREATED, from_area_path, &created, nullptr});
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return FailedPrecondition("TRANSFER_PENDING",
                                    "the member already has a transfer waiting for a decision");
        }
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Transfer>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Transfer> TransferStore::Decide(const std::string& scope,
                                                   const WriteContext& write, const std::string& id,
                                                   const std::string& etag, Decision decision) {
  v1::Transfer decided;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto row = FindById(c, id, " FOR UPDATE");
    if (!row) return Hidden(scope);
    // The receiving side accepts or rejects; the sending side cancels.
    const std::string& side =
        decision == Decision::kCancel ? row->from_area_path : row->to_area_path;
    if (!PathWithin(side, scope)) return Hidden(scope);
    if (auto s = CheckEtag("etag", etag, std::stoll(row->transfer.etag())); !s.ok()) return s;
    if (row->transfer.state() != v1::Transfer::PENDING) {
      return FailedPrecondition("TRANSFER_DECIDED",
                                absl::StrCat("the transfer is already ",
                                             v1::Transfer::State_Name(row->transfer.state())));
    }
    decided = row->transfer;
    if (decision == Decision::kAccept) {
      auto to = OrganisationStore::FindActiveInScope(c, "", decided.to_organisation_id());
      if (!to) {
        return FailedPrecondition("ORGANISATION_DISSOLVED",
                                  "the receiving organisation has been dissolved");
      }
      if (!MemberStore::MoveToOrganisation(c, changes_, write, decided.member_id(),
                                           decided.from_organisation_id(), *to)) {
        return FailedPrecondition("MEMBER_MOVED",
                                  "the member is no longer in the sending organisation");
      }
    }
    decided.set_state(decision == Decision::kAccept   ? v1::Transfer::ACCEPTED
                      : decision == Decision::kReject ? v1::Transfer::REJECTED
                                                      : v1::Transfer::CANCELLED);
    decided.set_decided_by(write.actor);
    ToProtoTime(write.now, decided.mutable_decide_time());
    decided.set_etag(EtagOf(std::stoll(row->transfer.etag()) + 1));
    auto& update = c.Prepare(
        "UPDATE member_transfers SET state = ?, pending_member_id = NULL, decided_by = ?,"
        " decide_time = ?, version = version + 1 WHERE id = ?");
    update.setInt(1, decided.state());
    update.setString(2, write.actor);
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, id);
    update.executeUpdate();
    changes_.Append(c, write, {id, common::v1::Change::UPDATED, side, &decided, &row->transfer});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return decided;
}

absl::StatusOr<v1::Transfer> TransferStore::Get(const std::string& scope, const std::string& id) {
  std::optional<Row> row;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    row = FindById(c, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // Either side may read it.
  if (!row || !(PathWithin(row->from_area_path, scope) || PathWithin(row->to_area_path, scope))) {
    return Hidden(scope);
  }
  return row->transfer;
}

std::optional<std::string> TransferStore::CameFrom(db::Connection& c, const std::string& member_id,
                                                   const std::string& organisation_id) {
  auto& select = c.Prepare(
      "SELECT from_organisation_id FROM member_transfers WHERE member_id = ?"
      " AND to_organisation_id = ? AND state = ? ORDER BY decide_time DESC, id DESC LIMIT 1");
  select.setString(1, member_id);
  select.setString(2, organisation_id);
  select.setInt(3, v1::Transfer::ACCEPTED);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return rows->getString(1);
}

void TransferStore::RecordCompleted(db::Connection& c, const ChangeLog& changes,
                                    const WriteContext& write, const std::string& member_id,
                                    const v1::Organisation& from, const v1::Organisation& to,
                                    const std::string& reason) {
  v1::Transfer done;
  done.set_id(NewId("tr", write.now));
  done.set_member_id(member_id);
  done.set_from_organisation_id(from.id());
  done.set_to_organisation_id(to.id());
  done.set_state(v1::Transfer::ACCEPTED);
  done.set_reason(reason);
  done.set_requested_by(write.actor);
  done.set_decided_by(write.actor);
  ToProtoTime(write.now, done.mutable_request_time());
  ToProtoTime(write.now, done.mutable_decide_time());
  done.set_etag(EtagOf(1));
  auto& insert = c.Prepare(
      "INSERT INTO member_transfers (id, member_id, pending_member_id, from_organisation_id,"
      " to_organisation_id, from_area_path, to_area_path, state, reason, requested_by, decided_by,"
      " request_time, decide_time, version) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
  insert.setString(1, done.id());
  insert.setString(2, member_id);
  insert.setString(3, from.id());
  insert.setString(4, to.id());
  insert.setString(5, from.area_path());
  insert.setString(6, to.area_path());
  insert.setInt(7, v1::Transfer::ACCEPTED);
  insert.setString(8, reason.substr(0, 500));
  insert.setString(9, write.actor);
  insert.setString(10, write.actor);
  insert.setString(11, db::ToDbTime(write.now));
  insert.setString(12, db::ToDbTime(write.now));
  insert.executeUpdate();
  ChangeRecord record{done.id(), common::v1::Change::CREATED, from.area_path(), &done, nullptr};
  record.carries_request_id = false;
  changes.Append(c, write, record);
}

}  // namespace grassroots::orgs
