#include "services/orgs/decision_store.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
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
#include "services/orgs/matter_sql.h"
#include "services/orgs/membership_history.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/statement_shapes.h"

namespace grassroots::orgs {
namespace {

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

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

// Every listed id must be a member within the caller's scope (a member
// elsewhere is counted among the others instead); INVALID_ARGUMENT naming
// the first that is not.
absl::Status RequireListedMembers(db::Connection& c, const std::string& scope,
                                  absl::string_view field,
                                  const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  const int padded = PaddedListSize(ids.size());
  auto& select =
      c.Prepare(absl::StrCat("SELECT m.id FROM members m WHERE m.id IN (",
                             db::ParameterList(padded), ")", db::InScope("m.area_path")));
  for (int i = 0; i < padded; ++i) {
    select.setString(i + 1, ids[std::min(i, static_cast<int>(ids.size()) - 1)]);
  }
  db::BindScope(select, padded + 1, scope);
  absl::flat_hash_set<std::string> found;
  {
    auto rows = c.Query(select);
    while (rows->next()) found.insert(rows->getString(1).asStdString());
  }
  for (const std::string& id : ids) {
    if (!found.contains(id)) {
      return InvalidField(field, "PARTICIPANT_NOT_A_MEMBER",
                          absl::StrCat(id,
                                       " is not a party member within the caller's jurisdiction; "
                                       "count people who are not among the others"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Organisation> MatterOrganisation(db::Connection& c, const std::string& id) {
  auto& select = c.Prepare("SELECT path FROM organisations WHERE id = ?");
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return Internal("MATTER_ORGANISATION_MISSING", "the matter's organisation");
  v1::Organisation organisation;
  organisation.set_id(id);
  organisation.set_path(rows->getString(1));
  return organisation;
}

// The member assembly's entitled are the full members on the roster of the
// organisation (its subtree) on the meeting's day; present are the listed
// participants among them. Not limited to the caller's scope: the caller is
// authorised on the matter, and the roster is the organisation's whole
// subtree.
void CountAssembly(db::Connection& c, const v1::Organisation& organisation, absl::CivilDay day,
                   const v1::MatterParticipants& participants, v1::MatterVote& vote) {
  absl::flat_hash_set<std::string> entitled;
  for (const RosterMember& m : MembershipHistory::RosterOn(c, organisation, day)) {
    if (m.status == v1::FULL) entitled.insert(m.member_id);
  }
  int present = 0;
  for (const std::string& id : participants.member_ids()) present += entitled.contains(id) ? 1 : 0;
  vote.set_entitled(static_cast<int>(entitled.size()));
  vote.set_present(present);
}

absl::StatusOr<absl::CivilDay> LastStepDate(const v1::Matter& matter) {
  absl::CivilDay day;
  if (matter.steps().empty() || !absl::ParseCivilTime(matter.steps().rbegin()->date(), &day)) {
    return Internal("MATTER_STEPS_MISSING", "the matter has no recorded step");
  }
  return day;
}

absl::CivilDay Today(absl::Time now) { return absl::ToCivilDay(now, absl::UTCTimeZone()); }

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
          if (auto s = RequireListedMembers(c, scope, "matter.proposer_member_id", proposer);
              !s.ok()) {
            return s;
          }
        }
        if (auto s = RequireListedMembers(c, scope, "participants.member_ids",
                                          proposal.participants.member_ids());
            !s.ok()) {
          return s;
        }

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
  if (!found) return HiddenMatter(scope);
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
    if (!row) return HiddenMatter(scope);
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
        if (auto s = RequireListedMembers(c, scope, "participants.member_ids",
                                          meeting.participants.member_ids());
            !s.ok()) {
          return s;
        }
        v1::MatterVote vote = meeting.vote;
        if (meeting.kind == v1::MatterStep::ASSEMBLY_REVIEW) {
          // Only full members on the day's roster count; anyone else listed
          // attended without a vote.
          auto organisation = MatterOrganisation(c, before.organisation_id());
          if (!organisation.ok()) return organisation.status();
          CountAssembly(c, *organisation, meeting.date, meeting.participants, vote);
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
        if (auto s = RequireListedMembers(c, scope, "participants.member_ids",
                                          review.participants.member_ids());
            !s.ok()) {
          return s;
        }
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

}  // namespace grassroots::orgs
