#include "common/status/errors.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace grassroots {
namespace {

constexpr absl::string_view kReasonUrl = "grassroots/reason";
constexpr absl::string_view kFieldUrl = "grassroots/field";
constexpr absl::string_view kMetadataUrlPrefix = "grassroots/metadata/";

absl::Status Make(absl::StatusCode code, absl::string_view reason, absl::string_view message) {
  return WithReason(absl::Status(code, message), reason);
}

std::optional<std::string> Payload(const absl::Status& status, absl::string_view url) {
  auto payload = status.GetPayload(url);
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

}  // namespace

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  status.SetPayload(kReasonUrl, absl::Cord(reason));
  return status;
}

absl::Status InvalidField(absl::string_view field, absl::string_view reason,
                          absl::string_view message) {
  absl::Status status = Make(absl::StatusCode::kInvalidArgument, reason,
                             std::string(field) + ": " + std::string(message));
  status.SetPayload(kFieldUrl, absl::Cord(field));
  return status;
}

absl::Status NotFound(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kNotFound, r, m);
}
absl::Status AlreadyExists(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kAlreadyExists, r, m);
}
absl::Status FailedPrecondition(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kFailedPrecondition, r, m);
}
absl::Status PermissionDenied(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kPermissionDenied, r, m);
}
absl::Status Aborted(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kAborted, r, m);
}
absl::Status Unavailable(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kUnavailable, r, m);
}
absl::Status Unauthenticated(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kUnauthenticated, r, m);
}
absl::Status ResourceExhausted(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kResourceExhausted, r, m);
}
absl::Status Internal(absl::string_view r, absl::string_view m) {
  return Make(absl::StatusCode::kInternal, r, m);
}

absl::Status WithMetadata(absl::Status status, absl::string_view key, absl::string_view value) {
  status.SetPayload(absl::StrCat(kMetadataUrlPrefix, key), absl::Cord(value));
  return status;
}

std::optional<std::string> ErrorMetadata(const absl::Status& status, absl::string_view key) {
  if (key == "field") return ErrorField(status);
  return Payload(status, absl::StrCat(kMetadataUrlPrefix, key));
}

void ForEachErrorMetadata(const absl::Status& status,
                          const std::function<void(absl::string_view, absl::string_view)>& fn) {
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& value) {
    if (url == kFieldUrl) {
      fn("field", std::string(value));
    } else if (absl::StartsWith(url, kMetadataUrlPrefix)) {
      fn(url.substr(kMetadataUrlPrefix.size()), std::string(value));
    }
  });
}

std::optional<std::string> ErrorReason(const absl::Status& status) {
  return Payload(status, kReasonUrl);
}
std::optional<std::string> ErrorField(const absl::Status& status) {
  return Payload(status, kFieldUrl);
}

}  // namespace grassroots
