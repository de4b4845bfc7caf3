#include "services/gateway/jwt_verifier.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cmath>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace grassroots::gateway {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Verified tokens kept at most; the map is emptied when full, which only
// costs a signature check per token again.
constexpr size_t kMaxRemembered = 20000;

absl::Status Refused(absl::string_view reason, absl::string_view why) {
  return Unauthenticated(reason, why);
}

absl::StatusOr<Struct> DecodeJsonPart(absl::string_view part, absl::string_view what) {
  std::string json;
  if (!absl::WebSafeBase64Unescape(part, &json)) {
    return Refused("TOKEN_MALFORMED", std::string(what) + " is not base64url");
  }
  Struct parsed;
  if (!google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) {
    return Refused("TOKEN_MALFORMED", std::string(what) + " is not a JSON object");
  }
  return parsed;
}

const Value* Claim(const Struct& claims, const std::string& name) {
  auto it = claims.fields().find(name);
  return it == claims.fields().end() ? nullptr : &it->second;
}

// A NumericDate claim (seconds since the epoch), if present and numeric.
absl::StatusOr<std::optional<absl::Time>> TimeClaim(const Struct& claims, const std::string& name) {
  const Value* value = Claim(claims, name);
  if (value == nullptr) return std::nullopt;
  if (value->kind_case() != Value::kNumberValue || !std::isfinite(value->number_value())) {
    return Refused("TOKEN_MALFORMED", name + " is not a number");
  }
  return absl::FromUnixSeconds(static_cast<int64_t>(value->number_value()));
}

