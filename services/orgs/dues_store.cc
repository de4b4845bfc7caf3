#include "services/orgs/dues_store.h"

#include <cppconn/exception.h>

#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/dues_rules.h"
#include "services/orgs/organisation_store.h"

namespace grassroots::orgs {
namespace {

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the member lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("member_id: no such member"), "MEMBER_NOT_FOUND");
}

// Dues fall due from the month after joining.
absl::CivilMonth FirstDue(const std::string& join_date) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(join_date, &day);
  return absl::CivilMonth(day) + 1;
}

std::optional<absl::CivilMonth> Month(const std::string& text) {
  absl::CivilMonth month;
  if (text.empty() || !absl::ParseCivilTime(text, &month)) return std::nullopt;
  return month;
}

v1::DuesPayment ReadPayment(sql::ResultSet& row) {
  v1::DuesPayment p;
  p.set_member_id(row.getString(1));
  p.set_month(row.getString(2));
  p.set_payment_id(row.getString(3));
  p.set_amount_fen(row.getInt64(4));
  p.set_recorded_by(row.getString(5));
  ToProtoTime(db::FromDbTime(row.getString(6)), p.mutable_record_time());
  return p;
}

std::string MonthText(const std::optional<absl::CivilMonth>& month) {
  return month ? absl::FormatCivilTime(*month).substr(0, 7) : "";
}

// The months paid by each of `member_ids`, in one query.
absl::flat_hash_map<std::string, std::vector<absl::CivilMonth>> PaidMonths(
    db::Connection& c, const std::vector<std::string>& member_ids) {
  absl::flat_hash_map<std::string, std::vector<absl::CivilMonth>> out;
  if (member_ids.empty()) return out;
  auto& select =
      c.Prepare(absl::StrCat("SELECT member_id, month FROM dues_payments WHERE member_id IN (",
                             db::ParameterList(static_cast<int>(member_ids.size())), ")"));
  for (size_t i = 0; i < member_ids.size(); ++i) {
    select.setString(static_cast<int>(i) + 1, member_ids[i]);
  }
  auto rows = c.Query(select);
  while (rows->next()) {
    if (auto month = Month(rows->getString(2)))
      out[rows->getString(1).asStdString()].push_back(*month);
  }
  return out;
}

constexpr char kPaymentColumns[] =
    "member_id, month, payment_id, amount_fen, recorded_by, record_time";

}  // namespace

absl::StatusOr<v1::DuesPayment> DuesStore::Record(const std::string& scope,
                                                  const WriteContext& write,
                                                  const v1::DuesPayment& payment) {
  v1::DuesPayment recorded;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // An earlier call with this payment id answers as it did then.
        auto& earlier = c.Prepare(absl::StrCat(
            "SELECT ", kPaymentColumns, ", area_path FROM dues_payments WHERE payment_id = ?"));
        earlier.setString(1, payment.payment_id());
        {
          auto rows = c.Query(earlier);
          if (rows->next()) {
            // A payment outside the caller's scope answers like any other.
            if (!PathWithin(rows->getString(7).asStdString(), scope)) return Hidden(scope);
            v1::DuesPayment first = ReadPayment(*rows);
            if (first.member_id() != payment.member_id() || first.month() != payment.month() ||
                first.amount_fen() != payment.amount_fen()) {
              return FailedPrecondition("PAYMENT_ID_REUSED",
                                        "payment_id was already used for another payment");
            }
            recorded = first;
            return absl::OkStatus();
          }
        }
        auto& member = c.Prepare(absl::StrCat("SELECT area_path FROM members WHERE id = ?",
                                              db::InScope("area_path"), " LOCK IN SHARE MODE"));
        member.setString(1, payment.member_id());
        db::BindScope(member, 2, scope);
        std::string area_path;
        {
          auto rows = c.Query(member);
          if (!rows->next()) return Hidden(scope);
          area_path = rows->getString(1);
        }
        recorded = payment;
        recorded.set_recorded_by(write.actor);
        ToProtoTime(write.now, recorded.mutable_record_time());
        auto& insert = c.Prepare(
            "INSERT INTO dues_payments (member_id, month, payment_id, amount_fen, area_path,"
            " recorded_by, record_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, payment.member_id());
        insert.setString(2, payment.month());
        insert.setString(3, payment.payment_id());
        insert.setInt64(4, payment.amount_fen());
        insert.setString(5, area_path);
        insert.setString(6, write.actor);
        insert.setString(7, db::ToDbTime(write.now));
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          // The member and month are paid under another payment id (a
          // concurrent duplicate of this one retries and finds it above).
          return Aborted("MONTH_ALREADY_PAID",
                         absl::StrCat(payment.month(), " is already paid for this member"));
        }
        changes_.Append(c, write,
                        {absl::StrCat(payment.member_id(), "/", payment.month()),
                         common::v1::Change::CREATED, area_path, &recorded, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = true});
  if (!status.ok()) return status;
  return recorded;
}

