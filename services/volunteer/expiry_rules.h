#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grassroots/volunteer/v1/expiry.pb.h"

namespace grassroots::volunteer {

// Points expiry: the period, the cutoff, and how much of an account's
// points are past it. Pure, no I/O.
//
// Oldest points are spent first (FIFO), so the points credited before the
// cutoff that are still held are what remains of them after every debit
// the account ever made (earlier expiries included):
//   expiring = max(0, credited before the cutoff - debited ever).
// This needs no record of which credit each debit used, makes a second run
// for the same (or an earlier) date expire nothing, and a later date
// expire only what has aged since.

inline constexpr int kDefaultExpiryMonths = 36;

absl::Status ValidateExpiryRule(const v1::ExpiryRule& rule);
// The as-of date of a run: "YYYY-MM-DD", at most a day after `now`'s UTC
// day (expiring early would take points before their time).
absl::StatusOr<absl::CivilDay> ParseAsOfDate(absl::string_view date, absl::Time now);
// The first day whose points have not expired as of `as_of`: `months`
// before it (the 31st of a shorter month is its last day).
absl::CivilDay ExpiryCutoff(absl::CivilDay as_of, int months);
int64_t ExpiringPoints(int64_t credited_before_cutoff, int64_t debited_ever);
// "expiry/<volunteer id>/<cutoff>": one transfer per account and cutoff.
std::string ExpiryTransferId(absl::string_view volunteer_id, absl::CivilDay cutoff);

}  // namespace grassroots::volunteer
