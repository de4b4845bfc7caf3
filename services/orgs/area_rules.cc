#include "services/orgs/area_rules.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

namespace grassroots::orgs {

absl::Status ValidateAreaCode(absl::string_view field, absl::string_view code) {
  auto bad = [&] {
    return InvalidField(field, "AREA_CODE_INVALID",
                        "must be 1 to 32 characters of a-z, 0-9, '-' and '_', starting with a "
                        "letter or digit");
  };
  if (code.empty() || code.size() > 32) return bad();
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return bad();
  }
  return absl::OkStatus();
}

absl::Status ValidateDisplayName(absl::string_view field, absl::string_view name) {
  if (name.empty()) return InvalidField(field, "DISPLAY_NAME_REQUIRED", "must not be empty");
  if (name.size() > 200) {
    return InvalidField(field, "DISPLAY_NAME_TOO_LONG", "must be at most 200 bytes");
  }
  if (!IsPrintableUtf8(name)) {
    return InvalidField(field, "DISPLAY_NAME_INVALID",
                        "must be valid UTF-8 without control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateKind(absl::string_view field, v1::AreaKind kind) {
  switch (kind) {
    case v1::DISTRICT:
    case v1::STREET:
    case v1::TOWN:
    case v1::COMMUNITY:
      return absl::OkStatus();
    default:
      return InvalidField(field, "AREA_KIND_REQUIRED",
                          "must be DISTRICT, STREET, TOWN or COMMUNITY");
  }
}

absl::Status ValidatePlacement(v1::AreaKind kind, v1::AreaKind parent_kind) {
  bool ok = false;
  switch (kind) {
    case v1::DISTRICT:
      ok = parent_kind == v1::AREA_KIND_UNSPECIFIED;
      break;
    case v1::STREET:
    case v1::TOWN:
      ok = parent_kind == v1::DISTRICT;
      break;
    case v1::COMMUNITY:
      ok = parent_kind == v1::STREET || parent_kind == v1::TOWN;
      break;
    default:
      break;
  }
  if (ok) return absl::OkStatus();
  const char* expected = kind == v1::DISTRICT    ? "no parent"
                         : kind == v1::COMMUNITY ? "a STREET or TOWN parent"
                                                 : "a DISTRICT parent";
  return FailedPrecondition(
      "AREA_PLACEMENT_INVALID",
      absl::StrCat("a ", v1::AreaKind_Name(kind), " needs ", expected,
                   parent_kind == v1::AREA_KIND_UNSPECIFIED
                       ? std::string(" but has none")
                       : absl::StrCat(", not a ", v1::AreaKind_Name(parent_kind))));
}

std::string ChildPath(absl::string_view parent_path, absl::string_view code) {
  if (parent_path.empty()) return std::string(code);
  return absl::StrCat(parent_path, "/", code);
}

bool IsSelfOrDescendant(absl::string_view path, absl::string_view ancestor) {
  return !ancestor.empty() && PathWithin(path, ancestor);
}

std::string EtagOf(int64_t version) { return absl::StrCat(version); }

absl::Status CheckEtag(absl::string_view field, absl::string_view etag, int64_t version) {
  if (etag.empty()) return absl::OkStatus();
  int64_t sent = 0;
  if (!absl::SimpleAtoi(etag, &sent)) {
    return InvalidField(field, "ETAG_INVALID", "is not an etag this service returned");
  }
  if (sent != version) {
    return Aborted("ETAG_MISMATCH",
                   "the area changed since it was read; read it again and re-apply the change");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
