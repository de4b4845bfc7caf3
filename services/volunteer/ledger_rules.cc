#include "services/volunteer/ledger_rules.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace grassroots::volunteer {
bool IsCode(absl::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return false;
  }
  return true;
}

namespace {

std::string Indexed(absl::string_view field, size_t i, size_t n) {
  return n == 1 ? std::string(field) : absl::StrCat(field, "[", i, "]");
}

}  // namespace

absl::Status ValidateCommunityPath(absl::string_view field, absl::string_view path) {
  if (path.empty()) return InvalidField(field, "COMMUNITY_PATH_REQUIRED", "must not be empty");
  std::vector<absl::string_view> segments = absl::StrSplit(path, '/');
  // 40 bytes keep every account id ("community/<path>/supermarket") within
  // the 64 bytes a record id has in the change log.
  bool ok = segments.size() <= 8 && path.size() <= 40;
  for (absl::string_view s : segments) ok = ok && IsCode(s);
  if (!ok) {
    return InvalidField(field, "COMMUNITY_PATH_INVALID",
                        "must be a jurisdiction path such as d01/s03/c12: up to 40 bytes of codes "
                        "of a-z, 0-9, '-' and '_' joined by '/'");
  }
  return absl::OkStatus();
}

absl::Status ValidateTransferId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return InvalidField(field, "TRANSFER_ID_REQUIRED", "must not be empty");
  bool ok = id.size() <= 64;
  for (char c : id) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '/' || c == ':');
  }
  if (!ok) {
    return InvalidField(field, "TRANSFER_ID_INVALID",
                        "must be 1 to 64 characters of a-z, A-Z, 0-9 and -_./:");
  }
  return absl::OkStatus();
}

absl::Status RefuseReservedTransferId(absl::string_view field, absl::string_view id) {
  for (absl::string_view prefix : {"attendance/", "redemption/", "credit/", "expiry/", "wish/"}) {
    if (absl::StartsWith(id, prefix)) {
      return InvalidField(
          field, "TRANSFER_ID_RESERVED",
          absl::StrCat("ids starting with ", prefix, " are the service's own; choose another"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAmount(absl::string_view field, int64_t amount) {
  if (amount <= 0 || amount > kMaxAmount) {
    return InvalidField(field, "AMOUNT_INVALID",
                        absl::StrCat("must be a whole number of points from 1 to ", kMaxAmount));
  }
  return absl::OkStatus();
}

absl::Status ValidateTransfer(absl::string_view field, const v1::Transfer& t) {
  for (const absl::Status& s : {ValidateTransferId(absl::StrCat(field, ".id"), t.id()),
                                ValidateAmount(absl::StrCat(field, ".amount"), t.amount()),
                                ValidateText(absl::StrCat(field, ".memo"), t.memo(), 200, false)}) {
    if (!s.ok()) return s;
  }
  if (t.debit_account_id().empty() || t.credit_account_id().empty()) {
    return InvalidField(absl::StrCat(field, t.debit_account_id().empty() ? ".debit_account_id"
                                                                         : ".credit_account_id"),
                        "ACCOUNT_REQUIRED", "must name an account");
  }
  if (t.debit_account_id() == t.credit_account_id()) {
    return InvalidField(absl::StrCat(field, ".credit_account_id"), "SAME_ACCOUNT",
                        "must differ from the debit account");
  }
  return absl::OkStatus();
}

std::string AccountId(v1::AccountKind kind, absl::string_view community_path,
                      absl::string_view owner_id) {
  switch (kind) {
    case v1::ACCOUNT_KIND_VOLUNTEER:
      return absl::StrCat("volunteer/", owner_id);
    case v1::ACCOUNT_KIND_ISSUING:
      return absl::StrCat("community/", community_path, "/issuing");
    case v1::ACCOUNT_KIND_SUPERMARKET:
      return absl::StrCat("community/", community_path, "/supermarket");
    case v1::ACCOUNT_KIND_EXPIRY:
      return absl::StrCat("community/", community_path, "/expiry");
    default:
      return "";
  }
}

absl::Status ValidateAccount(absl::string_view field, const v1::Account& account) {
  if (account.kind() == v1::ACCOUNT_KIND_UNSPECIFIED || !v1::AccountKind_IsValid(account.kind())) {
    return InvalidField(absl::StrCat(field, ".kind"), "ACCOUNT_KIND_REQUIRED",
                        "must be VOLUNTEER, ISSUING, SUPERMARKET or EXPIRY");
  }
  if (auto s =
          ValidateCommunityPath(absl::StrCat(field, ".community_path"), account.community_path());
      !s.ok()) {
    return s;
  }
  const bool volunteer = account.kind() == v1::ACCOUNT_KIND_VOLUNTEER;
  if (volunteer != !account.owner_id().empty()) {
    return InvalidField(absl::StrCat(field, ".owner_id"), "ACCOUNT_OWNER_INVALID",
                        volunteer ? "a volunteer's account needs the volunteer's id"
                                  : "only a volunteer's account has an owner");
  }
  if (account.owner_id().size() > 40) {
    return InvalidField(absl::StrCat(field, ".owner_id"), "ID_INVALID", "is at most 40 bytes");
  }
  return absl::OkStatus();
}

bool MayGoBelowZero(v1::AccountKind kind) { return kind == v1::ACCOUNT_KIND_ISSUING; }

bool SameBody(const v1::Transfer& a, const v1::Transfer& b) {
  return a.id() == b.id() && a.debit_account_id() == b.debit_account_id() &&
         a.credit_account_id() == b.credit_account_id() && a.amount() == b.amount() &&
         a.memo() == b.memo() && a.reverses_transfer_id() == b.reverses_transfer_id();
}

absl::StatusOr<std::vector<PlannedEntry>> PlanTransfers(const std::vector<v1::Transfer>& transfers,
                                                        AccountStates& accounts,
                                                        absl::string_view field) {
  // Planned on a copy: a refusal leaves the caller's states untouched.
  AccountStates after = accounts;
  std::vector<PlannedEntry> entries;
  entries.reserve(transfers.size() * 2);
  for (size_t i = 0; i < transfers.size(); ++i) {
    const v1::Transfer& t = transfers[i];
    AccountState& debit = after.at(t.debit_account_id());
    AccountState& credit = after.at(t.credit_account_id());
    if (!MayGoBelowZero(debit.kind) && debit.balance < t.amount()) {
      return FailedPrecondition("INSUFFICIENT_BALANCE",
                                absl::StrCat(Indexed(field, i, transfers.size()), ": account ",
                                             t.debit_account_id(), " holds ", debit.balance,
                                             " points, fewer than the ", t.amount(), " to debit"));
    }
    debit.balance -= t.amount();
    credit.balance += t.amount();
    entries.push_back({t.debit_account_id(), ++debit.entry_count, -t.amount(), debit.balance,
                       t.credit_account_id(), t.id()});
    entries.push_back({t.credit_account_id(), ++credit.entry_count, t.amount(), credit.balance,
                       t.debit_account_id(), t.id()});
  }
  accounts = std::move(after);
  return entries;
}

v1::Transfer ReversalOf(const v1::Transfer& original, const std::string& id,
                        const std::string& memo) {
  v1::Transfer r;
  r.set_id(id);
  r.set_debit_account_id(original.credit_account_id());
  r.set_credit_account_id(original.debit_account_id());
  r.set_amount(original.amount());
  r.set_memo(memo.empty() ? absl::StrCat("reversal of ", original.id()) : memo);
  r.set_reverses_transfer_id(original.id());
  return r;
}

}  // namespace grassroots::volunteer
