#include "services/volunteer/ledger_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::volunteer {
namespace {

v1::Transfer T(const std::string& id, const std::string& debit, const std::string& credit,
               int64_t amount) {
  v1::Transfer t;
  t.set_id(id);
  t.set_debit_account_id(debit);
  t.set_credit_account_id(credit);
  t.set_amount(amount);
  return t;
}

AccountStates Books() {
  return {{"issuing", {v1::ACCOUNT_KIND_ISSUING, 0, 0}},
          {"alice", {v1::ACCOUNT_KIND_VOLUNTEER, 3, 1}},
          {"market", {v1::ACCOUNT_KIND_SUPERMARKET, 0, 0}}};
}

TEST(LedgerRulesTest, TransfersApplyInOrderWithRunningBalances) {
  AccountStates books = Books();
  auto entries =
      PlanTransfers({T("a", "issuing", "alice", 5), T("b", "alice", "market", 8)}, books, "t");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].account_id, "issuing");
  EXPECT_EQ((*entries)[0].amount, -5);
  EXPECT_EQ((*entries)[0].balance_after, -5);
  EXPECT_EQ((*entries)[1].sequence, 2);  // alice's second entry
  EXPECT_EQ((*entries)[1].balance_after, 8);
  EXPECT_EQ((*entries)[3].counterparty_account_id, "alice");
  EXPECT_EQ(books.at("alice").balance, 0);
  EXPECT_EQ(books.at("market").balance, 8);
  EXPECT_EQ(books.at("issuing").balance + books.at("alice").balance + books.at("market").balance,
            3);
}

TEST(LedgerRulesTest, ARefusedBatchChangesNothingAndNamesTheTransfer) {
  AccountStates books = Books();
  auto refused =
      PlanTransfers({T("a", "issuing", "alice", 1), T("b", "alice", "market", 5)}, books, "t");
  EXPECT_EQ(ErrorReason(refused.status()).value_or(""), "INSUFFICIENT_BALANCE");
  EXPECT_NE(refused.status().message().find("t[1]: account alice holds 4 points"),
            absl::string_view::npos);
  EXPECT_EQ(books.at("alice").balance, 3);
  EXPECT_EQ(books.at("alice").entry_count, 1);
  // A single transfer is named by the field alone; a supermarket cannot overdraw either.
  auto single = PlanTransfers({T("c", "market", "alice", 1)}, books, "transfer");
  EXPECT_NE(single.status().message().find("transfer: account market"), absl::string_view::npos);
}

TEST(LedgerRulesTest, IdsAccountsAndAmountsHaveShapes) {
  EXPECT_TRUE(ValidateTransferId("id", "order:2024/17.a-b_c").ok());
  EXPECT_FALSE(ValidateTransferId("id", "").ok());
  EXPECT_FALSE(ValidateTransferId("id", "with space").ok());
  EXPECT_FALSE(ValidateTransferId("id", std::string(65, 'a')).ok());
  EXPECT_FALSE(RefuseReservedTransferId("id", "redemption/1").ok());
  EXPECT_TRUE(RefuseReservedTransferId("id", "myredemption/1").ok());
  EXPECT_FALSE(ValidateAmount("amount", 0).ok());
  EXPECT_FALSE(ValidateAmount("amount", kMaxAmount + 1).ok());
  EXPECT_TRUE(ValidateCommunityPath("p", "d01/s03/c12").ok());
  EXPECT_FALSE(ValidateCommunityPath("p", "d01//c12").ok());
  EXPECT_FALSE(ValidateCommunityPath("p", "D01").ok());
  EXPECT_EQ(AccountId(v1::ACCOUNT_KIND_SUPERMARKET, "d01/s03/c12", ""),
            "community/d01/s03/c12/supermarket");
  EXPECT_EQ(AccountId(v1::ACCOUNT_KIND_VOLUNTEER, "d01/s03/c12", "vl_1"), "volunteer/vl_1");
  EXPECT_TRUE(MayGoBelowZero(v1::ACCOUNT_KIND_ISSUING));
  EXPECT_FALSE(MayGoBelowZero(v1::ACCOUNT_KIND_EXPIRY));
}

TEST(LedgerRulesTest, AReversalSwapsTheAccountsAndKeepsTheAmount) {
  v1::Transfer original = T("a", "issuing", "alice", 5);
  v1::Transfer r = ReversalOf(original, "a-undo", "");
  EXPECT_EQ(r.debit_account_id(), "alice");
  EXPECT_EQ(r.credit_account_id(), "issuing");
  EXPECT_EQ(r.amount(), 5);
  EXPECT_EQ(r.reverses_transfer_id(), "a");
  EXPECT_EQ(r.memo(), "reversal of a");
  EXPECT_TRUE(SameBody(r, ReversalOf(original, "a-undo", "")));
  EXPECT_FALSE(SameBody(r, ReversalOf(original, "a-undo", "typo")));
  v1::Transfer plain = r;
  plain.clear_reverses_transfer_id();
  EXPECT_FALSE(SameBody(r, plain));
}

}  // namespace
}  // namespace grassroots::volunteer
