#include "services/grid/case_store.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/case_rows.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/duplicate_rules.h"
#include "services/grid/duplicate_search.h"
#include "services/grid/external_ticket_store.h"
#include "services/grid/grid_store.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {
namespace {

// Up to 8 x 8 cells (a radius of about 350 m) the search names its cells;
// wider, it reads the category's recent cases without them.
constexpr int kMaxDuplicateCells = 64;

std::string RequestKey(const WriteContext& write) {
  return absl::StrCat(write.actor, "|", write.request_id);
}

// The open case of the report's category, within its radius and window and
// the caller's scope, the report repeats; locked for the update.
std::optional<CaseRow> FindDuplicate(db::Connection& c, const std::string& scope,
                                     const v1::Case& report, const v1::CaseCategory& category,
                                     absl::Time now) {
  if (category.duplicate_radius_meters() <= 0) return std::nullopt;
  if (report.latitude() == 0 && report.longitude() == 0) return std::nullopt;
  const BoundingBox box =
      BoxAround(report.latitude(), report.longitude(), category.duplicate_radius_meters());
  const std::vector<int64_t> cells = CellsCovering(box, kMaxDuplicateCells);
  auto& select = c.Prepare(absl::StrCat(
      "SELECT id, latitude, longitude, create_time FROM cases WHERE category_code = ?",
      cells.empty() ? ""
                    : absl::StrCat(" AND geo_cell IN (",
                                   db::ParameterList(static_cast<int>(cells.size())), ")"),
      " AND ", kReportedInBox, " AND ", kStillOpen, db::InScope("grid_path"),
      " ORDER BY create_time LIMIT 50"));
  int index = 1;
  select.setString(index++, category.code());
  for (int64_t cell : cells) select.setInt64(index++, cell);
  index = BindReportedInBox(select, index, now - absl::Minutes(category.duplicate_window_minutes()),
                            box);
  index = BindStillOpen(select, index);
  db::BindScope(select, index, scope);
  auto rows = c.Query(select);
  while (rows->next()) {
    const double distance = DistanceMeters(report.latitude(), report.longitude(),
                                           rows->getDouble(2), rows->getDouble(3));
    if (!IsDuplicate(distance, category.duplicate_radius_meters(),
                     db::FromDbTime(rows->getString(4)), now,
                     category.duplicate_window_minutes())) {
      continue;
    }
    auto locked = FindCaseRow(c, scope, rows->getString(1), " FOR UPDATE");
    if (locked && IsOpen(locked->view.state())) return locked;
  }
  return std::nullopt;
}

// A report linked to the open case `case_id`: its reporter is subscribed to it.
void InsertLinkedReport(db::Connection& c, const WriteContext& write, const v1::Case& report,
                        const std::string& case_id) {
  auto& insert = c.Prepare(
      "INSERT INTO case_duplicate_reports (id, case_id, source, reporter_ref, latitude,"
      " longitude, description, request_key, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.setString(1, NewId("dr", write.now));
  insert.setString(2, case_id);
  insert.setInt(3, report.source());
  insert.setString(4, report.reporter_ref());
  insert.setDouble(5, report.latitude());
  insert.setDouble(6, report.longitude());
  insert.setString(7, report.description());
  if (write.request_id.empty()) {
    insert.setNull(8, sql::DataType::VARCHAR);
  } else {
    insert.setString(8, RequestKey(write));
  }
  insert.setString(9, db::ToDbTime(write.now));
  insert.executeUpdate();
}

// Links the report to `open`: the reporter is subscribed to it (the linked
// report row), the case counts one more report, and the timeline says so.
void LinkDuplicate(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                   const v1::Case& report, CaseRow& open) {
  const v1::Case before = open.view;
  InsertLinkedReport(c, write, report, open.view.id());
  open.view.set_duplicate_reports(open.view.duplicate_reports() + 1);
  open.step_count += 1;
  UpdateCaseRow(c, open, write.now);
  InsertCaseStep(
      c, open.view.id(), open.step_count, write,
      CaseStepRecord{"DuplicateReported", open.view.state(), open.view.state(),
                     report.description(), absl::StrCat("reporter_ref=", report.reporter_ref())});
  changes.Append(
      c, write,
      {open.view.id(), common::v1::Change::UPDATED, open.view.grid_path(), &open.view, &before});
}

// The case an external ticket already belongs to (nullopt: none yet),
// locking the ticket's key so a concurrent push of it waits for this one.
std::optional<absl::StatusOr<v1::Case>> KnownTicketCase(db::Connection& c, const std::string& scope,
                                                        const v1::ExternalTicket& ticket) {
  auto case_id = ExternalTicketStore::FindCaseIdForUpdate(c, ticket);
  if (!case_id) return std::nullopt;
  auto known = FindCaseRow(c, scope, *case_id, "");
  if (!known) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
  return known->view;
}

bool WasLinkedAsDuplicate(db::ConnectionPool& pool, const WriteContext& write) {
  bool linked = false;
  auto status = db::RunReadOnly(pool, [&](db::Connection& c) {
    auto& select = c.Prepare("SELECT 1 FROM case_duplicate_reports WHERE request_key = ?");
    select.setString(1, RequestKey(write));
    linked = c.Query(select)->next();
    return absl::OkStatus();
  });
  return status.ok() && linked;
}

}  // namespace

absl::StatusOr<ReportedCase> CaseStore::Report(const std::string& scope, const WriteContext& write,
                                               const v1::Case& report,
                                               const v1::CaseCategory& category) {
  ReportedCase out;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        out = ReportedCase{};
        const bool ticketed = report.has_external_ticket();
        if (ticketed) {
          if (auto known = KnownTicketCase(c, scope, report.external_ticket())) {
            if (!known->ok()) return known->status();
            out.report = **known;
            out.ticket_known = true;
            return absl::OkStatus();
          }
        }
        auto grid = GridStore::FindInScope(c, scope, report.grid_id(), " LOCK IN SHARE MODE");
        if (!grid) return HiddenReference(scope, "case.grid_id", "grid", "GRID_NOT_FOUND");
        if (auto open = FindDuplicate(c, scope, report, category, write.now)) {
          LinkDuplicate(c, changes_, write, report, *open);
          if (ticketed) {
            ExternalTicketStore::Insert(c, report.external_ticket(), open->view.id(), write.now);
          }
          out.report = open->view;
          out.duplicate = true;
          return absl::OkStatus();
        }
        CaseRow row = NewCaseRow(report, *grid, category,
                                 CaseSetupStore::FindCalendar(c, grid->path()), write.now);
        InsertCaseRow(c, row);
        if (ticketed) {
          ExternalTicketStore::Insert(c, report.external_ticket(), row.view.id(), write.now);
        }
        InsertCaseStep(c, row.view.id(), 1, write, FirstCaseStep(report));
        changes_.Append(
            c, write,
            {row.view.id(), common::v1::Change::CREATED, row.view.grid_path(), &row.view, nullptr});
        out.report = row.view;
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent =
                                 !write.request_id.empty() || report.has_external_ticket()});
  if (status.ok()) {
    if (cache_ != nullptr) cache_->Offer(out.report);
    return out;
  }
  if (report.has_external_ticket()) {
    // The same ticket pushed at once by another caller won the insert.
    auto known = ExternalTicketStore(pool_).GetCase(scope, report.external_ticket());
    if (known.ok()) return ReportedCase{*known, false, true};
  }
  auto earlier = EarlierResultOr<v1::Case>(pool_, changes_, write, status);
  if (!earlier.ok()) return earlier.status();
  return ReportedCase{*earlier, WasLinkedAsDuplicate(pool_, write)};
}

