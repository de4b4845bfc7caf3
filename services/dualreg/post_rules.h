#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grassroots/dualreg/v1/pairing.pb.h"
#include "grassroots/dualreg/v1/post.pb.h"

namespace grassroots::dualreg {

// A new post: community id, type code, title (1-200 bytes), description
// (up to 1000), capacity 1-10,000.
absl::Status ValidateNewPost(const v1::Post& post);

// A new pairing: registration and household ids, the kind of need, and a
// visit interval of 1-365 days (0: the default 30).
absl::Status ValidateNewPairing(const v1::Pairing& pairing);
int VisitIntervalDays(const v1::Pairing& pairing);

// A visit: not in the future (a phone's clock may run 5 minutes ahead),
// at most 60 days late, a note of up to 500 bytes.
absl::Status ValidateVisit(absl::Time visit, absl::Time now, const std::string& note);

// When the next visit is due: the interval after the last visit, or after
// the pairing's start when nobody has visited yet.
absl::Time NextVisitDue(absl::Time last_or_start, int interval_days);

}  // namespace grassroots::dualreg
