#include "services/grid/mediation_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"

namespace grassroots::grid {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1796000000);

v1::Mediation Agreed() {
  v1::Mediation m;
  m.set_mediator_ref("mediator-3");
  m.add_party_refs("household:12-301");
  m.add_party_refs("household:12-401");
  ToProtoTime(kNow - absl::Hours(2), m.mutable_held_time());
  m.set_outcome(v1::Mediation::AGREED);
  m.set_agreement("the upstairs flat fixes its pipe by Friday and pays for the ceiling");
  return m;
}

std::string ReasonOf(const v1::Mediation& m) {
  return ErrorReason(ValidateMediation(m, kNow)).value_or("OK");
}

TEST(MediationRulesTest, ASessionNamesItsMediatorPartiesTimeAndOutcome) {
  EXPECT_EQ(ReasonOf(Agreed()), "OK");
  v1::Mediation m = Agreed();
  m.clear_mediator_ref();
  EXPECT_EQ(ReasonOf(m), "MEDIATOR_REQUIRED");
  m = Agreed();
  m.mutable_party_refs()->RemoveLast();
  EXPECT_EQ(ReasonOf(m), "PARTIES_OUT_OF_RANGE");
  m = Agreed();
  m.add_party_refs("household:12-301");
  EXPECT_EQ(ReasonOf(m), "PARTY_REPEATED");
  m = Agreed();
  m.clear_held_time();
  EXPECT_EQ(ReasonOf(m), "HELD_TIME_REQUIRED");
  ToProtoTime(kNow + absl::Minutes(5), m.mutable_held_time());
  EXPECT_EQ(ReasonOf(m), "HELD_IN_FUTURE");
  m = Agreed();
  m.set_outcome(v1::Mediation::OUTCOME_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(m), "OUTCOME_REQUIRED");
}

TEST(MediationRulesTest, AnAgreementIsWrittenDownOnlyWhenOneWasReached) {
  v1::Mediation m = Agreed();
  m.clear_agreement();
  EXPECT_EQ(ReasonOf(m), "AGREEMENT_REQUIRED");
  m.set_outcome(v1::Mediation::PARTLY_AGREED);
  EXPECT_EQ(ReasonOf(m), "AGREEMENT_REQUIRED");
  m.set_outcome(v1::Mediation::NOT_AGREED);
  EXPECT_EQ(ReasonOf(m), "OK");
  m.set_outcome(v1::Mediation::REFERRED);
  EXPECT_EQ(ReasonOf(m), "OK");
  m.set_agreement(std::string(4001, 'x'));
  EXPECT_EQ(ReasonOf(m), "TEXT_TOO_LONG");
}

}  // namespace
}  // namespace grassroots::grid