std::optional<absl::StatusOr<v1::Case>> CaseStore::GetCached(const std::string& scope,
                                                             const std::string& id) const {
  if (cache_ == nullptr) return std::nullopt;
  auto cached = cache_->Find(id);
  if (!cached) return std::nullopt;
  if (!PathWithin(cached->grid_path(), scope)) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
  return *std::move(cached);
}

absl::StatusOr<v1::Case> CaseStore::Get(const std::string& scope, const std::string& id) {
  if (auto cached = GetCached(scope, id)) return *std::move(cached);
  std::optional<CaseRow> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindCaseRow(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
  if (cache_ != nullptr) cache_->Offer(found->view);
  return found->view;
}

absl::StatusOr<CasePage> CaseStore::List(const std::string& scope, const CaseQuery& query,
                                         int page_size, const std::string& before_id) {
  CasePage page;
  const bool by_grid = !query.grid_id.empty();
  const bool by_state = query.state != v1::Case::STATE_UNSPECIFIED;
  const bool by_department = !query.department_id.empty();
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (by_grid && !GridStore::FindInScope(c, scope, query.grid_id)) {
      return HiddenReference(scope, "grid_id", "grid", "GRID_NOT_FOUND");
    }
    auto& select = c.Prepare(absl::StrCat(
        kCaseSelect, by_grid ? " WHERE grid_id = ?" : " WHERE 1 = 1", db::InScope("grid_path"),
        by_grid ? "" : db::InScope("grid_path"), " AND (? = '' OR id < ?)",
        by_state ? " AND state = ?" : "", by_department ? " AND department_id = ?" : "",
        query.overdue_only ? " AND overdue" : "",
        query.created_in ? " AND create_time >= ? AND create_time < ?" : "",
        query.closed_in ? " AND close_time >= ? AND close_time < ?" : "", query.condition,
        " ORDER BY id DESC LIMIT ?"));
    int index = 1;
    if (by_grid) select.setString(index++, query.grid_id);
    index = db::BindScope(select, index, scope);
    if (!by_grid) index = db::BindScope(select, index, query.path_prefix);
    select.setString(index++, before_id);
    select.setString(index++, before_id);
    if (by_state) select.setInt(index++, query.state);
    if (by_department) select.setString(index++, query.department_id);
    for (const auto& range : {query.created_in, query.closed_in}) {
      if (!range) continue;
      select.setString(index++, db::ToDbTime(range->first));
      select.setString(index++, db::ToDbTime(range->second));
    }
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.cases.push_back(ReadCaseRow(*rows).view);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.cases.size()) > page_size) {
    page.cases.pop_back();
    page.last_id = page.cases.back().id();
  }
  return page;
}

