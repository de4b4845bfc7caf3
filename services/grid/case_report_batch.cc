// CaseStore::ReportMany: concurrent reports in one transaction. The
// categories, the grids, the duplicate search and the calendars are one
// statement each for the whole batch, and the cases, their first timeline
// lines and their change rows one multi-row INSERT each, so a batch of 16
// costs the round trips of one report instead of sixteen times them. A
// report that needs more than a new case (an external ticket, an open case
// nearby, a neighbour in the same batch) is set aside and goes through
// Report on its own afterwards.
#include <cppconn/exception.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/case_rows.h"
#include "services/grid/case_rules.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/case_store.h"
#include "services/grid/duplicate_rules.h"
#include "services/grid/duplicate_search.h"
#include "services/grid/grid_store.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {
namespace {

// A report whose box touches more cells than this (4 x 4, a radius of
// about 150 m) searches alone, through Report.
constexpr int kMaxBatchedCells = 16;
// Candidates read per searching report; a batch that reads more cannot tell
// which report they are near and sets every searching report aside.
constexpr int kCandidatesPerReport = 50;

// A report with its category, as the batch plans it.
struct Planned {
  const CaseReport* request = nullptr;
  const v1::CaseCategory* category = nullptr;
  const v1::Case& report() const { return request->report; }
  bool Searches() const {
    return category->duplicate_radius_meters() > 0 &&
           (report().latitude() != 0 || report().longitude() != 0);
  }
  // Whether this report repeats a case of `category_code` at (latitude,
  // longitude) reported at `reported` on `grid_path`, as Report's search
  // would see it.
  bool Repeats(const std::string& category_code, const std::string& grid_path, double latitude,
               double longitude, absl::Time reported) const {
    if (category_code != category->code() || !PathWithin(grid_path, request->scope)) return false;
    const double distance =
        DistanceMeters(report().latitude(), report().longitude(), latitude, longitude);
    return IsDuplicate(distance, category->duplicate_radius_meters(), reported, request->write.now,
                       category->duplicate_window_minutes());
  }
};

// A recent open case the duplicate search found near some report.
struct NearbyCase {
  std::string category_code;
  std::string grid_path;
  double latitude = 0;
  double longitude = 0;
  absl::Time reported;
};

// The open cases of the searching reports' categories near any of them, in
// one statement: a disjunct per report, the disjuncts and their cell lists
// padded (db::PaddedListLength) so a few statement texts serve every batch.
// nullopt when more came back than can be told apart.
std::optional<std::vector<NearbyCase>> FindNearby(db::Connection& c,
                                                  const std::vector<const Planned*>& searching,
                                                  const std::vector<std::vector<int64_t>>& cells) {
  if (searching.empty()) return std::vector<NearbyCase>{};
  int most_cells = 1;
  for (const auto& list : cells) most_cells = std::max(most_cells, static_cast<int>(list.size()));
  const int cell_slots = db::PaddedListLength(most_cells);
  const int disjuncts = db::PaddedListLength(static_cast<int>(searching.size()));
  const std::string disjunct =
      absl::StrCat("(category_code = ? AND geo_cell IN (", db::ParameterList(cell_slots), ") AND ",
                   kReportedInBox, ")");
  std::string where;
  for (int i = 0; i < disjuncts; ++i) absl::StrAppend(&where, i == 0 ? "" : " OR ", disjunct);
  auto& select = c.Prepare(absl::StrCat(
      "SELECT category_code, grid_path, latitude, longitude, create_time FROM cases WHERE (", where,
      ") AND ", kStillOpen, " LIMIT ?"));
  int index = 1;
  for (int i = 0; i < disjuncts; ++i) {
    const size_t s = std::min(static_cast<size_t>(i), searching.size() - 1);
    const Planned& p = *searching[s];
    const BoundingBox box = BoxAround(p.report().latitude(), p.report().longitude(),
                                      p.category->duplicate_radius_meters());
    select.setString(index++, p.category->code());
    for (int k = 0; k < cell_slots; ++k) {
      select.setInt64(index++, cells[s][std::min(static_cast<size_t>(k), cells[s].size() - 1)]);
    }
    index = BindReportedInBox(
        select, index, p.request->write.now - absl::Minutes(p.category->duplicate_window_minutes()),
        box);
  }
  index = BindStillOpen(select, index);
  const int limit = kCandidatesPerReport * static_cast<int>(searching.size());
  select.setInt(index, limit + 1);
  auto rows = c.Query(select);
  std::vector<NearbyCase> nearby;
  while (rows->next()) {
    nearby.push_back(
        NearbyCase{rows->getString(1), rows->getString(2), static_cast<double>(rows->getDouble(3)),
                   static_cast<double>(rows->getDouble(4)), db::FromDbTime(rows->getString(5))});
  }
  if (static_cast<int>(nearby.size()) > limit) return std::nullopt;
  return nearby;
}

}  // namespace

