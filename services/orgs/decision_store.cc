#include "services/orgs/decision_store.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
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
#include "grassroots/orgs/v1/member.pb.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/statement_shapes.h"

namespace grassroots::orgs {
namespace {

constexpr char kMatterColumns[] =
    "m.id, m.organisation_id, m.area_path, m.title, m.description, m.proposer_member_id,"
    " m.state, m.open_objections, m.resolution_time, m.result_time, m.proposed_by, m.version,"
    " m.create_time, m.update_time";

constexpr char kObjectionColumns[] =
    "id, matter_id, publication, household_id, text, area_path, state, file_time,"
    " answer_due_time, answer, answered_by, answer_time, filed_by, version";

// A matter as stored: the state of its last step, and the times the
// clocks run from.
struct MatterRow {
  v1::Matter matter;  // the stored fields, without state and clocks
  MatterState stored = v1::Matter::STATE_UNSPECIFIED;
  int open_objections = 0;
  std::optional<absl::Time> resolution_time, result_time;
  int64_t version = 0;
};

std::optional<absl::Time> OptionalTime(sql::ResultSet& r, int column) {
  if (r.isNull(column)) return std::nullopt;
  return db::FromDbTime(r.getString(column));
}

MatterRow ReadMatterRow(sql::ResultSet& r) {
  MatterRow row;
  v1::Matter& m = row.matter;
  m.set_id(r.getString(1));
  m.set_organisation_id(r.getString(2));
  m.set_area_path(r.getString(3));
  m.set_title(r.getString(4));
  m.set_description(r.getString(5));
  m.set_proposer_member_id(r.getString(6));
  row.stored = static_cast<MatterState>(r.getInt(7));
  row.open_objections = r.getInt(8);
  row.resolution_time = OptionalTime(r, 9);
  row.result_time = OptionalTime(r, 10);
  m.set_proposed_by(r.getString(11));
  row.version = r.getInt64(12);
  ToProtoTime(db::FromDbTime(r.getString(13)), m.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(14)), m.mutable_update_time());
  return row;
}

// The matter as callers see it at `now`: DONE and the clocks computed.
v1::Matter Presented(const MatterRow& row, absl::Time now, const PublicationRules& rules) {
  v1::Matter m = row.matter;
  m.set_state(EffectiveState(row.stored, row.result_time, row.open_objections, now, rules));
  m.set_open_objections(row.open_objections);
  if (row.resolution_time) {
    ToProtoTime(*row.resolution_time, m.mutable_resolution_publish_time());
    ToProtoTime(ResultPublishableFrom(*row.resolution_time, rules),
                m.mutable_result_publishable_time());
  }
  if (row.result_time) {
    ToProtoTime(*row.result_time, m.mutable_result_publish_time());
    ToProtoTime(CompletionFrom(*row.result_time, rules), m.mutable_completion_time());
  }
  m.set_etag(EtagOf(row.version));
  return m;
}

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the matter lies outside the caller's jurisdiction");
  }
  return NotFound("MATTER_NOT_FOUND", "no such matter");
}

