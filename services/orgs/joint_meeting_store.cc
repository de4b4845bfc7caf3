#include "services/orgs/joint_meeting_store.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/co_building_store.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/regional_places.h"
#include "services/orgs/resident_unit_rules.h"
#include "services/orgs/resident_unit_store.h"

namespace grassroots::orgs {
namespace {

using Meeting = v1::JointMeeting;

constexpr char kColumns[] =
    "id, convener_organisation_id, area_path, title, meeting_date, state, minutes, cancel_reason,"
    " version, create_time, update_time";

absl::CivilDay DayOf(const std::string& text) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(text, &day);
  return day;
}

Meeting ReadMeeting(sql::ResultSet& row, int agenda_days) {
  Meeting m;
  m.set_id(row.getString(1));
  m.set_convener_organisation_id(row.getString(2));
  m.set_area_path(row.getString(3));
  m.set_title(row.getString(4));
  m.set_meeting_date(row.getString(5));
  m.set_agenda_due_date(absl::FormatCivilTime(AgendaDueDate(DayOf(m.meeting_date()), agenda_days)));
  m.set_state(static_cast<Meeting::State>(row.getInt(6)));
  if (!row.isNull(7)) m.set_minutes(row.getString(7));
  m.set_cancel_reason(row.getString(8));
  m.set_etag(EtagOf(row.getInt64(9)));
  ToProtoTime(db::FromDbTime(row.getString(10)), m.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(11)), m.mutable_update_time());
  return m;
}

// Invitations and attendance, agenda items and decisions.
void FillDetails(db::Connection& c, Meeting& m) {
  auto& units = c.Prepare(
      "SELECT unit_id, present FROM joint_meeting_units WHERE meeting_id = ? ORDER BY unit_id");
  units.setString(1, m.id());
  {
    auto rows = c.Query(units);
    while (rows->next()) {
      m.add_invited_unit_ids(rows->getString(1));
      if (rows->getInt(2) != 0) m.add_present_unit_ids(rows->getString(1));
    }
  }
  auto& items = c.Prepare(
      "SELECT id, unit_id, title, description, submitted_by, submit_time FROM"
      " joint_meeting_agenda_items WHERE meeting_id = ? ORDER BY submit_time, id");
  items.setString(1, m.id());
  {
    auto rows = c.Query(items);
    while (rows->next()) {
      auto* item = m.add_agenda_items();
      item->set_id(rows->getString(1));
      item->set_meeting_id(m.id());
      if (!rows->isNull(2)) item->set_unit_id(rows->getString(2));
      item->set_title(rows->getString(3));
      item->set_description(rows->getString(4));
      item->set_submitted_by(rows->getString(5));
      ToProtoTime(db::FromDbTime(rows->getString(6)), item->mutable_submit_time());
    }
  }
  for (const auto& project : CoBuildingStore::OfMeeting(c, m.id())) {
    auto* decision = m.add_decisions();
    decision->set_title(project.title());
    decision->set_owner_unit_id(project.owner_unit_id());
    decision->set_due_date(project.due_date());
    decision->set_project_id(project.id());
  }
}

absl::Status Hidden(const std::string& scope, absl::string_view field) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the meeting lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError(absl::StrCat(field, ": no such joint meeting")),
                    "MEETING_NOT_FOUND");
}

