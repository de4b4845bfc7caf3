// Bearer tokens: what the gateway accepts and every way it refuses.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "services/gateway/jwt_signer.h"
#include "services/gateway/jwt_verifier.h"

namespace grassroots::gateway {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test";
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

struct RsaPair {
  std::string private_pem;
  std::string public_pem;
};

RsaPair NewRsaPair() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  RsaPair pair;
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  pair.private_pem.assign(data, static_cast<size_t>(size));
  BIO_free(out);
  out = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(out, key);
  size = BIO_get_mem_data(out, &data);
  pair.public_pem.assign(data, static_cast<size_t>(size));
  BIO_free(out);
  EVP_PKEY_free(key);
  return pair;
}

const RsaPair& Rsa() {
  static const RsaPair* pair = new RsaPair(NewRsaPair());
  return *pair;
}

JwtClaims Claims() {
  JwtClaims claims;
  claims.issuer = "https://id.example.gov";
  claims.audience = "grassroots";
  claims.subject = "app-user-7";
  claims.roles = {"orgs.viewer"};
  claims.jurisdiction = "d01/s03";
  claims.expires = kNow + absl::Minutes(10);
  return claims;
}

class JwtTest : public ::testing::Test {
 protected:
  JwtTest() : clock_(kNow) {
    auto verifier = JwtVerifier::Create(
        {"https://id.example.gov", "grassroots", kSecret, Rsa().public_pem, absl::Seconds(30)},
        clock_);
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  std::string Reason(const std::string& token) {
    auto principal = verifier_->Verify(token);
    EXPECT_FALSE(principal.ok());
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    return ErrorReason(principal.status()).value_or("");
  }

  ManualClock clock_;
  std::unique_ptr<JwtVerifier> verifier_;
};

TEST_F(JwtTest, Hs256TokenBecomesThePrincipal) {
  auto principal = verifier_->Verify(*SignJwtHs256(Claims(), kSecret));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->id(), "app-user-7");
  EXPECT_EQ(principal->scope_path(), "d01/s03");
  ASSERT_EQ(principal->roles_size(), 1);
  EXPECT_EQ(principal->roles(0), "orgs.viewer");
}

TEST_F(JwtTest, Rs256TokenBecomesThePrincipal) {
  auto principal = verifier_->Verify(*SignJwtRs256(Claims(), Rsa().private_pem));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->id(), "app-user-7");
}

TEST_F(JwtTest, ExpiryAndNotBeforeHonourTheLeeway) {
  JwtClaims claims = Claims();
  claims.expires = kNow - absl::Seconds(29);
  EXPECT_TRUE(verifier_->Verify(*SignJwtHs256(claims, kSecret)).ok());
  claims.expires = kNow - absl::Seconds(31);
  EXPECT_EQ(Reason(*SignJwtHs256(claims, kSecret)), "TOKEN_EXPIRED");
  claims = Claims();
  claims.not_before = kNow + absl::Minutes(2);
  EXPECT_EQ(Reason(*SignJwtHs256(claims, kSecret)), "TOKEN_NOT_YET_VALID");
}

TEST_F(JwtTest, RememberedTokenStillExpires) {
  const std::string token = *SignJwtHs256(Claims(), kSecret);
  ASSERT_TRUE(verifier_->Verify(token).ok());
  clock_.Advance(absl::Minutes(11));
  EXPECT_EQ(Reason(token), "TOKEN_EXPIRED");
}

TEST_F(JwtTest, WrongAudienceOrIssuerIsRefused) {
  JwtClaims claims = Claims();
  claims.audience = "another-system";
  EXPECT_EQ(Reason(*SignJwtHs256(claims, kSecret)), "TOKEN_AUDIENCE_INVALID");
  claims = Claims();
  claims.issuer = "https://evil.example";
  EXPECT_EQ(Reason(*SignJwtHs256(claims, kSecret)), "TOKEN_ISSUER_INVALID");
}

