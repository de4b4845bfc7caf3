#include "services/gateway/call_gate.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::gateway {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

absl::Status NotAuthenticated() {
  return Unauthenticated("CREDENTIALS_INVALID", "caller is not authenticated");
}

}  // namespace

absl::StatusOr<common::v1::Principal> CallGate::Authenticate(const Credentials& credentials,
                                                             std::string* log_note) {
  if (!credentials.api_key.empty()) {
    auto principal = keys_.Authenticate(std::string(credentials.api_key));
    if (principal) return *std::move(principal);
    *log_note = "unknown api key";
    return NotAuthenticated();
  }
  if (absl::StartsWithIgnoreCase(credentials.authorization, kBearer)) {
    auto principal = tokens_.Verify(credentials.authorization.substr(kBearer.size()));
    if (principal.ok()) return principal;
    *log_note = absl::StrCat(ErrorReason(principal.status()).value_or("TOKEN_INVALID"), ": ",
                             principal.status().message());
    return NotAuthenticated();
  }
  if (credentials.authorization.empty() && !credentials.certificate_name.empty()) {
    auto principal = keys_.AuthenticateCertificate(credentials.certificate_name);
    if (principal) return *std::move(principal);
    *log_note = "client certificate not in the keys file";
    return NotAuthenticated();
  }
  *log_note = credentials.authorization.empty() ? "no credentials" : "unsupported authorization";
  return NotAuthenticated();
}

absl::Status CallGate::Admit(absl::string_view path, const Credentials& credentials,
                             Admission* admission, std::string* log_note) {
  auto method = methods_.Find(path);
  if (!method.ok()) return method.status();
  admission->method = *method;
  auto principal = Authenticate(credentials, log_note);
  if (!principal.ok()) return principal.status();
  admission->principal = *std::move(principal);
  if (auto wait = limiter_.Admit(admission->principal.id())) {
    const int64_t seconds =
        std::max<int64_t>(1, static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(*wait))));
    return WithMetadata(
        ResourceExhausted("RATE_LIMITED", absl::StrCat("too many calls; retry in ", seconds, " s")),
        "retry_after_seconds", absl::StrCat(seconds));
  }
  return Authorize(**method, admission->principal);
}

}  // namespace grassroots::gateway
