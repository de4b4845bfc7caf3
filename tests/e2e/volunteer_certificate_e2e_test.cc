// A certificate of service hours through the gateway with the real
// processes: the hours credited on gRPC, the certificate posted on the
// JSON edge by a street organiser carrying the masked identity, the hours,
// content and issuer under a unique number; issuing refused on both edges
// before the 7 days of posting are over (the refusal names when), then
// revoked with its reason; a viewer refused a post, another street refused
// the volunteer. (Issuing after the 7 days is shown by the integration
// tests, on a clock they move: the processes here run on the real one.)
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/volunteer/v1/certificate.grpc.pb.h"
#include "grassroots/volunteer/v1/credit.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/e2e/volunteer_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::Parse;
using testing::VolunteerGatewayTest;
namespace v1 = volunteer::v1;

TEST_F(VolunteerGatewayTest, ACertificatePostedRefusedEarlyAndRevokedOnBothEdges) {
  auto made =
      PostJson("VolunteerService/CreateVolunteer",
               R"({"volunteer":{"communityPath":"ve-d/s1/c3","name":"王秀英"}})", "street-secret");
  ASSERT_EQ(made.status, 200) << made.body;
  const auto volunteer = Parse<v1::Volunteer>(made.body);
  auto credits = v1::CreditService::NewStub(GatewayChannel());
  v1::CreditEventRequest credit;
  credit.mutable_credit()->set_source("dualreg");
  credit.mutable_credit()->set_event_id("ve-cert-1");
  credit.mutable_credit()->set_volunteer_id(volunteer.id());
  credit.mutable_credit()->set_minutes(150);
  v1::Credit credited;
  grpc::Status s = credits->CreditEvent(Context("city-secret").get(), credit, &credited);
  ASSERT_TRUE(s.ok()) << s.error_message();

  const std::string post = absl::StrCat(R"({"certificate":{"volunteerId":")", volunteer.id(),
                                        R"(","content":"evening patrols, 2026",)"
                                        R"("issuer":"XX社区居民委员会"},"requestId":"ve-cert-1"})");
  EXPECT_EQ(PostJson("CertificateService/PostCertificate", post, "viewer-secret").status, 403);
  const absl::Time before = absl::Now() - absl::Seconds(1);
  auto posted = PostJson("CertificateService/PostCertificate", post, "street-secret");
  ASSERT_EQ(posted.status, 200) << posted.body;
  const auto certificate = Parse<v1::Certificate>(posted.body);
  EXPECT_EQ(certificate.state(), v1::CERTIFICATE_POSTED);
  EXPECT_EQ(certificate.number().substr(0, 3), "VC-");
  EXPECT_EQ(certificate.masked_name(), "王*英");
  EXPECT_EQ(posted.body.find("王秀英"), std::string::npos) << posted.body;
  EXPECT_EQ(certificate.service_minutes(), 150);
  EXPECT_EQ(certificate.content(), "evening patrols, 2026");
  EXPECT_EQ(certificate.issuer(), "XX社区居民委员会");
  EXPECT_GE(FromProtoTime(certificate.post_time()), before);
  EXPECT_EQ(FromProtoTime(certificate.issuable_time()) - FromProtoTime(certificate.post_time()),
            absl::Hours(24 * 7));
  // The same request id is the same certificate; another is a new number.
  auto replay = PostJson("CertificateService/PostCertificate", post, "street-secret");
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(Parse<v1::Certificate>(replay.body).number(), certificate.number());

  const std::string number = absl::StrCat(R"({"number":")", certificate.number(), R"("})");
  auto early = PostJson("CertificateService/IssueCertificate", number, "street-secret");
  EXPECT_EQ(early.status, 400) << early.body;
  EXPECT_NE(early.body.find(R"("reason":"POSTING_PERIOD_NOT_OVER")"), std::string::npos)
      << early.body;
  const std::string from = absl::FormatTime(
      "%Y-%m-%d %H:%M UTC", FromProtoTime(certificate.issuable_time()), absl::UTCTimeZone());
  EXPECT_NE(early.body.find("can be issued from " + from), std::string::npos) << early.body;
  auto certificates = v1::CertificateService::NewStub(GatewayChannel());
  v1::CertificateRequest issue;
  issue.set_number(certificate.number());
  v1::Certificate answer;
  s = certificates->IssueCertificate(Context("street-secret").get(), issue, &answer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  // Another street's organiser sees neither the volunteer nor the certificate.
  auto other =
      PostJson("VolunteerService/CreateVolunteer",
               R"({"volunteer":{"communityPath":"ve-d/s2/c1","name":"李四"}})", "city-secret");
  ASSERT_EQ(other.status, 200) << other.body;
  auto foreign = PostJson(
      "CertificateService/PostCertificate",
      absl::StrCat(R"({"certificate":{"volunteerId":")", Parse<v1::Volunteer>(other.body).id(),
                   R"(","content":"x","issuer":"y"}})"),
      "street-secret");
  EXPECT_EQ(foreign.status, 403) << foreign.body;

  v1::RevokeCertificateRequest revoke;
  revoke.set_number(certificate.number());
  revoke.set_reason("the patrol hours were entered twice");
  v1::Certificate revoked;
  s = certificates->RevokeCertificate(Context("street-secret").get(), revoke, &revoked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(revoked.state(), v1::CERTIFICATE_REVOKED);
  auto read = PostJson("CertificateService/GetCertificate", number, "viewer-secret");
  ASSERT_EQ(read.status, 200) << read.body;
  const auto shown = Parse<v1::Certificate>(read.body);
  EXPECT_EQ(shown.state(), v1::CERTIFICATE_REVOKED);
  EXPECT_EQ(shown.revoke_reason(), "the patrol hours were entered twice");
  auto listed =
      PostJson("CertificateService/ListCertificates",
               absl::StrCat(R"({"volunteerId":")", volunteer.id(), R"("})"), "viewer-secret");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto list = Parse<v1::ListCertificatesResponse>(listed.body);
  ASSERT_EQ(list.certificates_size(), 1) << listed.body;
  EXPECT_EQ(list.certificates(0).number(), certificate.number());
  auto after = PostJson("CertificateService/IssueCertificate", number, "street-secret");
  EXPECT_EQ(after.status, 400) << after.body;
}

}  // namespace
}  // namespace grassroots
