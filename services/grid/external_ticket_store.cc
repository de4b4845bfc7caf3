#include "services/grid/external_ticket_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/case_rows.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {

std::optional<std::string> ExternalTicketStore::FindCaseIdForUpdate(
    db::Connection& c, const v1::ExternalTicket& ticket) {
  auto& select = c.Prepare(
      "SELECT case_id FROM case_external_tickets WHERE external_system = ? AND ticket_id = ?"
      " FOR UPDATE");
  select.setString(1, ticket.system());
  select.setString(2, ticket.ticket_id());
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return std::string(rows->getString(1));
}

void ExternalTicketStore::Insert(db::Connection& c, const v1::ExternalTicket& ticket,
                                 const std::string& case_id, absl::Time now) {
  InsertAll(c, {{&ticket, &case_id}}, now);
}

void ExternalTicketStore::InsertAll(db::Connection& c, const std::vector<TicketOfCase>& tickets,
                                    absl::Time now) {
  if (tickets.empty()) return;
  auto& insert = c.Prepare(absl::StrCat(
      "INSERT INTO case_external_tickets (external_system, ticket_id, case_id, create_time)"
      " VALUES ",
      db::ParameterRows(4, static_cast<int>(tickets.size()))));
  const std::string time = db::ToDbTime(now);
  int index = 1;
  for (const TicketOfCase& t : tickets) {
    insert.setString(index++, t.ticket->system());
    insert.setString(index++, t.ticket->ticket_id());
    insert.setString(index++, *t.case_id);
    insert.setString(index++, time);
  }
  insert.executeUpdate();
}

std::vector<std::string> ExternalTicketStore::FindKnown(
    db::Connection& c, const std::string& system, const std::vector<std::string>& ticket_ids) {
  std::vector<std::string> known;
  if (ticket_ids.empty()) return known;
  auto& select = c.Prepare(absl::StrCat(
      "SELECT ticket_id FROM case_external_tickets WHERE external_system = ? AND ticket_id IN (",
      db::ParameterList(static_cast<int>(ticket_ids.size())), ") FOR UPDATE"));
  select.setString(1, system);
  int index = 2;
  for (const std::string& id : ticket_ids) select.setString(index++, id);
  auto found = c.Query(select);
  while (found->next()) known.push_back(found->getString(1));
  return known;
}

absl::StatusOr<v1::Case> ExternalTicketStore::GetCase(const std::string& scope,
                                                      const v1::ExternalTicket& ticket) {
  std::optional<std::string> case_id;
  std::optional<CaseRow> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(
        "SELECT case_id FROM case_external_tickets WHERE external_system = ? AND ticket_id = ?");
    select.setString(1, ticket.system());
    select.setString(2, ticket.ticket_id());
    auto rows = c.Query(select);
    if (rows->next()) {
      case_id = rows->getString(1);
      found = FindCaseRow(c, scope, *case_id, "");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!case_id) return NotFound("TICKET_NOT_FOUND", "ticket: this system never pushed it");
  if (!found) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
  return found->view;
}

absl::StatusOr<TicketChangePage> ExternalTicketStore::ListChanges(const std::string& scope,
                                                                  const std::string& system,
                                                                  int64_t after_sequence,
                                                                  int page_size, int scan_limit) {
  TicketChangePage page;
  page.last_sequence = after_sequence;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    page.changes.clear();
    // The window this call looks at: the next scan_limit feed entries, so
    // the work per call is bounded however few of them are the system's.
    auto& window = c.Prepare(
        "SELECT MAX(sequence) FROM (SELECT sequence FROM change_log WHERE sequence > ?"
        " ORDER BY sequence LIMIT ?) w");
    window.setInt64(1, after_sequence);
    window.setInt(2, scan_limit);
    auto bound = c.Query(window);
    if (!bound->next() || bound->isNull(1)) return absl::OkStatus();
    const int64_t upper = bound->getInt64(1);
    auto& select = c.Prepare(absl::StrCat(
        "SELECT l.sequence, t.ticket_id, l.action, l.after_state, l.actor, l.commit_time"
        " FROM change_log l JOIN case_external_tickets t"
        " ON t.external_system = ? AND t.case_id = l.resource_id"
        " WHERE l.sequence > ? AND l.sequence <= ? AND l.resource_type = ?",
        db::InScope("l.path"), " ORDER BY l.sequence, t.ticket_id LIMIT ?"));
    int index = 1;
    select.setString(index++, system);
    select.setInt64(index++, after_sequence);
    select.setInt64(index++, upper);
    select.setString(index++, v1::Case::descriptor()->full_name());
    index = db::BindScope(select, index, scope);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) {
      if (static_cast<int>(page.changes.size()) == page_size) {
        // More in the window than a page. A change linked to several
        // tickets is not split across pages: the next page starts at it.
        const int64_t next = rows->getInt64(1);
        std::vector<v1::TicketChange> whole = page.changes;
        while (!page.changes.empty() && page.changes.back().sequence() == next) {
          page.changes.pop_back();
        }
        if (page.changes.empty()) {
          // One change with more tickets than a page: the page is its first tickets.
          page.changes = std::move(whole);
          page.last_sequence = next;
        } else {
          page.last_sequence = next - 1;
        }
        return absl::OkStatus();
      }
      v1::TicketChange& change = page.changes.emplace_back();
      change.set_sequence(rows->getInt64(1));
      change.set_ticket_id(rows->getString(2));
      change.set_action(static_cast<common::v1::Change::Action>(rows->getInt(3)));
      if (!rows->isNull(4)) {
        google::protobuf::Any after;
        after.ParseFromString(rows->getString(4));
        after.UnpackTo(change.mutable_case_());
      }
      change.set_actor(rows->getString(5));
      ToProtoTime(db::FromDbTime(rows->getString(6)), change.mutable_commit_time());
    }
    page.last_sequence = upper;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

}  // namespace grassroots::grid
