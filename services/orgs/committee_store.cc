#include "services/orgs/committee_store.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/membership_history.h"
#include "services/orgs/organisation_store.h"

namespace grassroots::orgs {
namespace {

constexpr char kSeatColumns[] =
    "s.id, s.organisation_id, s.member_id, s.role, s.start_date, s.end_date, s.end_reason,"
    " s.appointed_by, s.ended_by, s.version, s.create_time, s.update_time, s.area_path,"
    " COALESCE(m.name_masked, '')";
constexpr char kFromSeats[] = " FROM committee_seats s LEFT JOIN members m ON m.id = s.member_id";
constexpr char kTermColumns[] =
    "id, organisation_id, start_date, end_date, started_by, create_time, area_path";

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::CivilDay ParseDay(const std::string& text) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(text, &day);
  return day;
}

struct SeatRow {
  v1::CommitteeSeat seat;
  std::string area_path;
};

SeatRow ReadSeat(sql::ResultSet& r) {
  SeatRow row;
  v1::CommitteeSeat& s = row.seat;
  s.set_id(r.getString(1));
  s.set_organisation_id(r.getString(2));
  s.set_member_id(r.getString(3));
  s.set_role(static_cast<v1::CommitteeRole>(r.getInt(4)));
  s.set_start_date(r.getString(5));
  if (!r.isNull(6)) s.set_end_date(r.getString(6));
  s.set_end_reason(static_cast<v1::CommitteeSeat::EndReason>(r.getInt(7)));
  s.set_appointed_by(r.getString(8));
  s.set_ended_by(r.getString(9));
  s.set_etag(EtagOf(r.getInt64(10)));
  ToProtoTime(db::FromDbTime(r.getString(11)), s.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(12)), s.mutable_update_time());
  row.area_path = r.getString(13);
  s.set_name(r.getString(14));
  return row;
}

SeatSpan SpanOf(const v1::CommitteeSeat& seat) {
  SeatSpan span{seat.id(), seat.member_id(), seat.role(), ParseDay(seat.start_date()), {}};
  if (!seat.end_date().empty()) span.end = ParseDay(seat.end_date());
  return span;
}

struct TermRow {
  v1::CommitteeTerm term;
  std::string area_path;
};

TermRow ReadTerm(sql::ResultSet& r, absl::CivilDay today) {
  TermRow row;
  v1::CommitteeTerm& t = row.term;
  t.set_id(r.getString(1));
  t.set_organisation_id(r.getString(2));
  t.set_start_date(r.getString(3));
  t.set_end_date(r.getString(4));
  t.set_expired(ParseDay(t.end_date()) <= today);
  t.set_started_by(r.getString(5));
  ToProtoTime(db::FromDbTime(r.getString(6)), t.mutable_create_time());
  row.area_path = r.getString(7);
  return row;
}

// For a scoped caller an organisation or seat outside its scope and one
// that does not exist look the same.
absl::Status HiddenOrganisation(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "the organisation lies outside the caller's jurisdiction");
  }
  return InvalidField("organisation_id", "ORGANISATION_NOT_FOUND", "no such organisation");
}

absl::Status HiddenSeat(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the seat lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("id: no such committee seat"), "SEAT_NOT_FOUND");
}

// An active organisation in the caller's scope that keeps a committee.
absl::StatusOr<v1::Organisation> CommitteeOrganisation(db::Connection& c, const std::string& scope,
                                                       const std::string& id) {
  auto organisation = OrganisationStore::FindActiveInScope(c, scope, id);
  if (!organisation) return HiddenOrganisation(scope);
  if (!KeepsCommittee(organisation->kind())) {
    return FailedPrecondition(
        "COMMITTEE_NOT_KEPT",
        absl::StrCat("a ", v1::OrganisationKind_Name(organisation->kind()),
                     " keeps no committee here (branches, general branches and community "
                     "committees do)"));
  }
  return *organisation;
}

