// Consultations (协商议事): what an opened consultation holds, who takes
// part, when voting ends, the count; and what residents send.
#include "services/orgs/consultation_rules.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/resident_input_rules.h"

namespace grassroots::orgs {
namespace {

using v1::Consultation;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);

Consultation Valid(Consultation::Audience audience) {
  Consultation c;
  c.set_audience(audience);
  c.set_question("Where should the new bicycle shed go?");
  c.add_options("By gate 2");
  c.add_options("Behind building 5");
  ToProtoTime(kNow + absl::Hours(24 * 14), c.mutable_close_time());
  if (audience == Consultation::REPRESENTATIVES) {
    c.add_representative_household_ids("hh-c12-0101");
    c.add_representative_household_ids("hh-c12-0102");
  }
  return c;
}

TEST(ConsultationRulesTest, AValidConsultationOfEitherAudience) {
  EXPECT_TRUE(ValidateNewConsultation(Valid(Consultation::REPRESENTATIVES), kNow).ok());
  EXPECT_TRUE(ValidateNewConsultation(Valid(Consultation::ALL_HOUSEHOLDS), kNow).ok());
}

TEST(ConsultationRulesTest, RefusesWhatIsMissingOrWrong) {
  auto refused = [](Consultation c) {
    const absl::Status s = ValidateNewConsultation(c, kNow);
    return absl::StrCat(ErrorField(s).value_or(""), " ", Reason(s));
  };
  Consultation c = Valid(Consultation::ALL_HOUSEHOLDS);
  c.set_audience(Consultation::AUDIENCE_UNSPECIFIED);
  EXPECT_EQ(refused(c), "consultation.audience AUDIENCE_INVALID");
  c = Valid(Consultation::ALL_HOUSEHOLDS);
  c.clear_question();
  EXPECT_EQ(refused(c), "consultation.question TEXT_REQUIRED");
  c = Valid(Consultation::ALL_HOUSEHOLDS);
  c.mutable_options()->RemoveLast();
  EXPECT_EQ(refused(c), "consultation.options OPTIONS_INVALID");  // one option is no choice
  c = Valid(Consultation::ALL_HOUSEHOLDS);
  for (int i = 3; i <= kMaxConsultationOptions; ++i) c.add_options(absl::StrCat("Option ", i));
  EXPECT_TRUE(ValidateNewConsultation(c, kNow).ok());  // 20
  c.add_options("One too many");
  EXPECT_EQ(refused(c), "consultation.options OPTIONS_INVALID");
  c = Valid(Consultation::ALL_HOUSEHOLDS);
  c.add_options("By gate 2");
  EXPECT_EQ(refused(c), "consultation.options OPTION_REPEATED");
  c = Valid(Consultation::ALL_HOUSEHOLDS);
  c.add_options("");
  EXPECT_EQ(refused(c), "consultation.options TEXT_REQUIRED");
  c = Valid(Consultation::ALL_HOUSEHOLDS);
  c.clear_close_time();
  EXPECT_EQ(refused(c), "consultation.close_time CLOSE_TIME_REQUIRED");
  ToProtoTime(kNow, c.mutable_close_time());
  EXPECT_EQ(refused(c), "consultation.close_time CLOSE_TIME_PAST");
  ToProtoTime(kNow + absl::Seconds(1), c.mutable_close_time());
  EXPECT_TRUE(ValidateNewConsultation(c, kNow).ok());
  ToProtoTime(kNow + kMaxConsultationLength, c.mutable_close_time());
  EXPECT_TRUE(ValidateNewConsultation(c, kNow).ok());
  ToProtoTime(kNow + kMaxConsultationLength + absl::Seconds(1), c.mutable_close_time());
  EXPECT_EQ(refused(c), "consultation.close_time CLOSE_TIME_TOO_FAR");
  // The list of representatives belongs to REPRESENTATIVES only, and is needed there.
  c = Valid(Consultation::ALL_HOUSEHOLDS);
  c.add_representative_household_ids("hh-1");
  EXPECT_EQ(refused(c), "consultation.representative_household_ids REPRESENTATIVES_NOT_EXPECTED");
  c = Valid(Consultation::REPRESENTATIVES);
  c.clear_representative_household_ids();
  EXPECT_EQ(refused(c), "consultation.representative_household_ids REPRESENTATIVES_REQUIRED");
  c = Valid(Consultation::REPRESENTATIVES);
  c.add_representative_household_ids("hh-c12-0101");
  EXPECT_EQ(refused(c), "consultation.representative_household_ids HOUSEHOLD_REPEATED");
  c = Valid(Consultation::REPRESENTATIVES);
  c.add_representative_household_ids("王家");
  EXPECT_EQ(refused(c), "consultation.representative_household_ids HOUSEHOLD_ID_INVALID");
  c = Valid(Consultation::REPRESENTATIVES);
  c.clear_representative_household_ids();
  for (int i = 0; i < kMaxRepresentativeHouseholds; ++i) {
    c.add_representative_household_ids(absl::StrCat("hh-", i));
  }
  EXPECT_TRUE(ValidateNewConsultation(c, kNow).ok());
  c.add_representative_household_ids("hh-one-more");
  EXPECT_EQ(refused(c), "consultation.representative_household_ids REPRESENTATIVES_REQUIRED");
}

TEST(ConsultationRulesTest, VotingEndsAtTheClosingTimeOrWhenClosed) {
  const absl::Time close = kNow + absl::Hours(1);
  EXPECT_EQ(EffectiveConsultationState(Consultation::OPEN, close, close - absl::Microseconds(1)),
            Consultation::OPEN);
  EXPECT_EQ(EffectiveConsultationState(Consultation::OPEN, close, close), Consultation::CLOSED);
  EXPECT_EQ(EffectiveConsultationState(Consultation::CLOSED, close, kNow), Consultation::CLOSED);
  EXPECT_TRUE(CheckOpenForInput(Consultation::OPEN, close).ok());
  const absl::Status closed = CheckOpenForInput(Consultation::CLOSED, close);
  EXPECT_EQ(Reason(closed), "CONSULTATION_CLOSED");
  EXPECT_NE(closed.message().find("2026-05-28T"), std::string::npos) << closed.message();
}

TEST(ConsultationRulesTest, VotesNameAnOptionAndRepresentativesMustBeListed) {
  EXPECT_EQ(Reason(ValidateOptionNumber(0, 3)), "OPTION_INVALID");
  EXPECT_TRUE(ValidateOptionNumber(1, 3).ok());
  EXPECT_TRUE(ValidateOptionNumber(3, 3).ok());
  EXPECT_EQ(Reason(ValidateOptionNumber(4, 3)), "OPTION_INVALID");
  EXPECT_TRUE(CheckHouseholdMayTakePart(Consultation::REPRESENTATIVES, true).ok());
  EXPECT_EQ(Reason(CheckHouseholdMayTakePart(Consultation::REPRESENTATIVES, false)),
            "NOT_A_REPRESENTATIVE_HOUSEHOLD");
  EXPECT_TRUE(CheckHouseholdMayTakePart(Consultation::ALL_HOUSEHOLDS, false).ok());
}

TEST(ConsultationRulesTest, TheCountListsEveryOptionInOrder) {
  auto counts = Tally({"A", "B", "C"}, {{1, 4}, {3, 2}});
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].option(), "A");
  EXPECT_EQ(counts[0].votes(), 4);
  EXPECT_EQ(counts[1].option_number(), 2);
  EXPECT_EQ(counts[1].votes(), 0);
  EXPECT_EQ(counts[2].votes(), 2);
}

