// Organisational life (三会一课): who holds which meeting, the meeting's
// states, quorum at and either side of its thresholds, attendance against
// the roster, and the next-due clock at month and quarter ends and in leap
// years.
#include "services/orgs/meeting_rules.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using absl::CivilDay;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(MeetingRulesTest, WhoHoldsWhichMeeting) {
  using Types = std::vector<v1::MeetingType>;
  EXPECT_EQ(MeetingTypesHeldBy(v1::BUILDING_GROUP), Types{v1::GROUP_MEETING});
  const Types branch{v1::BRANCH_COMMITTEE, v1::MEMBER_ASSEMBLY, v1::PARTY_LECTURE};
  for (auto kind :
       {v1::GRID_BRANCH, v1::COMPOUND_BRANCH, v1::JOINT_BRANCH, v1::FLOATING_MEMBER_BRANCH,
        v1::TEMPORARY_BRANCH, v1::TWO_NEW_ORGANISATION, v1::COMMUNITY_GENERAL_BRANCH}) {
    EXPECT_EQ(MeetingTypesHeldBy(kind), branch) << v1::OrganisationKind_Name(kind);
  }
  EXPECT_EQ(MeetingTypesHeldBy(v1::COMMUNITY_COMMITTEE), Types{v1::BRANCH_COMMITTEE});
  EXPECT_TRUE(MeetingTypesHeldBy(v1::STREET_WORKING_COMMITTEE).empty());
  EXPECT_TRUE(MeetingTypesHeldBy(v1::DISTRICT_COMMITTEE).empty());
  EXPECT_TRUE(CheckHoldsMeetingType(v1::GRID_BRANCH, v1::PARTY_LECTURE).ok());
  auto refused = CheckHoldsMeetingType(v1::BUILDING_GROUP, v1::MEMBER_ASSEMBLY);
  EXPECT_EQ(Reason(refused), "MEETING_TYPE_NOT_HELD");
  EXPECT_EQ(refused.message(), "a BUILDING_GROUP does not hold MEMBER_ASSEMBLY meetings");
  EXPECT_EQ(Reason(CheckHoldsMeetingType(v1::GRID_BRANCH, v1::GROUP_MEETING)),
            "MEETING_TYPE_NOT_HELD");
  EXPECT_EQ(Reason(CheckHoldsMeetingType(v1::COMMUNITY_COMMITTEE, v1::MEMBER_ASSEMBLY)),
            "MEETING_TYPE_NOT_HELD");
  EXPECT_EQ(Reason(ValidateMeetingType("meeting.type", v1::MEETING_TYPE_UNSPECIFIED)),
            "MEETING_TYPE_INVALID");
  EXPECT_EQ(Reason(ValidateMeetingType("meeting.type", static_cast<v1::MeetingType>(9))),
            "MEETING_TYPE_INVALID");
}

