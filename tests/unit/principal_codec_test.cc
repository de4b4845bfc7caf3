#include "common/auth/principal_codec.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"

namespace grassroots {
namespace {

constexpr char kKey[] = "0123456789abcdef0123456789abcdef";

common::v1::Principal Sample(absl::Time expiry) {
  common::v1::Principal p;
  p.set_id("street-officer");
  p.add_roles("orgs.admin");
  p.set_scope_path("d01/s03");
  p.set_expires_unix_seconds(absl::ToUnixSeconds(expiry));
  return p;
}

TEST(PrincipalCodecTest, RoundTrips) {
  auto codec = PrincipalCodec::Create(kKey);
  ASSERT_TRUE(codec.ok());
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  auto verified = codec->Verify(codec->Sign(Sample(now + absl::Minutes(5))), now);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->scope_path(), "d01/s03");
  EXPECT_EQ(verified->roles(0), "orgs.admin");
}

TEST(PrincipalCodecTest, RefusesTamperingOtherKeysExpiryAndGarbage) {
  auto codec = *PrincipalCodec::Create(kKey);
  auto other = *PrincipalCodec::Create("another-key-another-key-another-key");
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  std::string token = codec.Sign(Sample(now + absl::Minutes(5)));

  std::string tampered = token;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(absl::IsUnauthenticated(codec.Verify(tampered, now).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(other.Verify(token, now).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(codec.Verify(token, now + absl::Minutes(6)).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(codec.Verify("", now).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(codec.Verify("no-dot-here", now).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(codec.Verify("@@@.###", now).status()));
}

TEST(PrincipalCodecTest, RefusesShortKeys) { EXPECT_FALSE(PrincipalCodec::Create("short").ok()); }

}  // namespace
}  // namespace grassroots
