#include "services/gateway/principal_tokens.h"

namespace grassroots::gateway {

std::string PrincipalTokens::For(const common::v1::Principal& principal) {
  common::v1::Principal unsigned_principal = principal;
  unsigned_principal.clear_expires_unix_seconds();
  const std::string key = unsigned_principal.SerializeAsString();
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = by_principal_.find(key);
    if (it != by_principal_.end() && now < it->second.refresh_after) return it->second.value;
  }
  unsigned_principal.set_expires_unix_seconds(absl::ToUnixSeconds(now + lifetime_));
  Token token{codec_.Sign(unsigned_principal), now + lifetime_ / 5};
  absl::MutexLock lock(&mu_);
  // One entry per distinct caller: with bearer tokens that is every app
  // user, so the map is emptied when it grows large (each caller then pays
  // one HMAC again).
  if (by_principal_.size() >= kMaxRemembered) by_principal_.clear();
  by_principal_[key] = token;
  return token.value;
}

}  // namespace grassroots::gateway
