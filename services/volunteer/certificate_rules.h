#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grassroots/volunteer/v1/certificate.pb.h"

namespace grassroots::volunteer {

// Certificates of service hours: what a request holds, the number, and
// when a certificate may be issued or revoked. Pure, no I/O.

// A certificate is posted publicly at least this long before it is issued.
inline constexpr absl::Duration kPostingPeriod = absl::Hours(24 * 7);

// volunteer_id, content (1-500 bytes) and issuer (1-200 bytes).
absl::Status ValidateCertificateRequest(const v1::Certificate& certificate);
// "VC-<year of posting, UTC>-<seq, at least 8 digits>": unique because seq is.
std::string CertificateNumber(absl::Time post_time, int64_t seq);
// The certificate as posted at `now`: state, post and issuable times.
void ApplyPosting(v1::Certificate& certificate, absl::Time now);
// FAILED_PRECONDITION unless it may be issued at `now`:
// POSTING_PERIOD_NOT_OVER (naming when it can be) or CERTIFICATE_REVOKED.
absl::Status CheckIssuable(const v1::Certificate& certificate, absl::Time now);

}  // namespace grassroots::volunteer