// Serialises every change to one organisation's committee.
void LockCommittee(db::Connection& c, const std::string& organisation_id) {
  auto& lock = c.Prepare(
      "INSERT INTO committee_locks (organisation_id, changes) VALUES (?, 1)"
      " ON DUPLICATE KEY UPDATE changes = changes + 1");
  lock.setString(1, organisation_id);
  lock.executeUpdate();
}

std::vector<SeatRow> SeatRowsOf(db::Connection& c, const std::string& organisation_id) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kSeatColumns, kFromSeats,
                             " WHERE s.organisation_id = ? ORDER BY s.start_date, s.id"));
  select.setString(1, organisation_id);
  std::vector<SeatRow> seats;
  auto rows = c.Query(select);
  while (rows->next()) seats.push_back(ReadSeat(*rows));
  return seats;
}

// The term covering `day`, or the last one that began before it.
std::optional<TermRow> TermOn(db::Connection& c, const std::string& organisation_id,
                              absl::CivilDay day, absl::CivilDay today, const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kTermColumns,
                                        " FROM committee_terms WHERE organisation_id = ?"
                                        " AND start_date <= ? ORDER BY start_date DESC LIMIT 1",
                                        lock));
  select.setString(1, organisation_id);
  select.setString(2, Day(day));
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadTerm(*rows, today);
}

int RoleOrder(v1::CommitteeRole role) { return role == v1::COMMITTEE_ROLE_UNSPECIFIED ? 9 : role; }

}  // namespace

