// The points ledger against a real MariaDB: accounts with derived ids,
// transfers idempotent by the caller's id, no balance but an issuing
// account's below zero, linked transfers all or nothing, reversals at most
// once, history and dated statements, scope, and a checker that notices a
// balance edited behind the ledger's back.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

// One community's accounts: issuing, supermarket and two volunteers.
struct Books {
  std::string issuing, market, v1, v2;
};

class LedgerTest : public VolunteerServiceTest {
 protected:
  Books Open(const std::string& community) {
    Books b;
    auto id = [&](v1::AccountKind kind) {
      auto a = VolunteerClient::Open(kind, community);
      EXPECT_TRUE(a.ok()) << a.status();
      return a.ok() ? a->id() : "";
    };
    auto volunteer = [&] {
      auto v = NewVolunteer(community);
      EXPECT_TRUE(v.ok()) << v.status();
      return v.ok() ? v->account_id() : "";
    };
    b.issuing = id(v1::ACCOUNT_KIND_ISSUING);
    b.market = id(v1::ACCOUNT_KIND_SUPERMARKET);
    b.v1 = volunteer();
    b.v2 = volunteer();
    return b;
  }

  absl::StatusOr<v1::CreateLinkedTransfersResponse> Linked(
      const std::vector<std::tuple<std::string, std::string, std::string, int64_t>>& transfers) {
    v1::CreateLinkedTransfersRequest request;
    for (const auto& [id, debit, credit, amount] : transfers) {
      v1::Transfer* t = request.add_transfers();
      t->set_id(id);
      t->set_debit_account_id(debit);
      t->set_credit_account_id(credit);
      t->set_amount(amount);
    }
    return Rpc(*ledger_, &v1::LedgerService::Stub::CreateLinkedTransfers, request);
  }

  absl::StatusOr<v1::Transfer> Reverse(const std::string& id, const std::string& original) {
    v1::ReverseTransferRequest request;
    request.set_id(id);
    request.set_transfer_id(original);
    return Rpc(*ledger_, &v1::LedgerService::Stub::ReverseTransfer, request);
  }

  absl::StatusOr<v1::Transfer> Get(const std::string& id, const std::string& scope = "") {
    v1::GetTransferRequest request;
    request.set_id(id);
    return Rpc(*ledger_, &v1::LedgerService::Stub::GetTransfer, request, scope);
  }
};

TEST_F(LedgerTest, AccountsHaveDerivedIdsAndOpenOnce) {
  auto issuing = VolunteerClient::Open(v1::ACCOUNT_KIND_ISSUING, "la1/s1/c1");
  ASSERT_TRUE(issuing.ok()) << issuing.status();
  EXPECT_EQ(issuing->id(), "community/la1/s1/c1/issuing");
  EXPECT_EQ(issuing->balance(), 0);
  auto again = VolunteerClient::Open(v1::ACCOUNT_KIND_ISSUING, "la1/s1/c1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->create_time().seconds(), issuing->create_time().seconds());
  // A volunteer's account opens with the volunteer, and only so.
  auto volunteer = NewVolunteer("la1/s1/c1");
  ASSERT_TRUE(volunteer.ok()) << volunteer.status();
  EXPECT_EQ(volunteer->account_id(), absl::StrCat("volunteer/", volunteer->id()));
  EXPECT_EQ(Balance(volunteer->account_id()), 0);
  v1::OpenAccountRequest own;
  own.mutable_account()->set_kind(v1::ACCOUNT_KIND_VOLUNTEER);
  own.mutable_account()->set_community_path("la1/s1/c1");
  own.mutable_account()->set_owner_id("vl_1");
  auto refused = Rpc(*ledger_, &v1::LedgerService::Stub::OpenAccount, own);
  EXPECT_EQ(Reason(refused.status()), "VOLUNTEER_ACCOUNT_OPENS_WITH_VOLUNTEER");
  EXPECT_EQ(Reason(VolunteerClient::Open(v1::ACCOUNT_KIND_ISSUING, "La1/s1").status()),
            "COMMUNITY_PATH_INVALID");
  // Another street's community is out of a street officer's reach.
  auto foreign = VolunteerClient::Open(v1::ACCOUNT_KIND_ISSUING, "la1/s2/c1", "la1/s1");
  EXPECT_EQ(Reason(foreign.status()), "OUT_OF_SCOPE");
}

TEST_F(LedgerTest, ATransferIsIdempotentByItsId) {
  Books b = Open("lb1/s1/c1");
  auto first = Transfer("lb1-issue-1", b.issuing, b.v1, 10, "", "patrol");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->linked_group_id(), "lb1-issue-1");
  EXPECT_EQ(first->actor(), "tester");
  EXPECT_EQ(Balance(b.v1), 10);
  EXPECT_EQ(Balance(b.issuing), -10);
  // The same request again answers as the first time and moves nothing.
  auto replay = Transfer("lb1-issue-1", b.issuing, b.v1, 10, "", "patrol");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->create_time().nanos(), first->create_time().nanos());
  EXPECT_EQ(Balance(b.v1), 10);
  // Another body under the id is refused, naming it.
  auto other = Transfer("lb1-issue-1", b.issuing, b.v1, 11, "", "patrol");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Reason(other.status()), "TRANSFER_ID_REUSED");
  EXPECT_NE(other.status().message().find("transfer.id: transfer lb1-issue-1"),
            absl::string_view::npos);
  EXPECT_EQ(Balance(b.v1), 10);
  // The service's own ids are not the caller's to take.
  auto reserved = Transfer("attendance/x", b.issuing, b.v1, 1);
  EXPECT_EQ(Reason(reserved.status()), "TRANSFER_ID_RESERVED");
  EXPECT_EQ(ErrorField(reserved.status()).value_or(""), "transfer.id");
  EXPECT_EQ(Reason(Transfer("lb1-x", b.v1, b.v1, 1).status()), "SAME_ACCOUNT");
  EXPECT_EQ(Reason(Transfer("lb1-x", b.issuing, b.v1, 0).status()), "AMOUNT_INVALID");
  auto missing = Transfer("lb1-x", b.issuing, "volunteer/nobody", 1);
  EXPECT_EQ(Reason(missing.status()), "ACCOUNT_NOT_FOUND");
  EXPECT_EQ(ErrorField(missing.status()).value_or(""), "transfer.credit_account_id");
}

