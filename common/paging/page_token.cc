#include "common/paging/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots {
namespace {
constexpr char kVersion[] = "p1";
}

std::string EncodePageToken(absl::string_view query_fingerprint, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(kVersion, "\n", query_fingerprint, "\n", last_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query_fingerprint) {
  std::string raw;
  const std::string prefix = absl::StrCat(kVersion, "\n", query_fingerprint, "\n");
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.rfind(prefix, 0) != 0) {
    return InvalidField("page_token", "PAGE_TOKEN_INVALID",
                        "is not a token this query returned; start again without it");
  }
  return raw.substr(prefix.size());
}

absl::StatusOr<int> EffectivePageSize(int requested, int default_size, int max_size) {
  if (requested < 0) return InvalidField("page_size", "PAGE_SIZE_NEGATIVE", "must not be negative");
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : requested;
}

}  // namespace grassroots