std::optional<MatterRow> FindMatter(db::Connection& c, const std::string& scope,
                                    const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kMatterColumns, " FROM matters m WHERE m.id = ?",
                                        db::InScope("m.area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadMatterRow(*rows);
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

void LoadSteps(db::Connection& c, const std::string& matter_id, v1::Matter* matter) {
  auto& steps = c.Prepare(
      "SELECT kind, step_date, outcome, outcome_detail, entitled, present, in_favour, against,"
      " abstaining, other_participants, note, recorded_by, record_time FROM matter_steps"
      " WHERE matter_id = ? ORDER BY kind");
  steps.setString(1, matter_id);
  absl::flat_hash_map<int, v1::MatterStep*> by_kind;
  {
    auto rows = c.Query(steps);
    while (rows->next()) {
      v1::MatterStep* step = matter->add_steps();
      step->set_kind(static_cast<StepKind>(rows->getInt(1)));
      step->set_date(rows->getString(2));
      step->set_outcome(static_cast<v1::MatterStep::Outcome>(rows->getInt(3)));
      step->set_outcome_detail(rows->getString(4));
      if (!rows->isNull(5)) {
        v1::MatterVote* vote = step->mutable_vote();
        vote->set_entitled(rows->getInt(5));
        vote->set_present(rows->getInt(6));
        vote->set_in_favour(rows->getInt(7));
        vote->set_against(rows->getInt(8));
        vote->set_abstaining(rows->getInt(9));
      }
      step->mutable_participants()->set_others(rows->getInt(10));
      step->set_note(rows->getString(11));
      step->set_recorded_by(rows->getString(12));
      ToProtoTime(db::FromDbTime(rows->getString(13)), step->mutable_record_time());
      by_kind[step->kind()] = step;
    }
  }
  auto& participants = c.Prepare(
      "SELECT kind, member_id FROM matter_step_participants WHERE matter_id = ?"
      " ORDER BY kind, member_id");
  participants.setString(1, matter_id);
  auto rows = c.Query(participants);
  while (rows->next()) {
    auto it = by_kind.find(rows->getInt(1));
    if (it != by_kind.end()) it->second->mutable_participants()->add_member_ids(rows->getString(2));
  }
}

void InsertStep(db::Connection& c, const std::string& matter_id, const v1::MatterStep& step) {
  auto& insert = c.Prepare(
      "INSERT INTO matter_steps (matter_id, kind, step_date, outcome, outcome_detail, entitled,"
      " present, in_favour, against, abstaining, other_participants, note, recorded_by,"
      " record_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.setString(1, matter_id);
  insert.setInt(2, step.kind());
  insert.setString(3, step.date());
  insert.setInt(4, step.outcome());
  insert.setString(5, step.outcome_detail());
  if (step.has_vote()) {
    insert.setInt(6, step.vote().entitled());
    insert.setInt(7, step.vote().present());
    insert.setInt(8, step.vote().in_favour());
    insert.setInt(9, step.vote().against());
    insert.setInt(10, step.vote().abstaining());
  } else {
    for (int column = 6; column <= 10; ++column) insert.setNull(column, sql::DataType::INTEGER);
  }
  insert.setInt(11, step.participants().others());
  insert.setString(12, step.note());
  insert.setString(13, step.recorded_by());
  insert.setString(14, db::ToDbTime(FromProtoTime(step.record_time())));
  insert.executeUpdate();
  const auto& ids = step.participants().member_ids();
  int next = 0;
  for (int batch : PowerOfTwoBatches(ids.size())) {
    auto& rows = c.Prepare(
        absl::StrCat("INSERT INTO matter_step_participants (matter_id, kind, member_id) VALUES ",
                     db::ParameterRows(3, batch)));
    int index = 1;
    for (int i = 0; i < batch; ++i) {
      rows.setString(index++, matter_id);
      rows.setInt(index++, step.kind());
      rows.setString(index++, ids[next++]);
    }
    rows.executeUpdate();
  }
}

// What orgs knows of the members listed as participants.
struct ListedMember {
  v1::MemberStatus status = v1::MEMBER_STATUS_UNSPECIFIED;
  std::string organisation_path;
  bool organisation_active = false;
};

// Every listed id must be a member within the caller's scope (a member
// elsewhere is counted among the others instead); INVALID_ARGUMENT naming
// the first that is not.
absl::StatusOr<absl::flat_hash_map<std::string, ListedMember>> ListedMembers(
    db::Connection& c, const std::string& scope, absl::string_view field,
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  absl::flat_hash_map<std::string, ListedMember> found;
  if (ids.empty()) return found;
  const int padded = PaddedListSize(ids.size());
  auto& select = c.Prepare(
      absl::StrCat("SELECT m.id, m.status, o.path, o.state FROM members m JOIN organisations o"
                   " ON o.id = m.organisation_id WHERE m.id IN (",
                   db::ParameterList(padded), ")", db::InScope("m.area_path")));
  for (int i = 0; i < padded; ++i) {
    select.setString(i + 1, ids[std::min(i, static_cast<int>(ids.size()) - 1)]);
  }
  db::BindScope(select, padded + 1, scope);
  {
    auto rows = c.Query(select);
    while (rows->next()) {
      found[rows->getString(1).asStdString()] =
          ListedMember{static_cast<v1::MemberStatus>(rows->getInt(2)), rows->getString(3),
                       rows->getInt(4) == v1::ACTIVE};
    }
  }
  for (const std::string& id : ids) {
    if (!found.contains(id)) {
      return InvalidField(field, "PARTICIPANT_NOT_A_MEMBER",
                          absl::StrCat(id,
                                       " is not a party member within the caller's jurisdiction; "
                                       "count people who are not among the others"));
    }
  }
  return found;
}

absl::StatusOr<std::string> OrganisationPath(db::Connection& c, const std::string& id) {
  auto& select = c.Prepare("SELECT path FROM organisations WHERE id = ?");
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return Internal("MATTER_ORGANISATION_MISSING", "the matter's organisation");
  return std::string(rows->getString(1));
}

// The member assembly's entitled: full members of the organisation and its
// subtree, today (the roster kept by orgs is the current one). Not limited
// to the caller's scope: the caller is authorised on the matter, and the
// roster is the organisation's whole subtree.
int CountFullMembers(db::Connection& c, const std::string& organisation_path) {
  auto& select = c.Prepare(
      "SELECT COUNT(*) FROM members m JOIN organisations o ON o.id = m.organisation_id"
      " WHERE m.status = ? AND o.state = ? AND (o.path = ? OR o.path LIKE ?)");
  select.setInt(1, v1::FULL);
  select.setInt(2, v1::ACTIVE);
  select.setString(3, organisation_path);
  select.setString(4, DescendantsLikePattern(organisation_path));
  auto rows = c.Query(select);
  return rows->next() ? rows->getInt(1) : 0;
}

absl::StatusOr<absl::CivilDay> LastStepDate(const v1::Matter& matter) {
  absl::CivilDay day;
  if (matter.steps().empty() || !absl::ParseCivilTime(matter.steps().rbegin()->date(), &day)) {
    return Internal("MATTER_STEPS_MISSING", "the matter has no recorded step");
  }
  return day;
}

absl::CivilDay Today(absl::Time now) { return absl::ToCivilDay(now, absl::UTCTimeZone()); }

v1::MatterObjection ReadObjection(sql::ResultSet& r) {
  v1::MatterObjection o;
  o.set_id(r.getString(1));
  o.set_matter_id(r.getString(2));
  o.set_publication(static_cast<StepKind>(r.getInt(3)));
  o.set_household_id(r.getString(4));
  o.set_text(r.getString(5));
  o.set_area_path(r.getString(6));
  o.set_state(static_cast<v1::MatterObjection::State>(r.getInt(7)));
  const absl::Time due = db::FromDbTime(r.getString(9));
  ToProtoTime(db::FromDbTime(r.getString(8)), o.mutable_file_time());
  ToProtoTime(due, o.mutable_answer_due_time());
  o.set_answer(r.getString(10));
  o.set_answered_by(r.getString(11));
  if (auto answered = OptionalTime(r, 12)) {
    ToProtoTime(*answered, o.mutable_answer_time());
    o.set_answered_late(IsOverdue(due, *answered));
  }
  o.set_filed_by(r.getString(13));
  o.set_etag(EtagOf(r.getInt64(14)));
  return o;
}

// Moves the matter's objection count by `delta` (one filed: +1, one
// answered: -1) with a change row for the matter, in the caller's
// transaction, the matter row already locked.
void CountObjection(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                    const MatterRow& row, int delta, const PublicationRules& rules) {
  auto& update = c.Prepare(
      "UPDATE matters SET open_objections = open_objections + ?, version = version + 1,"
      " update_time = ? WHERE id = ?");
  update.setInt(1, delta);
  update.setString(2, db::ToDbTime(write.now));
  update.setString(3, row.matter.id());
  update.executeUpdate();
  v1::Matter before = Presented(row, write.now, rules);
  LoadSteps(c, row.matter.id(), &before);
  MatterRow changed = row;
  changed.open_objections += delta;
  changed.version += 1;
  ToProtoTime(write.now, changed.matter.mutable_update_time());
  v1::Matter after = Presented(changed, write.now, rules);
  *after.mutable_steps() = before.steps();
  ChangeRecord record{row.matter.id(), common::v1::Change::UPDATED, row.matter.area_path(), &after,
                      &before};
  record.carries_request_id = false;  // the objection's change carries it
  changes.Append(c, write, record);
}

constexpr char kEpoch[] = "1970-01-01 00:00:00.000000";

}  // namespace

absl::StatusOr<v1::Matter> DecisionStore::Propose(const std::string& scope,
                                                  const WriteContext& write,
                                                  const MatterProposal& proposal,
                                                  const PublicationRules& rules) {
  v1::Matter created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto organisation =
            OrganisationStore::FindActiveInScope(c, scope, proposal.matter.organisation_id());
        if (!organisation) {
          if (!scope.empty()) {
            return PermissionDenied(
                "OUT_OF_SCOPE", "matter.organisation_id lies outside the caller's jurisdiction");
          }
          return InvalidField("matter.organisation_id", "ORGANISATION_NOT_FOUND",
                              "no active organisation with this id");
        }
        if (auto s = RequireCommunityOrganisation("matter.organisation_id", organisation->kind());
            !s.ok()) {
          return s;
        }
        if (auto s =
                ValidateStepDate("proposal_date", proposal.date, std::nullopt, Today(write.now));
            !s.ok()) {
          return s;
        }
        if (!proposal.matter.proposer_member_id().empty()) {
          google::protobuf::RepeatedPtrField<std::string> proposer;
          proposer.Add(std::string(proposal.matter.proposer_member_id()));
          auto found = ListedMembers(c, scope, "matter.proposer_member_id", proposer);
          if (!found.ok()) return found.status();
        }
        auto listed =
            ListedMembers(c, scope, "participants.member_ids", proposal.participants.member_ids());
        if (!listed.ok()) return listed.status();

        MatterRow row;
        row.matter = proposal.matter;
        row.matter.set_id(NewId("mt", write.now));
        row.matter.set_organisation_id(organisation->id());
        row.matter.set_area_path(organisation->area_path());
        row.matter.set_proposed_by(write.actor);
        ToProtoTime(write.now, row.matter.mutable_create_time());
        ToProtoTime(write.now, row.matter.mutable_update_time());
        row.stored = v1::Matter::PROPOSED;
        row.version = 1;
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO matters (id, organisation_id, area_path, title, description,"
            " proposer_member_id, state, open_objections, proposed_by, version, create_time,"
            " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 1, ?, ?)");
        insert.setString(1, row.matter.id());
        insert.setString(2, organisation->id());
        insert.setString(3, organisation->area_path());
        insert.setString(4, proposal.matter.title());
        insert.setString(5, proposal.matter.description());
        insert.setString(6, proposal.matter.proposer_member_id());
        insert.setInt(7, v1::Matter::PROPOSED);
        insert.setString(8, write.actor);
        insert.setString(9, now);
        insert.setString(10, now);
        insert.executeUpdate();

        v1::MatterStep step;
        step.set_kind(v1::MatterStep::PROPOSAL);
        step.set_date(DayText(proposal.date));
        *step.mutable_participants() = proposal.participants;
        step.set_outcome(v1::MatterStep::PUT_FORWARD);
        step.set_outcome_detail(absl::StrCat("put forward by ", organisation->display_name()));
        step.set_note(proposal.note);
        step.set_recorded_by(write.actor);
        ToProtoTime(write.now, step.mutable_record_time());
        InsertStep(c, row.matter.id(), step);

        created = Presented(row, write.now, rules);
        *created.add_steps() = step;
        changes_.Append(
            c, write,
            {created.id(), common::v1::Change::CREATED, created.area_path(), &created, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Matter>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Matter> DecisionStore::Get(const std::string& scope, const std::string& id,
                                              absl::Time now, const PublicationRules& rules) {
  std::optional<v1::Matter> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found.reset();
    auto row = FindMatter(c, scope, id, "");
    if (!row) return absl::OkStatus();
    found = Presented(*row, now, rules);
    LoadSteps(c, id, &*found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope);
  return *found;
}

absl::StatusOr<MatterPage> DecisionStore::List(const std::string& scope, const MatterFilter& filter,
                                               int page_size, const std::string& after_id,
                                               absl::Time now, const PublicationRules& rules) {
  MatterPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.matters.clear();
    std::string organisation_path, area_path;
    if (!filter.organisation_id.empty()) {
      auto organisation = OrganisationStore::FindListable(c, scope, filter.organisation_id);
      if (!organisation.ok()) return organisation.status();
      organisation_path = organisation->path();
    }
    if (!filter.area_id.empty()) {
      auto& area = c.Prepare("SELECT path FROM areas WHERE id = ?");
      area.setString(1, filter.area_id);
      auto rows = c.Query(area);
      if (rows->next()) area_path = rows->getString(1);
      // A place the caller may list below: inside its scope or above it.
      if (area_path.empty() || !(PathWithin(area_path, scope) || PathWithin(scope, area_path))) {
        if (!scope.empty()) {
          return PermissionDenied("OUT_OF_SCOPE", "area_id lies outside the caller's jurisdiction");
        }
        return InvalidField("area_id", "AREA_NOT_FOUND", "no such area");
      }
    }
    // DONE is not stored: it is a RESULT_PUBLISHED matter whose result has
    // been up long enough with no objection open.
    const char* done = " AND m.state = ? AND m.result_time <= ? AND m.open_objections = 0";
    const char* result_up =
        " AND m.state = ? AND NOT (m.result_time <= ? AND m.open_objections = 0)";
    const bool by_clock =
        filter.state == v1::Matter::DONE || filter.state == v1::Matter::RESULT_PUBLISHED;
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kMatterColumns, " FROM matters m",
        organisation_path.empty() ? "" : " JOIN organisations o ON o.id = m.organisation_id",
        " WHERE m.id > ?", db::InScope("m.area_path"),
        organisation_path.empty() ? "" : " AND (o.path = ? OR o.path LIKE ?)",
        area_path.empty() ? "" : " AND (m.area_path = ? OR m.area_path LIKE ?)",
        filter.state == v1::Matter::STATE_UNSPECIFIED ? ""
        : filter.state == v1::Matter::DONE            ? done
        : by_clock                                    ? result_up
                                                      : " AND m.state = ?",
        " ORDER BY m.id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    if (!organisation_path.empty()) {
      select.setString(index++, organisation_path);
      select.setString(index++, DescendantsLikePattern(organisation_path));
    }
    if (!area_path.empty()) {
      select.setString(index++, area_path);
      select.setString(index++, DescendantsLikePattern(area_path));
    }
    if (by_clock) {
      select.setInt(index++, v1::Matter::RESULT_PUBLISHED);
      select.setString(index++, db::ToDbTime(now - rules.min_up));
    } else if (filter.state != v1::Matter::STATE_UNSPECIFIED) {
      select.setInt(index++, filter.state);
    }
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.matters.push_back(Presented(ReadMatterRow(*rows), now, rules));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.matters.size()) > page_size) {
    page.matters.pop_back();
    page.last_id = page.matters.back().id();
  }
  return page;
}

absl::StatusOr<v1::Matter> DecisionStore::Advance(const std::string& scope,
                                                  const WriteContext& write, const std::string& id,
                                                  const std::string& etag, StepKind kind,
                                                  bool street_only, const PublicationRules& rules,
                                                  StepBody body) {
  v1::Matter after;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    // The lock comes first, so the steps read below are the latest.
    auto row = FindMatter(c, scope, id, " FOR UPDATE");
    if (!row) return Hidden(scope);
    if (street_only) {
      const std::string street = StreetPathOf(row->matter.area_path());
      if (!PathWithin(street, scope)) {
        return PermissionDenied("STREET_REVIEW_BY_STREET",
                                absl::StrCat("the street's review is made by the street (", street,
                                             "); the caller's jurisdiction is ", scope));
      }
    }
    if (auto s = CheckEtag("etag", etag, row->version); !s.ok()) return s;
    v1::Matter before = Presented(*row, write.now, rules);
    LoadSteps(c, id, &before);
    if (auto s = CheckNextStep(before.state(), kind); !s.ok()) return s;

    v1::MatterStep step;
    step.set_kind(kind);
    step.set_recorded_by(write.actor);
    ToProtoTime(write.now, step.mutable_record_time());
    MatterState next = StateAfter(kind);
    if (auto s = body(c, before, step, next); !s.ok()) return s;
    InsertStep(c, id, step);

    MatterRow changed = *row;
    changed.stored = next;
    if (kind == v1::MatterStep::RESOLUTION_PUBLICATION) changed.resolution_time = write.now;
    if (kind == v1::MatterStep::RESULT_PUBLICATION) changed.result_time = write.now;
    changed.version += 1;
    ToProtoTime(write.now, changed.matter.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE matters SET state = ?, resolution_time = ?, result_time = ?,"
        " version = version + 1, update_time = ? WHERE id = ?");
    update.setInt(1, next);
    if (changed.resolution_time) {
      update.setString(2, db::ToDbTime(*changed.resolution_time));
    } else {
      update.setNull(2, sql::DataType::TIMESTAMP);
    }
    if (changed.result_time) {
      update.setString(3, db::ToDbTime(*changed.result_time));
    } else {
      update.setNull(3, sql::DataType::TIMESTAMP);
    }
    update.setString(4, db::ToDbTime(write.now));
    update.setString(5, id);
    update.executeUpdate();

    after = Presented(changed, write.now, rules);
    *after.mutable_steps() = before.steps();
    *after.add_steps() = step;
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, row->matter.area_path(), &after, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return after;
}

absl::StatusOr<v1::Matter> DecisionStore::RecordMeeting(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const MeetingRecord& meeting, const PublicationRules& rules) {
  return Advance(
      scope, write, id, etag, meeting.kind, false, rules,
      [&](db::Connection& c, const v1::Matter& before, v1::MatterStep& step,
          MatterState& next) -> absl::Status {
        auto previous = LastStepDate(before);
        if (!previous.ok()) return previous.status();
        if (auto s = ValidateStepDate("date", meeting.date, *previous, Today(write.now)); !s.ok()) {
          return s;
        }
        auto listed =
            ListedMembers(c, scope, "participants.member_ids", meeting.participants.member_ids());
        if (!listed.ok()) return listed.status();
        v1::MatterVote vote = meeting.vote;
        if (meeting.kind == v1::MatterStep::ASSEMBLY_REVIEW) {
          // Only full members of the subtree count; anyone else listed
          // attended without a vote.
          auto path = OrganisationPath(c, before.organisation_id());
          if (!path.ok()) return path.status();
          int present = 0;
          for (const auto& [member_id, member] : *listed) {
            if (member.status == v1::FULL && member.organisation_active &&
                PathWithin(member.organisation_path, *path)) {
              ++present;
            }
          }
          vote.set_entitled(CountFullMembers(c, *path));
          vote.set_present(present);
        } else {
          vote.set_present(CountParticipants(meeting.participants));
        }
        auto outcome = DecideVote(meeting.kind, vote);
        if (!outcome.ok()) return outcome.status();
        step.set_date(DayText(meeting.date));
        *step.mutable_participants() = meeting.participants;
        *step.mutable_vote() = vote;
        step.set_outcome(outcome->carried ? v1::MatterStep::CARRIED : v1::MatterStep::NOT_CARRIED);
        step.set_outcome_detail(outcome->detail);
        step.set_note(meeting.note);
        if (!outcome->carried) next = v1::Matter::REJECTED;
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Matter> DecisionStore::RecordStreetReview(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const StreetReviewRecord& review, const PublicationRules& rules) {
  return Advance(
      scope, write, id, etag, v1::MatterStep::STREET_REVIEW, true, rules,
      [&](db::Connection& c, const v1::Matter& before, v1::MatterStep& step,
          MatterState& next) -> absl::Status {
        auto previous = LastStepDate(before);
        if (!previous.ok()) return previous.status();
        if (auto s = ValidateStepDate("date", review.date, *previous, Today(write.now)); !s.ok()) {
          return s;
        }
        auto listed =
            ListedMembers(c, scope, "participants.member_ids", review.participants.member_ids());
        if (!listed.ok()) return listed.status();
        const std::string street = StreetPathOf(before.area_path());
        step.set_date(DayText(review.date));
        *step.mutable_participants() = review.participants;
        step.set_outcome(review.approve ? v1::MatterStep::APPROVED : v1::MatterStep::DISAPPROVED);
        step.set_outcome_detail(
            absl::StrCat(review.approve ? "approved" : "rejected", " by the street ", street));
        step.set_note(review.reason);
        if (!review.approve) next = v1::Matter::REJECTED;
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Matter> DecisionStore::Publish(const std::string& scope,
                                                  const WriteContext& write, const std::string& id,
                                                  const std::string& etag, StepKind publication,
                                                  const std::string& content,
                                                  const PublicationRules& rules) {
  return Advance(
      scope, write, id, etag, publication, false, rules,
      [&](db::Connection&, const v1::Matter& before, v1::MatterStep& step,
          MatterState&) -> absl::Status {
        const std::string posted =
            absl::FormatTime(absl::RFC3339_sec, write.now, absl::UTCTimeZone());
        if (publication == v1::MatterStep::RESULT_PUBLICATION) {
          if (auto s = CheckResultPublishable(FromProtoTime(before.resolution_publish_time()),
                                              before.open_objections(), write.now, rules);
              !s.ok()) {
            return s;
          }
          step.set_outcome_detail(
              absl::StrCat("posted ", posted, "; complete from ",
                           absl::FormatTime(absl::RFC3339_sec, CompletionFrom(write.now, rules),
                                            absl::UTCTimeZone()),
                           " once every objection is answered"));
        } else {
          step.set_outcome_detail(absl::StrCat(
              "posted ", posted, "; the result may follow from ",
              absl::FormatTime(absl::RFC3339_sec, ResultPublishableFrom(write.now, rules),
                               absl::UTCTimeZone())));
        }
        step.set_date(DayText(Today(write.now)));
        step.set_outcome(v1::MatterStep::POSTED);
        step.set_note(content);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::MatterObjection> DecisionStore::FileObjection(
    const std::string& scope, const WriteContext& write, const std::string& matter_id,
    const std::string& household_id, const std::string& text, const PublicationRules& rules) {
  v1::MatterObjection filed;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto row = FindMatter(c, scope, matter_id, " FOR UPDATE");
        if (!row) return Hidden(scope);
        auto publication = PublicationOpenToObjections(
            EffectiveState(row->stored, row->result_time, row->open_objections, write.now, rules));
        if (!publication.ok()) return publication.status();
        filed.set_id(NewId("mo", write.now));
        filed.set_matter_id(matter_id);
        filed.set_publication(*publication);
        filed.set_household_id(household_id);
        filed.set_text(text);
        filed.set_area_path(row->matter.area_path());
        filed.set_state(v1::MatterObjection::OPEN);
        ToProtoTime(write.now, filed.mutable_file_time());
        const absl::Time due = AnswerDue(write.now, rules);
        ToProtoTime(due, filed.mutable_answer_due_time());
        filed.set_filed_by(write.actor);
        filed.set_etag(EtagOf(1));
        auto& insert = c.Prepare(
            "INSERT INTO matter_objections (id, matter_id, publication, household_id, text,"
            " area_path, state, file_time, answer_due_time, filed_by, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
        insert.setString(1, filed.id());
        insert.setString(2, matter_id);
        insert.setInt(3, *publication);
        insert.setString(4, household_id);
        insert.setString(5, text);
        insert.setString(6, filed.area_path());
        insert.setInt(7, v1::MatterObjection::OPEN);
        insert.setString(8, db::ToDbTime(write.now));
        insert.setString(9, db::ToDbTime(due));
        insert.setString(10, write.actor);
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {filed.id(), common::v1::Change::CREATED, filed.area_path(), &filed, nullptr});
        CountObjection(c, changes_, write, *row, +1, rules);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return filed;
  return EarlierResultOr<v1::MatterObjection>(pool_, changes_, write, status);
}

absl::StatusOr<v1::MatterObjection> DecisionStore::AnswerObjection(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const std::string& answer, const PublicationRules& rules) {
  v1::MatterObjection answered;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    // Objection, then matter: the one lock order of this table pair
    // (filing locks only the matter and inserts a new objection row).
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kObjectionColumns, " FROM matter_objections WHERE id = ?",
                               db::InScope("area_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    std::optional<v1::MatterObjection> before;
    {
      auto rows = c.Query(select);
      if (rows->next()) before = ReadObjection(*rows);
    }
    if (!before) {
      if (!scope.empty()) {
        return PermissionDenied("OUT_OF_SCOPE",
                                "the objection lies outside the caller's jurisdiction");
      }
      return NotFound("OBJECTION_NOT_FOUND", "no such objection");
    }
    if (auto s = CheckEtag("etag", etag, std::stoll(before->etag())); !s.ok()) return s;
    if (before->state() != v1::MatterObjection::OPEN) {
      return FailedPrecondition("OBJECTION_ANSWERED", "the objection is answered already");
    }
    auto row = FindMatter(c, "", before->matter_id(), " FOR UPDATE");
    if (!row) return Internal("OBJECTION_MATTER_MISSING", "the objection's matter is missing");
    answered = *before;
    answered.set_state(v1::MatterObjection::ANSWERED);
    answered.set_answer(answer);
    answered.set_answered_by(write.actor);
    ToProtoTime(write.now, answered.mutable_answer_time());
    answered.set_answered_late(IsOverdue(FromProtoTime(before->answer_due_time()), write.now));
    answered.set_etag(EtagOf(std::stoll(before->etag()) + 1));
    auto& update = c.Prepare(
        "UPDATE matter_objections SET state = ?, answer = ?, answered_by = ?, answer_time = ?,"
        " version = version + 1 WHERE id = ?");
    update.setInt(1, v1::MatterObjection::ANSWERED);
    update.setString(2, answer);
    update.setString(3, write.actor);
    update.setString(4, db::ToDbTime(write.now));
    update.setString(5, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, answered.area_path(), &answered, &*before});
    CountObjection(c, changes_, write, *row, -1, rules);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return answered;
}

absl::StatusOr<ObjectionPage> DecisionStore::ListObjections(const std::string& scope,
                                                            const std::string& matter_id,
                                                            int page_size,
                                                            const std::string& after_id) {
  ObjectionPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.objections.clear();
    if (!FindMatter(c, scope, matter_id, "")) return Hidden(scope);
    auto& select = c.Prepare(
        absl::StrCat("SELECT ", kObjectionColumns,
                     " FROM matter_objections WHERE matter_id = ? AND id > ? ORDER BY id LIMIT ?"));
    select.setString(1, matter_id);
    select.setString(2, after_id);
    select.setInt(3, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.objections.push_back(ReadObjection(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.objections.size()) > page_size) {
    page.objections.pop_back();
    page.last_id = page.objections.back().id();
  }
  return page;
}

absl::StatusOr<OverduePage> DecisionStore::ListOverdue(const std::string& scope, absl::Time now,
                                                       int page_size,
                                                       const std::string& after_key) {
  // The key is "<due time>|<id>" of the last row of the previous page.
  std::string after_due = kEpoch, after_id;
  if (!after_key.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after_key, absl::MaxSplits('|', 1));
    after_due = parts.first;
    after_id = parts.second;
  }
  OverduePage page;
  std::vector<std::string> keys;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.objections.clear();
    keys.clear();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kObjectionColumns,
        " FROM matter_objections WHERE state = ? AND answer_due_time < ?", db::InScope("area_path"),
        " AND (answer_due_time > ? OR (answer_due_time = ? AND id > ?))"
        " ORDER BY answer_due_time, id LIMIT ?"));
    select.setInt(1, v1::MatterObjection::OPEN);
    select.setString(2, db::ToDbTime(now));
    int index = db::BindScope(select, 3, scope);
    select.setString(index++, after_due);
    select.setString(index++, after_due);
    select.setString(index++, after_id);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::OverdueObjection overdue;
      *overdue.mutable_objection() = ReadObjection(*rows);
      const int64_t late =
          absl::ToInt64Nanoseconds(now - FromProtoTime(overdue.objection().answer_due_time()));
      overdue.mutable_overdue_by()->set_seconds(late / 1'000'000'000);
      overdue.mutable_overdue_by()->set_nanos(static_cast<int32_t>(late % 1'000'000'000));
      keys.push_back(absl::StrCat(rows->getString(9).asStdString(), "|", overdue.objection().id()));
      page.objections.push_back(std::move(overdue));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.objections.size()) > page_size) {
    page.objections.pop_back();
    page.last_key = keys[page_size - 1];
  }
  return page;
}

}  // namespace grassroots::orgs
