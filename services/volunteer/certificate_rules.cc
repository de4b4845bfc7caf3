#include "services/volunteer/certificate_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/proto_time.h"

namespace grassroots::volunteer {

absl::Status ValidateCertificateRequest(const v1::Certificate& c) {
  if (c.volunteer_id().empty() || c.volunteer_id().size() > 40) {
    return InvalidField("certificate.volunteer_id", "ID_REQUIRED", "must name a volunteer");
  }
  for (const absl::Status& s : {ValidateText("certificate.content", c.content(), 500, true),
                                ValidateText("certificate.issuer", c.issuer(), 200, true)}) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string CertificateNumber(absl::Time post_time, int64_t seq) {
  return absl::StrFormat("VC-%s-%08d", absl::FormatTime("%Y", post_time, absl::UTCTimeZone()), seq);
}

void ApplyPosting(v1::Certificate& c, absl::Time now) {
  c.set_state(v1::CERTIFICATE_POSTED);
  ToProtoTime(now, c.mutable_post_time());
  ToProtoTime(now + kPostingPeriod, c.mutable_issuable_time());
}

absl::Status CheckIssuable(const v1::Certificate& c, absl::Time now) {
  if (c.state() == v1::CERTIFICATE_REVOKED) {
    return FailedPrecondition(
        "CERTIFICATE_REVOKED",
        absl::StrCat("certificate ", c.number(), " was revoked: ", c.revoke_reason()));
  }
  const absl::Time from = FromProtoTime(c.issuable_time());
  if (now < from) {
    return FailedPrecondition(
        "POSTING_PERIOD_NOT_OVER",
        absl::StrCat("a certificate is posted for 7 days before issue; ", c.number(),
                     " was posted ",
                     absl::FormatTime("%Y-%m-%d %H:%M UTC", FromProtoTime(c.post_time()),
                                      absl::UTCTimeZone()),
                     " and can be issued from ",
                     absl::FormatTime("%Y-%m-%d %H:%M UTC", from, absl::UTCTimeZone())));
  }
  return absl::OkStatus();
}

}  // namespace grassroots::volunteer
