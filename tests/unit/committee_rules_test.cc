// Committees: the size rule for branches, one secretary at a time, seat
// holders, seat ends, five-year community terms, and the findings.
#include "services/orgs/committee_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using absl::CivilDay;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

std::string RuleOf(const std::optional<CommitteeFinding>& finding) {
  return finding ? finding->rule : "none";
}

TEST(CommitteeRulesTest, ABranchWithSevenFullMembersNeedsThreeToFiveSeats) {
  // Six full members: no committee needed, whatever its size.
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::GRID_BRANCH, 6, 0)), "none");
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::GRID_BRANCH, 6, 7)), "none");
  // Seven: at and either side of 3 and 5 seats.
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::GRID_BRANCH, 7, 2)), "BRANCH_COMMITTEE_REQUIRED");
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::GRID_BRANCH, 7, 3)), "none");
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::GRID_BRANCH, 8, 4)), "none");
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::GRID_BRANCH, 7, 5)), "none");
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::GRID_BRANCH, 7, 6)),
            "BRANCH_COMMITTEE_TOO_LARGE");
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::JOINT_BRANCH, 40, 0)),
            "BRANCH_COMMITTEE_REQUIRED");
  auto finding = BranchCommitteeSizeFinding(v1::COMPOUND_BRANCH, 9, 2);
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->message,
            "a branch with 7 or more full members needs a branch committee of 3 to 5: 9 full "
            "members, 2 seats");
  // Not a branch: the rule does not apply.
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::COMMUNITY_GENERAL_BRANCH, 60, 0)), "none");
  EXPECT_EQ(RuleOf(BranchCommitteeSizeFinding(v1::BUILDING_GROUP, 12, 0)), "none");
}

TEST(CommitteeRulesTest, WhoKeepsACommitteeAndWhatCountsAsOne) {
  EXPECT_TRUE(KeepsCommittee(v1::GRID_BRANCH));
  EXPECT_TRUE(KeepsCommittee(v1::TWO_NEW_ORGANISATION));
  EXPECT_TRUE(KeepsCommittee(v1::COMMUNITY_GENERAL_BRANCH));
  EXPECT_TRUE(KeepsCommittee(v1::COMMUNITY_COMMITTEE));
  EXPECT_FALSE(KeepsCommittee(v1::BUILDING_GROUP));
  EXPECT_FALSE(KeepsCommittee(v1::STREET_WORKING_COMMITTEE));
  EXPECT_FALSE(KeepsCommittee(v1::DISTRICT_COMMITTEE));
  EXPECT_FALSE(IsCommittee(2));
  EXPECT_TRUE(IsCommittee(3));
}

TEST(CommitteeRulesTest, SeatsAreHeldFromTheirStartUpToTheDayBeforeTheirEnd) {
  SeatSpan seat{"s", "m", v1::SECRETARY, CivilDay(2026, 1, 10), CivilDay(2026, 3, 1)};
  EXPECT_FALSE(HeldOn(seat, CivilDay(2026, 1, 9)));
  EXPECT_TRUE(HeldOn(seat, CivilDay(2026, 1, 10)));
  EXPECT_TRUE(HeldOn(seat, CivilDay(2026, 2, 28)));
  EXPECT_FALSE(HeldOn(seat, CivilDay(2026, 3, 1)));
  seat.end.reset();
  EXPECT_TRUE(HeldOn(seat, CivilDay(2030, 1, 1)));
}

