#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/principal_codec.h"
#include "common/time/clock.h"

namespace grassroots::gateway {

// Signed principals for forwarded calls. A token is valid for `lifetime`
// and reused for the first fifth of it, so a busy key costs one HMAC a
// minute instead of one a call, and a revoked key's token dies within the
// lifetime. Keyed by the whole principal, so a key whose roles or scope
// change in the keys file gets a new token at once.
class PrincipalTokens {
 public:
  PrincipalTokens(const PrincipalCodec& codec, const Clock& clock,
                  absl::Duration lifetime = absl::Minutes(5))
      : codec_(codec), clock_(clock), lifetime_(lifetime) {}

  std::string For(const common::v1::Principal& principal);

 private:
  static constexpr size_t kMaxRemembered = 50000;
  struct Token {
    std::string value;
    absl::Time refresh_after;
  };
  const PrincipalCodec& codec_;
  const Clock& clock_;
  const absl::Duration lifetime_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Token> by_principal_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grassroots::gateway
