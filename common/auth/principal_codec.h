#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grassroots/common/v1/principal.pb.h"

namespace grassroots {

// Metadata key carrying the signed principal from the gateway to services.
inline constexpr absl::string_view kPrincipalMetadataKey = "x-grassroots-principal";

// Signs and verifies principals with HMAC-SHA256 under the suite's internal
// key. The wire form is base64url(serialized Principal) "." base64url(mac).
class PrincipalCodec {
 public:
  // The key must be at least 32 bytes; Create refuses shorter ones.
  static absl::StatusOr<PrincipalCodec> Create(std::string key);

  std::string Sign(const common::v1::Principal& principal) const;
  // UNAUTHENTICATED when missing, malformed, badly signed or expired at `now`.
  absl::StatusOr<common::v1::Principal> Verify(absl::string_view token, absl::Time now) const;

 private:
  explicit PrincipalCodec(std::string key) : key_(std::move(key)) {}
  std::string Mac(absl::string_view payload) const;
  std::string key_;
};

}  // namespace grassroots