TEST(MeetingRulesTest, APlannedMeetingIsHeldOrCancelledOnce) {
  using S = v1::Meeting;
  EXPECT_TRUE(CheckTransition(S::PLANNED, S::HELD).ok());
  EXPECT_TRUE(CheckTransition(S::PLANNED, S::CANCELLED).ok());
  EXPECT_EQ(Reason(CheckTransition(S::HELD, S::HELD)), "MEETING_ALREADY_HELD");
  EXPECT_EQ(Reason(CheckTransition(S::HELD, S::CANCELLED)), "MEETING_ALREADY_HELD");
  EXPECT_EQ(Reason(CheckTransition(S::CANCELLED, S::HELD)), "MEETING_CANCELLED");
  EXPECT_EQ(Reason(CheckTransition(S::CANCELLED, S::CANCELLED)), "MEETING_CANCELLED");
  EXPECT_EQ(Reason(CheckTransition(S::PLANNED, S::PLANNED)), "MEETING_TRANSITION_INVALID");
  EXPECT_EQ(CheckTransition(S::HELD, S::HELD).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(MeetingRulesTest, ElectionsAreForMemberAssemblies) {
  EXPECT_TRUE(ValidateElection(v1::MEMBER_ASSEMBLY, true).ok());
  EXPECT_TRUE(ValidateElection(v1::BRANCH_COMMITTEE, false).ok());
  EXPECT_EQ(Reason(ValidateElection(v1::BRANCH_COMMITTEE, true)), "ELECTION_NOT_AT_ASSEMBLY");
  EXPECT_EQ(Reason(ValidateElection(v1::PARTY_LECTURE, true)), "ELECTION_NOT_AT_ASSEMBLY");
}

TEST(MeetingRulesTest, MoreThanHalfAndMoreThanFourFifths) {
  EXPECT_EQ(MoreThanHalf(1), 1);
  EXPECT_EQ(MoreThanHalf(2), 2);
  EXPECT_EQ(MoreThanHalf(9), 5);
  EXPECT_EQ(MoreThanHalf(10), 6);
  EXPECT_EQ(MoreThanFourFifths(5), 5);
  EXPECT_EQ(MoreThanFourFifths(9), 8);
  EXPECT_EQ(MoreThanFourFifths(10), 9);
  EXPECT_EQ(MoreThanFourFifths(11), 9);
}

TEST(MeetingRulesTest, AMemberAssemblyNeedsMoreThanHalfOfItsFullMembers) {
  const CivilDay day(2026, 3, 20);
  auto at = [&](int present) {
    return ComputeQuorum(v1::MEMBER_ASSEMBLY, false, 10, present, day);
  };
  EXPECT_FALSE(at(5).quorate());  // exactly half
  EXPECT_TRUE(at(6).quorate());
  EXPECT_TRUE(at(10).quorate());
  EXPECT_EQ(at(5).required(), 6);
  EXPECT_EQ(at(5).rule(), "MEMBER_ASSEMBLY_MORE_THAN_HALF");
  EXPECT_EQ(at(5).message(),
            "a member assembly needs more than half of the full members present: 5 of 10 came, "
            "6 needed");
  EXPECT_TRUE(at(5).applies());
  // Odd numbers: 5 of 9 is more than half.
  EXPECT_FALSE(ComputeQuorum(v1::MEMBER_ASSEMBLY, false, 9, 4, day).quorate());
  EXPECT_TRUE(ComputeQuorum(v1::MEMBER_ASSEMBLY, false, 9, 5, day).quorate());
  // Nobody to count: never quorate.
  auto empty = ComputeQuorum(v1::MEMBER_ASSEMBLY, false, 0, 0, day);
  EXPECT_FALSE(empty.quorate());
  EXPECT_NE(empty.message().find("nobody counted on 2026-03-20"), std::string::npos);
}

TEST(MeetingRulesTest, AnElectionNeedsMoreThanFourFifths) {
  const CivilDay day(2026, 3, 20);
  auto at = [&](int eligible, int present) {
    return ComputeQuorum(v1::MEMBER_ASSEMBLY, true, eligible, present, day);
  };
  EXPECT_FALSE(at(10, 8).quorate());  // exactly four fifths
  EXPECT_TRUE(at(10, 9).quorate());
  EXPECT_FALSE(at(10, 7).quorate());
  EXPECT_FALSE(at(5, 4).quorate());
  EXPECT_TRUE(at(5, 5).quorate());
  EXPECT_EQ(at(10, 8).rule(), "ELECTION_MORE_THAN_FOUR_FIFTHS");
  EXPECT_EQ(at(10, 8).message(),
            "an election needs more than four fifths of the full members present: 8 of 10 came, "
            "9 needed");
}

TEST(MeetingRulesTest, ACommitteeMeetingNeedsMoreThanHalfOfItsSeats) {
  const CivilDay day(2026, 3, 20);
  EXPECT_FALSE(ComputeQuorum(v1::BRANCH_COMMITTEE, false, 5, 2, day).quorate());
  EXPECT_TRUE(ComputeQuorum(v1::BRANCH_COMMITTEE, false, 5, 3, day).quorate());
  EXPECT_FALSE(ComputeQuorum(v1::BRANCH_COMMITTEE, false, 4, 2, day).quorate());
  EXPECT_TRUE(ComputeQuorum(v1::BRANCH_COMMITTEE, false, 4, 3, day).quorate());
  EXPECT_EQ(ComputeQuorum(v1::BRANCH_COMMITTEE, false, 4, 3, day).rule(),
            "COMMITTEE_MORE_THAN_HALF");
  EXPECT_FALSE(ComputeQuorum(v1::BRANCH_COMMITTEE, false, 0, 0, day).quorate());
}

TEST(MeetingRulesTest, GroupMeetingsAndLecturesHaveNoQuorum) {
  for (auto type : {v1::GROUP_MEETING, v1::PARTY_LECTURE}) {
    auto q = ComputeQuorum(type, false, 12, 1, CivilDay(2026, 3, 20));
    EXPECT_FALSE(q.applies());
    EXPECT_TRUE(q.quorate());
    EXPECT_EQ(q.required(), 0);
    EXPECT_EQ(q.rule(), "NO_QUORUM");
    EXPECT_NE(q.message().find("without a quorum: 1 of 12 came"), std::string::npos) << q.message();
  }
}

google::protobuf::RepeatedPtrField<v1::Attendance> Sheet(
    std::vector<std::tuple<std::string, bool, std::string>> rows) {
  google::protobuf::RepeatedPtrField<v1::Attendance> out;
  for (auto& [id, present, reason] : rows) {
    auto* a = out.Add();
    a->set_member_id(id);
    a->set_present(present);
    a->set_absence_reason(reason);
  }
  return out;
}

TEST(MeetingRulesTest, AttendanceNamesEveryRosterMemberOnceAndNobodyElse) {
  const std::vector<std::string> roster{"a", "b", "c"};
  EXPECT_TRUE(
      CheckAttendance(roster, Sheet({{"a", true, ""}, {"b", false, "ill"}, {"c", true, ""}})).ok());
  auto stranger =
      CheckAttendance(roster, Sheet({{"a", true, ""}, {"x", true, ""}, {"b", true, ""}}));
  EXPECT_EQ(Reason(stranger), "ATTENDEE_NOT_ON_ROSTER");
  EXPECT_EQ(ErrorField(stranger).value_or(""), "attendance[1].member_id");
  EXPECT_NE(stranger.message().find("member x"), std::string::npos);
  auto twice = CheckAttendance(roster, Sheet({{"a", true, ""}, {"a", false, "ill"}}));
  EXPECT_EQ(Reason(twice), "ATTENDEE_REPEATED");
  auto missing = CheckAttendance(roster, Sheet({{"a", true, ""}, {"c", true, ""}}));
  EXPECT_EQ(Reason(missing), "ATTENDANCE_INCOMPLETE");
  EXPECT_NE(missing.message().find("member b"), std::string::npos);
  auto no_reason =
      CheckAttendance(roster, Sheet({{"a", true, ""}, {"b", false, ""}, {"c", true, ""}}));
  EXPECT_EQ(Reason(no_reason), "ABSENCE_REASON_REQUIRED");
  EXPECT_EQ(ErrorField(no_reason).value_or(""), "attendance[1].absence_reason");
  auto long_reason = CheckAttendance(
      roster, Sheet({{"a", true, ""}, {"b", false, std::string(201, 'x')}, {"c", true, ""}}));
  EXPECT_EQ(Reason(long_reason), "ABSENCE_REASON_REQUIRED");
  EXPECT_TRUE(
      CheckAttendance(
          roster, Sheet({{"a", true, ""}, {"b", false, std::string(200, 'x')}, {"c", true, ""}}))
          .ok());
  auto present_reason =
      CheckAttendance(roster, Sheet({{"a", true, "late"}, {"b", true, ""}, {"c", true, ""}}));
  EXPECT_EQ(Reason(present_reason), "ABSENCE_REASON_FOR_PRESENT");
  EXPECT_TRUE(CheckAttendance({}, Sheet({})).ok());
}

TEST(MeetingRulesTest, CyclesFollowTheCalendar) {
  EXPECT_EQ(CycleOf(CivilDay(2026, 1, 1), 3), CycleOf(CivilDay(2026, 3, 31), 3));
  EXPECT_EQ(CycleOf(CivilDay(2026, 4, 1), 3), CycleOf(CivilDay(2026, 3, 31), 3) + 1);
  EXPECT_EQ(CycleOf(CivilDay(2027, 1, 1), 1) - CycleOf(CivilDay(2026, 12, 31), 1), 1);
  const int64_t q2 = CycleOf(CivilDay(2026, 5, 10), 3);
  EXPECT_EQ(CycleFirstDay(q2, 3), CivilDay(2026, 4, 1));
  EXPECT_EQ(CycleLastDay(q2, 3), CivilDay(2026, 6, 30));
  EXPECT_EQ(CycleLastDay(CycleOf(CivilDay(2026, 11, 2), 6), 6), CivilDay(2026, 12, 31));
  EXPECT_EQ(CycleLastDay(CycleOf(CivilDay(2024, 2, 2), 1), 1), CivilDay(2024, 2, 29));
  EXPECT_EQ(CycleLastDay(CycleOf(CivilDay(2026, 2, 2), 1), 1), CivilDay(2026, 2, 28));
  MeetingFrequencies f;
  EXPECT_EQ(f.MonthsFor(v1::BRANCH_COMMITTEE), 1);
  EXPECT_EQ(f.MonthsFor(v1::GROUP_MEETING), 1);
  EXPECT_EQ(f.MonthsFor(v1::MEMBER_ASSEMBLY), 3);
  EXPECT_EQ(f.MonthsFor(v1::PARTY_LECTURE), 3);
  for (int m : {1, 2, 3, 4, 6, 12}) EXPECT_TRUE(ValidateCycleMonths("o", m).ok()) << m;
  for (int m : {0, -1, 5, 7, 24}) {
    EXPECT_EQ(Reason(ValidateCycleMonths("o", m)), "CYCLE_MONTHS_INVALID") << m;
  }
}

TEST(MeetingRulesTest, MonthlyIsDueByTheEndOfTheNextMonth) {
  // Held on the first or the last of January: due by 28 February either way.
  EXPECT_EQ(NextDue(1, CivilDay(2026, 1, 1), CivilDay(2026, 1, 2)).due, CivilDay(2026, 2, 28));
  EXPECT_EQ(NextDue(1, CivilDay(2026, 1, 31), CivilDay(2026, 2, 1)).due, CivilDay(2026, 2, 28));
  // Leap year: 29 February.
  EXPECT_EQ(NextDue(1, CivilDay(2024, 1, 31), CivilDay(2024, 2, 1)).due, CivilDay(2024, 2, 29));
  EXPECT_EQ(NextDue(1, CivilDay(2024, 2, 29), CivilDay(2024, 3, 1)).due, CivilDay(2024, 3, 31));
  // Across the year's end.
  EXPECT_EQ(NextDue(1, CivilDay(2026, 12, 31), CivilDay(2026, 12, 31)).due, CivilDay(2027, 1, 31));
  EXPECT_EQ(NextDue(1, CivilDay(2026, 11, 30), CivilDay(2026, 12, 1)).due, CivilDay(2026, 12, 31));
  // Overdue from the day after the due day.
  auto on_due = NextDue(1, CivilDay(2026, 1, 15), CivilDay(2026, 2, 28));
  EXPECT_FALSE(on_due.overdue);
  EXPECT_EQ(on_due.days_overdue, 0);
  auto day_after = NextDue(1, CivilDay(2026, 1, 15), CivilDay(2026, 3, 1));
  EXPECT_TRUE(day_after.overdue);
  EXPECT_EQ(day_after.days_overdue, 1);
  EXPECT_EQ(NextDue(1, CivilDay(2026, 1, 15), CivilDay(2026, 4, 1)).days_overdue, 32);
}

TEST(MeetingRulesTest, QuarterlyIsDueByTheEndOfTheNextQuarter) {
  EXPECT_EQ(NextDue(3, CivilDay(2026, 1, 1), CivilDay(2026, 1, 1)).due, CivilDay(2026, 6, 30));
  EXPECT_EQ(NextDue(3, CivilDay(2026, 3, 31), CivilDay(2026, 4, 1)).due, CivilDay(2026, 6, 30));
  EXPECT_EQ(NextDue(3, CivilDay(2026, 4, 1), CivilDay(2026, 4, 1)).due, CivilDay(2026, 9, 30));
  EXPECT_EQ(NextDue(3, CivilDay(2026, 10, 5), CivilDay(2026, 10, 5)).due, CivilDay(2027, 3, 31));
  EXPECT_EQ(NextDue(3, CivilDay(2023, 12, 31), CivilDay(2024, 1, 1)).due, CivilDay(2024, 3, 31));
  EXPECT_FALSE(NextDue(3, CivilDay(2026, 1, 1), CivilDay(2026, 6, 30)).overdue);
  EXPECT_EQ(NextDue(3, CivilDay(2026, 1, 1), CivilDay(2026, 7, 1)).days_overdue, 1);
  // Yearly.
  EXPECT_EQ(NextDue(12, CivilDay(2024, 2, 29), CivilDay(2024, 3, 1)).due, CivilDay(2025, 12, 31));
}

TEST(MeetingRulesTest, ComplianceCountsWholeEndedCyclesAfterTheStart) {
  auto always = [](CivilDay) { return true; };
  const CivilDay today(2026, 12, 1);
  // January to June, monthly, an organisation started long ago: six
  // required; meetings in Jan, Jan (again), Mar (not valid), Apr.
  const std::vector<HeldMeeting> held{{CivilDay(2026, 1, 5), true},
                                      {CivilDay(2026, 1, 25), true},
                                      {CivilDay(2026, 3, 10), false},
                                      {CivilDay(2026, 4, 30), true},
                                      {CivilDay(2026, 7, 1), true}};
  auto c = Compliance(1, CivilDay(2026, 1, 1), CivilDay(2026, 6, 30), CivilDay(2020, 1, 1), today,
                      held, always);
  EXPECT_EQ(c.required, 6);
  EXPECT_EQ(c.met, 2);
  EXPECT_EQ(c.held, 4);
  EXPECT_EQ(c.valid, 3);
  EXPECT_DOUBLE_EQ(ComplianceRate(c.required, c.met), 2.0 / 6);
  // A period starting mid-month leaves that month out; so does one ending mid-month.
  EXPECT_EQ(Compliance(1, CivilDay(2026, 1, 2), CivilDay(2026, 6, 29), CivilDay(2020, 1, 1), today,
                       held, always)
                .required,
            4);
  // Quarterly over the year, an organisation started on 10 February: its
  // first quarter is grace, Q4 has not ended.
  auto q = Compliance(3, CivilDay(2026, 1, 1), CivilDay(2026, 12, 31), CivilDay(2026, 2, 10), today,
                      held, always);
  EXPECT_EQ(q.required, 2);  // Q2, Q3
  EXPECT_EQ(q.met, 2);       // 30 April, 1 July
  // The cycle that ends on today has not ended yet; the day after, it has.
  EXPECT_EQ(Compliance(1, CivilDay(2026, 1, 1), CivilDay(2026, 1, 31), CivilDay(2020, 1, 1),
                       CivilDay(2026, 1, 31), held, always)
                .required,
            0);
  EXPECT_EQ(Compliance(1, CivilDay(2026, 1, 1), CivilDay(2026, 1, 31), CivilDay(2020, 1, 1),
                       CivilDay(2026, 2, 1), held, always)
                .required,
            1);
  // Cycles where the type does not apply (no committee) are not required.
  auto from_april = [](CivilDay last) { return last >= CivilDay(2026, 4, 1); };
  EXPECT_EQ(Compliance(1, CivilDay(2026, 1, 1), CivilDay(2026, 6, 30), CivilDay(2020, 1, 1), today,
                       held, from_april)
                .required,
            3);
  // Leap February counts once.
  EXPECT_EQ(Compliance(1, CivilDay(2024, 2, 1), CivilDay(2024, 2, 29), CivilDay(2020, 1, 1), today,
                       {}, always)
                .required,
            1);
  EXPECT_DOUBLE_EQ(ComplianceRate(0, 0), 1.0);
}

TEST(MeetingRulesTest, TopicsDecisionsReasonsAndDates) {
  EXPECT_TRUE(ValidateTopic("meeting.topic", "学习党章").ok());
  EXPECT_EQ(Reason(ValidateTopic("meeting.topic", "")), "TOPIC_INVALID");
  EXPECT_TRUE(ValidateTopic("meeting.topic", std::string(200, 'x')).ok());
  EXPECT_EQ(Reason(ValidateTopic("meeting.topic", std::string(201, 'x'))), "TOPIC_INVALID");
  EXPECT_EQ(Reason(ValidateTopic("meeting.topic", "line\nbreak")), "TOPIC_INVALID");
  google::protobuf::RepeatedPtrField<std::string> decisions;
  EXPECT_TRUE(ValidateDecisions(decisions).ok());
  for (int i = 0; i < 50; ++i) *decisions.Add() = "决议";
  EXPECT_TRUE(ValidateDecisions(decisions).ok());
  *decisions.Add() = "one too many";
  EXPECT_EQ(Reason(ValidateDecisions(decisions)), "TOO_MANY_DECISIONS");
  decisions.Clear();
  *decisions.Add() = "fine";
  *decisions.Add() = "";
  auto empty = ValidateDecisions(decisions);
  EXPECT_EQ(Reason(empty), "DECISION_INVALID");
  EXPECT_EQ(ErrorField(empty).value_or(""), "decisions[1]");
  EXPECT_EQ(Reason(ValidateCancelReason("")), "REASON_INVALID");
  EXPECT_TRUE(ValidateCancelReason("the secretary is ill").ok());
  EXPECT_TRUE(ValidatePeriod(CivilDay(2026, 1, 1), CivilDay(2026, 1, 1)).ok());
  EXPECT_EQ(Reason(ValidatePeriod(CivilDay(2026, 1, 2), CivilDay(2026, 1, 1))), "PERIOD_INVALID");
  EXPECT_TRUE(ValidatePeriod(CivilDay(2016, 1, 1), CivilDay(2026, 12, 31)).ok());
  EXPECT_EQ(Reason(ValidatePeriod(CivilDay(2015, 12, 31), CivilDay(2026, 1, 1))),
            "PERIOD_TOO_LONG");
  const CivilDay today(2026, 6, 1);
  EXPECT_TRUE(CheckActualDate(today, today).ok());
  EXPECT_EQ(Reason(CheckActualDate(today + 1, today)), "DATE_IN_FUTURE");
}

MeetingFacts BranchFacts() {
  MeetingFacts facts;
  facts.kind = v1::GRID_BRANCH;
  facts.start = CivilDay(2025, 11, 20);
  return facts;
}

std::string ClockText(const std::vector<v1::MeetingTypeClock>& clocks) {
  std::string out;
  for (const auto& c : clocks) {
    absl::StrAppend(&out, out.empty() ? "" : " ", v1::MeetingType_Name(c.type()), ":", c.due_date(),
                    c.overdue() ? absl::StrCat("+", c.days_overdue()) : "");
  }
  return out;
}

TEST(MeetingRulesTest, TheClockRunsFromTheStartThenFromTheLastValidMeeting) {
  MeetingFrequencies f;
  MeetingFacts facts = BranchFacts();
  // No committee: no branch committee clock. Assemblies and lectures are due
  // by the end of the quarter after the one the branch started in.
  EXPECT_EQ(ClockText(ClocksOn(facts, f, CivilDay(2026, 3, 31))),
            "MEMBER_ASSEMBLY:2026-03-31 PARTY_LECTURE:2026-03-31");
  EXPECT_EQ(ClockText(ClocksOn(facts, f, CivilDay(2026, 4, 2))),
            "MEMBER_ASSEMBLY:2026-03-31+2 PARTY_LECTURE:2026-03-31+2");
  facts.last_valid[v1::MEMBER_ASSEMBLY] = {CivilDay(2026, 4, 1), "mt_1"};
  auto clocks = ClocksOn(facts, f, CivilDay(2026, 4, 2));
  EXPECT_EQ(ClockText(clocks), "MEMBER_ASSEMBLY:2026-09-30 PARTY_LECTURE:2026-03-31+2");
  EXPECT_EQ(clocks[0].last_valid_meeting_id(), "mt_1");
  EXPECT_EQ(clocks[0].last_valid_date(), "2026-04-01");
  EXPECT_EQ(clocks[0].cycle_months(), 3);

  // A committee of three from 1 February: its monthly clock starts then.
  facts.seats = {{"s1", "a", v1::SECRETARY, CivilDay(2026, 2, 1), std::nullopt},
                 {"s2", "b", v1::COMMITTEE_MEMBER, CivilDay(2026, 2, 3), std::nullopt},
                 {"s3", "c", v1::COMMITTEE_MEMBER, CivilDay(2026, 2, 1), CivilDay(2026, 5, 1)}};
  EXPECT_TRUE(MeetingTypeAppliesOn(facts, v1::BRANCH_COMMITTEE, CivilDay(2026, 4, 30)));
  EXPECT_FALSE(MeetingTypeAppliesOn(facts, v1::BRANCH_COMMITTEE, CivilDay(2026, 2, 2)));
  EXPECT_FALSE(MeetingTypeAppliesOn(facts, v1::BRANCH_COMMITTEE, CivilDay(2026, 5, 1)));
  EXPECT_FALSE(MeetingTypeAppliesOn(facts, v1::GROUP_MEETING, CivilDay(2026, 4, 30)));
  EXPECT_EQ(ClockText(ClocksOn(facts, f, CivilDay(2026, 4, 2))),
            "BRANCH_COMMITTEE:2026-03-31+2 MEMBER_ASSEMBLY:2026-09-30 PARTY_LECTURE:2026-03-31+2");
  facts.last_valid[v1::BRANCH_COMMITTEE] = {CivilDay(2026, 3, 31), "mt_2"};
  EXPECT_EQ(ClockText(ClocksOn(facts, f, CivilDay(2026, 4, 30))),
            "BRANCH_COMMITTEE:2026-04-30 MEMBER_ASSEMBLY:2026-09-30 PARTY_LECTURE:2026-03-31+30");
  // Down to two seats: no committee, no committee clock.
  EXPECT_EQ(ClockText(ClocksOn(facts, f, CivilDay(2026, 5, 1))),
            "MEMBER_ASSEMBLY:2026-09-30 PARTY_LECTURE:2026-03-31+31");
  // Configured frequencies move the due days.
  MeetingFrequencies bimonthly;
  bimonthly.party_lecture_months = 2;
  EXPECT_EQ(ClocksOn(facts, bimonthly, CivilDay(2026, 5, 1))[1].due_date(), "2026-02-28");
  // A building group holds group meetings only.
  MeetingFacts group;
  group.kind = v1::BUILDING_GROUP;
  group.start = CivilDay(2024, 1, 31);
  EXPECT_EQ(ClockText(ClocksOn(group, f, CivilDay(2024, 2, 29))), "GROUP_MEETING:2024-02-29");
  EXPECT_TRUE(
      ClocksOn(MeetingFacts{v1::STREET_WORKING_COMMITTEE, {}, {}, {}}, f, CivilDay(2026, 1, 1))
          .empty());
}

TEST(MeetingRulesTest, ComplianceOfAnOrganisationPerType) {
  MeetingFrequencies f;
  MeetingFacts facts = BranchFacts();  // started 20 November 2025
  facts.seats = {{"s1", "a", v1::SECRETARY, CivilDay(2026, 2, 1), std::nullopt},
                 {"s2", "b", v1::COMMITTEE_MEMBER, CivilDay(2026, 2, 1), std::nullopt},
                 {"s3", "c", v1::COMMITTEE_MEMBER, CivilDay(2026, 2, 1), std::nullopt}};
  std::map<v1::MeetingType, std::vector<HeldMeeting>> held;
  held[v1::BRANCH_COMMITTEE] = {
      {CivilDay(2026, 2, 10), true}, {CivilDay(2026, 3, 10), false}, {CivilDay(2026, 4, 10), true}};
  held[v1::PARTY_LECTURE] = {{CivilDay(2026, 1, 15), true}};
  auto rows = ComplianceOf(facts, f, held, CivilDay(2026, 1, 1), CivilDay(2026, 6, 30),
                           CivilDay(2026, 12, 1));
  ASSERT_EQ(rows.size(), 3u);
  // Committee from February: Feb-Jun required, Feb and Apr met.
  EXPECT_EQ(rows[0].first, v1::BRANCH_COMMITTEE);
  EXPECT_EQ(rows[0].second.required, 5);
  EXPECT_EQ(rows[0].second.met, 2);
  EXPECT_EQ(rows[0].second.held, 3);
  EXPECT_EQ(rows[0].second.valid, 2);
  // Quarterly: Q1 and Q2 (the start's quarter was Q4 2025).
  EXPECT_EQ(rows[1].first, v1::MEMBER_ASSEMBLY);
  EXPECT_EQ(rows[1].second.required, 2);
  EXPECT_EQ(rows[1].second.met, 0);
  EXPECT_EQ(rows[2].second.required, 2);
  EXPECT_EQ(rows[2].second.met, 1);
}

}  // namespace
}  // namespace grassroots::orgs