TEST(CommitteeRulesTest, OneSecretaryAtATimeAndOneSeatPerMember) {
  const std::vector<SeatSpan> seats = {
      {"s1", "old", v1::SECRETARY, CivilDay(2020, 1, 1), CivilDay(2026, 3, 1)},
      {"s2", "deputy", v1::DEPUTY_SECRETARY, CivilDay(2020, 1, 1), std::nullopt},
  };
  // The next secretary follows on the day the last one ended, not before.
  EXPECT_TRUE(CheckAppointment(seats, {"", "new", v1::SECRETARY, CivilDay(2026, 3, 1), {}}).ok());
  auto early = CheckAppointment(seats, {"", "new", v1::SECRETARY, CivilDay(2026, 2, 28), {}});
  EXPECT_EQ(Reason(early), "SECRETARY_SEAT_TAKEN");
  EXPECT_NE(early.message().find("member old"), std::string::npos) << early.message();
  // A back-dated appointment before an earlier holder overlaps too.
  EXPECT_EQ(Reason(CheckAppointment(seats, {"", "new", v1::SECRETARY, CivilDay(2019, 6, 1), {}})),
            "SECRETARY_SEAT_TAKEN");
  // Committee members are not limited to one; a member holds one seat at a time.
  EXPECT_TRUE(
      CheckAppointment(seats, {"", "new", v1::COMMITTEE_MEMBER, CivilDay(2025, 1, 1), {}}).ok());
  EXPECT_EQ(
      Reason(CheckAppointment(seats, {"", "deputy", v1::SECRETARY, CivilDay(2026, 3, 1), {}})),
      "MEMBER_HOLDS_SEAT");
  EXPECT_TRUE(
      CheckAppointment(seats, {"", "old", v1::DEPUTY_SECRETARY, CivilDay(2026, 3, 1), {}}).ok());
}

TEST(CommitteeRulesTest, RolesStartsAndEndReasons) {
  for (auto role : {v1::SECRETARY, v1::DEPUTY_SECRETARY, v1::COMMITTEE_MEMBER}) {
    EXPECT_TRUE(ValidateRole("role", role).ok());
  }
  EXPECT_EQ(Reason(ValidateRole("role", v1::COMMITTEE_ROLE_UNSPECIFIED)), "ROLE_INVALID");
  EXPECT_EQ(Reason(ValidateRole("role", static_cast<v1::CommitteeRole>(7))), "ROLE_INVALID");
  const CivilDay today(2026, 6, 1);
  EXPECT_TRUE(CheckSeatStart(today, today).ok());
  EXPECT_TRUE(CheckSeatStart(today - 400, today).ok());
  EXPECT_EQ(Reason(CheckSeatStart(today + 1, today)), "DATE_IN_FUTURE");
  EXPECT_TRUE(ValidateEndReason("reason", v1::CommitteeSeat::RESIGNATION).ok());
  EXPECT_TRUE(ValidateEndReason("reason", v1::CommitteeSeat::TERM_END).ok());
  EXPECT_EQ(Reason(ValidateEndReason("reason", v1::CommitteeSeat::END_REASON_UNSPECIFIED)),
            "END_REASON_INVALID");
  EXPECT_EQ(Reason(ValidateEndReason("reason", static_cast<v1::CommitteeSeat::EndReason>(42))),
            "END_REASON_INVALID");
}

TEST(CommitteeRulesTest, ASeatHolderIsAFullMemberOnTheFirstDay) {
  EXPECT_TRUE(CheckSeatHolder("m", v1::FULL, CivilDay(2026, 1, 1)).ok());
  auto probationary = CheckSeatHolder("m", v1::PROBATIONARY, CivilDay(2026, 1, 1));
  EXPECT_EQ(Reason(probationary), "SEAT_HOLDER_NOT_FULL_MEMBER");
  EXPECT_NE(probationary.message().find("probationary"), std::string::npos);
  auto absent = CheckSeatHolder("m", std::nullopt, CivilDay(2026, 1, 1));
  EXPECT_EQ(Reason(absent), "SEAT_HOLDER_NOT_FULL_MEMBER");
  EXPECT_NE(absent.message().find("not on its roster on 2026-01-01"), std::string::npos);
}

TEST(CommitteeRulesTest, ASeatEndsOnceAfterItsFirstDayAndNotInTheFuture) {
  const CivilDay today(2026, 6, 1);
  SeatSpan seat{"s", "m", v1::COMMITTEE_MEMBER, CivilDay(2026, 5, 1), std::nullopt};
  EXPECT_EQ(Reason(CheckSeatEnd(seat, CivilDay(2026, 5, 1), today)), "SEAT_END_BEFORE_START");
  EXPECT_TRUE(CheckSeatEnd(seat, CivilDay(2026, 5, 2), today).ok());
  EXPECT_TRUE(CheckSeatEnd(seat, today, today).ok());
  EXPECT_EQ(Reason(CheckSeatEnd(seat, today + 1, today)), "DATE_IN_FUTURE");
  seat.end = CivilDay(2026, 5, 20);
  EXPECT_EQ(Reason(CheckSeatEnd(seat, today, today)), "SEAT_ENDED");
}