TEST_F(LedgerTest, OnlyAnIssuingAccountGoesBelowZero) {
  Books b = Open("lc1/s1/c1");
  ASSERT_TRUE(Transfer("lc1-1", b.issuing, b.v1, 10).ok());
  auto overdraw = Transfer("lc1-2", b.v1, b.market, 11);
  EXPECT_EQ(overdraw.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(overdraw.status()), "INSUFFICIENT_BALANCE");
  EXPECT_NE(overdraw.status().message().find("holds 10 points"), absl::string_view::npos);
  ASSERT_TRUE(Transfer("lc1-3", b.v1, b.market, 10).ok());
  EXPECT_EQ(Balance(b.v1), 0);
  EXPECT_EQ(Reason(Transfer("lc1-4", b.market, b.v2, 11).status()), "INSUFFICIENT_BALANCE");
  // The refused id stays free: it was never made.
  ASSERT_TRUE(Transfer("lc1-2", b.issuing, b.v2, 3).ok());
}

TEST_F(LedgerTest, LinkedTransfersSucceedOrFailTogether) {
  Books b = Open("ld1/s1/c1");
  // The second needs more than the first gives: neither happens.
  auto failed = Linked({{"ld1-a", b.issuing, b.v1, 5}, {"ld1-b", b.v1, b.v2, 6}});
  EXPECT_EQ(Reason(failed.status()), "INSUFFICIENT_BALANCE");
  EXPECT_NE(failed.status().message().find("transfers[1]"), absl::string_view::npos);
  EXPECT_EQ(Balance(b.v1), 0);
  EXPECT_EQ(Get("ld1-a").status().code(), absl::StatusCode::kNotFound);
  // In order, each sees the one before.
  auto made = Linked({{"ld1-a", b.issuing, b.v1, 5}, {"ld1-b", b.v1, b.v2, 5}});
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_EQ(made->transfers_size(), 2);
  EXPECT_EQ(made->transfers(1).linked_group_id(), "ld1-a");
  EXPECT_EQ(Balance(b.v1), 0);
  EXPECT_EQ(Balance(b.v2), 5);
  // A replay answers with both; a request reusing one of them is refused.
  auto replay = Linked({{"ld1-a", b.issuing, b.v1, 5}, {"ld1-b", b.v1, b.v2, 5}});
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(Balance(b.v2), 5);
  auto partial = Linked({{"ld1-b", b.v1, b.v2, 5}, {"ld1-c", b.issuing, b.v1, 1}});
  EXPECT_EQ(Reason(partial.status()), "TRANSFER_ID_REUSED");
  EXPECT_EQ(Reason(Transfer("ld1-b", b.v1, b.v2, 5).status()), "TRANSFER_ID_REUSED");
  auto twice = Linked({{"ld1-d", b.issuing, b.v1, 1}, {"ld1-d", b.issuing, b.v1, 1}});
  EXPECT_EQ(ErrorField(twice.status()).value_or(""), "transfers[1].id");
}