absl::StatusOr<CaseStepPage> CaseStore::ListSteps(const std::string& scope,
                                                  const std::string& case_id, int page_size,
                                                  int after_number) {
  CaseStepPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!FindCaseRow(c, scope, case_id, "")) {
      return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
    }
    page.steps = ReadCaseSteps(c, case_id, after_number, page_size + 1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.steps.size()) > page_size) {
    page.steps.pop_back();
    page.last_number = page.steps.back().number();
  }
  return page;
}

absl::StatusOr<v1::Case> CaseStore::TakeStep(const std::string& scope, const WriteContext& write,
                                             const std::string& case_id, const std::string& etag,
                                             CaseStepInput input) {
  if (!write.request_id.empty()) {
    // A replay (an offline phone sending again) answers as the first time,
    // before the etag, which the first step changed, could refuse it.
    auto earlier =
        EarlierResultOr<v1::Case>(pool_, changes_, write, absl::NotFoundError("no earlier step"));
    if (earlier.ok() || !absl::IsNotFound(earlier.status())) return earlier;
  }
  v1::Case after;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto row = FindCaseRow(c, scope, case_id, " FOR UPDATE");
        if (!row) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
        if (auto s = CheckEtag("step.etag", etag, row->version, "the case"); !s.ok()) return s;
        auto category = CaseSetupStore::FindCategory(c, row->view.category_code());
        if (!category) return Internal("CATEGORY_MISSING", "the case's category is gone");
        CaseStepInput step = input;
        if (step.action == CaseAction::kDispatch) {
          if (step.department_id.empty()) step.department_id = category->department_id();
          if (step.department_id.empty()) {
            return InvalidField("department_id", "DEPARTMENT_REQUIRED",
                                "the category names no handling department: name one");
          }
          if (!CaseSetupStore::FindDepartment(c, step.department_id)) {
            return InvalidField("department_id", "DEPARTMENT_NOT_FOUND",
                                "no department has this id");
          }
        }
        const v1::Case before = row->view;
        auto record =
            ApplyCaseStep(*row, step, *category,
                          CaseSetupStore::FindCalendar(c, row->view.grid_path()), write.now);
        if (!record.ok()) return record.status();
        UpdateCaseRow(c, *row, write.now);
        InsertCaseStep(c, case_id, row->step_count, write, *record);
        changes_.Append(
            c, write,
            {case_id, common::v1::Change::UPDATED, row->view.grid_path(), &row->view, &before});
        after = row->view;
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) {
    if (cache_ != nullptr) cache_->Offer(after);
    return after;
  }
  return EarlierResultOr<v1::Case>(pool_, changes_, write, status);
}