DuesPosition DuesStore::PositionOfMember(db::Connection& c, const std::string& member_id,
                                         const std::string& join_date, absl::CivilMonth current) {
  return PositionOf(FirstDue(join_date), PaidMonths(c, {member_id})[member_id], current);
}

absl::StatusOr<v1::DuesStatus> DuesStore::Status(const std::string& scope,
                                                 const std::string& member_id,
                                                 absl::CivilMonth current) {
  v1::DuesStatus out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT m.join_date FROM members m WHERE m.id = ?",
                                          db::InScope("m.area_path")));
    select.setString(1, member_id);
    db::BindScope(select, 2, scope);
    std::string join_date;
    {
      auto rows = c.Query(select);
      if (!rows->next()) return Hidden(scope);
      join_date = rows->getString(1);
    }
    const DuesPosition position = PositionOfMember(c, member_id, join_date, current);
    out.set_member_id(member_id);
    out.set_paid_up_to(MonthText(position.paid_up_to));
    out.set_months_in_arrears(position.unpaid_months);
    out.set_standing(StandingFor(position.unpaid_months));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ArrearsPage> DuesStore::Arrears(const std::string& scope,
                                               const std::string& organisation_id,
                                               absl::CivilMonth current, int page_size,
                                               const std::string& after_member_id) {
  ArrearsPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!organisation.ok()) return organisation.status();
    const std::string path = organisation->path();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT m.id, m.organisation_id, m.name_masked, m.join_date"
        " FROM members m JOIN organisations o ON o.id = m.organisation_id"
        " WHERE m.id > ?",
        db::InScope("m.area_path"), " AND (o.path = ? OR o.path LIKE ?) ORDER BY m.id LIMIT ?"));
    select.setString(1, after_member_id);
    int index = db::BindScope(select, 2, scope);
    select.setString(index++, path);
    select.setString(index++, DescendantsLikePattern(path));
    select.setInt(index, page_size + 1);
    struct Candidate {
      std::string member_id, organisation_id, name, join_date;
    };
    std::vector<Candidate> candidates;
    {
      auto rows = c.Query(select);
      while (rows->next()) {
        candidates.push_back(
            {rows->getString(1), rows->getString(2), rows->getString(3), rows->getString(4)});
      }
    }
    if (static_cast<int>(candidates.size()) > page_size) {
      candidates.pop_back();
      page.last_member_id = candidates.back().member_id;  // more members follow
    }
    std::vector<std::string> ids;
    for (const auto& candidate : candidates) ids.push_back(candidate.member_id);
    auto paid = PaidMonths(c, ids);
    for (const auto& candidate : candidates) {
      const DuesPosition position =
          PositionOf(FirstDue(candidate.join_date), paid[candidate.member_id], current);
      if (StandingFor(position.unpaid_months) == v1::IN_GOOD_STANDING) continue;
      v1::DuesArrear arrear;
      arrear.set_member_id(candidate.member_id);
      arrear.set_organisation_id(candidate.organisation_id);
      arrear.set_name(candidate.name);
      arrear.set_paid_up_to(MonthText(position.paid_up_to));
      arrear.set_months_in_arrears(position.unpaid_months);
      arrear.set_standing(StandingFor(position.unpaid_months));
      page.arrears.push_back(std::move(arrear));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

}  // namespace grassroots::orgs
