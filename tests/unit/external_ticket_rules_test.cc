#include "services/grid/external_ticket_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

v1::ExternalTicket Ticket(const std::string& system, const std::string& id) {
  v1::ExternalTicket t;
  t.set_system(system);
  t.set_ticket_id(id);
  return t;
}

TEST(ExternalTicketRules, AcceptsAWellFormedTicket) {
  EXPECT_TRUE(ValidateExternalTicket("t", Ticket("hotline12345", "T20261202-0001")).ok());
  EXPECT_TRUE(ValidateExternalTicket("t", Ticket("a_b-c", std::string(128, 'x'))).ok());
}

TEST(ExternalTicketRules, NamesTheSystemWhenItIsNotANameOfLowerCaseLetters) {
  for (const std::string& system :
       std::vector<std::string>{"", "Hotline", "hot line", std::string(33, 'a'), "热线"}) {
    auto s = ValidateExternalTicket("case.external_ticket", Ticket(system, "T1"));
    EXPECT_EQ(ErrorField(s), "case.external_ticket.system") << system;
    EXPECT_EQ(ErrorReason(s), "EXTERNAL_SYSTEM_INVALID") << system;
  }
}

TEST(ExternalTicketRules, NamesTheTicketIdWhenEmptyTooLongOrNotPrintable) {
  for (const std::string& id :
       std::vector<std::string>{std::string(), std::string(129, 'x'), "T 1", "T\n1"}) {
    auto s = ValidateExternalTicket("ticket", Ticket("hotline", id));
    EXPECT_EQ(ErrorField(s), "ticket.ticket_id") << id;
    EXPECT_EQ(ErrorReason(s), "TICKET_ID_INVALID") << id;
  }
}

TEST(ExternalTicketRules, ASystemAloneIsCheckedUnderItsOwnField) {
  EXPECT_TRUE(ValidateExternalSystem("system", "hotline12345").ok());
  EXPECT_EQ(ErrorField(ValidateExternalSystem("system", "")), "system");
}

}  // namespace
}  // namespace grassroots::grid
