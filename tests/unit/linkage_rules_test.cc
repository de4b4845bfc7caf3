// Linkage (包联): who may be linked, link periods, and the life of a problem.
#include "services/orgs/linkage_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using absl::CivilDay;

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(""); }
std::string Field(const absl::Status& s) { return ErrorField(s).value_or(""); }

v1::LinkedParty Member(const std::string& id) {
  v1::LinkedParty p;
  p.set_kind(v1::MEMBER_OFFICIAL);
  p.set_member_id(id);
  p.set_display_title("Deputy Director, District Housing Bureau");
  return p;
}

v1::LinkedParty Unit() {
  v1::LinkedParty p;
  p.set_kind(v1::UNIT);
  p.set_reference("ru_0192f3a4b5c6");
  p.set_unit_kind(v1::LinkedParty::SCHOOL);
  p.set_display_title("No. 3 Middle School");
  return p;
}

TEST(LinkageRulesTest, EachKindOfPartyNeedsItsOwnFields) {
  EXPECT_TRUE(ValidateLinkedParty("link.party", Member("mb_1")).ok());
  EXPECT_TRUE(ValidateLinkedParty("link.party", Unit()).ok());
  v1::LinkedParty external;
  external.set_kind(v1::EXTERNAL_OFFICIAL);
  external.set_reference("hr:4471");
  external.set_display_title("Section Chief, Civil Affairs Bureau");
  EXPECT_TRUE(ValidateLinkedParty("link.party", external).ok());

  auto no_member = Member("");
  EXPECT_EQ(Field(ValidateLinkedParty("link.party", no_member)), "link.party.member_id");
  auto mixed = Member("mb_1");
  mixed.set_reference("hr:1");
  EXPECT_EQ(Reason(ValidateLinkedParty("link.party", mixed)), "PARTY_FIELDS_MIXED");
  auto unit_without_kind = Unit();
  unit_without_kind.set_unit_kind(v1::LinkedParty::UNIT_KIND_UNSPECIFIED);
  EXPECT_EQ(Reason(ValidateLinkedParty("link.party", unit_without_kind)), "UNIT_KIND_REQUIRED");
  auto unit_with_member = Unit();
  unit_with_member.set_member_id("mb_1");
  EXPECT_EQ(Reason(ValidateLinkedParty("link.party", unit_with_member)), "PARTY_FIELDS_MIXED");
  auto external_with_kind = external;
  external_with_kind.set_unit_kind(v1::LinkedParty::SCHOOL);
  EXPECT_EQ(Reason(ValidateLinkedParty("link.party", external_with_kind)), "PARTY_FIELDS_MIXED");
  auto no_reference = external;
  no_reference.clear_reference();
  EXPECT_EQ(Reason(ValidateLinkedParty("link.party", no_reference)), "REFERENCE_INVALID");
  auto spaced_reference = external;
  spaced_reference.set_reference("Wang Fang");  // a name, not an id
  EXPECT_EQ(Reason(ValidateLinkedParty("link.party", spaced_reference)), "REFERENCE_INVALID");
  v1::LinkedParty unspecified = external;
  unspecified.set_kind(v1::LINKED_PARTY_KIND_UNSPECIFIED);
  EXPECT_EQ(Reason(ValidateLinkedParty("link.party", unspecified)), "PARTY_KIND_REQUIRED");
}

TEST(LinkageRulesTest, TitlesHoldNoPhoneOrIdNumbers) {
  auto party = Member("mb_1");
  party.set_display_title("Officer 1381234");  // seven digits in a row
  EXPECT_EQ(Reason(ValidateLinkedParty("p", party)), "PERSONAL_DATA_IN_TITLE");
  party.set_display_title("Officer 138123");  // six: a room or a unit number
  EXPECT_TRUE(ValidateLinkedParty("p", party).ok());
  party.set_display_title("");
  EXPECT_EQ(Reason(ValidateLinkedParty("p", party)), "TEXT_REQUIRED");
  party.set_display_title(std::string(201, 'a'));
  EXPECT_EQ(Reason(ValidateLinkedParty("p", party)), "TEXT_INVALID");
  party.set_display_title(std::string(200, 'a'));
  EXPECT_TRUE(ValidateLinkedParty("p", party).ok());
}

TEST(LinkageRulesTest, CategoriesAreCodes) {
  EXPECT_TRUE(ValidateProblemCategory("category", "elderly-care").ok());
  EXPECT_TRUE(ValidateProblemCategory("category", std::string(32, 'a')).ok());
  EXPECT_FALSE(ValidateProblemCategory("category", std::string(33, 'a')).ok());
  EXPECT_FALSE(ValidateProblemCategory("category", "").ok());
  EXPECT_FALSE(ValidateProblemCategory("category", "Roads").ok());
}

TEST(LinkageRulesTest, ALinkCoversItsDaysBothIncluded) {
  const CivilDay start(2026, 1, 1), end(2026, 12, 31);
  EXPECT_FALSE(LinkActiveOn(start, end, CivilDay(2025, 12, 31)));
  EXPECT_TRUE(LinkActiveOn(start, end, start));
  EXPECT_TRUE(LinkActiveOn(start, end, end));
  EXPECT_FALSE(LinkActiveOn(start, end, CivilDay(2027, 1, 1)));
  EXPECT_TRUE(LinkActiveOn(start, std::nullopt, CivilDay(2040, 1, 1)));
  EXPECT_TRUE(ValidateLinkPeriod(start, start).ok());
  EXPECT_TRUE(ValidateLinkPeriod(start, std::nullopt).ok());
  EXPECT_EQ(Reason(ValidateLinkPeriod(start, CivilDay(2025, 12, 31))), "LINK_PERIOD_INVALID");
}