TEST_F(JwtTest, TamperedPayloadOrSignatureIsRefused) {
  const std::string token = *SignJwtHs256(Claims(), kSecret);
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  JwtClaims widened = Claims();
  widened.jurisdiction = "";  // the whole city
  const std::string tampered = absl::StrCat(
      parts[0], ".", absl::WebSafeBase64Escape(JwtPayloadJson(widened)), ".", parts[2]);
  EXPECT_EQ(Reason(tampered), "TOKEN_SIGNATURE_INVALID");
  // A changed signature byte, well inside the signature.
  std::string flipped = token;
  char& c = flipped[flipped.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(Reason(flipped), "TOKEN_SIGNATURE_INVALID");
  // The last character of a 32-byte signature carries two unused bits: a
  // token that sets them is the same signature written another way, refused
  // so that each signature has one spelling.
  std::string respelled = token;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t value = alphabet.find(respelled.back());
  respelled.back() = alphabet[value ^ 1];
  EXPECT_EQ(Reason(respelled), "TOKEN_MALFORMED");
  EXPECT_EQ(Reason(*SignJwtHs256(Claims(), kSecret + "x")), "TOKEN_SIGNATURE_INVALID");
}

TEST_F(JwtTest, AlgorithmNoneAndKeyConfusionAreRefused) {
  const std::string payload = absl::WebSafeBase64Escape(JwtPayloadJson(Claims()));
  const std::string none =
      absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none"})"), ".", payload, ".");
  EXPECT_EQ(Reason(none), "TOKEN_MALFORMED");
  const std::string none_signed =
      absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none"})"), ".", payload, ".AAAA");
  EXPECT_EQ(Reason(none_signed), "TOKEN_ALGORITHM_REFUSED");
  // HS256 "signed" with the RSA public key as the secret.
  EXPECT_EQ(Reason(*SignJwtHs256(Claims(), Rsa().public_pem)), "TOKEN_SIGNATURE_INVALID");
  // RS256 token for a gateway with only an HS256 secret.
  auto hs_only = JwtVerifier::Create(
      {"https://id.example.gov", "grassroots", kSecret, "", absl::Seconds(30)}, clock_);
  ASSERT_TRUE(hs_only.ok());
  auto refused = (*hs_only)->Verify(*SignJwtRs256(Claims(), Rsa().private_pem));
  EXPECT_EQ(ErrorReason(refused.status()).value_or(""), "TOKEN_ALGORITHM_REFUSED");
}

TEST_F(JwtTest, MalformedTokensAreRefused) {
  EXPECT_EQ(Reason(""), "TOKEN_MALFORMED");
  EXPECT_EQ(Reason("a.b"), "TOKEN_MALFORMED");
  EXPECT_EQ(Reason("!!!.???.***"), "TOKEN_MALFORMED");
  EXPECT_EQ(Reason(absl::StrCat(absl::WebSafeBase64Escape("[1,2]"), ".e30.AAAA")),
            "TOKEN_MALFORMED");
  JwtClaims claims = Claims();
  claims.subject = "";
  EXPECT_EQ(Reason(*SignJwtHs256(claims, kSecret)), "TOKEN_MALFORMED");
}

TEST(JwtConfigTest, RefusesIncompleteOrWeakSettings) {
  ManualClock clock(kNow);
  EXPECT_FALSE(JwtVerifier::Create({"", "aud", kSecret, "", absl::Seconds(30)}, clock).ok());
  EXPECT_FALSE(JwtVerifier::Create({"iss", "aud", "short", "", absl::Seconds(30)}, clock).ok());
  EXPECT_FALSE(JwtVerifier::Create({"iss", "aud", "", "not a pem", absl::Seconds(30)}, clock).ok());
  auto disabled = JwtVerifier::Create({}, clock);
  ASSERT_TRUE(disabled.ok());
  EXPECT_FALSE((*disabled)->enabled());
  EXPECT_FALSE((*disabled)->Verify(*SignJwtHs256(Claims(), kSecret)).ok());
}

}  // namespace
}  // namespace grassroots::gateway