bool AudienceMatches(const Value& aud, const std::string& expected) {
  if (aud.kind_case() == Value::kStringValue) return aud.string_value() == expected;
  if (aud.kind_case() != Value::kListValue) return false;
  for (const Value& one : aud.list_value().values()) {
    if (one.kind_case() == Value::kStringValue && one.string_value() == expected) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(JwtSettings settings,
                                                                 const Clock& clock) {
  const bool any_key = !settings.hs256_secret.empty() || !settings.rs256_public_key_pem.empty();
  if (any_key && (settings.issuer.empty() || settings.audience.empty())) {
    return absl::InvalidArgumentError(
        "configuration: jwt-issuer and jwt-audience are required when a JWT key is set");
  }
  if (!settings.hs256_secret.empty() && settings.hs256_secret.size() < 32) {
    return absl::InvalidArgumentError(
        "configuration: jwt-hs256-secret must be at least 32 bytes (RFC 7518 3.2)");
  }
  std::unique_ptr<JwtVerifier> verifier(new JwtVerifier(std::move(settings), clock));
  if (!verifier->settings_.rs256_public_key_pem.empty()) {
    const std::string& pem = verifier->settings_.rs256_public_key_pem;
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    verifier->public_key_ = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (verifier->public_key_ == nullptr ||
        EVP_PKEY_base_id(verifier->public_key_) != EVP_PKEY_RSA) {
      return absl::InvalidArgumentError(
          "configuration: jwt-rs256-public-key-file does not hold a PEM RSA public key");
    }
  }
  return verifier;
}

JwtVerifier::~JwtVerifier() { EVP_PKEY_free(public_key_); }

absl::Status JwtVerifier::CheckSignature(absl::string_view algorithm, absl::string_view signed_part,
                                         absl::string_view signature) const {
  if (algorithm == "HS256" && !settings_.hs256_secret.empty()) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    HMAC(EVP_sha256(), settings_.hs256_secret.data(),
         static_cast<int>(settings_.hs256_secret.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
         &mac_size);
    if (signature.size() == mac_size && CRYPTO_memcmp(mac, signature.data(), mac_size) == 0) {
      return absl::OkStatus();
    }
    return Refused("TOKEN_SIGNATURE_INVALID", "HS256 signature does not match");
  }
  if (algorithm == "RS256" && public_key_ != nullptr) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool valid =
        EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, public_key_) == 1 &&
        EVP_DigestVerify(
            ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
            reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
    EVP_MD_CTX_free(ctx);
    if (valid) return absl::OkStatus();
    return Refused("TOKEN_SIGNATURE_INVALID", "RS256 signature does not verify");
  }
  return Refused("TOKEN_ALGORITHM_REFUSED",
                 "token algorithm is not one this gateway has a key for");
}

absl::StatusOr<common::v1::Principal> JwtVerifier::VerifyUncached(absl::string_view token,
                                                                  absl::Time* expires) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
    return Refused("TOKEN_MALFORMED", "not a compact JWS of three parts");
  }
  auto header = DecodeJsonPart(parts[0], "header");
  if (!header.ok()) return header.status();
  const Value* alg = Claim(*header, "alg");
  if (alg == nullptr || alg->kind_case() != Value::kStringValue) {
    return Refused("TOKEN_MALFORMED", "header has no alg");
  }
  std::string signature;
  // Only the canonical spelling: the decoder would also take unused bits set
  // in the last character, giving one signature several spellings.
  if (!absl::WebSafeBase64Unescape(parts[2], &signature) ||
      absl::WebSafeBase64Escape(signature) != parts[2]) {
    return Refused("TOKEN_MALFORMED", "signature is not canonical base64url");
  }
  const absl::string_view signed_part(parts[0].data(), parts[0].size() + 1 + parts[1].size());
  if (auto checked = CheckSignature(alg->string_value(), signed_part, signature); !checked.ok()) {
    return checked;
  }
  // Claims are read only once the signature holds.
  auto claims = DecodeJsonPart(parts[1], "payload");
  if (!claims.ok()) return claims.status();
  const absl::Time now = clock_.Now();
  auto exp = TimeClaim(*claims, "exp");
  if (!exp.ok()) return exp.status();
  if (!exp->has_value()) return Refused("TOKEN_MALFORMED", "exp is required");
  if (now >= **exp + settings_.leeway) return Refused("TOKEN_EXPIRED", "token has expired");
  auto nbf = TimeClaim(*claims, "nbf");
  if (!nbf.ok()) return nbf.status();
  if (nbf->has_value() && now + settings_.leeway < **nbf) {
    return Refused("TOKEN_NOT_YET_VALID", "token is not valid yet (nbf)");
  }
  const Value* iss = Claim(*claims, "iss");
  if (iss == nullptr || iss->kind_case() != Value::kStringValue ||
      iss->string_value() != settings_.issuer) {
    return Refused("TOKEN_ISSUER_INVALID", "iss is not the configured issuer");
  }
  const Value* aud = Claim(*claims, "aud");
  if (aud == nullptr || !AudienceMatches(*aud, settings_.audience)) {
    return Refused("TOKEN_AUDIENCE_INVALID", "aud does not name this gateway");
  }
  const Value* sub = Claim(*claims, "sub");
  if (sub == nullptr || sub->kind_case() != Value::kStringValue || sub->string_value().empty()) {
    return Refused("TOKEN_MALFORMED", "sub is required");
  }
  const Value* jurisdiction = Claim(*claims, "jurisdiction");
  if (jurisdiction == nullptr || jurisdiction->kind_case() != Value::kStringValue) {
    return Refused("TOKEN_MALFORMED", "jurisdiction is required (\"\" for the whole city)");
  }
  common::v1::Principal principal;
  principal.set_id(sub->string_value());
  principal.set_scope_path(jurisdiction->string_value());
  if (const Value* roles = Claim(*claims, "roles"); roles != nullptr) {
    if (roles->kind_case() != Value::kListValue) {
      return Refused("TOKEN_MALFORMED", "roles is not an array");
    }
    for (const Value& role : roles->list_value().values()) {
      if (role.kind_case() != Value::kStringValue) {
        return Refused("TOKEN_MALFORMED", "roles holds a non-string");
      }
      principal.add_roles(role.string_value());
    }
  }
  *expires = **exp + settings_.leeway;
  return principal;
}

absl::StatusOr<common::v1::Principal> JwtVerifier::Verify(absl::string_view token) const {
  if (!enabled()) return Refused("TOKEN_NOT_ACCEPTED", "this gateway accepts no bearer tokens");
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = verified_.find(token);
    if (it != verified_.end()) {
      if (now < it->second.expires) return it->second.principal;
      verified_.erase(it);
      return Refused("TOKEN_EXPIRED", "token has expired");
    }
  }
  absl::Time expires;
  auto principal = VerifyUncached(token, &expires);
  if (!principal.ok()) return principal.status();
  absl::MutexLock lock(&mu_);
  if (verified_.size() >= kMaxRemembered) verified_.clear();
  verified_[std::string(token)] = Verified{*principal, expires};
  return principal;
}

}  // namespace grassroots::gateway
