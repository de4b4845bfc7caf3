// CaseStore::Import: cases moved over from an earlier system, in one
// transaction. Grids, categories, departments and calendars are looked up
// once each; the cases, their timeline lines, their tickets and their
// change rows go in multi-row INSERTs, so an import of 20,000 cases costs
// hundreds of round trips, not 20,000 times several.
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/import/import_result.h"
#include "common/status/errors.h"
#include "services/grid/case_import_rules.h"
#include "services/grid/case_rows.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/case_store.h"
#include "services/grid/external_ticket_store.h"
#include "services/grid/grid_store.h"

namespace grassroots::grid {
namespace {

using Lines = std::vector<ImportLine<v1::CaseImportRecord>>;

// Rows per multi-row statement: 34 columns x 250 stays far below the
// 65,535 placeholders a prepared statement may hold.
constexpr size_t kRowsPerStatement = 250;

// Two lines of the file with one ticket, or a ticket grid already has a
// case for: the first such line.
absl::Status CheckTicketsAreNew(db::Connection& c, const Lines& lines) {
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, int>> by_system;
  for (const auto& line : lines) {
    const v1::CaseImportRecord& r = line.record;
    auto [it, inserted] =
        by_system[r.external_system()].emplace(r.external_ticket_id(), line.line_number);
    if (!inserted) {
      return AtLine(line.line_number, InvalidField("external_ticket_id", "TICKET_REPEATED",
                                                   absl::StrCat("ticket ", r.external_ticket_id(),
                                                                " is also on line ", it->second)));
    }
  }
  int first_known_line = 0;
  std::string first_known;
  for (const auto& [system, tickets] : by_system) {
    std::vector<std::string> ids;
    auto check = [&] {
      for (const std::string& id : ExternalTicketStore::FindKnown(c, system, ids)) {
        const int line = tickets.at(id);
        if (first_known_line == 0 || line < first_known_line) {
          first_known_line = line;
          first_known = absl::StrCat("ticket ", id, " of ", system);
        }
      }
      ids.clear();
    };
    for (const auto& [id, line] : tickets) {
      ids.push_back(id);
      if (ids.size() == kRowsPerStatement) check();
    }
    check();
  }
  if (first_known_line == 0) return absl::OkStatus();
  return AtLine(first_known_line,
                InvalidField("external_ticket_id", "TICKET_ALREADY_IMPORTED",
                             absl::StrCat(first_known, " already has a case in grid")));
}

// What the lines so far found, so each is looked up once.
struct Found {
  absl::flat_hash_map<std::string, v1::Grid> grids;               // by path
  absl::flat_hash_map<std::string, v1::CaseCategory> categories;  // by code
  absl::flat_hash_map<std::string, std::string> departments;      // id by code
  absl::flat_hash_map<std::string, WorkCalendarRules> calendars;  // by grid path
};

absl::StatusOr<CaseRow> RowOf(db::Connection& c, const std::string& scope, Found& found,
                              const v1::CaseImportRecord& r, absl::Time now) {
  auto grid = found.grids.find(r.grid_path());
  if (grid == found.grids.end()) {
    auto in_scope = GridStore::FindByPathInScope(c, scope, r.grid_path(), " LOCK IN SHARE MODE");
    if (!in_scope) {
      return InvalidField(
          "grid_path", "GRID_NOT_FOUND",
          absl::StrCat("no grid in the caller's jurisdiction has path ", r.grid_path()));
    }
    grid = found.grids.emplace(r.grid_path(), *std::move(in_scope)).first;
  }
  auto category = found.categories.find(r.category_code());
  if (category == found.categories.end()) {
    auto stored = CaseSetupStore::FindCategory(c, r.category_code());
    if (!stored) {
      return InvalidField("category_code", "CATEGORY_NOT_FOUND",
                          absl::StrCat("no category has code ", r.category_code()));
    }
    category = found.categories.emplace(r.category_code(), *std::move(stored)).first;
  }
  if (auto s = ValidateImportedCategory(r, category->second); !s.ok()) return s;
  ImportedCasePlace place{NewId("cs", now), grid->second.id(), grid->second.path(), ""};
  if (!r.department_code().empty()) {
    auto department = found.departments.find(r.department_code());
    if (department == found.departments.end()) {
      auto stored = CaseSetupStore::FindDepartmentByCode(c, r.department_code());
      if (!stored) {
        return InvalidField("department_code", "DEPARTMENT_NOT_FOUND",
                            absl::StrCat("no department has code ", r.department_code()));
      }
      department = found.departments.emplace(r.department_code(), stored->id()).first;
    }
    place.department_id = department->second;
  }
  auto calendar = found.calendars.find(grid->second.path());
  if (calendar == found.calendars.end()) {
    calendar =
        found.calendars
            .emplace(grid->second.path(), CaseSetupStore::FindCalendar(c, grid->second.path()))
            .first;
  }
  return ImportedCaseRow(r, place, category->second, calendar->second, now);
}

// One statement's worth of rows: the cases, their timeline lines, their
// tickets and their change rows.
void InsertBatch(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                 const std::vector<CaseRow>& rows, const std::vector<CaseStepRecord>& steps,
                 size_t begin, size_t end) {
  std::vector<const CaseRow*> cases;
  std::vector<CaseStepLine> lines;
  std::vector<ExternalTicketStore::TicketOfCase> tickets;
  std::vector<ChangeLog::Entry> entries;
  for (size_t i = begin; i < end; ++i) {
    const v1::Case& view = rows[i].view;
    cases.push_back(&rows[i]);
    lines.push_back({&view.id(), 1, &steps[i], &write});
    tickets.push_back({&view.external_ticket(), &view.id()});
    entries.push_back(
        {&write, {view.id(), common::v1::Change::CREATED, view.grid_path(), &view, nullptr}});
  }
  InsertCaseRows(c, cases);
  InsertCaseSteps(c, lines);
  ExternalTicketStore::InsertAll(c, tickets, write.now);
  changes.AppendAll(c, entries);
}

}  // namespace

absl::StatusOr<common::v1::ImportResult> CaseStore::Import(const std::string& scope,
                                                           const WriteContext& write,
                                                           const Lines& lines) {
  common::v1::ImportResult result;
  WriteContext line_write = write;
  line_write.request_id.clear();  // the import's request id marks its result only
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        result.Clear();
        if (auto s = CheckTicketsAreNew(c, lines); !s.ok()) return s;
        Found found;
        std::vector<CaseRow> rows;
        std::vector<CaseStepRecord> steps;
        rows.reserve(lines.size());
        steps.reserve(lines.size());
        for (const auto& line : lines) {
          auto row = RowOf(c, scope, found, line.record, write.now);
          if (!row.ok()) return AtLine(line.line_number, row.status());
          rows.push_back(*std::move(row));
          steps.push_back(ImportedCaseStep(line.record));
        }
        for (size_t begin = 0; begin < rows.size(); begin += kRowsPerStatement) {
          InsertBatch(c, changes_, line_write, rows, steps, begin,
                      std::min(rows.size(), begin + kRowsPerStatement));
        }
        result.set_created_count(static_cast<int32_t>(rows.size()));
        RecordImportResult(c, changes_, write, "cases", scope, result);
        return absl::OkStatus();
      },
      // A retry after an unknown commit finds its tickets taken and answers
      // the first result by request id: nothing is imported twice.
      db::TransactionOptions{.idempotent = true});
  if (!status.ok()) return ImportedEarlierOr(pool_, changes_, write, status);
  return result;
}

}  // namespace grassroots::grid
