#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "common/import/record_parser.h"
#include "grassroots/common/v1/import.pb.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/case_step_effects.h"
#include "services/grid/case_view_cache.h"

namespace grassroots::grid {

struct CaseQuery {
  std::string grid_id;
  std::string path_prefix;
  v1::Case::State state = v1::Case::STATE_UNSPECIFIED;
  std::string department_id;
  bool overdue_only = false;
  // The cases behind a figure (figure_case_filter.h): created or closed in
  // [start, end), and a fixed condition of the figure's.
  std::optional<std::pair<absl::Time, absl::Time>> created_in;
  std::optional<std::pair<absl::Time, absl::Time>> closed_in;
  const char* condition = "";
};

struct CasePage {
  std::vector<v1::Case> cases;
  std::string last_id;  // empty when this was the last page
};

struct CaseStepPage {
  std::vector<v1::CaseStep> steps;
  int last_number = 0;  // 0 when this was the last page
};

struct MergedCases {
  v1::Case merged;
  v1::Case kept;
};

struct ReportedCase {
  v1::Case report;
  bool duplicate = false;
  // The report's external ticket was pushed before: `report` is its case.
  bool ticket_known = false;
};

// One report as ReportCase hands it over, for ReportMany: what a reporter
// may say, checked on its own but not yet against its category.
struct CaseReport {
  std::string scope;
  WriteContext write;
  v1::Case report;
};

// The only code that speaks SQL about cases and their timelines. Every
// write takes the case row's lock (FOR UPDATE), changes it through the pure
// rules of case_step_effects.h, and writes the row, its timeline line and
// its change row in one transaction. Scope is a condition on the grid path.
class CaseStore {
 public:
  // With a cache, reads are answered from it when they can and every write
  // here offers the case's new view to it.
  CaseStore(db::ConnectionPool& pool, const ChangeLog& changes, CaseViewCache* cache = nullptr)
      : pool_(pool), changes_(changes), cache_(cache) {}

  // `report` is validated against its category by the caller. Links the
  // report to an open duplicate when the category's rule finds one.
  // Idempotent when write.request_id is set, and by the report's external
  // ticket when it has one.
  absl::StatusOr<ReportedCase> Report(const std::string& scope, const WriteContext& write,
                                      const v1::Case& report, const v1::CaseCategory& category);
  // Reports several at once (concurrent ReportCase calls, through a
  // WriteBatcher), each answered as Report would answer it after reading
  // its category and checking the report against it (ValidateReport).
  // Those that need only a new case share one transaction
  // (case_report_batch.cc); one with an external ticket, or near an open
  // case or another report of the batch, goes through Report on its own
  // afterwards.
  std::vector<absl::StatusOr<ReportedCase>> ReportMany(std::vector<CaseReport>& reports);
  absl::StatusOr<v1::Case> Get(const std::string& scope, const std::string& id);

  // Cases moved over from an earlier system (ImportCases), all or nothing:
  // each line (checked by ValidateCaseImportLine) becomes a case in its
  // grid (in `scope`), with its ticket, one "Import" timeline line and a
  // CREATED change the live figures count. An error names the line; a
  // ticket seen before is refused (TICKET_ALREADY_IMPORTED). A retry under
  // write.request_id answers the first result.
  absl::StatusOr<common::v1::ImportResult> Import(
      const std::string& scope, const WriteContext& write,
      const std::vector<ImportLine<v1::CaseImportRecord>>& lines);
  // The answer Get would give, when the cache holds the case (no I/O).
  std::optional<absl::StatusOr<v1::Case>> GetCached(const std::string& scope,
                                                    const std::string& id) const;
  // Newest first.
  absl::StatusOr<CasePage> List(const std::string& scope, const CaseQuery& query, int page_size,
                                const std::string& before_id);
  absl::StatusOr<CaseStepPage> ListSteps(const std::string& scope, const std::string& case_id,
                                         int page_size, int after_number);

  // Takes one step (the role was checked by the caller). A dispatch without
  // a department goes to the category's. A replay of a step under the same
  // request id answers the case as that step left it.
  absl::StatusOr<v1::Case> TakeStep(const std::string& scope, const WriteContext& write,
                                    const std::string& case_id, const std::string& etag,
                                    CaseStepInput input);

  // Merges the case `case_id` into `input.into_case_id` (kMerge): the
  // first becomes MERGED; the kept case, which must be open, takes its
  // reporter and its linked reports as linked reports. Both rows are locked
  // in id order, so merges of one pair either way round cannot deadlock. A
  // replay under the same request id answers as the first time.
  absl::StatusOr<MergedCases> Merge(const std::string& scope, const WriteContext& write,
                                    const std::string& case_id, const std::string& etag,
                                    const CaseStepInput& input);

  // The sweeper: escalates up to `limit` cases whose escalation time has
  // passed at `now`, each once however many replicas sweep (rows are taken
  // FOR UPDATE SKIP LOCKED and the time is re-read under the lock). The
  // number escalated.
  absl::StatusOr<int> EscalateOverdue(const WriteContext& write, int limit);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  CaseViewCache* const cache_;
};

}  // namespace grassroots::grid