absl::StatusOr<v1::CommitteeSeat> CommitteeStore::Appoint(const std::string& scope,
                                                          const WriteContext& write,
                                                          const v1::CommitteeSeat& requested) {
  v1::CommitteeSeat appointed;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto organisation = CommitteeOrganisation(c, scope, requested.organisation_id());
        if (!organisation.ok()) return organisation.status();
        LockCommittee(c, organisation->id());
        const absl::CivilDay start = ParseDay(requested.start_date());
        if (auto s = CheckSeatHolder(
                requested.member_id(),
                MembershipHistory::StatusOn(c, requested.member_id(), *organisation, start), start);
            !s.ok()) {
          return s;
        }
        std::vector<SeatSpan> existing;
        for (const SeatRow& row : SeatRowsOf(c, organisation->id())) {
          existing.push_back(SpanOf(row.seat));
        }
        const SeatSpan span{"", requested.member_id(), requested.role(), start, {}};
        if (auto s = CheckAppointment(existing, span); !s.ok()) return s;
        appointed = requested;
        appointed.set_id(NewId("cs", write.now));
        appointed.set_organisation_id(organisation->id());
        appointed.clear_end_date();
        appointed.set_end_reason(v1::CommitteeSeat::END_REASON_UNSPECIFIED);
        appointed.set_appointed_by(write.actor);
        appointed.set_etag(EtagOf(1));
        ToProtoTime(write.now, appointed.mutable_create_time());
        ToProtoTime(write.now, appointed.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO committee_seats (id, organisation_id, area_path, member_id, role,"
            " start_date, appointed_by, version, create_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, appointed.id());
        insert.setString(2, organisation->id());
        insert.setString(3, organisation->area_path());
        insert.setString(4, appointed.member_id());
        insert.setInt(5, appointed.role());
        insert.setString(6, appointed.start_date());
        insert.setString(7, write.actor);
        insert.setString(8, now);
        insert.setString(9, now);
        insert.executeUpdate();
        auto& name = c.Prepare("SELECT name_masked FROM members WHERE id = ?");
        name.setString(1, appointed.member_id());
        if (auto rows = c.Query(name); rows->next()) appointed.set_name(rows->getString(1));
        changes_.Append(c, write,
                        {appointed.id(), common::v1::Change::CREATED, organisation->area_path(),
                         &appointed, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return appointed;
  return EarlierResultOr<v1::CommitteeSeat>(pool_, changes_, write, status);
}

absl::StatusOr<v1::CommitteeSeat> CommitteeStore::EndSeat(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, absl::CivilDay end, v1::CommitteeSeat::EndReason reason,
    absl::CivilDay today) {
  v1::CommitteeSeat ended;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    std::string organisation_id;
    {
      auto& find = c.Prepare(absl::StrCat(
          "SELECT organisation_id FROM committee_seats WHERE id = ?", db::InScope("area_path")));
      find.setString(1, id);
      db::BindScope(find, 2, scope);
      auto rows = c.Query(find);
      if (!rows->next()) return HiddenSeat(scope);
      organisation_id = rows->getString(1);
    }
    // The committee lock before the seat's: the order every change takes.
    LockCommittee(c, organisation_id);
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kSeatColumns, kFromSeats, " WHERE s.id = ? FOR UPDATE"));
    select.setString(1, id);
    auto rows = c.Query(select);
    if (!rows->next()) return HiddenSeat(scope);
    const SeatRow before = ReadSeat(*rows);
    if (auto s = CheckEtag("etag", etag, std::stoll(before.seat.etag())); !s.ok()) return s;
    if (auto s = CheckSeatEnd(SpanOf(before.seat), end, today); !s.ok()) return s;
    ended = before.seat;
    ended.set_end_date(Day(end));
    ended.set_end_reason(reason);
    ended.set_ended_by(write.actor);
    ended.set_etag(EtagOf(std::stoll(before.seat.etag()) + 1));
    ToProtoTime(write.now, ended.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE committee_seats SET end_date = ?, end_reason = ?, ended_by = ?,"
        " version = version + 1, update_time = ? WHERE id = ?");
    update.setString(1, ended.end_date());
    update.setInt(2, reason);
    update.setString(3, write.actor);
    update.setString(4, db::ToDbTime(write.now));
    update.setString(5, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, before.area_path, &ended, &before.seat});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return ended;
}

absl::StatusOr<v1::Committee> CommitteeStore::Get(const std::string& scope,
                                                  const std::string& organisation_id,
                                                  absl::CivilDay day, absl::CivilDay today) {
  v1::Committee committee;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!organisation.ok()) return organisation.status();
    // Listable also admits organisations above the scope; a committee is
    // read only inside it.
    if (!PathWithin(organisation->area_path(), scope)) return HiddenOrganisation(scope);
    committee.set_organisation_id(organisation->id());
    committee.set_date(Day(day));
    absl::flat_hash_map<std::string, v1::MemberStatus> roster;
    int full_members = 0;
    for (const RosterMember& m : MembershipHistory::RosterOn(c, *organisation, day)) {
      roster[m.member_id] = m.status;
      if (m.status == v1::FULL) ++full_members;
    }
    committee.set_full_members(full_members);
    CommitteeFacts facts;
    facts.kind = organisation->kind();
    facts.day = day;
    facts.full_members = full_members;
    std::vector<v1::CommitteeSeat> held;
    for (SeatRow& row : SeatRowsOf(c, organisation->id())) {
      if (!HeldOn(SpanOf(row.seat), day)) continue;
      auto it = roster.find(row.seat.member_id());
      row.seat.set_holder_is_full_member(it != roster.end() && it->second == v1::FULL);
      held.push_back(std::move(row.seat));
    }
    std::stable_sort(held.begin(), held.end(), [](const auto& a, const auto& b) {
      return RoleOrder(a.role()) < RoleOrder(b.role());
    });
    for (auto& seat : held) {
      facts.seats.push_back({seat.member_id(), seat.role(), seat.holder_is_full_member()});
      *committee.add_seats() = std::move(seat);
    }
    if (auto term = TermOn(c, organisation->id(), day, today, "")) {
      facts.term_start = ParseDay(term->term.start_date());
      facts.term_end = ParseDay(term->term.end_date());
      *committee.mutable_term() = term->term;
    }
    for (const CommitteeFinding& f : CommitteeFindings(facts)) {
      auto* out = committee.add_findings();
      out->set_rule(f.rule);
      out->set_message(f.message);
    }
    committee.set_meets_rules(committee.findings().empty());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return committee;
}

