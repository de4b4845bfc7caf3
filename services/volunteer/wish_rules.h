#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/paths/street_of.h"
#include "grassroots/volunteer/v1/wish.pb.h"

namespace grassroots::volunteer {

// Micro-wishes: what a wish holds, which step may follow which state, and
// what the sweeper does when a deadline passes. Pure, no I/O.

inline constexpr int kDefaultPublishDays = 14;
inline constexpr int kDefaultClaimHours = 72;

// Title, description, household reference, points (0-100), periods.
absl::Status ValidateWish(const v1::Wish& wish);
// The wish as collected: defaults filled in, state COLLECTED.
v1::Wish Collected(const v1::Wish& requested);

// "collected", "published", ...: in refusals and as the metrics' label.
const char* WishStateName(v1::WishState state);

enum class WishStep { kVerify, kPublish, kClaim, kFulfil, kConfirm };

// FAILED_PRECONDITION (WISH_STATE) unless `step` may follow `state`:
// collected → verified (or rejected) → published (→ escalated) → claimed →
// fulfilled → confirmed; a lapsed claim goes back to published or escalated.
absl::Status CheckWishStep(v1::WishState state, WishStep step);

// FAILED_PRECONDITION unless the wish can be claimed at `now`
// (WISH_STATE, or CLAIM_PERIOD_OVER naming when it ended).
absl::Status CheckClaimable(const v1::Wish& wish, absl::Time now);
// FAILED_PRECONDITION (CLAIM_LAPSED) when the claim ran out before `now`.
absl::Status CheckClaimHeld(const v1::Wish& wish, absl::Time now);
// The wish claimed at `now` by the claimer set on it: state, claim due time.
void ApplyClaim(v1::Wish& wish, absl::Time now);
// The wish published at `now`: claimable for its publish_days.
void ApplyPublish(v1::Wish& wish, absl::Time now);

// What the sweeper does to a wish whose due time has passed at `now`:
// a lapsed claim returns the wish to the claimable state it was in (its
// claimer cleared, lapsed_claims + 1) with its own deadline, or, when that
// deadline has passed too, to whatever that deadline gives; an unclaimed
// wish escalates once (to its street, for a second period) when collected
// so, else expires. Nothing when not due (nullopt).
std::optional<v1::Wish> OnDue(const v1::Wish& wish, absl::Time now);

// "wish/<id>": the one transfer that pays a confirmed wish's points.
std::string WishTransferId(absl::string_view wish_id);

}  // namespace grassroots::volunteer
