// Major-matter decisions (四议一审两公开): the step order, the votes and the
// publication clocks.
#include "services/orgs/decision_rules.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using v1::Matter;
using v1::MatterStep;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

const std::vector<StepKind> kSteps = {
    MatterStep::PROPOSAL,          MatterStep::DELIBERATION,
    MatterStep::ASSEMBLY_REVIEW,   MatterStep::REPRESENTATIVES_RESOLUTION,
    MatterStep::STREET_REVIEW,     MatterStep::RESOLUTION_PUBLICATION,
    MatterStep::RESULT_PUBLICATION};

v1::MatterVote Vote(int entitled, int present, int in_favour, int against, int abstaining) {
  v1::MatterVote vote;
  vote.set_entitled(entitled);
  vote.set_present(present);
  vote.set_in_favour(in_favour);
  vote.set_against(against);
  vote.set_abstaining(abstaining);
  return vote;
}

// Present `present` of `entitled`, `in_favour` for and the rest against.
absl::StatusOr<VoteOutcome> Decide(StepKind step, int entitled, int present, int in_favour) {
  return DecideVote(step, Vote(entitled, present, in_favour, present - in_favour, 0));
}

TEST(DecisionRulesTest, EveryStepInOrderFromProposalToResult) {
  std::vector<MatterState> walked;
  MatterState state = StateAfter(MatterStep::PROPOSAL);
  walked.push_back(state);
  while (ExpectedStep(state) != MatterStep::KIND_UNSPECIFIED) {
    const StepKind next = ExpectedStep(state);
    ASSERT_TRUE(CheckNextStep(state, next).ok()) << MatterStep::Kind_Name(next);
    state = StateAfter(next);
    walked.push_back(state);
  }
  EXPECT_EQ(walked,
            (std::vector<MatterState>{
                Matter::PROPOSED, Matter::DELIBERATED, Matter::ASSEMBLY_REVIEWED, Matter::RESOLVED,
                Matter::STREET_APPROVED, Matter::RESOLUTION_PUBLISHED, Matter::RESULT_PUBLISHED}));
}

TEST(DecisionRulesTest, EverySkipAndEveryRepeatIsRefusedNamingTheExpectedStep) {
  for (MatterState state :
       {Matter::PROPOSED, Matter::DELIBERATED, Matter::ASSEMBLY_REVIEWED, Matter::RESOLVED,
        Matter::STREET_APPROVED, Matter::RESOLUTION_PUBLISHED, Matter::RESULT_PUBLISHED}) {
    const StepKind expected = ExpectedStep(state);
    for (StepKind step : kSteps) {
      const absl::Status status = CheckNextStep(state, step);
      const std::string where =
          absl::StrCat(Matter::State_Name(state), " + ", MatterStep::Kind_Name(step));
      if (step == expected) {
        EXPECT_TRUE(status.ok()) << where;
        continue;
      }
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << where;
      const bool repeated = expected == MatterStep::KIND_UNSPECIFIED || step < expected;
      EXPECT_EQ(Reason(status), repeated ? "STEP_REPEATED" : "STEP_SKIPPED") << where;
      EXPECT_EQ(ErrorMetadata(status, "expected_step").value_or(""),
                MatterStep::Kind_Name(expected))
          << where;
      if (expected != MatterStep::KIND_UNSPECIFIED) {
        EXPECT_NE(status.message().find(DescribeStep(expected)), std::string::npos)
            << status.message();
      }
    }
  }
  // The messages say what happened and what comes next.
  EXPECT_EQ(CheckNextStep(Matter::PROPOSED, MatterStep::ASSEMBLY_REVIEW).message(),
            "the member assembly's review cannot be recorded yet: the matter waits for the two "
            "committees' deliberation");
  EXPECT_EQ(CheckNextStep(Matter::DELIBERATED, MatterStep::DELIBERATION).message(),
            "the two committees' deliberation is recorded already; the matter waits for the "
            "member assembly's review");
}