std::vector<absl::StatusOr<ReportedCase>> CaseStore::ReportMany(std::vector<CaseReport>& reports) {
  const size_t n = reports.size();
  std::vector<absl::StatusOr<ReportedCase>> results(n, absl::UnknownError("not attempted"));
  // kBatched: written here; kAlone: through Report afterwards; kAnswered:
  // refused here (its category or grid).
  enum class Fate { kBatched, kAlone, kAnswered };
  std::vector<Fate> fates(n, Fate::kBatched);
  absl::flat_hash_map<std::string, v1::CaseCategory> categories;
  std::vector<size_t> batched;  // indices of the cases written here
  std::vector<CaseRow> rows;    // their rows, in the same order
  bool all_idempotent = true;
  for (const CaseReport& r : reports)
    all_idempotent = all_idempotent && !r.write.request_id.empty();
  auto report_alone = [&](size_t i) {
    const CaseReport& r = reports[i];
    results[i] = Report(r.scope, r.write, r.report, categories.at(r.report.category_code()));
  };
  // Any surprise (a request id already written) sends the whole batch down
  // the one-by-one path, which knows how to answer each report.
  bool fall_back = false;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        batched.clear();
        rows.clear();
        fall_back = false;
        std::vector<std::string> codes;
        for (const CaseReport& r : reports) codes.push_back(r.report.category_code());
        categories = CaseSetupStore::FindCategories(c, codes);
        std::vector<Planned> planned(n);
        std::vector<std::string> grid_ids;
        for (size_t i = 0; i < n; ++i) {
          fates[i] = Fate::kBatched;
          auto category = categories.find(reports[i].report.category_code());
          if (category == categories.end()) {
            results[i] = InvalidField("case.category_code", "CATEGORY_NOT_FOUND",
                                      "no category has this code");
            fates[i] = Fate::kAnswered;
            continue;
          }
          if (auto s = ValidateReport(reports[i].report, category->second); !s.ok()) {
            results[i] = s;
            fates[i] = Fate::kAnswered;
            continue;
          }
          planned[i] = Planned{&reports[i], &category->second};
          if (reports[i].report.has_external_ticket()) {
            fates[i] = Fate::kAlone;
            continue;
          }
          grid_ids.push_back(reports[i].report.grid_id());
        }
        const auto grids = GridStore::FindMany(c, grid_ids, " LOCK IN SHARE MODE");
        std::vector<const v1::Grid*> grid_of(n, nullptr);
        std::vector<const Planned*> searching;
        std::vector<size_t> searching_index;
        std::vector<std::vector<int64_t>> cells;
        for (size_t i = 0; i < n; ++i) {
          if (fates[i] != Fate::kBatched) continue;
          const CaseReport& r = reports[i];
          auto grid = grids.find(r.report.grid_id());
          if (grid == grids.end() || !PathWithin(grid->second.path(), r.scope)) {
            results[i] = HiddenReference(r.scope, "case.grid_id", "grid", "GRID_NOT_FOUND");
            fates[i] = Fate::kAnswered;
            continue;
          }
          grid_of[i] = &grid->second;
          if (!planned[i].Searches()) continue;
          std::vector<int64_t> covering =
              CellsCovering(BoxAround(r.report.latitude(), r.report.longitude(),
                                      planned[i].category->duplicate_radius_meters()),
                            kMaxBatchedCells);
          if (covering.empty()) {
            fates[i] = Fate::kAlone;  // a wide radius: Report searches without cells
            continue;
          }
          searching.push_back(&planned[i]);
          searching_index.push_back(i);
          cells.push_back(std::move(covering));
        }
        const auto nearby = FindNearby(c, searching, cells);
        for (size_t i : searching_index) {
          const bool repeats =
              !nearby || std::any_of(nearby->begin(), nearby->end(), [&](const NearbyCase& open) {
                return planned[i].Repeats(open.category_code, open.grid_path, open.latitude,
                                          open.longitude, open.reported);
              });
          if (repeats) fates[i] = Fate::kAlone;  // Report links it to the open case
        }
        std::vector<std::string> grid_paths;
        for (size_t i = 0; i < n; ++i) {
          if (fates[i] == Fate::kBatched) grid_paths.push_back(grid_of[i]->path());
        }
        const auto calendars = CaseSetupStore::FindCalendars(c, grid_paths);
        for (size_t i = 0; i < n; ++i) {
          if (fates[i] != Fate::kBatched) continue;
          // A report near one planned here waits for that one's commit and
          // then finds it as its duplicate.
          const bool near_planned =
              planned[i].Searches() &&
              std::any_of(rows.begin(), rows.end(), [&](const CaseRow& row) {
                const v1::Case& v = row.view;
                return planned[i].Repeats(v.category_code(), v.grid_path(), v.latitude(),
                                          v.longitude(), FromProtoTime(v.create_time()));
              });
          if (near_planned) {
            fates[i] = Fate::kAlone;
            continue;
          }
          batched.push_back(i);
          rows.push_back(NewCaseRow(reports[i].report, *grid_of[i], *planned[i].category,
                                    calendars.at(grid_of[i]->path()), reports[i].write.now));
        }
        if (rows.empty()) return absl::OkStatus();
        std::vector<CaseStepRecord> steps;
        std::vector<const CaseRow*> inserted;
        std::vector<CaseStepLine> lines;
        std::vector<ChangeLog::Entry> entries;
        steps.reserve(rows.size());  // `lines` points into it
        for (size_t k = 0; k < rows.size(); ++k) {
          const v1::Case& view = rows[k].view;
          const WriteContext& write = reports[batched[k]].write;
          steps.push_back(FirstCaseStep(view));
          inserted.push_back(&rows[k]);
          lines.push_back({&view.id(), 1, &steps.back(), &write});
          entries.push_back(
              {&write, {view.id(), common::v1::Change::CREATED, view.grid_path(), &view, nullptr}});
        }
        try {
          InsertCaseRows(c, inserted);
          InsertCaseSteps(c, lines);
          changes_.AppendAll(c, entries);
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          fall_back = true;
          return absl::AbortedError("a request id of the batch was written before");
        }
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = all_idempotent});
  if (fall_back) {
    for (size_t i = 0; i < n; ++i) {
      if (fates[i] != Fate::kAnswered) report_alone(i);
    }
    return results;
  }
  if (status.ok()) {
    for (size_t k = 0; k < batched.size(); ++k) {
      if (cache_ != nullptr) cache_->Offer(rows[k].view);
      results[batched[k]] = ReportedCase{rows[k].view};
    }
  }
  for (size_t i = 0; i < n; ++i) {
    // Those set aside go on their own whether the batch committed or not.
    if (fates[i] == Fate::kAlone) {
      report_alone(i);
    } else if (fates[i] == Fate::kBatched && !status.ok()) {
      results[i] = status;
    }
  }
  return results;
}

}  // namespace grassroots::grid
