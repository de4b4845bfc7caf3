#include "services/volunteer/credit_store.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/activity_store.h"
#include "services/volunteer/credit_rules.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/volunteer_store.h"

namespace grassroots::volunteer {
namespace {

struct Found {
  v1::Credit credit;
  std::string community_path;
};

std::optional<Found> FindCredit(db::Connection& c, const v1::Credit& key) {
  auto& select = c.Prepare(
      "SELECT volunteer_id, points, minutes, memo, create_time, community_path FROM credits"
      " WHERE source = ? AND event_id = ?");
  select.setString(1, key.source());
  select.setString(2, key.event_id());
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  Found f;
  f.credit.set_source(key.source());
  f.credit.set_event_id(key.event_id());
  f.credit.set_volunteer_id(rows->getString(1));
  f.credit.set_points(rows->getInt64(2));
  f.credit.set_minutes(rows->getInt64(3));
  f.credit.set_memo(rows->getString(4));
  ToProtoTime(db::FromDbTime(rows->getString(5)), f.credit.mutable_create_time());
  if (f.credit.points() > 0) f.credit.set_transfer_id(CreditTransferId(f.credit));
  f.community_path = rows->getString(6);
  f.credit.set_community_path(f.community_path);
  return f;
}

// `points_from_rule`: the request did not say the points (a good deed's
// come from the rule as it was when first recorded), so they are not
// compared.
absl::StatusOr<v1::Credit> Earlier(const std::string& scope, const Found& found,
                                   v1::Credit requested, bool points_from_rule) {
  if (!PathWithin(found.community_path, scope)) {
    return Hidden(scope, "credit.volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
  }
  if (points_from_rule) requested.set_points(found.credit.points());
  if (!SameCredit(found.credit, requested)) {
    return AlreadyExists("EVENT_ID_REUSED",
                         absl::StrCat("credit.event_id: event ", requested.event_id(), " of ",
                                      requested.source(), " was already credited otherwise"));
  }
  return found.credit;
}

}  // namespace

absl::StatusOr<v1::Credit> CreditStore::Apply(const std::string& scope, const WriteContext& write,
                                              const v1::Credit& requested) {
  return Record(scope, write, requested, nullptr);
}

absl::StatusOr<v1::Credit> CreditStore::RecordGoodDeed(const std::string& scope,
                                                       const WriteContext& write,
                                                       const v1::Credit& requested,
                                                       const std::string& deed_type) {
  return Record(scope, write, requested,
                [&](db::Connection& c, const v1::Volunteer& volunteer) -> absl::StatusOr<int64_t> {
                  const v1::PointsRule rule =
                      ActivityStore::RuleFor(c, volunteer.community_path(), deed_type);
                  if (rule.points_per_good_deed() <= 0) {
                    return FailedPrecondition(
                        "GOOD_DEED_NOT_RATED",
                        absl::StrCat("deed_type: community ", volunteer.community_path(),
                                     " gives no points for good deeds of type ", deed_type,
                                     " (set points_per_good_deed in its points rule)"));
                  }
                  return rule.points_per_good_deed();
                });
}

absl::StatusOr<v1::Credit> CreditStore::Record(const std::string& scope, const WriteContext& write,
                                               v1::Credit requested, const PointsFromRule& rule) {
  v1::Credit result;
  absl::Status status =
      LedgerStore::RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
        auto answer = [&](const Found& found) {
          auto earlier = Earlier(scope, found, requested, rule != nullptr);
          if (earlier.ok()) result = *earlier;
          return earlier.status();
        };
        if (auto found = FindCredit(c, requested)) return answer(*found);
        auto volunteer = VolunteerStore::FindInScope(c, scope, requested.volunteer_id());
        if (!volunteer) {
          return Hidden(scope, "credit.volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
        }
        if (rule) {
          auto points = rule(c, *volunteer);
          if (!points.ok()) return points.status();
          requested.set_points(*points);
        }
        result = requested;
        result.set_community_path(volunteer->community_path());
        ToProtoTime(absl::FromUnixMicros(absl::ToUnixMicros(write.now)),
                    result.mutable_create_time());
        if (requested.points() > 0) {
          v1::Account issuing;
          issuing.set_kind(v1::ACCOUNT_KIND_ISSUING);
          issuing.set_community_path(volunteer->community_path());
          v1::Transfer credit;
          credit.set_id(CreditTransferId(requested));
          credit.set_debit_account_id(LedgerStore::EnsureAccount(c, changes_, write, issuing).id());
          credit.set_credit_account_id(volunteer->account_id());
          credit.set_amount(requested.points());
          credit.set_memo(requested.memo().empty()
                              ? absl::StrCat("credit from ", requested.source())
                              : requested.memo());
          auto applied = LedgerStore::Apply(c, changes_, "", write, {credit}, "credit");
          // The same event delivered twice at once: the first holds the locks.
          if (auto found = FindCredit(c, requested)) return answer(*found);
          if (!applied.ok()) return applied.status();
          result.set_transfer_id(credit.id());
        }
        auto& insert = c.Prepare(
            "INSERT INTO credits (source, event_id, volunteer_id, community_path, points, minutes,"
            " memo, actor, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, requested.source());
        insert.setString(2, requested.event_id());
        insert.setString(3, requested.volunteer_id());
        insert.setString(4, volunteer->community_path());
        insert.setInt64(5, requested.points());
        insert.setInt64(6, requested.minutes());
        insert.setString(7, requested.memo());
        insert.setString(8, write.actor);
        insert.setString(9, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write,
                        {CreditTransferId(requested), common::v1::Change::CREATED,
                         volunteer->community_path(), &result, nullptr});
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

}  // namespace grassroots::volunteer