TEST(DecisionRulesTest, ARejectedMatterEndsThereAndADoneOneTakesNothingMore) {
  for (StepKind step : kSteps) {
    EXPECT_EQ(Reason(CheckNextStep(Matter::REJECTED, step)), "MATTER_REJECTED");
    EXPECT_EQ(Reason(CheckNextStep(Matter::DONE, step)), "MATTER_DONE");
  }
  EXPECT_EQ(ExpectedStep(Matter::REJECTED), MatterStep::KIND_UNSPECIFIED);
  EXPECT_EQ(Reason(PublicationOpenToObjections(Matter::REJECTED).status()), "MATTER_REJECTED");
  EXPECT_EQ(Reason(PublicationOpenToObjections(Matter::DONE).status()), "MATTER_DONE");
}

TEST(DecisionRulesTest, Thresholds) {
  EXPECT_EQ(TwoThirdsOf(9), 6);
  EXPECT_EQ(TwoThirdsOf(10), 7);  // 6.67 rounds up
  EXPECT_EQ(TwoThirdsOf(3), 2);
  EXPECT_EQ(TwoThirdsOf(1), 1);
  EXPECT_EQ(TwoThirdsOf(2), 2);  // 1.33 rounds up
  EXPECT_EQ(MoreThanHalfOf(9), 5);
  EXPECT_EQ(MoreThanHalfOf(10), 6);  // exactly half is not more than half
  EXPECT_EQ(MoreThanHalfOf(1), 1);
  EXPECT_EQ(MoreThanHalfOf(2), 2);
}

TEST(DecisionRulesTest, TheAssemblyNeedsTwoThirdsPresentAndMoreThanHalfInFavour) {
  const StepKind assembly = MatterStep::ASSEMBLY_REVIEW;
  // 9 entitled: 6 is exactly two thirds.
  auto short_of = Decide(assembly, 9, 5, 5);
  EXPECT_EQ(short_of.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(short_of.status()), "ASSEMBLY_QUORUM_NOT_MET");
  EXPECT_EQ(short_of.status().message(),
            "the member assembly needs two thirds present: 5 of 9 came, 6 needed");
  EXPECT_TRUE(Decide(assembly, 9, 6, 6).ok());
  EXPECT_TRUE(Decide(assembly, 9, 7, 7).ok());
  // 10 entitled: two thirds is 6.67, so 7.
  EXPECT_EQ(Reason(Decide(assembly, 10, 6, 6).status()), "ASSEMBLY_QUORUM_NOT_MET");
  EXPECT_TRUE(Decide(assembly, 10, 7, 7).ok());
  // 6 present: 3 in favour is half, not more than half.
  EXPECT_FALSE(Decide(assembly, 9, 6, 3)->carried);
  EXPECT_TRUE(Decide(assembly, 9, 6, 4)->carried);
  EXPECT_TRUE(Decide(assembly, 9, 6, 5)->carried);
  // 7 present: 4 is the smallest majority.
  EXPECT_FALSE(Decide(assembly, 9, 7, 3)->carried);
  EXPECT_TRUE(Decide(assembly, 9, 7, 4)->carried);
  EXPECT_EQ(Decide(assembly, 9, 7, 4)->detail,
            "carried: 7 of 9 entitled present (two thirds: 6); 4 of 7 in favour (more than "
            "half: 4)");
  EXPECT_EQ(Decide(assembly, 9, 7, 3)->detail,
            "not carried: 7 of 9 entitled present (two thirds: 6); 3 of 7 in favour (more "
            "than half: 4)");
  // Abstentions count as present and not in favour.
  EXPECT_FALSE(DecideVote(assembly, Vote(9, 6, 3, 0, 3))->carried);
  // An organisation without full members holds no assembly.
  EXPECT_EQ(Reason(Decide(assembly, 0, 0, 0).status()), "ASSEMBLY_HAS_NO_MEMBERS");
}

