#include "services/orgs/meeting_store.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/committee_store.h"
#include "services/orgs/membership_history.h"
#include "services/orgs/organisation_store.h"

namespace grassroots::orgs {
namespace {

constexpr char kColumns[] =
    "id, organisation_id, area_path, type, state, topic, planned_date, actual_date, election,"
    " quorum_applies, quorum_eligible, quorum_present, quorum_required, quorate, quorum_rule,"
    " quorum_message, is_valid, cancel_reason, planned_by, recorded_by, version, create_time,"
    " update_time";

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::CivilDay ParseDay(const std::string& text) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(text, &day);
  return day;
}

v1::Meeting ReadMeeting(sql::ResultSet& r) {
  v1::Meeting m;
  m.set_id(r.getString(1));
  m.set_organisation_id(r.getString(2));
  m.set_area_path(r.getString(3));
  m.set_type(static_cast<v1::MeetingType>(r.getInt(4)));
  m.set_state(static_cast<v1::Meeting::State>(r.getInt(5)));
  m.set_topic(r.getString(6));
  m.set_planned_date(r.getString(7));
  if (!r.isNull(8)) m.set_actual_date(r.getString(8));
  m.set_election(r.getBoolean(9));
  if (m.state() == v1::Meeting::HELD) {
    v1::Quorum* q = m.mutable_quorum();
    q->set_applies(r.getBoolean(10));
    q->set_eligible(r.getInt(11));
    q->set_present(r.getInt(12));
    q->set_required(r.getInt(13));
    q->set_quorate(r.getBoolean(14));
    q->set_rule(r.getString(15));
    q->set_message(r.getString(16));
  }
  m.set_valid(r.getBoolean(17));
  m.set_cancel_reason(r.getString(18));
  m.set_planned_by(r.getString(19));
  m.set_recorded_by(r.getString(20));
  m.set_etag(EtagOf(r.getInt64(21)));
  ToProtoTime(db::FromDbTime(r.getString(22)), m.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(23)), m.mutable_update_time());
  return m;
}

// Attendance (by member id) and decisions (in order) of held meetings.
void LoadDetails(db::Connection& c, const std::vector<v1::Meeting*>& meetings) {
  std::vector<v1::Meeting*> held;
  for (v1::Meeting* m : meetings) {
    if (m->state() == v1::Meeting::HELD) held.push_back(m);
  }
  if (held.empty()) return;
  absl::flat_hash_map<std::string, v1::Meeting*> by_id;
  for (v1::Meeting* m : held) by_id[m->id()] = m;
  const std::string list = db::ParameterList(static_cast<int>(held.size()));
  auto& attendance = c.Prepare(
      absl::StrCat("SELECT meeting_id, member_id, present, absence_reason FROM meeting_attendance"
                   " WHERE meeting_id IN (",
                   list, ") ORDER BY meeting_id, member_id"));
  auto& decisions = c.Prepare(
      absl::StrCat("SELECT meeting_id, decision FROM meeting_decisions WHERE meeting_id IN (", list,
                   ") ORDER BY meeting_id, position"));
  for (size_t i = 0; i < held.size(); ++i) {
    attendance.setString(static_cast<int>(i) + 1, held[i]->id());
    decisions.setString(static_cast<int>(i) + 1, held[i]->id());
  }
  {
    auto rows = c.Query(attendance);
    while (rows->next()) {
      v1::Attendance* a = by_id[rows->getString(1).asStdString()]->add_attendance();
      a->set_member_id(rows->getString(2));
      a->set_present(rows->getBoolean(3));
      a->set_absence_reason(rows->getString(4));
    }
  }
  auto rows = c.Query(decisions);
  while (rows->next()) by_id[rows->getString(1).asStdString()]->add_decisions(rows->getString(2));
}

absl::Status HiddenMeeting(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the meeting lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("id: no such meeting"), "MEETING_NOT_FOUND");
}

absl::Status HiddenOrganisation(const std::string& scope, absl::string_view field) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "the organisation lies outside the caller's jurisdiction");
  }
  return InvalidField(field, "ORGANISATION_NOT_FOUND", "no active organisation with this id");
}

// An organisation the caller may read on its own (not merely list below).
absl::StatusOr<v1::Organisation> ReadableOrganisation(db::Connection& c, const std::string& scope,
                                                      const std::string& id) {
  auto organisation = OrganisationStore::FindListable(c, scope, id);
  if (!organisation.ok()) return organisation.status();
  if (!PathWithin(organisation->area_path(), scope)) {
    return HiddenOrganisation(scope, "organisation_id");
  }
  return organisation;
}