absl::StatusOr<MergedCases> CaseStore::Merge(const std::string& scope, const WriteContext& write,
                                             const std::string& case_id, const std::string& etag,
                                             const CaseStepInput& input) {
  const std::string& into = input.into_case_id;
  if (!write.request_id.empty()) {
    auto earlier =
        EarlierResultOr<v1::Case>(pool_, changes_, write, absl::NotFoundError("no earlier merge"));
    if (earlier.ok()) {
      auto kept = Get(scope, earlier->merged_into_case_id());
      if (!kept.ok()) return kept.status();
      return MergedCases{*std::move(earlier), *std::move(kept)};
    }
    if (!absl::IsNotFound(earlier.status())) return earlier.status();
  }
  MergedCases out;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        std::optional<CaseRow> merged;
        std::optional<CaseRow> kept;
        for (const std::string& id : {std::min(case_id, into), std::max(case_id, into)}) {
          (id == case_id ? merged : kept) = FindCaseRow(c, scope, id, " FOR UPDATE");
        }
        if (!merged) return HiddenRecord(scope, "case", "CASE_NOT_FOUND");
        if (!kept) return HiddenReference(scope, "into_case_id", "case", "CASE_NOT_FOUND");
        if (auto s = CheckEtag("step.etag", etag, merged->version, "the case"); !s.ok()) return s;
        if (!IsOpen(kept->view.state())) {
          return FailedPrecondition(
              "CASE_TO_KEEP_NOT_OPEN",
              absl::StrCat("the case to keep is ", StateName(kept->view.state()),
                           ": merge into an open case"));
        }
        auto category = CaseSetupStore::FindCategory(c, merged->view.category_code());
        if (!category) return Internal("CATEGORY_MISSING", "the case's category is gone");
        const v1::Case merged_before = merged->view;
        auto record =
            ApplyCaseStep(*merged, input, *category,
                          CaseSetupStore::FindCalendar(c, merged->view.grid_path()), write.now);
        if (!record.ok()) return record.status();
        UpdateCaseRow(c, *merged, write.now);
        InsertCaseStep(c, case_id, merged->step_count, write, *record);
        changes_.Append(c, write,
                        {case_id, common::v1::Change::UPDATED, merged->view.grid_path(),
                         &merged->view, &merged_before});
        // The merged case's reporter and linked reporters now follow the kept case.
        auto& move = c.Prepare("UPDATE case_duplicate_reports SET case_id = ? WHERE case_id = ?");
        move.setString(1, into);
        move.setString(2, case_id);
        move.executeUpdate();
        WriteContext unreplayable = write;  // the request's key is the merged case's change
        unreplayable.request_id.clear();
        InsertLinkedReport(c, unreplayable, merged->view, into);
        const v1::Case kept_before = kept->view;
        kept->view.set_duplicate_reports(kept->view.duplicate_reports() + 1 +
                                         merged_before.duplicate_reports());
        kept->step_count += 1;
        UpdateCaseRow(c, *kept, write.now);
        InsertCaseStep(c, into, kept->step_count, write,
                       CaseStepRecord{"MergedFrom", kept->view.state(), kept->view.state(),
                                      input.note, absl::StrCat("case_id=", case_id)});
        ChangeRecord kept_change{into, common::v1::Change::UPDATED, kept->view.grid_path(),
                                 &kept->view, &kept_before};
        kept_change.carries_request_id = false;
        changes_.Append(c, write, kept_change);
        out = MergedCases{merged->view, kept->view};
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) {
    if (cache_ != nullptr) {
      cache_->Offer(out.merged);
      cache_->Offer(out.kept);
    }
    return out;
  }
  auto earlier = EarlierResultOr<v1::Case>(pool_, changes_, write, status);
  if (!earlier.ok()) return earlier.status();
  auto kept = Get(scope, earlier->merged_into_case_id());
  if (!kept.ok()) return kept.status();
  return MergedCases{*std::move(earlier), *std::move(kept)};
}

absl::StatusOr<int> CaseStore::EscalateOverdue(const WriteContext& write, int limit) {
  std::vector<v1::Case> escalated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    escalated.clear();
    auto& select = c.Prepare(
        absl::StrCat(kCaseSelect,
                     " WHERE escalation_due_time <= ? ORDER BY escalation_due_time LIMIT ?"
                     " FOR UPDATE SKIP LOCKED"));
    select.setString(1, db::ToDbTime(write.now));
    select.setInt(2, limit);
    std::vector<CaseRow> due;
    auto rows = c.Query(select);
    while (rows->next()) due.push_back(ReadCaseRow(*rows));
    // A batch is mostly a few categories and grids: each read once.
    std::map<std::string, std::optional<v1::CaseCategory>> categories;
    std::map<std::string, WorkCalendarRules> calendars;
    for (CaseRow& row : due) {
      auto [it, fresh] = categories.try_emplace(row.view.category_code());
      if (fresh) it->second = CaseSetupStore::FindCategory(c, row.view.category_code());
      if (!it->second) continue;
      auto [cal, new_path] = calendars.try_emplace(row.view.grid_path());
      if (new_path) cal->second = CaseSetupStore::FindCalendar(c, row.view.grid_path());
      const v1::Case before = row.view;
      const CaseStepRecord record = EscalateCase(row, *it->second, cal->second, write.now);
      UpdateCaseRow(c, row, write.now);
      InsertCaseStep(c, row.view.id(), row.step_count, write, record);
      changes_.Append(
          c, write,
          {row.view.id(), common::v1::Change::UPDATED, row.view.grid_path(), &row.view, &before});
      escalated.push_back(row.view);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (cache_ != nullptr) {
    for (const v1::Case& view : escalated) cache_->Offer(view);
  }
  return static_cast<int>(escalated.size());
}

}  // namespace grassroots::grid