// The meeting with its details, if the scope sees it. `lock` is "" or " FOR UPDATE".
std::optional<Meeting> Load(db::Connection& c, const std::string& scope, const std::string& id,
                            int agenda_days, const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM joint_meetings WHERE id = ?",
                                        db::InScope("area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  std::optional<Meeting> found;
  {
    auto rows = c.Query(select);
    if (!rows->next()) return std::nullopt;
    found = ReadMeeting(*rows, agenda_days);
  }
  FillDetails(c, *found);
  return found;
}

std::vector<std::string> Ids(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

// Every unit of `ids` exists, is visible to the caller and takes part in
// the place's regional party building.
absl::Status CheckUnits(db::Connection& c, const std::string& scope, absl::string_view field,
                        const std::vector<std::string>& ids, const std::string& place_path) {
  absl::flat_hash_map<std::string, UnitRef> found;
  for (auto& unit : ResidentUnitStore::FindUnits(c, ids)) found.emplace(unit.id, unit);
  for (const auto& id : ids) {
    auto it = found.find(id);
    if (it == found.end() || !PathWithin(it->second.area_path, scope)) {
      if (!scope.empty()) {
        return PermissionDenied("OUT_OF_SCOPE", absl::StrCat(field,
                                                             " names a unit outside the caller's "
                                                             "jurisdiction"));
      }
      return InvalidField(field, "UNIT_NOT_FOUND", absl::StrCat("no resident unit ", id));
    }
    if (auto s = ValidateUnitTakesPart(field, it->second.state, it->second.area_path, place_path);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Meeting> JointMeetingStore::Schedule(const std::string& scope,
                                                    const WriteContext& write,
                                                    const std::string& convener_organisation_id,
                                                    const std::string& title,
                                                    absl::CivilDay meeting_date,
                                                    const std::vector<std::string>& invited) {
  Meeting scheduled;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto convener = OrganisationStore::FindActiveInScope(c, scope, convener_organisation_id);
        if (!convener) {
          if (!scope.empty()) {
            return PermissionDenied(
                "OUT_OF_SCOPE", "convener_organisation_id lies outside the caller's jurisdiction");
          }
          return InvalidField("convener_organisation_id", "ORGANISATION_NOT_FOUND",
                              "no active organisation with this id");
        }
        if (auto s = ValidateRegionalLead("convener_organisation_id", convener->kind()); !s.ok()) {
          return s;
        }
        if (auto s = CheckUnits(c, scope, "invited_unit_ids", invited, convener->area_path());
            !s.ok()) {
          return s;
        }
        const std::string id = NewId("jm", write.now);
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO joint_meetings (id, convener_organisation_id, area_path, title,"
            " meeting_date, state, version, create_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, id);
        insert.setString(2, convener->id());
        insert.setString(3, convener->area_path());
        insert.setString(4, title);
        insert.setString(5, absl::FormatCivilTime(meeting_date));
        insert.setInt(6, Meeting::PLANNED);
        insert.setString(7, now);
        insert.setString(8, now);
        insert.executeUpdate();
        auto& invite =
            c.Prepare("INSERT INTO joint_meeting_units (meeting_id, unit_id) VALUES (?, ?)");
        for (const auto& unit_id : invited) {
          invite.setString(1, id);
          invite.setString(2, unit_id);
          invite.executeUpdate();
        }
        scheduled = *Load(c, "", id, agenda_days_, "");
        changes_.Append(
            c, write,
            {id, common::v1::Change::CREATED, scheduled.area_path(), &scheduled, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return scheduled;
  return EarlierResultOr<Meeting>(pool_, changes_, write, status);
}

absl::StatusOr<Meeting> JointMeetingStore::Get(const std::string& scope, const std::string& id) {
  std::optional<Meeting> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = Load(c, scope, id, agenda_days_, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "id");
  return *std::move(found);
}

absl::StatusOr<JointMeetingPage> JointMeetingStore::List(const std::string& scope,
                                                         const MeetingFilter& filter, int page_size,
                                                         const MeetingCursor& after) {
  JointMeetingPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = ListingRoot(c, scope, filter.area_id);
    if (!root.ok()) return root.status();
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kColumns,
                               " FROM joint_meetings WHERE (meeting_date > ? OR (meeting_date = ?"
                               " AND id > ?))",
                               db::InScope("area_path"), Within("area_path"),
                               " AND (? = 0 OR state = ?) ORDER BY meeting_date, id LIMIT ?"));
    select.setString(1, after.meeting_date);
    select.setString(2, after.meeting_date);
    select.setString(3, after.id);
    int index = db::BindScope(select, 4, scope);
    index = BindWithin(select, index, *root);
    select.setInt(index++, filter.state);
    select.setInt(index++, filter.state);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.meetings.push_back(ReadMeeting(*rows, agenda_days_));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.meetings.size()) > page_size) {
    page.meetings.pop_back();
    page.last = MeetingCursor{page.meetings.back().meeting_date(), page.meetings.back().id()};
  }
  return page;
}

absl::StatusOr<v1::JointMeetingAgendaItem> JointMeetingStore::SubmitAgendaItem(
    const std::string& scope, const WriteContext& write, const std::string& meeting_id,
    const std::string& unit_id, const std::string& title, const std::string& description,
    absl::CivilDay today) {
  v1::JointMeetingAgendaItem item;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // Locked: the meeting cannot be recorded or cancelled meanwhile.
        auto meeting = Load(c, scope, meeting_id, agenda_days_, " FOR UPDATE");
        if (!meeting) return Hidden(scope, "meeting_id");
        if (auto s = CheckMeetingStep(meeting->state(), JointMeetingStep::kSubmitAgenda); !s.ok()) {
          return s;
        }
        if (auto s = ValidateSubmitter(Ids(meeting->invited_unit_ids()), unit_id); !s.ok()) {
          return s;
        }
        if (auto s = CheckAgendaOnTime(DayOf(meeting->meeting_date()), agenda_days_, today);
            !s.ok()) {
          return s;
        }
        item.set_id(NewId("ai", write.now));
        item.set_meeting_id(meeting_id);
        item.set_unit_id(unit_id);
        item.set_title(title);
        item.set_description(description);
        item.set_submitted_by(write.actor);
        ToProtoTime(write.now, item.mutable_submit_time());
        auto& insert = c.Prepare(
            "INSERT INTO joint_meeting_agenda_items (id, meeting_id, unit_id, title, description,"
            " submitted_by, submit_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, item.id());
        insert.setString(2, meeting_id);
        if (unit_id.empty()) {
          insert.setNull(3, sql::DataType::VARCHAR);
        } else {
          insert.setString(3, unit_id);
        }
        insert.setString(4, title);
        insert.setString(5, description);
        insert.setString(6, write.actor);
        insert.setString(7, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {item.id(), common::v1::Change::CREATED, meeting->area_path(), &item, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return item;
  return EarlierResultOr<v1::JointMeetingAgendaItem>(pool_, changes_, write, status);
}

absl::StatusOr<Meeting> JointMeetingStore::Record(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const std::vector<std::string>& present, const std::string& minutes,
    const std::vector<DecisionInput>& decisions, absl::CivilDay today) {
  Meeting held;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = Load(c, scope, id, agenda_days_, " FOR UPDATE");
    if (!before) return Hidden(scope, "id");
    const int64_t version = std::stoll(before->etag());
    if (auto s = CheckEtag("etag", etag, version); !s.ok()) return s;
    if (auto s = CheckMeetingStep(before->state(), JointMeetingStep::kRecord); !s.ok()) return s;
    const absl::CivilDay meeting_date = DayOf(before->meeting_date());
    if (auto s = CheckRecordDate(meeting_date, today); !s.ok()) return s;
    const std::vector<std::string> invited = Ids(before->invited_unit_ids());
    if (auto s = ValidateAttendance(invited, present); !s.ok()) return s;
    std::vector<DecisionFacts> facts;
    std::vector<std::string> owners;
    for (const auto& d : decisions) {
      facts.push_back({d.owner_unit_id, d.due_date});
      owners.push_back(d.owner_unit_id);
    }
    if (auto s = ValidateDecisions(invited, meeting_date, facts); !s.ok()) return s;
    // An owner must still be registered here when the project is made.
    absl::flat_hash_map<std::string, UnitRef> units;
    for (auto& unit : ResidentUnitStore::FindUnits(c, owners)) units.emplace(unit.id, unit);
    for (size_t i = 0; i < decisions.size(); ++i) {
      const UnitRef& owner = units.at(decisions[i].owner_unit_id);  // invited units exist
      if (auto s = ValidateUnitTakesPart(absl::StrCat("decisions[", i, "].owner_unit_id"),
                                         owner.state, owner.area_path, before->area_path());
          !s.ok()) {
        return s;
      }
    }
    auto& update = c.Prepare(
        "UPDATE joint_meetings SET state = ?, minutes = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setInt(1, Meeting::HELD);
    update.setString(2, minutes);
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, id);
    update.executeUpdate();
    auto& attended = c.Prepare(
        "UPDATE joint_meeting_units SET present = 1 WHERE meeting_id = ? AND unit_id = ?");
    for (const auto& unit_id : present) {
      attended.setString(1, id);
      attended.setString(2, unit_id);
      attended.executeUpdate();
    }
    for (size_t i = 0; i < decisions.size(); ++i) {
      v1::CoBuildingProject project;
      project.set_owner_unit_id(decisions[i].owner_unit_id);
      project.set_area_path(before->area_path());
      project.set_title(decisions[i].title);
      project.set_due_date(absl::FormatCivilTime(decisions[i].due_date));
      project.set_source(v1::CoBuildingProject::JOINT_MEETING_DECISION);
      project.set_joint_meeting_id(id);
      project.set_decision_number(static_cast<int>(i) + 1);
      CoBuildingStore::Insert(c, changes_, write, std::move(project),
                              units.at(decisions[i].owner_unit_id).display_name,
                              /*carries_request_id=*/false);
    }
    held = *Load(c, "", id, agenda_days_, "");
    changes_.Append(c, write, {id, common::v1::Change::UPDATED, held.area_path(), &held, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return held;
}

absl::StatusOr<Meeting> JointMeetingStore::Cancel(const std::string& scope,
                                                  const WriteContext& write, const std::string& id,
                                                  const std::string& etag,
                                                  const std::string& reason) {
  Meeting cancelled;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = Load(c, scope, id, agenda_days_, " FOR UPDATE");
    if (!before) return Hidden(scope, "id");
    if (auto s = CheckEtag("etag", etag, std::stoll(before->etag())); !s.ok()) return s;
    if (auto s = CheckMeetingStep(before->state(), JointMeetingStep::kCancel); !s.ok()) return s;
    auto& update = c.Prepare(
        "UPDATE joint_meetings SET state = ?, cancel_reason = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setInt(1, Meeting::CANCELLED);
    update.setString(2, reason);
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, id);
    update.executeUpdate();
    cancelled = *Load(c, "", id, agenda_days_, "");
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, cancelled.area_path(), &cancelled, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return cancelled;
}

}  // namespace grassroots::orgs
