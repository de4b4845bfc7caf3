#include "services/careers/ladder_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::careers {
namespace {

constexpr auto kActive = v1::WORKER_ACTIVE;
const std::vector<v1::AssessmentResult> kTwoCompetent = {v1::ASSESSMENT_COMPETENT,
                                                         v1::ASSESSMENT_EXCELLENT};

TEST(Ladder, OneRungAtATime) {
  EXPECT_EQ(ErrorReason(CheckLadderStep(v1::RUNG_COMMUNITY_CADRE, v1::RUNG_CIVIL_SERVICE, kActive,
                                        10, kTwoCompetent)),
            "LADDER_NOT_NEXT_RUNG");
  EXPECT_EQ(ErrorReason(CheckLadderStep(v1::RUNG_STREET_LEADERSHIP, v1::RUNG_STREET_LEADERSHIP,
                                        kActive, 10, kTwoCompetent)),
            "LADDER_NOT_NEXT_RUNG");
}

TEST(Ladder, YearsOnTheRung) {
  EXPECT_EQ(ErrorReason(CheckLadderStep(v1::RUNG_COMMUNITY_CADRE, v1::RUNG_COMMITTEE_MEMBER,
                                        kActive, 1, kTwoCompetent)),
            "LADDER_YEARS_ON_RUNG");
  EXPECT_TRUE(CheckLadderStep(v1::RUNG_COMMUNITY_CADRE, v1::RUNG_COMMITTEE_MEMBER, kActive, 2,
                              kTwoCompetent)
                  .ok());
}

TEST(Ladder, TheLastAssessments) {
  EXPECT_EQ(ErrorReason(CheckLadderStep(v1::RUNG_COMMITTEE_MEMBER, v1::RUNG_CIVIL_SERVICE, kActive,
                                        3, {v1::ASSESSMENT_EXCELLENT})),
            "LADDER_ASSESSMENTS_MISSING");
  EXPECT_EQ(
      ErrorReason(CheckLadderStep(v1::RUNG_COMMITTEE_MEMBER, v1::RUNG_CIVIL_SERVICE, kActive, 3,
                                  {v1::ASSESSMENT_COMPETENT, v1::ASSESSMENT_BASICALLY_COMPETENT})),
      "LADDER_ASSESSMENT_BELOW");
  EXPECT_TRUE(
      CheckLadderStep(v1::RUNG_COMMITTEE_MEMBER, v1::RUNG_CIVIL_SERVICE, kActive, 3, kTwoCompetent)
          .ok());
  // Street leadership needs the last two excellent.
  EXPECT_EQ(ErrorReason(CheckLadderStep(v1::RUNG_CIVIL_SERVICE, v1::RUNG_STREET_LEADERSHIP, kActive,
                                        3, kTwoCompetent)),
            "LADDER_ASSESSMENT_BELOW");
  EXPECT_TRUE(CheckLadderStep(
                  v1::RUNG_CIVIL_SERVICE, v1::RUNG_STREET_LEADERSHIP, kActive, 3,
                  {v1::ASSESSMENT_EXCELLENT, v1::ASSESSMENT_EXCELLENT, v1::ASSESSMENT_INCOMPETENT})
                  .ok());
}

TEST(Ladder, OnlyActiveWorkers) {
  EXPECT_EQ(ErrorReason(CheckLadderStep(v1::RUNG_COMMUNITY_CADRE, v1::RUNG_COMMITTEE_MEMBER,
                                        v1::WORKER_SECONDED, 5, kTwoCompetent)),
            "LADDER_WORKER_NOT_ACTIVE");
}

}  // namespace
}  // namespace grassroots::careers