TEST(DecisionRulesTest, TheRepresentativesNeedTwoThirdsPresentAndMoreThanHalfInFavour) {
  const StepKind representatives = MatterStep::REPRESENTATIVES_RESOLUTION;
  EXPECT_EQ(Reason(Decide(representatives, 30, 19, 19).status()), "REPRESENTATIVES_QUORUM_NOT_MET");
  EXPECT_NE(Decide(representatives, 30, 19, 19).status().message().find("19 of 30 came, 20"),
            std::string::npos);
  EXPECT_TRUE(Decide(representatives, 30, 20, 20).ok());
  EXPECT_TRUE(Decide(representatives, 30, 21, 21).ok());
  EXPECT_FALSE(Decide(representatives, 30, 20, 10)->carried);
  EXPECT_TRUE(Decide(representatives, 30, 20, 11)->carried);
  EXPECT_EQ(Reason(Decide(representatives, 0, 0, 0).status()), "ENTITLED_REQUIRED");
}

TEST(DecisionRulesTest, TheCommitteesNeedMoreThanHalfOfTheirSeatsAndOfThosePresent) {
  const StepKind deliberation = MatterStep::DELIBERATION;
  // 9 seats: 5 is more than half.
  EXPECT_EQ(Reason(Decide(deliberation, 9, 4, 4).status()), "DELIBERATION_QUORUM_NOT_MET");
  EXPECT_EQ(Decide(deliberation, 9, 4, 4).status().message(),
            "the two committees need more than half of their 9 seats present: 4 came, 5 needed");
  EXPECT_TRUE(Decide(deliberation, 9, 5, 5).ok());
  EXPECT_TRUE(Decide(deliberation, 9, 6, 6).ok());
  // 8 seats: 4 is exactly half.
  EXPECT_EQ(Reason(Decide(deliberation, 8, 4, 4).status()), "DELIBERATION_QUORUM_NOT_MET");
  EXPECT_TRUE(Decide(deliberation, 8, 5, 5).ok());
  // 6 present: 3 for is not enough, 4 is.
  EXPECT_FALSE(Decide(deliberation, 9, 6, 3)->carried);
  EXPECT_TRUE(Decide(deliberation, 9, 6, 4)->carried);
  EXPECT_FALSE(Decide(deliberation, 9, 5, 2)->carried);
  EXPECT_TRUE(Decide(deliberation, 9, 5, 3)->carried);
  EXPECT_EQ(Reason(Decide(deliberation, 0, 0, 0).status()), "ENTITLED_REQUIRED");
}

TEST(DecisionRulesTest, VotesMustAddUp) {
  const StepKind deliberation = MatterStep::DELIBERATION;
  EXPECT_EQ(Reason(DecideVote(deliberation, Vote(9, 6, 3, 1, 1)).status()), "VOTES_DO_NOT_ADD_UP");
  EXPECT_EQ(Reason(DecideVote(deliberation, Vote(9, 6, 4, 2, 1)).status()), "VOTES_DO_NOT_ADD_UP");
  EXPECT_EQ(Reason(DecideVote(deliberation, Vote(9, 6, 7, -1, 0)).status()), "VOTE_INVALID");
  EXPECT_EQ(Reason(DecideVote(deliberation, Vote(5, 6, 6, 0, 0)).status()),
            "MORE_PRESENT_THAN_ENTITLED");
  EXPECT_TRUE(DecideVote(deliberation, Vote(9, 6, 4, 1, 1)).ok());
}

TEST(DecisionRulesTest, StepDatesRunForwardAndNotIntoTheFuture) {
  const absl::CivilDay today(2026, 5, 20), previous(2026, 5, 10);
  EXPECT_TRUE(ValidateStepDate("date", today, previous, today).ok());
  EXPECT_TRUE(ValidateStepDate("date", previous, previous, today).ok());
  EXPECT_TRUE(ValidateStepDate("date", previous - 30, std::nullopt, today).ok());
  EXPECT_EQ(Reason(ValidateStepDate("date", today + 1, previous, today)), "DATE_IN_FUTURE");
  EXPECT_EQ(Reason(ValidateStepDate("date", previous - 1, previous, today)),
            "DATE_BEFORE_PREVIOUS_STEP");
}

