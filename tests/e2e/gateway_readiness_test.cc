// The gateway's /readyz while its backends close connections on their own:
// every server ends a connection after --max-connection-age-ms (so clients
// rebalance), and a backend that does so is still up. Readiness must not
// read that moment as the backend being gone.
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "tests/e2e/gateway_fixture.h"

namespace grassroots {
namespace {

using testing::GatewayProcessTest;
using testing::HttpClient;
using testing::HttpResult;

int ReadyzWithin(HttpClient& http, absl::Duration wait) {
  const absl::Time deadline = absl::Now() + wait;
  int status = http.Get("/readyz").status;
  while (status != 200 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
    status = http.Get("/readyz").status;
  }
  return status;
}

TEST_F(GatewayProcessTest, ReadyzStaysReadyWhileBackendsRecycleConnections) {
  RestartOrgs({"--max-connection-age-ms=1000"});
  ASSERT_EQ(ReadyzWithin(*http_, absl::Seconds(20)), 200);
  // Each pause outlasts a connection's age: every probe comes after orgs
  // closed the gateway's connections at least once, with no call between.
  for (int i = 0; i < 6; ++i) {
    absl::SleepFor(absl::Milliseconds(1500));
    auto answer = http_->Get("/readyz");
    EXPECT_EQ(answer.status, 200) << "probe " << i << ": " << answer.body;
  }
}

// The wait above must not hide a backend that is gone: readiness turns
// within a couple of seconds of the kill, each probe answered quickly.
TEST_F(GatewayProcessTest, ReadyzNamesABackendThatIsDownPromptly) {
  ASSERT_EQ(ReadyzWithin(*http_, absl::Seconds(20)), 200);
  orgs_.reset();
  const absl::Time killed = absl::Now();
  HttpResult answer;
  do {
    const absl::Time asked = absl::Now();
    answer = http_->Get("/readyz");
    EXPECT_LT(absl::Now() - asked, absl::Milliseconds(1500));
  } while (answer.status == 200 && absl::Now() - killed < absl::Seconds(5));
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_NE(answer.body.find("grassroots.orgs.v1"), std::string::npos) << answer.body;
  EXPECT_LT(absl::Now() - killed, absl::Seconds(3));
}

}  // namespace
}  // namespace grassroots