absl::StatusOr<SeatPage> CommitteeStore::List(const std::string& scope,
                                              const std::string& organisation_id, int page_size,
                                              const std::string& after_key) {
  SeatPage page;
  std::string after_date = "0000-01-01", after_id;
  if (!after_key.empty()) {
    std::vector<std::string> parts = absl::StrSplit(after_key, absl::MaxSplits('|', 1));
    after_date = parts[0];
    if (parts.size() > 1) after_id = parts[1];
  }
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!organisation.ok()) return organisation.status();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kSeatColumns, kFromSeats,
        " WHERE s.organisation_id = ? AND (s.start_date > ? OR (s.start_date = ? AND s.id > ?))",
        db::InScope("s.area_path"), " ORDER BY s.start_date, s.id LIMIT ?"));
    select.setString(1, organisation->id());
    select.setString(2, after_date);
    select.setString(3, after_date);
    select.setString(4, after_id);
    const int index = db::BindScope(select, 5, scope);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.seats.push_back(ReadSeat(*rows).seat);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.seats.size()) > page_size) {
    page.seats.pop_back();
    page.last_key = absl::StrCat(page.seats.back().start_date(), "|", page.seats.back().id());
  }
  return page;
}

absl::StatusOr<v1::CommitteeTerm> CommitteeStore::StartTerm(const std::string& scope,
                                                            const WriteContext& write,
                                                            const std::string& organisation_id,
                                                            absl::CivilDay start,
                                                            absl::CivilDay today) {
  v1::CommitteeTerm started;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto organisation = CommitteeOrganisation(c, scope, organisation_id);
        if (!organisation.ok()) return organisation.status();
        LockCommittee(c, organisation->id());
        auto& latest = c.Prepare(absl::StrCat("SELECT ", kTermColumns,
                                              " FROM committee_terms WHERE organisation_id = ?"
                                              " ORDER BY start_date DESC LIMIT 1 FOR UPDATE"));
        latest.setString(1, organisation->id());
        std::optional<TermRow> previous;
        if (auto rows = c.Query(latest); rows->next()) previous = ReadTerm(*rows, today);
        std::optional<absl::CivilDay> previous_start;
        if (previous) previous_start = ParseDay(previous->term.start_date());
        if (auto s = CheckNewTerm(organisation->kind(), previous_start, start, today); !s.ok()) {
          return s;
        }
        const std::string now = db::ToDbTime(write.now);
        // The previous term ends where this one begins, if it ran longer.
        if (previous && ParseDay(previous->term.end_date()) > start) {
          v1::CommitteeTerm cut = previous->term;
          cut.set_end_date(Day(start));
          cut.set_expired(start <= today);
          auto& update = c.Prepare(
              "UPDATE committee_terms SET end_date = ?, version = version + 1 WHERE id = ?");
          update.setString(1, cut.end_date());
          update.setString(2, cut.id());
          update.executeUpdate();
          ChangeRecord record{cut.id(), common::v1::Change::UPDATED, previous->area_path, &cut,
                              &previous->term};
          record.carries_request_id = false;
          changes_.Append(c, write, record);
        }
        // Seats held from before the election end with the old term.
        for (const SeatRow& row : SeatRowsOf(c, organisation->id())) {
          const SeatSpan span = SpanOf(row.seat);
          if (span.start >= start || (span.end && *span.end <= start)) continue;
          v1::CommitteeSeat ended = row.seat;
          ended.set_end_date(Day(start));
          ended.set_end_reason(v1::CommitteeSeat::TERM_END);
          ended.set_ended_by(write.actor);
          ended.set_etag(EtagOf(std::stoll(row.seat.etag()) + 1));
          ToProtoTime(write.now, ended.mutable_update_time());
          auto& update = c.Prepare(
              "UPDATE committee_seats SET end_date = ?, end_reason = ?, ended_by = ?,"
              " version = version + 1, update_time = ? WHERE id = ?");
          update.setString(1, ended.end_date());
          update.setInt(2, v1::CommitteeSeat::TERM_END);
          update.setString(3, write.actor);
          update.setString(4, now);
          update.setString(5, ended.id());
          update.executeUpdate();
          ChangeRecord record{ended.id(), common::v1::Change::UPDATED, row.area_path, &ended,
                              &row.seat};
          record.carries_request_id = false;
          changes_.Append(c, write, record);
        }
        started.set_id(NewId("ct", write.now));
        started.set_organisation_id(organisation->id());
        started.set_start_date(Day(start));
        started.set_end_date(Day(TermEnd(start, TermYears(organisation->kind()))));
        started.set_expired(ParseDay(started.end_date()) <= today);
        started.set_started_by(write.actor);
        ToProtoTime(write.now, started.mutable_create_time());
        auto& insert = c.Prepare(
            "INSERT INTO committee_terms (id, organisation_id, area_path, start_date, end_date,"
            " started_by, version, create_time) VALUES (?, ?, ?, ?, ?, ?, 1, ?)");
        insert.setString(1, started.id());
        insert.setString(2, organisation->id());
        insert.setString(3, organisation->area_path());
        insert.setString(4, started.start_date());
        insert.setString(5, started.end_date());
        insert.setString(6, write.actor);
        insert.setString(7, now);
        insert.executeUpdate();
        changes_.Append(c, write,
                        {started.id(), common::v1::Change::CREATED, organisation->area_path(),
                         &started, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return started;
  return EarlierResultOr<v1::CommitteeTerm>(pool_, changes_, write, status);
}

std::vector<SeatSpan> CommitteeStore::SeatsOf(db::Connection& c,
                                              const std::string& organisation_id) {
  std::vector<SeatSpan> spans;
  for (const SeatRow& row : SeatRowsOf(c, organisation_id)) spans.push_back(SpanOf(row.seat));
  return spans;
}

absl::flat_hash_map<std::string, std::vector<SeatSpan>> CommitteeStore::SeatsOfAll(
    db::Connection& c, const std::vector<std::string>& organisation_ids) {
  // In chunks of a fixed size (the last one padded with a repeated id), so
  // one prepared statement serves every call.
  constexpr int kChunk = 100;
  absl::flat_hash_map<std::string, std::vector<SeatSpan>> out;
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kSeatColumns, kFromSeats, " WHERE s.organisation_id IN (",
                             db::ParameterList(kChunk), ") ORDER BY s.start_date, s.id"));
  for (size_t first = 0; first < organisation_ids.size(); first += kChunk) {
    for (int i = 0; i < kChunk; ++i) {
      const size_t at = std::min(first + i, organisation_ids.size() - 1);
      select.setString(i + 1, organisation_ids[at]);
    }
    auto rows = c.Query(select);
    while (rows->next()) {
      SeatRow row = ReadSeat(*rows);
      out[row.seat.organisation_id()].push_back(SpanOf(row.seat));
    }
  }
  return out;
}

absl::flat_hash_map<std::string, CommitteeStore::CommitteeSize> CommitteeStore::SizesOn(
    db::Connection& c, const std::vector<v1::Organisation>& organisations, absl::CivilDay day) {
  std::vector<std::string> ids;
  for (const v1::Organisation& o : organisations) ids.push_back(o.id());
  const auto seats = SeatsOfAll(c, ids);
  absl::flat_hash_map<std::string, CommitteeSize> sizes;
  for (const v1::Organisation& o : organisations) {
    absl::flat_hash_set<std::string> full;
    for (const RosterMember& m : MembershipHistory::RosterOn(c, o, day)) {
      if (m.status == v1::FULL) full.insert(m.member_id);
    }
    CommitteeSize& size = sizes[o.id()];
    size.roster_full_members = static_cast<int>(full.size());
    if (auto it = seats.find(o.id()); it != seats.end()) {
      for (const SeatSpan& seat : it->second) {
        if (HeldOn(seat, day) && full.contains(seat.member_id)) ++size.seats;
      }
    }
  }
  return sizes;
}

}  // namespace grassroots::orgs