TEST_F(LedgerTest, AReversalIsANewTransferMadeAtMostOnce) {
  Books b = Open("le1/s1/c1");
  ASSERT_TRUE(Transfer("le1-1", b.issuing, b.v1, 8).ok());
  auto reversal = Reverse("le1-1-undo", "le1-1");
  ASSERT_TRUE(reversal.ok()) << reversal.status();
  EXPECT_EQ(reversal->reverses_transfer_id(), "le1-1");
  EXPECT_EQ(reversal->debit_account_id(), b.v1);
  EXPECT_EQ(reversal->amount(), 8);
  EXPECT_EQ(Balance(b.v1), 0);
  EXPECT_EQ(Balance(b.issuing), 0);
  // The original stays, pointing at its reversal.
  auto original = Get("le1-1");
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->reversed_by_transfer_id(), "le1-1-undo");
  EXPECT_TRUE(Reverse("le1-1-undo", "le1-1").ok());  // a replay
  auto second = Reverse("le1-1-again", "le1-1");
  EXPECT_EQ(Reason(second.status()), "TRANSFER_ALREADY_REVERSED");
  EXPECT_NE(second.status().message().find("le1-1-undo"), absl::string_view::npos);
  EXPECT_EQ(Reason(Reverse("le1-x", "le1-1-undo").status()), "REVERSAL_NOT_REVERSIBLE");
  EXPECT_EQ(Reason(Reverse("le1-y", "le1-nothing").status()), "TRANSFER_NOT_FOUND");
  // Points already spent cannot be taken back.
  ASSERT_TRUE(Transfer("le1-2", b.issuing, b.v1, 4).ok());
  ASSERT_TRUE(Transfer("le1-3", b.v1, b.market, 3).ok());
  EXPECT_EQ(Reason(Reverse("le1-2-undo", "le1-2").status()), "INSUFFICIENT_BALANCE");
  // The id of a reversal is not free for a plain transfer, and vice versa.
  EXPECT_EQ(Reason(Transfer("le1-1-undo", b.v1, b.issuing, 8).status()), "TRANSFER_ID_REUSED");
}

TEST_F(LedgerTest, HistoryAndStatementsShowRunningBalances) {
  Books b = Open("lf1/s1/c1");
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(Transfer(absl::StrCat("lf1-", i), b.issuing, b.v1, i * 10).ok());
  }
  ASSERT_TRUE(Transfer("lf1-4", b.v1, b.market, 15).ok());
  v1::ListAccountEntriesRequest list;
  list.set_account_id(b.v1);
  list.set_page_size(3);
  auto page = Rpc(*ledger_, &v1::LedgerService::Stub::ListAccountEntries, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries_size(), 3);
  EXPECT_EQ(page->entries(0).transfer_id(), "lf1-4");
  EXPECT_EQ(page->entries(0).amount(), -15);
  EXPECT_EQ(page->entries(0).balance_after(), 45);
  EXPECT_EQ(page->entries(0).counterparty_account_id(), b.market);
  ASSERT_FALSE(page->next_page_token().empty());
  list.set_page_token(page->next_page_token());
  auto rest = Rpc(*ledger_, &v1::LedgerService::Stub::ListAccountEntries, list);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->entries_size(), 1);
  EXPECT_EQ(rest->entries(0).sequence(), 1);
  EXPECT_EQ(rest->entries(0).balance_after(), 10);
  EXPECT_TRUE(rest->next_page_token().empty());

  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  auto statement = [&](absl::CivilDay start, absl::CivilDay end, const std::string& token) {
    v1::GetStatementRequest request;
    request.set_account_id(b.v1);
    request.set_start_date(DateText(start));
    request.set_end_date(DateText(end));
    request.set_page_size(2);
    request.set_page_token(token);
    return Rpc(*ledger_, &v1::LedgerService::Stub::GetStatement, request);
  };
  auto now = statement(today, today + 1, "");
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->opening_balance(), 0);
  EXPECT_EQ(now->closing_balance(), 45);
  ASSERT_EQ(now->entries_size(), 2);
  EXPECT_EQ(now->entries(0).transfer_id(), "lf1-1");
  auto next = statement(today, today + 1, now->next_page_token());
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->entries_size(), 2);
  EXPECT_EQ(next->entries(1).transfer_id(), "lf1-4");
  EXPECT_TRUE(next->next_page_token().empty());
  auto later = statement(today + 1, today + 30, "");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->opening_balance(), 45);
  EXPECT_EQ(later->entries_size(), 0);
  auto earlier = statement(today - 30, today, "");
  ASSERT_TRUE(earlier.ok());
  EXPECT_EQ(earlier->closing_balance(), 0);
  EXPECT_EQ(Reason(statement(today, today, "").status()), "PERIOD_EMPTY");
  // A token belongs to its query.
  EXPECT_EQ(Reason(statement(today - 1, today + 1, now->next_page_token()).status()),
            "PAGE_TOKEN_INVALID");
}

