// Certificates of service hours against a real MariaDB, on a clock the
// tests move: the volunteer's identity (masked) and record of hours as
// posted, a unique number, no issue before 7 days of posting (the refusal
// names when), revocation, replays by request id and a street's scope.
#include <gtest/gtest.h>

#include <set>

#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

class CertificateTest : public VolunteerServiceTest {
 protected:
  void SetUp() override { CertificateClock(*suite_).Set(absl::Now()); }

  absl::StatusOr<v1::Certificate> Post(const std::string& volunteer,
                                       const std::string& request_id = "",
                                       const std::string& scope = "") const {
    v1::PostCertificateRequest request;
    request.mutable_certificate()->set_volunteer_id(volunteer);
    request.mutable_certificate()->set_content("evening patrols, 2026");
    request.mutable_certificate()->set_issuer("XX社区居民委员会");
    request.set_request_id(request_id);
    return Rpc(*certificates_, &v1::CertificateService::Stub::PostCertificate, request, scope);
  }
  absl::StatusOr<v1::Certificate> Issue(const std::string& number) const {
    v1::CertificateRequest request;
    request.set_number(number);
    return Rpc(*certificates_, &v1::CertificateService::Stub::IssueCertificate, request);
  }
  absl::StatusOr<v1::Certificate> Revoke(const std::string& number,
                                         const std::string& reason) const {
    v1::RevokeCertificateRequest request;
    request.set_number(number);
    request.set_reason(reason);
    return Rpc(*certificates_, &v1::CertificateService::Stub::RevokeCertificate, request);
  }
};

TEST_F(CertificateTest, ACertificateIsIssuedOnlyAfterSevenDaysPosted) {
  auto v = NewVolunteer("cc1/s1/c1", "王秀英");
  ASSERT_TRUE(v.ok()) << v.status();
  v1::CreditEventRequest credit;
  credit.mutable_credit()->set_source("dualreg");
  credit.mutable_credit()->set_event_id("cert-1");
  credit.mutable_credit()->set_volunteer_id(v->id());
  credit.mutable_credit()->set_minutes(150);
  ASSERT_TRUE(Rpc(*credits_, &v1::CreditService::Stub::CreditEvent, credit).ok());

  auto posted = Post(v->id());
  ASSERT_TRUE(posted.ok()) << posted.status();
  EXPECT_EQ(posted->state(), v1::CERTIFICATE_POSTED);
  EXPECT_EQ(posted->service_minutes(), 150);
  EXPECT_EQ(posted->masked_name(), "王*英");
  EXPECT_EQ(posted->community_path(), "cc1/s1/c1");
  EXPECT_EQ(posted->issuer(), "XX社区居民委员会");
  EXPECT_EQ(posted->number().substr(0, 3), "VC-");
  EXPECT_EQ(FromProtoTime(posted->issuable_time()) - FromProtoTime(posted->post_time()),
            absl::Hours(24 * 7));

  CertificateClock(*suite_).Advance(absl::Hours(24 * 7) - absl::Minutes(1));
  auto early = Issue(posted->number());
  EXPECT_EQ(Reason(early.status()), "POSTING_PERIOD_NOT_OVER");
  const std::string from = absl::FormatTime(
      "%Y-%m-%d %H:%M UTC", FromProtoTime(posted->issuable_time()), absl::UTCTimeZone());
  EXPECT_NE(early.status().message().find("can be issued from " + from), std::string::npos)
      << early.status();
  CertificateClock(*suite_).Advance(absl::Minutes(2));
  auto issued = Issue(posted->number());
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->state(), v1::CERTIFICATE_ISSUED);
  auto again = Issue(posted->number());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->issue_time().seconds(), issued->issue_time().seconds());
}

TEST_F(CertificateTest, ARevokedCertificateIsNeverIssuedAndKeepsItsNumber) {
  auto v = NewVolunteer("cc2/s1/c1");
  ASSERT_TRUE(v.ok()) << v.status();
  auto posted = Post(v->id());
  ASSERT_TRUE(posted.ok()) << posted.status();
  EXPECT_EQ(ErrorField(Revoke(posted->number(), "").status()).value_or(""), "reason");
  auto revoked = Revoke(posted->number(), "hours recorded twice");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->state(), v1::CERTIFICATE_REVOKED);
  EXPECT_EQ(revoked->revoke_reason(), "hours recorded twice");
  CertificateClock(*suite_).Advance(absl::Hours(24 * 8));
  EXPECT_EQ(Reason(Issue(posted->number()).status()), "CERTIFICATE_REVOKED");
  v1::CertificateRequest get;
  get.set_number(posted->number());
  auto got = Rpc(*certificates_, &v1::CertificateService::Stub::GetCertificate, get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->state(), v1::CERTIFICATE_REVOKED);
}

TEST_F(CertificateTest, NumbersAreUniqueAndAReplayAnswersTheFirst) {
  auto v = NewVolunteer("cc3/s1/c1");
  ASSERT_TRUE(v.ok()) << v.status();
  auto first = Post(v->id(), "cert-req-1");
  ASSERT_TRUE(first.ok()) << first.status();
  auto replay = Post(v->id(), "cert-req-1");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->number(), first->number());
  std::set<std::string> numbers = {first->number()};
  for (int i = 0; i < 4; ++i) {
    auto more = Post(v->id());
    ASSERT_TRUE(more.ok()) << more.status();
    numbers.insert(more->number());
  }
  EXPECT_EQ(numbers.size(), 5u);
  v1::ListCertificatesRequest list;
  list.set_volunteer_id(v->id());
  list.set_page_size(3);
  auto page = Rpc(*certificates_, &v1::CertificateService::Stub::ListCertificates, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->certificates_size(), 3);
  EXPECT_GT(page->certificates(0).number(), page->certificates(1).number());
  list.set_page_token(page->next_page_token());
  auto rest = Rpc(*certificates_, &v1::CertificateService::Stub::ListCertificates, list);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->certificates_size(), 2);
  EXPECT_TRUE(rest->next_page_token().empty());
  EXPECT_EQ(rest->certificates(1).number(), first->number());
}

TEST_F(CertificateTest, AStreetCertifiesOnlyItsOwnVolunteers) {
  auto v = NewVolunteer("cc4/s1/c1");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(Reason(Post(v->id(), "", "cc4/s2").status()), "OUT_OF_SCOPE");
  EXPECT_TRUE(Post(v->id(), "", "cc4/s1").ok());
  EXPECT_EQ(Reason(Post("vl_missing").status()), "VOLUNTEER_NOT_FOUND");
}

}  // namespace
}  // namespace grassroots::volunteer::testing