std::optional<v1::Meeting> FindMeeting(db::Connection& c, const std::string& scope,
                                       const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM meetings WHERE id = ?",
                                        db::InScope("area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::Meeting meeting = ReadMeeting(*rows);
  LoadDetails(c, {&meeting});
  return meeting;
}

// Who is on the roster of a meeting of `type` on `day`, and who of them
// counts for its quorum.
struct DayRoster {
  std::vector<std::string> member_ids;
  absl::flat_hash_set<std::string> counted;
  absl::flat_hash_map<std::string, v1::MemberStatus> status;
};

DayRoster RosterFor(db::Connection& c, const v1::Organisation& organisation, v1::MeetingType type,
                    absl::CivilDay day) {
  DayRoster roster;
  const std::vector<RosterMember> members = MembershipHistory::RosterOn(c, organisation, day);
  for (const RosterMember& m : members) roster.status[m.member_id] = m.status;
  if (type == v1::BRANCH_COMMITTEE) {
    // The committee's own meeting: its seat holders that day, each seat counting.
    for (const SeatSpan& seat : CommitteeStore::SeatsOf(c, organisation.id())) {
      if (!HeldOn(seat, day)) continue;
      roster.member_ids.push_back(seat.member_id);
      roster.counted.insert(seat.member_id);
    }
    std::sort(roster.member_ids.begin(), roster.member_ids.end());
    return roster;
  }
  for (const RosterMember& m : members) {
    roster.member_ids.push_back(m.member_id);
    // A member assembly counts its full members; probationary members
    // attend without a vote.
    if (type != v1::MEMBER_ASSEMBLY || m.status == v1::FULL) roster.counted.insert(m.member_id);
  }
  return roster;
}

void WriteDetails(db::Connection& c, const v1::Meeting& meeting) {
  auto& attendance = c.Prepare(
      "INSERT INTO meeting_attendance (meeting_id, member_id, present, absence_reason)"
      " VALUES (?, ?, ?, ?)");
  for (const v1::Attendance& a : meeting.attendance()) {
    attendance.setString(1, meeting.id());
    attendance.setString(2, a.member_id());
    attendance.setBoolean(3, a.present());
    attendance.setString(4, a.absence_reason());
    attendance.executeUpdate();
  }
  auto& decision =
      c.Prepare("INSERT INTO meeting_decisions (meeting_id, position, decision) VALUES (?, ?, ?)");
  for (int i = 0; i < meeting.decisions_size(); ++i) {
    decision.setString(1, meeting.id());
    decision.setInt(2, i);
    decision.setString(3, meeting.decisions(i));
    decision.executeUpdate();
  }
}

// The kinds that hold any meeting, as an SQL list.
const std::string& HoldingKinds() {
  static const std::string& kinds = *[] {
    std::vector<int> out;
    for (int k = v1::OrganisationKind_MIN; k <= v1::OrganisationKind_MAX; ++k) {
      if (v1::OrganisationKind_IsValid(k) &&
          !MeetingTypesHeldBy(static_cast<v1::OrganisationKind>(k)).empty()) {
        out.push_back(k);
      }
    }
    return new std::string(absl::StrJoin(out, ", "));
  }();
  return kinds;
}

struct OrganisationRow {
  std::string id;
  v1::OrganisationKind kind = v1::ORGANISATION_KIND_UNSPECIFIED;
  std::string path;
  absl::CivilDay created;
};

// Active organisations that hold meetings in the subtree of `root_path`, in
// the caller's scope, in tree order after `after_path`.
std::vector<OrganisationRow> HoldingOrganisations(db::Connection& c, const std::string& scope,
                                                  const std::string& root_path,
                                                  const std::string& after_path, int limit) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT id, kind, path, create_time FROM organisations WHERE state = ",
                             static_cast<int>(v1::ACTIVE), " AND kind IN (", HoldingKinds(),
                             ") AND path > ? AND (path = ? OR path LIKE ?)",
                             db::InScope("area_path"), " ORDER BY path LIMIT ?"));
  select.setString(1, after_path);
  select.setString(2, root_path);
  select.setString(3, DescendantsLikePattern(root_path));
  const int index = db::BindScope(select, 4, scope);
  select.setInt(index, limit);
  std::vector<OrganisationRow> out;
  auto rows = c.Query(select);
  while (rows->next()) {
    out.push_back({rows->getString(1), static_cast<v1::OrganisationKind>(rows->getInt(2)),
                   rows->getString(3),
                   absl::ToCivilDay(db::FromDbTime(rows->getString(4)), absl::UTCTimeZone())});
  }
  return out;
}

