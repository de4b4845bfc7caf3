#include "services/grid/external_ticket_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::grid {

absl::Status ValidateExternalSystem(absl::string_view field, absl::string_view system) {
  if (system.empty() || system.size() > 32) {
    return InvalidField(field, "EXTERNAL_SYSTEM_INVALID", "must be 1 to 32 characters");
  }
  for (char c : system) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_' && c != '-') {
      return InvalidField(field, "EXTERNAL_SYSTEM_INVALID", "may hold only a-z, 0-9, '_' and '-'");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTicketId(absl::string_view field, absl::string_view ticket_id) {
  if (ticket_id.empty() || ticket_id.size() > kMaxTicketIdBytes) {
    return InvalidField(field, "TICKET_ID_INVALID", "must be 1 to 128 bytes");
  }
  for (char c : ticket_id) {
    if (!absl::ascii_isgraph(c)) {
      return InvalidField(field, "TICKET_ID_INVALID",
                          "may hold only printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateExternalTicket(absl::string_view field, const v1::ExternalTicket& ticket) {
  if (auto s = ValidateExternalSystem(absl::StrCat(field, ".system"), ticket.system()); !s.ok()) {
    return s;
  }
  return ValidateTicketId(absl::StrCat(field, ".ticket_id"), ticket.ticket_id());
}

}  // namespace grassroots::grid
