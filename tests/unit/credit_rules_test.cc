// Inbound credits and good deeds: what a request must hold, and the credit
// a good deed becomes.
#include "services/volunteer/credit_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "common/status/errors.h"

namespace grassroots::volunteer {
namespace {

v1::RecordGoodDeedRequest Deed() {
  v1::RecordGoodDeedRequest r;
  r.set_volunteer_id("vl_1");
  r.set_deed_type("help-elderly");
  r.set_description("carried the shopping up");
  r.set_request_id("gd-1");
  return r;
}

TEST(GoodDeedRules, ARequestNamesItsVolunteerTypeDescriptionAndId) {
  EXPECT_TRUE(ValidateGoodDeed(Deed()).ok());
  const auto reason = [](const v1::RecordGoodDeedRequest& r) {
    return ErrorReason(ValidateGoodDeed(r)).value_or("");
  };
  auto r = Deed();
  r.clear_volunteer_id();
  EXPECT_EQ(reason(r), "ID_REQUIRED");
  r = Deed();
  r.set_deed_type("Help");
  EXPECT_EQ(reason(r), "DEED_TYPE_INVALID");
  r = Deed();
  r.set_request_id("");
  EXPECT_EQ(reason(r), "REQUEST_ID_INVALID");
  r = Deed();
  r.set_description(std::string(161, 'x'));
  EXPECT_EQ(reason(r), "TEXT_TOO_LONG");
  r.set_description("");
  EXPECT_FALSE(ValidateGoodDeed(r).ok());
}

TEST(GoodDeedRules, ADeedIsACreditOfSourceDeedUnderItsRequestId) {
  const v1::Credit credit = GoodDeedCredit(Deed());
  EXPECT_EQ(credit.source(), "deed");
  EXPECT_EQ(credit.event_id(), "gd-1");
  EXPECT_EQ(credit.volunteer_id(), "vl_1");
  EXPECT_EQ(credit.memo(), "help-elderly: carried the shopping up");
  EXPECT_EQ(credit.points(), 0);  // the rule's, set in the store
  EXPECT_EQ(CreditTransferId(credit), "credit/deed/gd-1");
}

}  // namespace
}  // namespace grassroots::volunteer
