#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/external_case.pb.h"

namespace grassroots::grid {

struct TicketChangePage {
  std::vector<v1::TicketChange> changes;
  int64_t last_sequence = 0;
};

// The SQL about other systems' tickets on cases (case_external_tickets).
// The case store writes a ticket in the transaction that reports its case;
// reads by ticket and the system's slice of the change feed are here.
class ExternalTicketStore {
 public:
  explicit ExternalTicketStore(db::ConnectionPool& pool) : pool_(pool) {}

  // The case the ticket belongs to. Locks the key (or the gap where it
  // would go), so two pushes of one ticket at once cannot both open a case.
  static std::optional<std::string> FindCaseIdForUpdate(db::Connection& c,
                                                        const v1::ExternalTicket& ticket);
  static void Insert(db::Connection& c, const v1::ExternalTicket& ticket,
                     const std::string& case_id, absl::Time now);
  // Several in one multi-row INSERT (an import).
  struct TicketOfCase {
    const v1::ExternalTicket* ticket;
    const std::string* case_id;
  };
  static void InsertAll(db::Connection& c, const std::vector<TicketOfCase>& tickets,
                        absl::Time now);
  // Which of `system`'s `ticket_ids` a case already has (one statement).
  // The rows and the gaps where the others would go stay locked to the
  // end of the transaction, so a second import of the same tickets at the
  // same moment waits and then finds them, rather than failing on the key.
  static std::vector<std::string> FindKnown(db::Connection& c, const std::string& system,
                                            const std::vector<std::string>& ticket_ids);

  // The ticket's case within `scope`: NOT_FOUND (TICKET_NOT_FOUND) when the
  // system never pushed it.
  absl::StatusOr<v1::Case> GetCase(const std::string& scope, const v1::ExternalTicket& ticket);

  // Changes to `system`'s cases in `scope` after `after_sequence`, looking
  // at no more than `scan_limit` feed entries past it.
  absl::StatusOr<TicketChangePage> ListChanges(const std::string& scope, const std::string& system,
                                               int64_t after_sequence, int page_size,
                                               int scan_limit);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace grassroots::grid