// Meetings of the organisations whose paths run from `orgs.front()` to
// `orgs.back()` (a contiguous stretch of the tree order), in scope.
constexpr char kMeetingsOfStretch[] =
    " FROM meetings m JOIN organisations o ON o.id = m.organisation_id"
    " WHERE o.path >= ? AND o.path <= ?";

int BindStretch(sql::PreparedStatement& s, int index, const std::vector<OrganisationRow>& orgs,
                const std::string& scope) {
  s.setString(index++, orgs.front().path);
  s.setString(index++, orgs.back().path);
  return db::BindScope(s, index, scope);
}

absl::flat_hash_map<std::string, MeetingFacts> LoadFacts(db::Connection& c,
                                                         const std::string& scope,
                                                         const std::vector<OrganisationRow>& orgs) {
  absl::flat_hash_map<std::string, MeetingFacts> facts;
  if (orgs.empty()) return facts;
  std::vector<std::string> ids;
  for (const OrganisationRow& o : orgs) {
    facts[o.id].kind = o.kind;
    facts[o.id].start = o.created;
    ids.push_back(o.id);
  }
  auto& first =
      c.Prepare(absl::StrCat("SELECT m.organisation_id, MIN(m.actual_date)", kMeetingsOfStretch,
                             " AND m.state = ", static_cast<int>(v1::Meeting::HELD),
                             db::InScope("m.area_path"), " GROUP BY m.organisation_id"));
  BindStretch(first, 1, orgs, scope);
  {
    auto rows = c.Query(first);
    while (rows->next()) {
      auto it = facts.find(rows->getString(1).asStdString());
      if (it == facts.end()) continue;
      it->second.start = std::min(it->second.start, ParseDay(rows->getString(2)));
    }
  }
  // The latest valid meeting per organisation and type (the greatest id
  // among several on that day).
  auto& last = c.Prepare(
      absl::StrCat("SELECT m.organisation_id, m.type, m.actual_date, MAX(m.id) FROM meetings m JOIN"
                   " (SELECT m.organisation_id, m.type, MAX(m.actual_date) AS last",
                   kMeetingsOfStretch, " AND m.state = ", static_cast<int>(v1::Meeting::HELD),
                   " AND m.is_valid = 1", db::InScope("m.area_path"),
                   " GROUP BY m.organisation_id, m.type) x ON x.organisation_id = m.organisation_id"
                   " AND x.type = m.type AND x.last = m.actual_date WHERE m.state = ",
                   static_cast<int>(v1::Meeting::HELD),
                   " AND m.is_valid = 1 GROUP BY m.organisation_id, m.type, m.actual_date"));
  BindStretch(last, 1, orgs, scope);
  {
    auto rows = c.Query(last);
    while (rows->next()) {
      auto it = facts.find(rows->getString(1).asStdString());
      if (it == facts.end()) continue;
      it->second.last_valid[static_cast<v1::MeetingType>(rows->getInt(2))] = {
          ParseDay(rows->getString(3)), rows->getString(4)};
    }
  }
  for (auto& [id, seats] : CommitteeStore::SeatsOfAll(c, ids)) {
    if (auto it = facts.find(id); it != facts.end()) it->second.seats = std::move(seats);
  }
  return facts;
}

void Add(v1::ComplianceFigures& into, const ComplianceCount& count) {
  into.set_required(into.required() + count.required);
  into.set_met(into.met() + count.met);
  into.set_held(into.held() + count.held);
  into.set_valid(into.valid() + count.valid);
  into.set_rate(ComplianceRate(into.required(), into.met()));
}

}  // namespace

