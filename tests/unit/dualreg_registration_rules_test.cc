#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "services/dualreg/registration_rules.h"

namespace grassroots::dualreg {
namespace {

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(s.ToString()); }

v1::UnitRegistration Unit() {
  v1::UnitRegistration unit;
  unit.set_organisation_id("og_1");
  unit.set_community_id("ar_1");
  unit.set_resources("a hall for 80, ten volunteers");
  unit.set_agreement("agreement 2026/7");
  unit.set_valid_until("2026-12-31");
  return unit;
}

v1::MemberRegistration Member() {
  v1::MemberRegistration m;
  m.set_member_id("mb_1");
  m.set_employer_organisation_id("og_1");
  m.set_community_id("ar_1");
  m.set_volunteer_id("vl_1");
  m.add_skills("repair");
  auto* slot = m.add_availability();
  slot->set_weekday(6);
  slot->set_start_minute(9 * 60);
  slot->set_end_minute(12 * 60);
  return m;
}

const absl::CivilDay kToday(2026, 7, 1);

TEST(UnitRegistrationRules, ANewUnitNamesItsResourcesAgreementAndAFutureEnd) {
  EXPECT_TRUE(ValidateNewUnit(Unit(), kToday).ok());
  auto unit = Unit();
  unit.set_agreement("");
  EXPECT_EQ(ErrorField(ValidateNewUnit(unit, kToday)), "unit.agreement");
  unit = Unit();
  unit.set_valid_until("2026-06-30");
  EXPECT_EQ(Reason(ValidateNewUnit(unit, kToday)), "VALID_UNTIL_PAST");
  unit.set_valid_until("2026-13-01");
  EXPECT_EQ(ErrorField(ValidateNewUnit(unit, kToday)), "unit.valid_until");
  unit = Unit();
  unit.set_organisation_id("");
  EXPECT_EQ(ErrorField(ValidateNewUnit(unit, kToday)), "unit.organisation_id");
}

TEST(UnitRegistrationRules, ARenewalMovesTheEndLater) {
  const absl::CivilDay until(2026, 12, 31);
  EXPECT_TRUE(ValidateRenewal(until, "2027-12-31", kToday).ok());
  EXPECT_EQ(Reason(ValidateRenewal(until, "2026-12-31", kToday)), "RENEWAL_NOT_LATER");
  // An expired registration renews to today or later, not into the past.
  EXPECT_EQ(Reason(ValidateRenewal(absl::CivilDay(2026, 1, 1), "2026-03-01", kToday)),
            "RENEWAL_NOT_LATER");
  EXPECT_TRUE(ValidateRenewal(absl::CivilDay(2026, 1, 1), "2026-07-01", kToday).ok());
}

TEST(UnitRegistrationRules, StateFromTheClock) {
  EXPECT_EQ(UnitState(false, kToday, kToday), v1::ACTIVE);
  EXPECT_EQ(UnitState(false, kToday - 1, kToday), v1::EXPIRED);
  EXPECT_EQ(UnitState(true, kToday + 30, kToday), v1::WITHDRAWN);
}

TEST(MemberRegistrationRules, SkillsAndSlots) {
  EXPECT_TRUE(ValidateNewMember(Member()).ok());
  auto m = Member();
  m.add_skills("repair");
  EXPECT_EQ(Reason(ValidateNewMember(m)), "SKILL_REPEATED");
  m = Member();
  m.add_skills("Repair");
  EXPECT_EQ(Reason(ValidateNewMember(m)), "SKILL_INVALID");
  m = Member();
  m.mutable_availability(0)->set_weekday(8);
  EXPECT_EQ(Reason(ValidateNewMember(m)), "WEEKDAY_INVALID");
  m = Member();
  m.mutable_availability(0)->set_end_minute(9 * 60);
  EXPECT_EQ(Reason(ValidateNewMember(m)), "SLOT_INVALID");
  m.mutable_availability(0)->set_end_minute(1441);
  EXPECT_EQ(ErrorField(ValidateNewMember(m)), "registration.availability");
  m = Member();
  m.set_volunteer_id("");
  EXPECT_EQ(ErrorField(ValidateNewMember(m)), "registration.volunteer_id");
  m = Member();
  for (int i = 0; i < 20; ++i) m.add_skills("s" + std::to_string(i));
  EXPECT_EQ(Reason(ValidateNewMember(m)), "TOO_MANY_SKILLS");
}

TEST(MemberRegistrationRules, CoverageAndSkillColumns) {
  EXPECT_DOUBLE_EQ(CoverageRate(3, 4), 0.75);
  EXPECT_DOUBLE_EQ(CoverageRate(0, 0), 0);
  auto m = Member();
  m.add_skills("tutoring");
  EXPECT_EQ(JoinSkills(m.skills()), "repair,tutoring");
  EXPECT_EQ(SplitSkills("repair,tutoring"), (std::vector<std::string>{"repair", "tutoring"}));
  EXPECT_TRUE(SplitSkills("").empty());
}

}  // namespace
}  // namespace grassroots::dualreg
