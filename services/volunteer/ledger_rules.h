#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/text/text_rules.h"
#include "grassroots/volunteer/v1/ledger.pb.h"

namespace grassroots::volunteer {

// The ledger's rules: the shapes of ids, amounts and accounts, and how a
// batch of transfers moves balances. Pure, no I/O: the store locks the
// accounts, hands their state here, and writes what comes back.

inline constexpr int64_t kMaxAmount = 1'000'000'000;
inline constexpr int kMaxLinkedTransfers = 100;

// A code (a path segment, an activity type): 1-32 of a-z, 0-9, '-' and
// '_', starting with a letter or digit.
bool IsCode(absl::string_view s);

// A community's path as orgs writes it: 1 to 8 segments of 1-32 of a-z,
// 0-9, '-' and '_' joined by '/' ("d01/s03/c12"), at most 40 bytes.
absl::Status ValidateCommunityPath(absl::string_view field, absl::string_view path);

// Caller-chosen transfer ids: 1-64 of a-z, A-Z, 0-9 and "-_./:".
absl::Status ValidateTransferId(absl::string_view field, absl::string_view id);
// Ids the service derives for itself ("attendance/...", "redemption/...",
// "credit/...") are refused to callers, so no caller can pre-empt one.
absl::Status RefuseReservedTransferId(absl::string_view field, absl::string_view id);
absl::Status ValidateAmount(absl::string_view field, int64_t amount);
// Everything a caller sends in one transfer (id, accounts, amount, memo).
absl::Status ValidateTransfer(absl::string_view field, const v1::Transfer& transfer);

// "volunteer/<owner>" or "community/<path>/issuing" (supermarket, expiry).
std::string AccountId(v1::AccountKind kind, absl::string_view community_path,
                      absl::string_view owner_id);
// INVALID_ARGUMENT unless kind, path and owner make an account (an owner
// for a volunteer's account and only then).
absl::Status ValidateAccount(absl::string_view field, const v1::Account& account);
// Only an issuing account may go below zero: it is where points come from.
bool MayGoBelowZero(v1::AccountKind kind);

// Two transfers under one id are the same request when the caller's fields
// agree.
bool SameBody(const v1::Transfer& a, const v1::Transfer& b);

// The state of a locked account as the plan sees and changes it.
struct AccountState {
  v1::AccountKind kind = v1::ACCOUNT_KIND_UNSPECIFIED;
  int64_t balance = 0;
  int64_t entry_count = 0;
};
using AccountStates = absl::flat_hash_map<std::string, AccountState>;

struct PlannedEntry {
  std::string account_id;
  int64_t sequence = 0;
  int64_t amount = 0;  // + credit, - debit
  int64_t balance_after = 0;
  std::string counterparty_account_id;
  std::string transfer_id;
};

// Applies `transfers` in order to `accounts` (which must hold every account
// named), two entries each. FAILED_PRECONDITION (INSUFFICIENT_BALANCE)
// naming `<field>[i]` (or `field` for one) when a debit would take an
// account that may not go below zero under it; nothing is applied then.
absl::StatusOr<std::vector<PlannedEntry>> PlanTransfers(const std::vector<v1::Transfer>& transfers,
                                                        AccountStates& accounts,
                                                        absl::string_view field);

// The reversal of `original`: its accounts swapped, its amount, pointing at it.
v1::Transfer ReversalOf(const v1::Transfer& original, const std::string& id,
                        const std::string& memo);

}  // namespace grassroots::volunteer
