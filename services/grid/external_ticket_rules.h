#pragma once

#include "absl/status/status.h"
#include "grassroots/grid/v1/case.pb.h"

namespace grassroots::grid {

// Another system's ticket on a case. Pure rules, no I/O.

inline constexpr size_t kMaxTicketIdBytes = 128;

// The system's name: 1 to 32 of a-z, 0-9, '_' and '-'. `field` names it in
// the error ("case.external_ticket.system", "system").
absl::Status ValidateExternalSystem(absl::string_view field, absl::string_view system);

// A ticket id: 1 to 128 printable ASCII bytes.
absl::Status ValidateTicketId(absl::string_view field, absl::string_view ticket_id);

// Both parts, or (on a report) neither.
absl::Status ValidateExternalTicket(absl::string_view field, const v1::ExternalTicket& ticket);

}  // namespace grassroots::grid
