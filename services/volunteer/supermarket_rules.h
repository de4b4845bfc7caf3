#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/volunteer/v1/supermarket.pb.h"

namespace grassroots::volunteer {

// The love supermarket's rules: what a good and a redemption hold, and the
// ledger ids a redemption moves points under. Pure, no I/O.

absl::Status ValidateGood(const v1::Good& good);
absl::Status ValidateRestock(int64_t quantity, const std::string& request_id);
// id (1-40 of a-z, A-Z, 0-9, "-_.:"), volunteer, good, 1 to 100 items.
absl::Status ValidateRedemption(const v1::Redemption& redemption);
absl::Status ValidateRedemptionId(absl::string_view field, absl::string_view id);

// "redemption/<id>" and "redemption/<id>/cancel".
std::string RedemptionTransferId(absl::string_view redemption_id);
std::string CancellationTransferId(absl::string_view redemption_id);

// A repeated redemption id is the same request when the caller's fields agree.
bool SameRedemption(const v1::Redemption& a, const v1::Redemption& b);

}  // namespace grassroots::volunteer