TEST(CommitteeRulesTest, CommunityTermsRunFiveYearsToTheAnniversary) {
  EXPECT_EQ(TermYears(v1::COMMUNITY_COMMITTEE), 5);
  EXPECT_EQ(TermYears(v1::COMMUNITY_GENERAL_BRANCH), 5);
  EXPECT_EQ(TermYears(v1::GRID_BRANCH), 0);
  EXPECT_EQ(TermEnd(CivilDay(2021, 6, 15), 5), CivilDay(2026, 6, 15));
  EXPECT_EQ(TermEnd(CivilDay(2020, 12, 31), 5), CivilDay(2025, 12, 31));
  // A leap day: the month's last day in a common year, itself in a leap year.
  EXPECT_EQ(TermEnd(CivilDay(2024, 2, 29), 5), CivilDay(2029, 2, 28));
  EXPECT_EQ(TermEnd(CivilDay(2024, 2, 29), 4), CivilDay(2028, 2, 29));
  EXPECT_EQ(TermEnd(CivilDay(2023, 2, 28), 5), CivilDay(2028, 2, 28));
}

TEST(CommitteeRulesTest, ANewTermFollowsThePreviousAndIsNotInTheFuture) {
  const CivilDay today(2026, 6, 1);
  EXPECT_TRUE(CheckNewTerm(v1::COMMUNITY_COMMITTEE, std::nullopt, today, today).ok());
  EXPECT_EQ(Reason(CheckNewTerm(v1::COMMUNITY_COMMITTEE, std::nullopt, today + 1, today)),
            "DATE_IN_FUTURE");
  EXPECT_EQ(Reason(CheckNewTerm(v1::COMMUNITY_COMMITTEE, today, today, today)),
            "TERM_NOT_AFTER_PREVIOUS");
  EXPECT_TRUE(CheckNewTerm(v1::COMMUNITY_COMMITTEE, today - 1, today, today).ok());
  EXPECT_EQ(Reason(CheckNewTerm(v1::GRID_BRANCH, std::nullopt, today, today)), "TERM_NOT_KEPT");
}

TEST(CommitteeRulesTest, FindingsNameEveryRuleBrokenThatDay) {
  CommitteeFacts facts;
  facts.kind = v1::GRID_BRANCH;
  facts.day = CivilDay(2026, 6, 1);
  facts.full_members = 9;
  facts.seats = {{"a", v1::SECRETARY, true},
                 {"b", v1::COMMITTEE_MEMBER, true},
                 {"c", v1::COMMITTEE_MEMBER, true}};
  EXPECT_TRUE(CommitteeFindings(facts).empty());
  // A holder transferred away: the seat does not count, the size rule fails.
  facts.seats[2].holder_is_full_member = false;
  auto findings = CommitteeFindings(facts);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule, "BRANCH_COMMITTEE_REQUIRED");
  EXPECT_NE(findings[0].message.find("9 full members, 2 seats"), std::string::npos);
  EXPECT_EQ(findings[1].rule, "SEAT_HOLDER_NOT_FULL_MEMBER");
  EXPECT_NE(findings[1].message.find("member c"), std::string::npos);
  // No secretary.
  facts.seats = {{"b", v1::COMMITTEE_MEMBER, true},
                 {"c", v1::COMMITTEE_MEMBER, true},
                 {"d", v1::DEPUTY_SECRETARY, true}};
  findings = CommitteeFindings(facts);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "NO_SECRETARY");
  // A community committee's term: still running the day before its end, over on it.
  CommitteeFacts community;
  community.kind = v1::COMMUNITY_COMMITTEE;
  community.full_members = 30;
  community.seats = {{"a", v1::SECRETARY, true}};
  community.term_start = CivilDay(2021, 6, 15);
  community.term_end = CivilDay(2026, 6, 15);
  community.day = CivilDay(2026, 6, 14);
  EXPECT_TRUE(CommitteeFindings(community).empty());
  community.day = CivilDay(2026, 6, 15);
  findings = CommitteeFindings(community);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "COMMITTEE_TERM_EXPIRED");
  EXPECT_NE(findings[0].message.find("began 2021-06-15 ended 2026-06-15"), std::string::npos);
}

}  // namespace
}  // namespace grassroots::orgs
