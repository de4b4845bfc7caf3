// Joint meetings: the agenda deadline at and either side of its day, every
// step of the state machine allowed and refused, attendance and decisions.
#include "services/orgs/joint_meeting_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using State = v1::JointMeeting::State;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(JointMeetingRulesTest, AgendaItemsAreDueFifteenDaysBefore) {
  const absl::CivilDay meeting(2026, 6, 30);
  EXPECT_EQ(AgendaDueDate(meeting, kDefaultAgendaDays), absl::CivilDay(2026, 6, 15));
  EXPECT_TRUE(CheckAgendaOnTime(meeting, 15, absl::CivilDay(2026, 6, 14)).ok());
  EXPECT_TRUE(CheckAgendaOnTime(meeting, 15, absl::CivilDay(2026, 6, 15)).ok());  // 15 days before
  const absl::Status late = CheckAgendaOnTime(meeting, 15, absl::CivilDay(2026, 6, 16));
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(late), "AGENDA_TOO_LATE");
  EXPECT_NE(late.message().find("the last day was 2026-06-15"), std::string::npos) << late;
  EXPECT_NE(late.message().find("15 days"), std::string::npos) << late;
  EXPECT_NE(late.message().find("2026-06-30"), std::string::npos) << late;
  // Across a month end, and with a region's own number of days.
  EXPECT_EQ(AgendaDueDate(absl::CivilDay(2026, 3, 10), 15), absl::CivilDay(2026, 2, 23));
  EXPECT_TRUE(CheckAgendaOnTime(meeting, 7, absl::CivilDay(2026, 6, 23)).ok());
  EXPECT_EQ(Reason(CheckAgendaOnTime(meeting, 7, absl::CivilDay(2026, 6, 24))), "AGENDA_TOO_LATE");
  EXPECT_TRUE(CheckAgendaOnTime(meeting, 0, meeting).ok());
}

TEST(JointMeetingRulesTest, MeetingsAreScheduledForTodayOrLater) {
  const absl::CivilDay today(2026, 5, 1);
  EXPECT_TRUE(ValidateMeetingDate(today, today).ok());
  EXPECT_TRUE(ValidateMeetingDate(today + 1, today).ok());
  EXPECT_EQ(Reason(ValidateMeetingDate(today - 1, today)), "MEETING_DATE_PAST");
}

TEST(JointMeetingRulesTest, EveryStepFromEveryState) {
  for (auto step :
       {JointMeetingStep::kSubmitAgenda, JointMeetingStep::kRecord, JointMeetingStep::kCancel}) {
    EXPECT_TRUE(CheckMeetingStep(v1::JointMeeting::PLANNED, step).ok());
    const absl::Status held = CheckMeetingStep(v1::JointMeeting::HELD, step);
    EXPECT_EQ(held.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(Reason(held), "MEETING_HELD");
    EXPECT_EQ(Reason(CheckMeetingStep(v1::JointMeeting::CANCELLED, step)), "MEETING_CANCELLED");
  }
}

TEST(JointMeetingRulesTest, RecordedOnOrAfterTheMeetingDay) {
  const absl::CivilDay meeting(2026, 6, 30);
  EXPECT_EQ(Reason(CheckRecordDate(meeting, meeting - 1)), "MEETING_NOT_YET_HELD");
  EXPECT_TRUE(CheckRecordDate(meeting, meeting).ok());
  EXPECT_TRUE(CheckRecordDate(meeting, meeting + 1).ok());
}

TEST(JointMeetingRulesTest, InvitationsAreDistinctAndBounded) {
  EXPECT_EQ(Reason(ValidateInvitations({})), "INVITATIONS_REQUIRED");
  EXPECT_TRUE(ValidateInvitations({"u1"}).ok());
  EXPECT_EQ(Reason(ValidateInvitations({"u1", "u2", "u1"})), "UNIT_LISTED_TWICE");
  EXPECT_EQ(Reason(ValidateInvitations({"u1", ""})), "ID_INVALID");
  std::vector<std::string> many;
  for (int i = 0; i < kMaxInvitedUnits; ++i) many.push_back("u" + std::to_string(i));
  EXPECT_TRUE(ValidateInvitations(many).ok());
  many.push_back("one-more");
  EXPECT_EQ(Reason(ValidateInvitations(many)), "TOO_MANY_INVITATIONS");
}

TEST(JointMeetingRulesTest, TheConvenerOrAnInvitedUnitSubmits) {
  const std::vector<std::string> invited{"u1", "u2"};
  EXPECT_TRUE(ValidateSubmitter(invited, "").ok());
  EXPECT_TRUE(ValidateSubmitter(invited, "u2").ok());
  EXPECT_EQ(Reason(ValidateSubmitter(invited, "u3")), "UNIT_NOT_INVITED");
}

TEST(JointMeetingRulesTest, AttendanceIsInvitedUnitsOnce) {
  const std::vector<std::string> invited{"u1", "u2", "u3"};
  EXPECT_TRUE(ValidateAttendance(invited, {"u1"}).ok());
  EXPECT_TRUE(ValidateAttendance(invited, {"u3", "u1", "u2"}).ok());
  EXPECT_EQ(Reason(ValidateAttendance(invited, {})), "ATTENDANCE_REQUIRED");
  EXPECT_EQ(Reason(ValidateAttendance(invited, {"u1", "u9"})), "UNIT_NOT_INVITED");
  EXPECT_EQ(Reason(ValidateAttendance(invited, {"u1", "u1"})), "UNIT_LISTED_TWICE");
}

TEST(JointMeetingRulesTest, DecisionsBelongToInvitedUnitsAndFallDueFromTheMeeting) {
  const std::vector<std::string> invited{"u1", "u2"};
  const absl::CivilDay meeting(2026, 6, 30);
  EXPECT_TRUE(ValidateDecisions(invited, meeting, {}).ok());
  EXPECT_TRUE(ValidateDecisions(invited, meeting, {{"u1", meeting}, {"u2", meeting + 90}}).ok());
  const absl::Status early =
      ValidateDecisions(invited, meeting, {{"u1", meeting}, {"u2", meeting - 1}});
  EXPECT_EQ(Reason(early), "DUE_BEFORE_MEETING");
  EXPECT_EQ(ErrorField(early), "decisions[1].due_date");
  const absl::Status stranger = ValidateDecisions(invited, meeting, {{"u7", meeting + 1}});
  EXPECT_EQ(Reason(stranger), "UNIT_NOT_INVITED");
  EXPECT_EQ(ErrorField(stranger), "decisions[0].owner_unit_id");
  std::vector<DecisionFacts> many(kMaxDecisions, DecisionFacts{"u1", meeting});
  EXPECT_TRUE(ValidateDecisions(invited, meeting, many).ok());
  many.push_back({"u1", meeting});
  EXPECT_EQ(Reason(ValidateDecisions(invited, meeting, many)), "TOO_MANY_DECISIONS");
}

}  // namespace
}  // namespace grassroots::orgs