absl::StatusOr<v1::Meeting> MeetingStore::Plan(const std::string& scope, const WriteContext& write,
                                               const v1::Meeting& requested) {
  v1::Meeting planned;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto organisation =
            OrganisationStore::FindActiveInScope(c, scope, requested.organisation_id());
        if (!organisation) return HiddenOrganisation(scope, "meeting.organisation_id");
        if (auto s = CheckHoldsMeetingType(organisation->kind(), requested.type()); !s.ok()) {
          return s;
        }
        planned.set_id(NewId("mt", write.now));
        planned.set_organisation_id(organisation->id());
        planned.set_area_path(organisation->area_path());
        planned.set_type(requested.type());
        planned.set_state(v1::Meeting::PLANNED);
        planned.set_topic(requested.topic());
        planned.set_planned_date(requested.planned_date());
        planned.set_planned_by(write.actor);
        planned.set_etag(EtagOf(1));
        ToProtoTime(write.now, planned.mutable_create_time());
        ToProtoTime(write.now, planned.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO meetings (id, organisation_id, area_path, type, state, topic,"
            " planned_date, planned_by, version, create_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, planned.id());
        insert.setString(2, planned.organisation_id());
        insert.setString(3, planned.area_path());
        insert.setInt(4, planned.type());
        insert.setInt(5, planned.state());
        insert.setString(6, planned.topic());
        insert.setString(7, planned.planned_date());
        insert.setString(8, write.actor);
        insert.setString(9, now);
        insert.setString(10, now);
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {planned.id(), common::v1::Change::CREATED, planned.area_path(), &planned, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return planned;
  return EarlierResultOr<v1::Meeting>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Meeting> MeetingStore::Record(const std::string& scope,
                                                 const WriteContext& write, const std::string& id,
                                                 const std::string& etag,
                                                 const HeldMeetingRecord& held) {
  v1::Meeting recorded;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindMeeting(c, scope, id, " FOR UPDATE");
    if (!before) return HiddenMeeting(scope);
    if (auto s = CheckEtag("etag", etag, std::stoll(before->etag())); !s.ok()) return s;
    if (auto s = CheckTransition(before->state(), v1::Meeting::HELD); !s.ok()) return s;
    if (auto s = ValidateElection(before->type(), held.election); !s.ok()) return s;
    // The organisation as it stands (dissolved ones too: a meeting planned
    // before may still be recorded).
    auto organisation = OrganisationStore::FindListable(c, "", before->organisation_id());
    if (!organisation.ok()) return organisation.status();
    const DayRoster roster = RosterFor(c, *organisation, before->type(), held.actual);
    if (auto s = CheckAttendance(roster.member_ids, *held.attendance); !s.ok()) return s;
    int present = 0;
    for (const v1::Attendance& a : *held.attendance) {
      if (a.present() && roster.counted.contains(a.member_id())) ++present;
    }
    recorded = *before;
    recorded.set_state(v1::Meeting::HELD);
    recorded.set_actual_date(Day(held.actual));
    recorded.set_election(held.election);
    *recorded.mutable_attendance() = *held.attendance;
    std::sort(recorded.mutable_attendance()->begin(), recorded.mutable_attendance()->end(),
              [](const v1::Attendance& a, const v1::Attendance& b) {
                return a.member_id() < b.member_id();
              });
    *recorded.mutable_decisions() = *held.decisions;
    *recorded.mutable_quorum() =
        ComputeQuorum(before->type(), held.election, static_cast<int>(roster.counted.size()),
                      present, held.actual);
    recorded.set_valid(recorded.quorum().quorate());
    recorded.set_recorded_by(write.actor);
    recorded.set_etag(EtagOf(std::stoll(before->etag()) + 1));
    ToProtoTime(write.now, recorded.mutable_update_time());
    const v1::Quorum& q = recorded.quorum();
    auto& update = c.Prepare(
        "UPDATE meetings SET state = ?, actual_date = ?, election = ?, quorum_applies = ?,"
        " quorum_eligible = ?, quorum_present = ?, quorum_required = ?, quorate = ?,"
        " quorum_rule = ?, quorum_message = ?, is_valid = ?, recorded_by = ?,"
        " version = version + 1, update_time = ? WHERE id = ?");
    update.setInt(1, v1::Meeting::HELD);
    update.setString(2, recorded.actual_date());
    update.setBoolean(3, recorded.election());
    update.setBoolean(4, q.applies());
    update.setInt(5, q.eligible());
    update.setInt(6, q.present());
    update.setInt(7, q.required());
    update.setBoolean(8, q.quorate());
    update.setString(9, q.rule());
    update.setString(10, q.message());
    update.setBoolean(11, recorded.valid());
    update.setString(12, write.actor);
    update.setString(13, db::ToDbTime(write.now));
    update.setString(14, id);
    update.executeUpdate();
    WriteDetails(c, recorded);
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, recorded.area_path(), &recorded, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return recorded;
}

absl::StatusOr<v1::Meeting> MeetingStore::Cancel(const std::string& scope,
                                                 const WriteContext& write, const std::string& id,
                                                 const std::string& etag,
                                                 const std::string& reason) {
  v1::Meeting cancelled;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindMeeting(c, scope, id, " FOR UPDATE");
    if (!before) return HiddenMeeting(scope);
    if (auto s = CheckEtag("etag", etag, std::stoll(before->etag())); !s.ok()) return s;
    if (auto s = CheckTransition(before->state(), v1::Meeting::CANCELLED); !s.ok()) return s;
    cancelled = *before;
    cancelled.set_state(v1::Meeting::CANCELLED);
    cancelled.set_cancel_reason(reason);
    cancelled.set_etag(EtagOf(std::stoll(before->etag()) + 1));
    ToProtoTime(write.now, cancelled.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE meetings SET state = ?, cancel_reason = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setInt(1, v1::Meeting::CANCELLED);
    update.setString(2, reason);
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, cancelled.area_path(), &cancelled, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return cancelled;
}

absl::StatusOr<v1::Meeting> MeetingStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Meeting> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindMeeting(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenMeeting(scope);
  return *found;
}

absl::StatusOr<MeetingPage> MeetingStore::List(const std::string& scope,
                                               const std::string& organisation_id,
                                               v1::MeetingType type, int page_size,
                                               const std::string& after_key) {
  MeetingPage page;
  // Newest first: the first page starts above every real key.
  std::string before_date = "9999-12-31", before_id = "~";
  if (!after_key.empty()) {
    std::vector<std::string> parts = absl::StrSplit(after_key, absl::MaxSplits('|', 1));
    before_date = parts[0];
    before_id = parts.size() > 1 ? parts[1] : "";
  }
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!organisation.ok()) return organisation.status();
    const bool by_type = type != v1::MEETING_TYPE_UNSPECIFIED;
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kColumns,
        " FROM meetings WHERE organisation_id = ? AND (planned_date < ? OR (planned_date = ?"
        " AND id < ?))",
        db::InScope("area_path"), by_type ? " AND type = ?" : "",
        " ORDER BY planned_date DESC, id DESC LIMIT ?"));
    select.setString(1, organisation->id());
    select.setString(2, before_date);
    select.setString(3, before_date);
    select.setString(4, before_id);
    int index = db::BindScope(select, 5, scope);
    if (by_type) select.setInt(index++, type);
    select.setInt(index, page_size + 1);
    {
      auto rows = c.Query(select);
      while (rows->next()) page.meetings.push_back(ReadMeeting(*rows));
    }
    if (static_cast<int>(page.meetings.size()) > page_size) {
      page.meetings.pop_back();
      page.last_key =
          absl::StrCat(page.meetings.back().planned_date(), "|", page.meetings.back().id());
    }
    std::vector<v1::Meeting*> all;
    for (auto& m : page.meetings) all.push_back(&m);
    LoadDetails(c, all);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<v1::MeetingRoster> MeetingStore::Roster(const std::string& scope,
                                                       const std::string& organisation_id,
                                                       v1::MeetingType type, absl::CivilDay day) {
  v1::MeetingRoster out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = ReadableOrganisation(c, scope, organisation_id);
    if (!organisation.ok()) return organisation.status();
    if (auto s = CheckHoldsMeetingType(organisation->kind(), type); !s.ok()) return s;
    out.set_organisation_id(organisation->id());
    out.set_type(type);
    out.set_date(Day(day));
    const DayRoster roster = RosterFor(c, *organisation, type, day);
    absl::flat_hash_map<std::string, std::string> names;
    if (!roster.member_ids.empty()) {
      auto& select = c.Prepare(
          absl::StrCat("SELECT id, name_masked FROM members WHERE id IN (",
                       db::ParameterList(static_cast<int>(roster.member_ids.size())), ")"));
      for (size_t i = 0; i < roster.member_ids.size(); ++i) {
        select.setString(static_cast<int>(i) + 1, roster.member_ids[i]);
      }
      auto rows = c.Query(select);
      while (rows->next()) names[rows->getString(1).asStdString()] = rows->getString(2);
    }
    for (const std::string& id : roster.member_ids) {
      auto* entry = out.add_members();
      entry->set_member_id(id);
      entry->set_name(names[id]);
      auto it = roster.status.find(id);
      entry->set_status(it == roster.status.end() ? v1::MEMBER_STATUS_UNSPECIFIED : it->second);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::MeetingClock> MeetingStore::Clock(const std::string& scope,
                                                     const std::string& organisation_id,
                                                     absl::CivilDay today) {
  v1::MeetingClock out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = ReadableOrganisation(c, scope, organisation_id);
    if (!organisation.ok()) return organisation.status();
    out.set_organisation_id(organisation->id());
    out.set_date(Day(today));
    const OrganisationRow row{
        organisation->id(), organisation->kind(), organisation->path(),
        absl::ToCivilDay(FromProtoTime(organisation->create_time()), absl::UTCTimeZone())};
    auto facts = LoadFacts(c, scope, {row});
    for (auto& clock : ClocksOn(facts[row.id], frequencies_, today)) {
      *out.add_clocks() = std::move(clock);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<OverduePage> MeetingStore::Overdue(const std::string& scope,
                                                  const std::string& organisation_id,
                                                  absl::CivilDay today, int page_size,
                                                  const std::string& after_path) {
  OverduePage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!root.ok()) return root.status();
    std::vector<OrganisationRow> orgs =
        HoldingOrganisations(c, scope, root->path(), after_path, page_size + 1);
    if (static_cast<int>(orgs.size()) > page_size) {
      orgs.pop_back();
      page.last_path = orgs.back().path;  // more organisations follow
    }
    auto facts = LoadFacts(c, scope, orgs);
    for (const OrganisationRow& o : orgs) {
      for (auto& clock : ClocksOn(facts[o.id], frequencies_, today)) {
        if (!clock.overdue()) continue;
        v1::OverdueMeeting overdue;
        overdue.set_organisation_id(o.id);
        overdue.set_organisation_path(o.path);
        *overdue.mutable_clock() = std::move(clock);
        page.overdue.push_back(std::move(overdue));
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<v1::MeetingCompliance> MeetingStore::Compliance(const std::string& scope,
                                                               const std::string& organisation_id,
                                                               absl::CivilDay from,
                                                               absl::CivilDay to,
                                                               absl::CivilDay today) {
  v1::MeetingCompliance out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!root.ok()) return root.status();
    out.set_organisation_id(root->id());
    out.set_from_date(Day(from));
    out.set_to_date(Day(to));
    const std::vector<OrganisationRow> orgs =
        HoldingOrganisations(c, scope, root->path(), "", kMaxComplianceOrganisations + 1);
    if (static_cast<int>(orgs.size()) > kMaxComplianceOrganisations) {
      return FailedPrecondition(
          "COMPLIANCE_SUBTREE_TOO_LARGE",
          absl::StrCat("a compliance report covers at most ", kMaxComplianceOrganisations,
                       " organisations; ask for a smaller subtree"));
    }
    out.mutable_totals()->set_rate(ComplianceRate(0, 0));
    if (orgs.empty()) return absl::OkStatus();
    auto facts = LoadFacts(c, scope, orgs);
    absl::flat_hash_map<std::string, std::map<v1::MeetingType, std::vector<HeldMeeting>>> held;
    auto& select = c.Prepare(
        absl::StrCat("SELECT m.organisation_id, m.type, m.actual_date, m.is_valid",
                     kMeetingsOfStretch, " AND m.state = ", static_cast<int>(v1::Meeting::HELD),
                     db::InScope("m.area_path"), " AND m.actual_date BETWEEN ? AND ?"));
    const int index = BindStretch(select, 1, orgs, scope);
    select.setString(index, Day(from));
    select.setString(index + 1, Day(to));
    {
      auto rows = c.Query(select);
      while (rows->next()) {
        held[rows->getString(1).asStdString()][static_cast<v1::MeetingType>(rows->getInt(2))]
            .push_back({ParseDay(rows->getString(3)), rows->getBoolean(4)});
      }
    }
    std::map<v1::MeetingType, v1::ComplianceFigures> by_type;
    v1::ComplianceFigures* totals = out.mutable_totals();
    for (const OrganisationRow& o : orgs) {
      for (const auto& [type, count] :
           ComplianceOf(facts[o.id], frequencies_, held[o.id], from, to, today)) {
        auto* row = out.add_rows();
        row->set_organisation_id(o.id);
        row->set_organisation_path(o.path);
        row->set_type(type);
        Add(*row->mutable_figures(), count);
        Add(by_type[type], count);
        Add(*totals, count);
      }
    }
    for (const auto& [type, figures] : by_type) {
      auto* row = out.add_totals_by_type();
      row->set_type(type);
      *row->mutable_figures() = figures;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace grassroots::orgs
