#include "common/text/person_identifiers.h"

#include "absl/strings/ascii.h"
#include "common/status/errors.h"

namespace grassroots {

absl::StatusOr<std::string> NormalisePhone(absl::string_view field, absl::string_view phone) {
  std::string out;
  for (const char c : phone) {
    if (c == ' ' || c == '-') continue;
    const bool leading_plus = c == '+' && out.empty();
    if (!leading_plus && !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return InvalidField(field, "PHONE_INVALID",
                          "may hold only digits, spaces, '-' and a leading '+'");
    }
    out.push_back(c);
  }
  const size_t digits = out.size() - (out.starts_with('+') ? 1 : 0);
  if (digits < 5 || digits > 20) {
    return InvalidField(field, "PHONE_INVALID", "must have 5 to 20 digits");
  }
  return out;
}

absl::StatusOr<std::string> NormaliseIdNumber(absl::string_view field,
                                              absl::string_view id_number) {
  std::string id = absl::AsciiStrToUpper(id_number);
  if (id.size() != 18) {
    return InvalidField(field, "ID_NUMBER_INVALID", "must have 18 characters");
  }
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) {
      return InvalidField(field, "ID_NUMBER_INVALID", "the first 17 characters must be digits");
    }
    sum += (id[i] - '0') * kWeights[i];
  }
  if (id[17] != kCheck[sum % 11]) {
    return InvalidField(field, "ID_NUMBER_CHECK_FAILED",
                        "the check character does not match: the number is mistyped");
  }
  return id;
}

}  // namespace grassroots