TEST(ResidentInputRulesTest, HouseholdsAreOpaqueReferencesNotNames) {
  EXPECT_TRUE(ValidateHouseholdId("h", "grid:d01/s03/c12/g04/b7/u2/1201").ok());
  EXPECT_TRUE(ValidateHouseholdId("h", std::string(64, 'a')).ok());
  EXPECT_EQ(Reason(ValidateHouseholdId("h", std::string(65, 'a'))), "HOUSEHOLD_ID_INVALID");
  EXPECT_EQ(Reason(ValidateHouseholdId("h", "")), "HOUSEHOLD_ID_REQUIRED");
  EXPECT_EQ(Reason(ValidateHouseholdId("h", "Wang family")), "HOUSEHOLD_ID_INVALID");
  EXPECT_EQ(Reason(ValidateHouseholdId("h", "张家")), "HOUSEHOLD_ID_INVALID");
}

TEST(ResidentInputRulesTest, FreeTextKeepsLineBreaksButNoOtherControls) {
  EXPECT_TRUE(ValidateFreeText("t", "第一条\n第二条\tend", 100, true).ok());
  EXPECT_TRUE(ValidateFreeText("t", "", 100, false).ok());
  EXPECT_EQ(Reason(ValidateFreeText("t", "", 100, true)), "TEXT_REQUIRED");
  EXPECT_EQ(Reason(ValidateFreeText("t", std::string("a\0b", 3), 100, true)), "TEXT_INVALID");
  EXPECT_EQ(Reason(ValidateFreeText("t", "\xff", 100, true)), "TEXT_INVALID");
  EXPECT_TRUE(ValidateFreeText("t", std::string(100, 'x'), 100, true).ok());
  EXPECT_EQ(Reason(ValidateFreeText("t", std::string(101, 'x'), 100, true)), "TEXT_TOO_LONG");
}

}  // namespace
}  // namespace grassroots::orgs
