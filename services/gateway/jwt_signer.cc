#include "services/gateway/jwt_signer.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace grassroots::gateway {
namespace {

std::string Encode(absl::string_view bytes) { return absl::WebSafeBase64Escape(bytes); }

std::string SigningInput(absl::string_view algorithm, const JwtClaims& claims) {
  return absl::StrCat(Encode(absl::StrCat(R"({"alg":")", algorithm, R"(","typ":"JWT"})")), ".",
                      Encode(JwtPayloadJson(claims)));
}

}  // namespace

std::string JwtPayloadJson(const JwtClaims& claims) {
  google::protobuf::Struct payload;
  auto& fields = *payload.mutable_fields();
  fields["iss"].set_string_value(claims.issuer);
  fields["aud"].set_string_value(claims.audience);
  fields["sub"].set_string_value(claims.subject);
  fields["jurisdiction"].set_string_value(claims.jurisdiction);
  auto* roles = fields["roles"].mutable_list_value();
  for (const auto& role : claims.roles) roles->add_values()->set_string_value(role);
  fields["exp"].set_number_value(static_cast<double>(absl::ToUnixSeconds(claims.expires)));
  if (claims.not_before != absl::InfinitePast()) {
    fields["nbf"].set_number_value(static_cast<double>(absl::ToUnixSeconds(claims.not_before)));
  }
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(payload, &json);
  return json;
}

absl::StatusOr<std::string> SignJwtHs256(const JwtClaims& claims, const std::string& secret) {
  const std::string input = SigningInput("HS256", claims);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
           &size) == nullptr) {
    return absl::InternalError("HMAC failed");
  }
  return absl::StrCat(input, ".", Encode(absl::string_view(reinterpret_cast<char*>(mac), size)));
}

absl::StatusOr<std::string> SignJwtRs256(const JwtClaims& claims,
                                         const std::string& private_key_pem) {
  BIO* bio = BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM private key");
  const std::string input = SigningInput("RS256", claims);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t size = 0;
  std::string signature;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &size,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    signature.resize(size);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    signature.resize(size);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  if (!ok) return absl::InternalError("RS256 signing failed");
  return absl::StrCat(input, ".", Encode(signature));
}

}  // namespace grassroots::gateway
