#include "services/volunteer/wish_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/volunteer_store.h"
#include "services/volunteer/wish_rules.h"

namespace grassroots::volunteer {
namespace {

constexpr char kColumns[] =
    "SELECT w.id, w.community_path, w.title, w.description, w.household_ref, w.points,"
    " w.publish_days, w.claim_hours, w.on_unclaimed, w.state, w.due_time, w.claimable_until,"
    " w.claim_due_time, w.claimer_kind, w.claimer_volunteer_id, w.claimer_team_id,"
    " w.claimer_member_id, w.lapsed_claims, w.escalated_to_path, w.reject_reason,"
    " w.fulfilment_note, w.confirmation_note, w.collected_by, w.create_time, w.update_time"
    " FROM wishes w";

// Only a set column sets the field: mutable_*() alone would mark it present.
void ReadTime(sql::ResultSet& r, int column, google::protobuf::Timestamp* (v1::Wish::*field)(),
              v1::Wish& w) {
  if (!r.isNull(column)) ToProtoTime(db::FromDbTime(r.getString(column)), (w.*field)());
}

v1::Wish ReadWish(sql::ResultSet& r) {
  v1::Wish w;
  w.set_id(r.getString(1));
  w.set_community_path(r.getString(2));
  w.set_title(r.getString(3));
  w.set_description(r.getString(4));
  w.set_household_ref(r.getString(5));
  w.set_points(r.getInt64(6));
  w.set_publish_days(r.getInt(7));
  w.set_claim_hours(r.getInt(8));
  w.set_on_unclaimed(static_cast<v1::UnclaimedPolicy>(r.getInt(9)));
  w.set_state(static_cast<v1::WishState>(r.getInt(10)));
  ReadTime(r, 11, &v1::Wish::mutable_due_time, w);
  ReadTime(r, 12, &v1::Wish::mutable_claimable_until, w);
  ReadTime(r, 13, &v1::Wish::mutable_claim_due_time, w);
  w.set_claimer_kind(static_cast<v1::ClaimerKind>(r.getInt(14)));
  w.set_claimer_volunteer_id(r.getString(15));
  w.set_claimer_team_id(r.getString(16));
  w.set_claimer_member_id(r.getString(17));
  w.set_lapsed_claims(r.getInt(18));
  w.set_escalated_to_path(r.getString(19));
  w.set_reject_reason(r.getString(20));
  w.set_fulfilment_note(r.getString(21));
  w.set_confirmation_note(r.getString(22));
  w.set_collected_by(r.getString(23));
  ToProtoTime(db::FromDbTime(r.getString(24)), w.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(25)), w.mutable_update_time());
  if (w.points() > 0 && w.state() == v1::WISH_CONFIRMED) w.set_transfer_id(WishTransferId(w.id()));
  return w;
}

void SetTime(sql::PreparedStatement& s, int index, bool set,
             const google::protobuf::Timestamp& time) {
  if (set) {
    s.setString(index, db::ToDbTime(FromProtoTime(time)));
  } else {
    s.setNull(index, sql::DataType::VARCHAR);
  }
}

std::optional<v1::Wish> FindWish(db::Connection& c, const std::string& scope, const std::string& id,
                                 const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat(kColumns, " WHERE w.id = ?", db::InScope("w.community_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadWish(*rows);
}

// Writes the wish's mutable columns and its change record.
void Save(db::Connection& c, const ChangeLog& changes, const WriteContext& write, v1::Wish& after,
          const v1::Wish& before) {
  ToProtoTime(absl::FromUnixMicros(absl::ToUnixMicros(write.now)), after.mutable_update_time());
  auto& update = c.Prepare(
      "UPDATE wishes SET state = ?, due_time = ?, claimable_until = ?, claim_due_time = ?,"
      " claimer_kind = ?, claimer_volunteer_id = ?, claimer_team_id = ?, claimer_member_id = ?,"
      " lapsed_claims = ?, escalated_to_path = ?, reject_reason = ?, fulfilment_note = ?,"
      " confirmation_note = ?, update_time = ? WHERE id = ?");
  update.setInt(1, after.state());
  SetTime(update, 2, after.has_due_time(), after.due_time());
  SetTime(update, 3, after.has_claimable_until(), after.claimable_until());
  SetTime(update, 4, after.has_claim_due_time(), after.claim_due_time());
  update.setInt(5, after.claimer_kind());
  update.setString(6, after.claimer_volunteer_id());
  update.setString(7, after.claimer_team_id());
  update.setString(8, after.claimer_member_id());
  update.setInt(9, after.lapsed_claims());
  update.setString(10, after.escalated_to_path());
  update.setString(11, after.reject_reason());
  update.setString(12, after.fulfilment_note());
  update.setString(13, after.confirmation_note());
  update.setString(14, db::ToDbTime(write.now));
  update.setString(15, after.id());
  update.executeUpdate();
  changes.Append(
      c, write, {after.id(), common::v1::Change::UPDATED, after.community_path(), &after, &before});
}

// The claimer as the wish records it: the volunteer whose account is paid,
// the kind, and the team when claimed for a group.
absl::Status ResolveClaimer(db::Connection& c, const std::string& scope, const WishClaimer& claimer,
                            v1::Wish& wish) {
  std::string volunteer_id = claimer.volunteer_id;
  if (!claimer.member_id.empty()) {
    auto& select = c.Prepare(absl::StrCat("SELECT v.id FROM volunteers v WHERE v.member_id = ?",
                                          db::InScope("v.community_path")));
    select.setString(1, claimer.member_id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) {
      return InvalidField("member_id", "MEMBER_NOT_VOLUNTEER",
                          "the party member is not registered as a volunteer here; register them"
                          " (CreateVolunteer with member_id) so the points have an account");
    }
    volunteer_id = rows->getString(1);
  }
  auto volunteer = VolunteerStore::FindInScope(c, scope, volunteer_id);
  if (!volunteer) return Hidden(scope, "volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
  wish.set_claimer_volunteer_id(volunteer->id());
  wish.set_claimer_member_id(volunteer->member_id());
  wish.set_claimer_kind(claimer.member_id.empty() ? v1::CLAIMER_VOLUNTEER
                                                  : v1::CLAIMER_PARTY_MEMBER);
  if (!claimer.team_id.empty()) {
    auto team = VolunteerStore::FindTeamInScope(c, scope, claimer.team_id);
    if (!team) return Hidden(scope, "team_id", "team", "TEAM_NOT_FOUND");
    const auto& leaders = team->leader_volunteer_ids();
    if (std::find(leaders.begin(), leaders.end(), volunteer->id()) == leaders.end()) {
      return InvalidField("team_id", "NOT_TEAM_LEADER",
                          "a group claims through one of its leaders; the claimer leads no such "
                          "team");
    }
    wish.set_claimer_team_id(team->id());
    wish.set_claimer_kind(v1::CLAIMER_GROUP);
  }
  return absl::OkStatus();
}

bool SameClaimer(const v1::Wish& a, const v1::Wish& b) {
  return a.claimer_volunteer_id() == b.claimer_volunteer_id() &&
         a.claimer_team_id() == b.claimer_team_id() && a.claimer_kind() == b.claimer_kind();
}

}  // namespace

absl::StatusOr<v1::Wish> WishStore::Collect(const std::string& scope, const WriteContext& write,
                                            const v1::Wish& requested) {
  if (!PathWithin(requested.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "wish.community_path lies outside the caller's jurisdiction");
  }
  v1::Wish made = Collected(requested);
  made.set_id(NewId("wi", write.now));
  made.set_collected_by(write.actor);
  const absl::Time at = absl::FromUnixMicros(absl::ToUnixMicros(write.now));
  ToProtoTime(at, made.mutable_create_time());
  ToProtoTime(at, made.mutable_update_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) {
        auto& insert = c.Prepare(
            "INSERT INTO wishes (id, community_path, title, description, household_ref, points,"
            " publish_days, claim_hours, on_unclaimed, state, due_time, claimable_until,"
            " claim_due_time, claimer_kind, claimer_volunteer_id, claimer_team_id,"
            " claimer_member_id, lapsed_claims, escalated_to_path, reject_reason, fulfilment_note,"
            " confirmation_note, collected_by, create_time, update_time) VALUES (?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?, NULL, NULL, NULL, 0, '', '', '', 0, '', '', '', '', ?, ?, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.community_path());
        insert.setString(3, made.title());
        insert.setString(4, made.description());
        insert.setString(5, made.household_ref());
        insert.setInt64(6, made.points());
        insert.setInt(7, made.publish_days());
        insert.setInt(8, made.claim_hours());
        insert.setInt(9, made.on_unclaimed());
        insert.setInt(10, made.state());
        insert.setString(11, made.collected_by());
        insert.setString(12, db::ToDbTime(at));
        insert.setString(13, db::ToDbTime(at));
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {made.id(), common::v1::Change::CREATED, made.community_path(), &made, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Wish>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Wish> WishStore::Step(
    const std::string& scope, const WriteContext& write, const std::string& id,
    absl::FunctionRef<absl::Status(db::Connection&, v1::Wish&)> step) {
  v1::Wish result;
  absl::Status status =
      LedgerStore::RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
        auto before = FindWish(c, scope, id, " FOR UPDATE");
        if (!before) return Hidden(scope, "", "wish", "WISH_NOT_FOUND");
        result = *before;
        if (auto s = step(c, result); !s.ok()) return s;
        if (result.SerializeAsString() != before->SerializeAsString()) {
          Save(c, changes_, write, result, *before);
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Wish> WishStore::Verify(const std::string& scope, const WriteContext& write,
                                           const std::string& id, bool approve,
                                           const std::string& reason) {
  return Step(scope, write, id, [&](db::Connection&, v1::Wish& w) -> absl::Status {
    // The same verdict again is the same answer.
    if (w.state() == (approve ? v1::WISH_VERIFIED : v1::WISH_REJECTED)) return absl::OkStatus();
    if (auto s = CheckWishStep(w.state(), WishStep::kVerify); !s.ok()) return s;
    w.set_state(approve ? v1::WISH_VERIFIED : v1::WISH_REJECTED);
    w.set_reject_reason(approve ? "" : reason);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Wish> WishStore::Publish(const std::string& scope, const WriteContext& write,
                                            const std::string& id) {
  return Step(scope, write, id, [&](db::Connection&, v1::Wish& w) -> absl::Status {
    if (w.state() == v1::WISH_PUBLISHED) return absl::OkStatus();
    if (auto s = CheckWishStep(w.state(), WishStep::kPublish); !s.ok()) return s;
    ApplyPublish(w, absl::FromUnixMicros(absl::ToUnixMicros(write.now)));
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Wish> WishStore::Claim(const std::string& scope, const WriteContext& write,
                                          const std::string& id, const WishClaimer& claimer) {
  return Step(scope, write, id, [&](db::Connection& c, v1::Wish& w) -> absl::Status {
    if (w.state() != v1::WISH_CLAIMED) {
      if (auto s = CheckClaimable(w, write.now); !s.ok()) return s;
    }
    v1::Wish claimed = w;
    if (auto s = ResolveClaimer(c, scope, claimer, claimed); !s.ok()) return s;
    if (w.state() == v1::WISH_CLAIMED) {
      if (SameClaimer(w, claimed)) return absl::OkStatus();
      return FailedPrecondition(
          "WISH_ALREADY_CLAIMED",
          absl::StrCat("the wish is claimed until ",
                       absl::FormatTime(FromProtoTime(w.claim_due_time()), absl::UTCTimeZone()),
                       "; it reopens if that claim lapses"));
    }
    ApplyClaim(claimed, absl::FromUnixMicros(absl::ToUnixMicros(write.now)));
    w = claimed;
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Wish> WishStore::Fulfil(const std::string& scope, const WriteContext& write,
                                           const std::string& id, const std::string& note) {
  return Step(scope, write, id, [&](db::Connection&, v1::Wish& w) -> absl::Status {
    if (w.state() == v1::WISH_FULFILLED) return absl::OkStatus();
    if (auto s = CheckWishStep(w.state(), WishStep::kFulfil); !s.ok()) return s;
    if (auto s = CheckClaimHeld(w, write.now); !s.ok()) return s;
    w.set_state(v1::WISH_FULFILLED);
    w.set_fulfilment_note(note);
    w.clear_due_time();
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Wish> WishStore::Confirm(const std::string& scope, const WriteContext& write,
                                            const std::string& id, const std::string& note) {
  return Step(scope, write, id, [&](db::Connection& c, v1::Wish& w) -> absl::Status {
    // Confirmed once: again is the same answer, and nothing is paid twice.
    if (w.state() == v1::WISH_CONFIRMED) return absl::OkStatus();
    if (auto s = CheckWishStep(w.state(), WishStep::kConfirm); !s.ok()) return s;
    w.set_state(v1::WISH_CONFIRMED);
    w.set_confirmation_note(note);
    if (w.points() == 0) return absl::OkStatus();
    v1::Account issuing;
    issuing.set_kind(v1::ACCOUNT_KIND_ISSUING);
    issuing.set_community_path(w.community_path());
    v1::Transfer award;
    award.set_id(WishTransferId(w.id()));
    award.set_debit_account_id(LedgerStore::EnsureAccount(c, changes_, write, issuing).id());
    award.set_credit_account_id(
        AccountId(v1::ACCOUNT_KIND_VOLUNTEER, "", w.claimer_volunteer_id()));
    award.set_amount(w.points());
    award.set_memo(absl::StrCat("micro-wish: ", w.title()).substr(0, 200));
    auto applied = LedgerStore::Apply(c, changes_, "", write, {award}, "id");
    if (!applied.ok()) return applied.status();
    w.set_transfer_id(award.id());
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Wish> WishStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Wish> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindWish(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "", "wish", "WISH_NOT_FOUND");
  return *found;
}

absl::StatusOr<WishPage> WishStore::List(const std::string& scope,
                                         const std::string& community_path, v1::WishState state,
                                         int page_size, const std::string& after_id) {
  if (!PathWithin(community_path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "community_path lies outside the caller's jurisdiction");
  }
  WishPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat(
        kColumns, " WHERE w.community_path = ? AND (? = 0 OR w.state = ?) AND w.id > ?",
        " ORDER BY w.id LIMIT ?"));
    select.setString(1, community_path);
    select.setInt(2, state);
    select.setInt(3, state);
    select.setString(4, after_id);
    select.setInt(5, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.wishes.push_back(ReadWish(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.wishes.size()) > page_size) {
    page.wishes.pop_back();
    page.last_id = page.wishes.back().id();
  }
  return page;
}

absl::StatusOr<std::vector<SweptWish>> WishStore::SweepDue(const WriteContext& write, int limit) {
  std::vector<SweptWish> changed;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    changed.clear();
    auto& select = c.Prepare(absl::StrCat(
        kColumns, " WHERE w.due_time <= ? ORDER BY w.due_time LIMIT ? FOR UPDATE SKIP LOCKED"));
    select.setString(1, db::ToDbTime(write.now));
    select.setInt(2, limit);
    std::vector<v1::Wish> due;
    auto rows = c.Query(select);
    while (rows->next()) due.push_back(ReadWish(*rows));
    for (const v1::Wish& before : due) {
      auto after = OnDue(before, absl::FromUnixMicros(absl::ToUnixMicros(write.now)));
      if (!after) continue;
      Save(c, changes_, write, *after, before);
      changed.push_back({before.state(), *std::move(after)});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return changed;
}

absl::StatusOr<std::vector<std::pair<v1::WishState, int64_t>>> WishStore::CountByState() {
  std::vector<std::pair<v1::WishState, int64_t>> counts;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    counts.clear();
    auto& select = c.Prepare("SELECT state, COUNT(*) FROM wishes GROUP BY state");
    auto rows = c.Query(select);
    while (rows->next()) {
      counts.emplace_back(static_cast<v1::WishState>(rows->getInt(1)), rows->getInt64(2));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return counts;
}

}  // namespace grassroots::volunteer