TEST(DecisionRulesTest, ParticipantsAreMemberIdsOnceEachAndACount) {
  v1::MatterParticipants p;
  p.add_member_ids("mb_1");
  p.add_member_ids("mb_2");
  p.set_others(3);
  EXPECT_TRUE(ValidateParticipants("participants", p).ok());
  EXPECT_EQ(CountParticipants(p), 5);
  p.add_member_ids("mb_1");
  EXPECT_EQ(Reason(ValidateParticipants("participants", p)), "PARTICIPANT_REPEATED");
  EXPECT_EQ(ErrorField(ValidateParticipants("participants", p)).value_or(""),
            "participants.member_ids");
  v1::MatterParticipants negative;
  negative.set_others(-1);
  EXPECT_EQ(Reason(ValidateParticipants("participants", negative)), "PARTICIPANTS_INVALID");
  v1::MatterParticipants empty_id;
  empty_id.add_member_ids("");
  EXPECT_EQ(Reason(ValidateParticipants("participants", empty_id)), "ID_REQUIRED");
  v1::MatterParticipants crowd;
  for (int i = 0; i <= kMaxParticipantIds; ++i) crowd.add_member_ids(absl::StrCat("mb_", i));
  EXPECT_EQ(Reason(ValidateParticipants("participants", crowd)), "TOO_MANY_PARTICIPANTS");
}

TEST(DecisionRulesTest, TheResultWaitsSevenDaysAndEveryAnswer) {
  const PublicationRules rules;  // 7 days up, answers within 3 days
  const absl::Time posted =
      absl::FromCivil(absl::CivilSecond(2026, 5, 1, 9, 30, 0), absl::UTCTimeZone());
  const absl::Time from = posted + absl::Hours(24 * 7);
  EXPECT_EQ(ResultPublishableFrom(posted, rules), from);
  const absl::Status early = CheckResultPublishable(posted, 0, from - absl::Microseconds(1), rules);
  EXPECT_EQ(Reason(early), "PUBLICATION_TOO_SHORT");
  EXPECT_EQ(ErrorMetadata(early, "publishable_time").value_or(""), "2026-05-08T09:30:00+00:00");
  EXPECT_NE(early.message().find("must stay up 7 days"), std::string::npos) << early.message();
  EXPECT_NE(early.message().find("from 2026-05-08T09:30:00+00:00"), std::string::npos);
  EXPECT_TRUE(CheckResultPublishable(posted, 0, from, rules).ok());
  EXPECT_TRUE(CheckResultPublishable(posted, 0, from + absl::Seconds(1), rules).ok());
  // Not complete while an objection to the resolution waits for its answer.
  EXPECT_EQ(Reason(CheckResultPublishable(posted, 1, from + absl::Hours(48), rules)),
            "OBJECTIONS_UNANSWERED");
  // The option changes the window.
  PublicationRules short_window;
  short_window.min_up = absl::Hours(48);
  EXPECT_TRUE(CheckResultPublishable(posted, 0, posted + absl::Hours(48), short_window).ok());
  EXPECT_EQ(Reason(CheckResultPublishable(posted, 0, posted + absl::Hours(47), short_window)),
            "PUBLICATION_TOO_SHORT");
}

TEST(DecisionRulesTest, TheClocksComeFromTheOptionsInDays) {
  auto rules = PublicationRulesFromDays(7, 3);
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(rules->min_up, absl::Hours(168));
  EXPECT_EQ(rules->answer_within, absl::Hours(72));
  EXPECT_TRUE(PublicationRulesFromDays(1, 365).ok());
  EXPECT_EQ(ErrorField(PublicationRulesFromDays(0, 3).status()).value_or(""),
            "publication-min-days");
  EXPECT_EQ(ErrorField(PublicationRulesFromDays(7, 0).status()).value_or(""),
            "objection-answer-days");
  EXPECT_FALSE(PublicationRulesFromDays(366, 3).ok());
}