TEST(LinkageRulesTest, EndingALink) {
  const CivilDay start(2026, 1, 1), today(2026, 6, 1);
  EXPECT_TRUE(ValidateEndLink(v1::Link::ACTIVE, start, std::nullopt, start, today).ok());
  EXPECT_TRUE(ValidateEndLink(v1::Link::ACTIVE, start, std::nullopt, today, today).ok());
  EXPECT_EQ(Reason(ValidateEndLink(v1::Link::ACTIVE, start, std::nullopt, today + 1, today)),
            "DATE_IN_FUTURE");
  EXPECT_EQ(Reason(ValidateEndLink(v1::Link::ACTIVE, start, std::nullopt, start - 1, today)),
            "LINK_PERIOD_INVALID");
  // Not after its planned end: the end can only come earlier.
  const CivilDay planned(2026, 3, 31);
  EXPECT_TRUE(ValidateEndLink(v1::Link::ACTIVE, start, planned, planned, today).ok());
  EXPECT_EQ(Reason(ValidateEndLink(v1::Link::ACTIVE, start, planned, planned + 1, today)),
            "LINK_PERIOD_INVALID");
  // Once.
  auto again = ValidateEndLink(v1::Link::ENDED, start, planned, planned, today);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(again), "LINK_ENDED");
}

TEST(LinkageRulesTest, ProblemsAreRaisedWhileTheLinkIsActiveAndNotAhead) {
  const CivilDay start(2026, 1, 10), end(2026, 3, 31), today(2026, 6, 1);
  EXPECT_TRUE(ValidateRaise(start, end, start, today).ok());
  EXPECT_TRUE(ValidateRaise(start, end, end, today).ok());
  auto before = ValidateRaise(start, end, start - 1, today);
  EXPECT_EQ(before.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(before), "LINK_NOT_ACTIVE");
  EXPECT_NE(before.message().find("2026-01-10 to 2026-03-31"), std::string::npos);
  EXPECT_EQ(Reason(ValidateRaise(start, end, end + 1, today)), "LINK_NOT_ACTIVE");
  EXPECT_TRUE(ValidateRaise(start, std::nullopt, today, today).ok());
  EXPECT_EQ(Reason(ValidateRaise(start, std::nullopt, today + 1, today)), "DATE_IN_FUTURE");
}

TEST(LinkageRulesTest, AProblemIsResolvedOnceAndNotBeforeItWasRaised) {
  using P = v1::LinkageProblem;
  const CivilDay raised(2026, 2, 1), today(2026, 6, 1);
  EXPECT_TRUE(ValidateResolve(P::OPEN, P::SOLVED, raised, raised, today).ok());
  EXPECT_TRUE(ValidateResolve(P::OPEN, P::CLOSED_UNSOLVED, raised, today, today).ok());
  auto early = ValidateResolve(P::OPEN, P::SOLVED, raised, raised - 1, today);
  EXPECT_EQ(Reason(early), "DATE_BEFORE_RAISED");
  EXPECT_EQ(Field(early), "solved_date");
  EXPECT_EQ(Field(ValidateResolve(P::OPEN, P::CLOSED_UNSOLVED, raised, raised - 1, today)),
            "closed_date");
  EXPECT_EQ(Reason(ValidateResolve(P::OPEN, P::SOLVED, raised, today + 1, today)),
            "DATE_IN_FUTURE");
  for (const auto from : {P::SOLVED, P::CLOSED_UNSOLVED}) {
    for (const auto to : {P::SOLVED, P::CLOSED_UNSOLVED}) {
      auto s = ValidateResolve(from, to, raised, today, today);
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(Reason(s), "PROBLEM_RESOLVED");
    }
  }
  EXPECT_FALSE(ValidateResolve(P::OPEN, P::OPEN, raised, today, today).ok());
}

TEST(LinkageRulesTest, SummaryPeriodsAndTheSolvedRate) {
  const CivilDay from(2026, 1, 1);
  EXPECT_TRUE(ValidateSummaryPeriod(from, from).ok());
  EXPECT_EQ(Reason(ValidateSummaryPeriod(from, from - 1)), "PERIOD_INVALID");
  EXPECT_TRUE(ValidateSummaryPeriod(from, from + 3659).ok());  // 3,660 days
  EXPECT_EQ(Reason(ValidateSummaryPeriod(from, from + 3660)), "PERIOD_TOO_LONG");
  EXPECT_EQ(SolvedRateBasisPoints(0, 0), 0);
  EXPECT_EQ(SolvedRateBasisPoints(45, 45), 10000);
  EXPECT_EQ(SolvedRateBasisPoints(1, 3), 3333);
  EXPECT_EQ(SolvedRateBasisPoints(2, 3), 6667);  // 0.66666: half up
  EXPECT_EQ(SolvedRateBasisPoints(1, 8), 1250);
  EXPECT_EQ(SolvedRateBasisPoints(1, 20000), 1);  // exactly half a basis point: up
  EXPECT_EQ(SolvedRateBasisPoints(1, 20001), 0);  // just under half: down
}

}  // namespace
}  // namespace grassroots::orgs