TEST_F(LedgerTest, AStreetSeesAndMovesOnlyItsOwnPoints) {
  Books mine = Open("lg1/s1/c1");
  Books theirs = Open("lg1/s2/c1");
  const std::string s1 = "lg1/s1";
  ASSERT_TRUE(Transfer("lg1-1", mine.issuing, mine.v1, 5, s1).ok());
  auto foreign = Transfer("lg1-2", theirs.issuing, mine.v1, 5, s1);
  EXPECT_EQ(Reason(foreign.status()), "OUT_OF_SCOPE");
  ASSERT_TRUE(Transfer("lg1-3", theirs.issuing, theirs.v1, 5).ok());
  EXPECT_EQ(Reason(Get("lg1-3", s1).status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(Get("lg1-nothing", s1).status()), "OUT_OF_SCOPE");
  EXPECT_TRUE(Get("lg1-1", s1).ok());
  v1::GetAccountRequest get;
  get.set_id(theirs.v1);
  EXPECT_EQ(Reason(Rpc(*ledger_, &v1::LedgerService::Stub::GetAccount, get, s1).status()),
            "OUT_OF_SCOPE");
  auto check =
      Rpc(*ledger_, &v1::LedgerService::Stub::CheckInvariants, v1::CheckInvariantsRequest(), s1);
  EXPECT_EQ(Reason(check.status()), "CITY_SCOPE_REQUIRED");
}

TEST_F(LedgerTest, TheCheckerNoticesABalanceEditedBehindTheLedger) {
  Books b = Open("lh1/s1/c1");
  ASSERT_TRUE(Transfer("lh1-1", b.issuing, b.v1, 7).ok());
  auto edit = [&](int64_t balance) {
    ASSERT_TRUE(db::RunInTransaction(*Service(*suite_).env().pool, [&](db::Connection& c) {
                  auto& update = c.Prepare("UPDATE accounts SET balance = ? WHERE id = ?");
                  update.setInt64(1, balance);
                  update.setString(2, b.v1);
                  update.executeUpdate();
                  return absl::OkStatus();
                }).ok());
  };
  edit(-3);
  auto check = Check();
  ASSERT_TRUE(check.ok()) << check.status();
  std::set<std::string> rules;
  for (const v1::Violation& v : check->violations()) {
    if (v.subject() == b.v1 || v.subject() == "ledger") rules.insert(v.rule());
  }
  EXPECT_EQ(rules, (std::set<std::string>{"LEDGER_SUM_NOT_ZERO", "BALANCE_BELOW_ZERO",
                                          "BALANCE_NOT_SUM_OF_TRANSFERS", "ENTRIES_NOT_BALANCE"}));
  EXPECT_EQ(check->balance_sum(), -10);
  edit(7);  // restored: TearDown's check passes again
}

// Each transfer's two entries are found by the transfer, on a hot account
// too: an entry moved to the wrong account behind the ledger, among the
// many entries of one issuing account, leaves its transfer without its
// debit (and both accounts' entries disagreeing with their balances).
TEST_F(LedgerTest, TheCheckerFindsATransferWhoseEntryWasMoved) {
  Books b = Open("li1/s1/c1");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Transfer(absl::StrCat("li1-", i), b.issuing, i % 2 ? b.v1 : b.v2, 1).ok());
  }
  auto move = [&](const std::string& from, const std::string& to) {
    ASSERT_TRUE(db::RunInTransaction(*Service(*suite_).env().pool, [&](db::Connection& c) {
                  auto& update = c.Prepare(
                      "UPDATE entries SET account_id = ? WHERE transfer_id = 'li1-7'"
                      " AND account_id = ?");
                  update.setString(1, to);
                  update.setString(2, from);
                  EXPECT_EQ(update.executeUpdate(), 1);
                  return absl::OkStatus();
                }).ok());
  };
  move(b.issuing, b.market);
  auto check = Check();
  ASSERT_TRUE(check.ok()) << check.status();
  std::set<std::pair<std::string, std::string>> found;
  for (const v1::Violation& v : check->violations()) found.insert({v.rule(), v.subject()});
  EXPECT_EQ(found,
            (std::set<std::pair<std::string, std::string>>{{"TRANSFER_ENTRIES_MISMATCH", "li1-7"},
                                                           {"ENTRIES_NOT_BALANCE", b.issuing},
                                                           {"ENTRIES_NOT_BALANCE", b.market}}));
  move(b.market, b.issuing);  // restored: TearDown's check passes again
}

}  // namespace
}  // namespace grassroots::volunteer::testing