TEST(DecisionRulesTest, TheMatterIsDoneOnceTheResultHasBeenUpSevenDays) {
  const PublicationRules rules;
  const absl::Time posted = absl::FromUnixSeconds(1'780'000'000);
  const absl::Time complete = posted + absl::Hours(24 * 7);
  EXPECT_EQ(CompletionFrom(posted, rules), complete);
  EXPECT_EQ(
      EffectiveState(Matter::RESULT_PUBLISHED, posted, 0, complete - absl::Microseconds(1), rules),
      Matter::RESULT_PUBLISHED);
  EXPECT_EQ(EffectiveState(Matter::RESULT_PUBLISHED, posted, 0, complete, rules), Matter::DONE);
  EXPECT_EQ(EffectiveState(Matter::RESULT_PUBLISHED, posted, 0, complete + absl::Hours(1), rules),
            Matter::DONE);
  // An unanswered objection holds it open however long it has been up.
  EXPECT_EQ(EffectiveState(Matter::RESULT_PUBLISHED, posted, 1, complete + absl::Hours(99), rules),
            Matter::RESULT_PUBLISHED);
  // Other states are shown as stored.
  EXPECT_EQ(EffectiveState(Matter::RESOLUTION_PUBLISHED, posted, 0, complete, rules),
            Matter::RESOLUTION_PUBLISHED);
  EXPECT_EQ(EffectiveState(Matter::REJECTED, std::nullopt, 0, complete, rules), Matter::REJECTED);
}

TEST(DecisionRulesTest, ObjectionsAreDueAnAnswerWithinThreeDays) {
  const PublicationRules rules;
  const absl::Time filed = absl::FromUnixSeconds(1'780'000'000);
  const absl::Time due = AnswerDue(filed, rules);
  EXPECT_EQ(due, filed + absl::Hours(72));
  EXPECT_FALSE(IsOverdue(due, filed));
  EXPECT_FALSE(IsOverdue(due, due));
  EXPECT_TRUE(IsOverdue(due, due + absl::Microseconds(1)));
  // Objections go to the publication that is up, and only then.
  EXPECT_EQ(*PublicationOpenToObjections(Matter::RESOLUTION_PUBLISHED),
            MatterStep::RESOLUTION_PUBLICATION);
  EXPECT_EQ(*PublicationOpenToObjections(Matter::RESULT_PUBLISHED), MatterStep::RESULT_PUBLICATION);
  for (MatterState state : {Matter::PROPOSED, Matter::DELIBERATED, Matter::ASSEMBLY_REVIEWED,
                            Matter::RESOLVED, Matter::STREET_APPROVED}) {
    EXPECT_EQ(Reason(PublicationOpenToObjections(state).status()), "NOTHING_PUBLISHED");
  }
}

TEST(DecisionRulesTest, MattersBelongToCommunityOrganisationsReviewedByTheirStreet) {
  EXPECT_TRUE(RequireCommunityOrganisation("o", v1::COMMUNITY_COMMITTEE).ok());
  EXPECT_TRUE(RequireCommunityOrganisation("o", v1::COMMUNITY_GENERAL_BRANCH).ok());
  EXPECT_EQ(Reason(RequireCommunityOrganisation("o", v1::GRID_BRANCH)),
            "NOT_A_COMMUNITY_ORGANISATION");
  EXPECT_EQ(Reason(RequireCommunityOrganisation("o", v1::STREET_WORKING_COMMITTEE)),
            "NOT_A_COMMUNITY_ORGANISATION");
  EXPECT_EQ(StreetPathOf("d01/s03/c12"), "d01/s03");
  EXPECT_EQ(StreetPathOf("d01"), "");
}

}  // namespace
}  // namespace grassroots::orgs
