#include "services/volunteer/supermarket_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/volunteer/ledger_rules.h"

namespace grassroots::volunteer {
namespace {

absl::Status ValidateCount(absl::string_view field, int64_t value, int64_t min, int64_t max) {
  if (value >= min && value <= max) return absl::OkStatus();
  return InvalidField(field, "QUANTITY_INVALID", absl::StrCat("must be ", min, " to ", max));
}

}  // namespace

absl::Status ValidateGood(const v1::Good& good) {
  for (const absl::Status& s :
       {ValidateCommunityPath("good.community_path", good.community_path()),
        ValidateText("good.display_name", good.display_name(), 200, true),
        ValidateCount("good.price", good.price(), 1, 1'000'000),
        ValidateCount("good.initial_stock", good.initial_stock(), 0, 1'000'000)}) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateRestock(int64_t quantity, const std::string& request_id) {
  if (request_id.empty()) {
    return InvalidField("request_id", "REQUEST_ID_REQUIRED",
                        "a restock needs a request id, so a retry adds nothing more");
  }
  return ValidateCount("quantity", quantity, 1, 1'000'000);
}

absl::Status ValidateRedemptionId(absl::string_view field, absl::string_view id) {
  bool ok = !id.empty() && id.size() <= 40;
  for (char c : id) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == ':');
  }
  if (ok) return absl::OkStatus();
  return InvalidField(field, "REDEMPTION_ID_INVALID",
                      "must be 1 to 40 characters of a-z, A-Z, 0-9 and -_.:");
}

absl::Status ValidateRedemption(const v1::Redemption& r) {
  if (auto s = ValidateRedemptionId("redemption.id", r.id()); !s.ok()) return s;
  for (const auto& [field, id] : {std::pair{"redemption.volunteer_id", &r.volunteer_id()},
                                  std::pair{"redemption.good_id", &r.good_id()}}) {
    if (id->empty() || id->size() > 40) {
      return InvalidField(field, "ID_REQUIRED", "must name one of this service's records");
    }
  }
  return ValidateCount("redemption.quantity", r.quantity(), 1, 100);
}

std::string RedemptionTransferId(absl::string_view redemption_id) {
  return absl::StrCat("redemption/", redemption_id);
}

std::string CancellationTransferId(absl::string_view redemption_id) {
  return absl::StrCat("redemption/", redemption_id, "/cancel");
}

bool SameRedemption(const v1::Redemption& a, const v1::Redemption& b) {
  return a.id() == b.id() && a.volunteer_id() == b.volunteer_id() && a.good_id() == b.good_id() &&
         a.quantity() == b.quantity();
}

}  // namespace grassroots::volunteer
