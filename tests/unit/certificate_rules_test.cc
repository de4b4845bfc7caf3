#include "services/volunteer/certificate_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"

namespace grassroots::volunteer {
namespace {

const absl::Time kNoon = absl::FromUnixSeconds(1'796'212'800);  // 2026-12-02 12:00 UTC

v1::Certificate Requested() {
  v1::Certificate c;
  c.set_volunteer_id("vl_1");
  c.set_content("evening patrols, 2026");
  c.set_issuer("XX社区居民委员会");
  return c;
}

TEST(CertificateRulesTest, ARequestNamesTheVolunteerTheContentAndTheIssuer) {
  EXPECT_TRUE(ValidateCertificateRequest(Requested()).ok());
  v1::Certificate c = Requested();
  c.set_issuer("");
  EXPECT_EQ(ErrorField(ValidateCertificateRequest(c)).value_or(""), "certificate.issuer");
  c = Requested();
  c.set_content(std::string(501, 'x'));
  EXPECT_EQ(ErrorField(ValidateCertificateRequest(c)).value_or(""), "certificate.content");
  c = Requested();
  c.clear_volunteer_id();
  EXPECT_EQ(ErrorField(ValidateCertificateRequest(c)).value_or(""), "certificate.volunteer_id");
}

TEST(CertificateRulesTest, TheNumberCarriesTheYearAndTheSequence) {
  EXPECT_EQ(CertificateNumber(kNoon, 42), "VC-2026-00000042");
  EXPECT_EQ(CertificateNumber(kNoon, 123456789), "VC-2026-123456789");
}

TEST(CertificateRulesTest, ItIsIssuedOnlyAfterSevenDaysOfPosting) {
  v1::Certificate c = Requested();
  c.set_number("VC-2026-00000001");
  ApplyPosting(c, kNoon);
  EXPECT_EQ(c.state(), v1::CERTIFICATE_POSTED);
  EXPECT_EQ(FromProtoTime(c.issuable_time()), kNoon + absl::Hours(24 * 7));
  const absl::Status early = CheckIssuable(c, kNoon + absl::Hours(24 * 7) - absl::Seconds(1));
  EXPECT_EQ(ErrorReason(early).value_or(""), "POSTING_PERIOD_NOT_OVER");
  EXPECT_NE(early.message().find("can be issued from 2026-12-09 12:00 UTC"), std::string::npos)
      << early.message();
  EXPECT_TRUE(CheckIssuable(c, kNoon + absl::Hours(24 * 7)).ok());
  c.set_state(v1::CERTIFICATE_REVOKED);
  EXPECT_EQ(ErrorReason(CheckIssuable(c, kNoon + absl::Hours(24 * 8))).value_or(""),
            "CERTIFICATE_REVOKED");
}

}  // namespace
}  // namespace grassroots::volunteer
