#include "services/careers/assessment_store.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/careers/assessment_rules.h"
#include "services/careers/hidden.h"
#include "services/careers/region_lookup.h"
#include "services/careers/worker_rules.h"
#include "services/careers/worker_store.h"

namespace grassroots::careers {
namespace {

// Rows a batch writes per transaction: short locks, few round trips.
constexpr size_t kBatchRows = 500;

constexpr char kColumns[] =
    "SELECT worker_id, year, community_path, self_review_score, field_visit_score, survey_score,"
    " cases_handled, cases_on_time, cases_evaluated, satisfaction_sum, weights_region_path,"
    " weights_year, weight_self_review, weight_field_visit, weight_survey,"
    " weight_case_performance, weighted_score_tenths, result, actor, create_time FROM assessments";
constexpr int kColumnCount = 20;
constexpr char kInsert[] =
    "INSERT INTO assessments (worker_id, year, community_path, self_review_score,"
    " field_visit_score, survey_score, cases_handled, cases_on_time, cases_evaluated,"
    " satisfaction_sum, weights_region_path, weights_year, weight_self_review,"
    " weight_field_visit, weight_survey, weight_case_performance, weighted_score_tenths, result,"
    " actor, create_time) VALUES ";

std::string ResourceOf(const v1::Assessment& a) {
  return absl::StrCat("assessment/", a.worker_id(), "/", a.year());
}

int BindAssessment(sql::PreparedStatement& s, int i, const v1::Assessment& a) {
  const v1::CasePerformance& p = a.case_performance();
  const v1::AssessmentWeights& w = a.weights();
  s.setString(i++, a.worker_id());
  s.setInt(i++, a.year());
  s.setString(i++, a.community_path());
  s.setInt(i++, a.self_review_score());
  s.setInt(i++, a.field_visit_score());
  s.setInt(i++, a.survey_score());
  s.setInt(i++, p.handled());
  s.setInt(i++, p.on_time());
  s.setInt(i++, p.evaluated());
  s.setInt(i++, p.satisfaction_sum());
  s.setString(i++, w.region_path());
  s.setInt(i++, w.effective_year());
  s.setInt(i++, w.self_review());
  s.setInt(i++, w.field_visit());
  s.setInt(i++, w.survey());
  s.setInt(i++, w.case_performance());
  s.setInt(i++, a.weighted_score_tenths());
  s.setInt(i++, a.result());
  s.setString(i++, a.actor());
  s.setString(i++, db::ToDbTime(FromProtoTime(a.create_time())));
  return i;
}

v1::Assessment ReadAssessment(sql::ResultSet& r) {
  v1::Assessment a;
  a.set_worker_id(r.getString(1));
  a.set_year(r.getInt(2));
  a.set_community_path(r.getString(3));
  a.set_self_review_score(r.getInt(4));
  a.set_field_visit_score(r.getInt(5));
  a.set_survey_score(r.getInt(6));
  CasePerformance cases{r.getInt(7), r.getInt(8), r.getInt(9), r.getInt(10)};
  *a.mutable_case_performance() = CasePerformanceProto(cases);
  v1::AssessmentWeights* w = a.mutable_weights();
  w->set_region_path(r.getString(11));
  w->set_effective_year(r.getInt(12));
  w->set_self_review(r.getInt(13));
  w->set_field_visit(r.getInt(14));
  w->set_survey(r.getInt(15));
  w->set_case_performance(r.getInt(16));
  a.set_weighted_score_tenths(r.getInt(17));
  a.set_result(static_cast<v1::AssessmentResult>(r.getInt(18)));
  a.set_actor(r.getString(19));
  ToProtoTime(db::FromDbTime(r.getString(20)), a.mutable_create_time());
  return a;
}

v1::AssessmentWeights DefaultWeights() {
  const AssessmentWeights d;
  v1::AssessmentWeights w;
  w.set_self_review(d.self_review);
  w.set_field_visit(d.field_visit);
  w.set_survey(d.survey);
  w.set_case_performance(d.case_performance);
  return w;
}

// The nearest enclosing region's latest set effective by `year`.
v1::AssessmentWeights FindWeights(db::Connection& c, const std::string& path, int year) {
  const std::vector<std::string> regions = EnclosingRegions(path);
  auto& select = c.Prepare(absl::StrCat(
      "SELECT region_path, effective_year, self_review, field_visit, survey, case_performance,"
      " actor, update_time FROM assessment_weights WHERE effective_year <= ?",
      InEnclosingRegions(regions),
      " ORDER BY LENGTH(region_path) DESC, effective_year DESC LIMIT 1"));
  select.setInt(1, year);
  BindRegions(select, 2, regions);
  auto rows = c.Query(select);
  if (!rows->next()) return DefaultWeights();
  v1::AssessmentWeights w;
  w.set_region_path(rows->getString(1));
  w.set_effective_year(rows->getInt(2));
  w.set_self_review(rows->getInt(3));
  w.set_field_visit(rows->getInt(4));
  w.set_survey(rows->getInt(5));
  w.set_case_performance(rows->getInt(6));
  w.set_actor(rows->getString(7));
  ToProtoTime(db::FromDbTime(rows->getString(8)), w.mutable_update_time());
  return w;
}

// A year's rows under the path in the scope, by worker id after
// `after_id`, one more than a page so the caller knows whether more follow.
std::string YearPageTail(const char* path_column, const char* worker_column) {
  return absl::StrCat(db::InScope(path_column), db::InScope(path_column), " AND ", worker_column,
                      " > ? ORDER BY ", worker_column, " LIMIT ?");
}
void BindYearPage(sql::PreparedStatement& select, int year, const std::string& scope,
                  const std::string& path, const std::string& after_id, int page_size) {
  select.setInt(1, year);
  int index = db::BindScope(select, 2, scope);
  index = db::BindScope(select, index, path);
  select.setString(index++, after_id);
  select.setInt(index, page_size + 1);
}

// Drops the extra row and names the page's last worker when there was one.
template <typename Item>
void EndPage(AssessmentPage<Item>& page, int page_size) {
  if (static_cast<int>(page.items.size()) <= page_size) return;
  page.items.pop_back();
  page.last_key = page.items.back().worker_id();
}

}  // namespace

absl::StatusOr<v1::AssessmentWeights> AssessmentStore::SetWeights(
    const std::string& scope, const WriteContext& write, const v1::AssessmentWeights& requested) {
  if (!PathWithin(requested.region_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "weights.region_path lies outside the caller's jurisdiction");
  }
  v1::AssessmentWeights made = requested;
  made.set_actor(write.actor);
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_update_time());
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    auto& upsert = c.Prepare(
        "INSERT INTO assessment_weights (region_path, effective_year, self_review, field_visit,"
        " survey, case_performance, actor, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON"
        " DUPLICATE KEY UPDATE self_review = VALUES(self_review), field_visit ="
        " VALUES(field_visit), survey = VALUES(survey), case_performance ="
        " VALUES(case_performance), actor = VALUES(actor), update_time = VALUES(update_time)");
    upsert.setString(1, made.region_path());
    upsert.setInt(2, made.effective_year());
    upsert.setInt(3, made.self_review());
    upsert.setInt(4, made.field_visit());
    upsert.setInt(5, made.survey());
    upsert.setInt(6, made.case_performance());
    upsert.setString(7, write.actor);
    upsert.setString(8, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(
        c, write,
        {absl::StrCat("assessment-weights/", made.region_path(), "/", made.effective_year()),
         common::v1::Change::UPDATED, made.region_path(), &made, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return made;
}

absl::StatusOr<v1::AssessmentWeights> AssessmentStore::WeightsFor(const std::string& path,
                                                                  int year) {
  v1::AssessmentWeights found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindWeights(c, path, year);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<std::map<std::string, v1::AssessmentWeights>> AssessmentStore::WeightsFor(
    const std::set<std::string>& communities, int year) {
  std::map<std::string, v1::AssessmentWeights> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found.clear();
    for (const std::string& community : communities) {
      found[community] = FindWeights(c, community, year);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<std::string> AssessmentStore::CommunityOf(const std::string& scope,
                                                         const std::string& worker_id) {
  std::optional<WorkerRow> worker;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    worker = WorkerStore::FindInScope(c, scope, worker_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!worker) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  return worker->worker.community_path();
}

std::optional<v1::Assessment> AssessmentStore::Earlier(const WriteContext& write) {
  if (write.request_id.empty()) return std::nullopt;
  std::optional<google::protobuf::Any> first = FindEarlierResult(pool_, changes_, write);
  v1::Assessment earlier;
  if (!first || !first->UnpackTo(&earlier)) return std::nullopt;
  return earlier;
}

absl::StatusOr<v1::Assessment> AssessmentStore::Record(const std::string& scope,
                                                       const WriteContext& write,
                                                       const v1::Assessment& requested) {
  v1::Assessment made = requested;
  made.set_actor(write.actor);
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto worker = WorkerStore::FindInScope(c, scope, made.worker_id(), /*lock=*/true);
        if (!worker) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
        if (worker->worker.community_path() != made.community_path()) {
          return Aborted("WORKER_MOVED",
                         "the worker moved to another community while being assessed; retry");
        }
        auto& insert = c.Prepare(absl::StrCat(kInsert, db::ParameterRows(kColumnCount, 1)));
        BindAssessment(insert, 1, made);
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return AlreadyExists("ASSESSMENT_EXISTS",
                               "the worker's assessment of this year is recorded already");
        }
        changes_.Append(
            c, write,
            {ResourceOf(made), common::v1::Change::CREATED, made.community_path(), &made, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Assessment>(pool_, changes_, write, status);
}

absl::StatusOr<std::vector<AreaWorker>> AssessmentStore::AreaWorkers(const std::string& scope,
                                                                     const std::string& path,
                                                                     int year) {
  if (!PathWithin(path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE", "path lies outside the caller's jurisdiction");
  }
  std::vector<AreaWorker> workers;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    workers.clear();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT w.id, w.community_path, a.worker_id IS NOT NULL FROM workers w LEFT JOIN"
        " assessments a ON a.worker_id = w.id AND a.year = ? WHERE w.status = 1",
        db::InScope("w.community_path"), " ORDER BY w.id"));
    select.setInt(1, year);
    db::BindScope(select, 2, path);
    auto rows = c.Query(select);
    while (rows->next()) {
      workers.push_back({rows->getString(1), rows->getString(2), rows->getBoolean(3)});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return workers;
}

absl::StatusOr<std::vector<v1::AssessmentResult>> AssessmentStore::RecordMany(
    const WriteContext& write, const std::vector<v1::Assessment>& assessments) {
  std::vector<v1::AssessmentResult> recorded;
  for (size_t from = 0; from < assessments.size(); from += kBatchRows) {
    const size_t to = std::min(assessments.size(), from + kBatchRows);
    std::vector<v1::Assessment> fresh;
    absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
      // Those a concurrent call recorded since the workers were read.
      std::string ids;
      for (size_t i = from; i < to; ++i) absl::StrAppend(&ids, i == from ? "?" : ", ?");
      auto& existing = c.Prepare(
          absl::StrCat("SELECT worker_id FROM assessments WHERE year = ? AND worker_id IN (", ids,
                       ") FOR UPDATE"));
      existing.setInt(1, assessments[from].year());
      for (size_t i = from; i < to; ++i) {
        existing.setString(static_cast<int>(i - from) + 2, assessments[i].worker_id());
      }
      std::set<std::string> taken;
      auto rows = c.Query(existing);
      while (rows->next()) taken.insert(rows->getString(1));
      fresh.clear();
      for (size_t i = from; i < to; ++i) {
        if (taken.count(assessments[i].worker_id()) > 0) continue;
        v1::Assessment& a = fresh.emplace_back(assessments[i]);
        a.set_actor(write.actor);
        ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), a.mutable_create_time());
      }
      if (fresh.empty()) return absl::OkStatus();
      auto& insert = c.Prepare(
          absl::StrCat(kInsert, db::ParameterRows(kColumnCount, static_cast<int>(fresh.size()))));
      int index = 1;
      for (const v1::Assessment& a : fresh) index = BindAssessment(insert, index, a);
      insert.executeUpdate();
      std::vector<ChangeLog::Entry> entries;
      entries.reserve(fresh.size());
      for (const v1::Assessment& a : fresh) {
        entries.push_back({&write,
                           {ResourceOf(a), common::v1::Change::CREATED, a.community_path(), &a,
                            nullptr, /*carries_request_id=*/false}});
      }
      changes_.AppendAll(c, entries);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    for (const v1::Assessment& a : fresh) recorded.push_back(a.result());
  }
  return recorded;
}

absl::StatusOr<v1::Assessment> AssessmentStore::Get(const std::string& scope,
                                                    const std::string& worker_id, int year) {
  std::optional<v1::Assessment> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat(kColumns, " WHERE worker_id = ? AND year = ?"));
    select.setString(1, worker_id);
    select.setInt(2, year);
    auto rows = c.Query(select);
    if (rows->next()) found = ReadAssessment(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found || !PathWithin(found->community_path(), scope)) {
    return Hidden(scope, "assessment", "ASSESSMENT_NOT_FOUND");
  }
  return *found;
}

absl::StatusOr<std::vector<v1::Assessment>> AssessmentStore::OfWorker(
    const std::string& scope, const std::string& worker_id) {
  std::vector<v1::Assessment> found;
  bool visible = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found.clear();
    visible = WorkerStore::FindInScope(c, scope, worker_id).has_value();
    if (!visible) return absl::OkStatus();
    auto& select = c.Prepare(absl::StrCat(kColumns, " WHERE worker_id = ? ORDER BY year DESC"));
    select.setString(1, worker_id);
    auto rows = c.Query(select);
    while (rows->next()) found.push_back(ReadAssessment(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!visible) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  return found;
}

absl::StatusOr<AssessmentPage<v1::Assessment>> AssessmentStore::OfYear(
    const std::string& scope, const std::string& path, int year, int page_size,
    const std::string& after_id) {
  AssessmentPage<v1::Assessment> page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    page.items.clear();
    auto& select = c.Prepare(
        absl::StrCat(kColumns, " WHERE year = ?", YearPageTail("community_path", "worker_id")));
    BindYearPage(select, year, scope, path, after_id, page_size);
    auto rows = c.Query(select);
    while (rows->next()) page.items.push_back(ReadAssessment(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  EndPage(page, page_size);
  return page;
}

absl::StatusOr<AssessmentPage<v1::AssessmentProposal>> AssessmentStore::Proposals(
    const std::string& scope, const std::string& path, int year, int page_size,
    const std::string& after_id) {
  AssessmentPage<v1::AssessmentProposal> page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    page.items.clear();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT a.worker_id, a.community_path, a.result, p.result FROM assessments a LEFT JOIN"
        " assessments p ON p.worker_id = a.worker_id AND p.year = a.year - 1 WHERE a.year = ?",
        YearPageTail("a.community_path", "a.worker_id")));
    BindYearPage(select, year, scope, path, after_id, page_size);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::AssessmentProposal& p = page.items.emplace_back();
      p.set_worker_id(rows->getString(1));
      p.set_community_path(rows->getString(2));
      p.set_year(year);
      p.set_result(static_cast<v1::AssessmentResult>(rows->getInt(3)));
      std::optional<v1::AssessmentResult> previous;
      if (!rows->isNull(4)) previous = static_cast<v1::AssessmentResult>(rows->getInt(4));
      p.set_previous_result(previous.value_or(v1::ASSESSMENT_RESULT_UNSPECIFIED));
      const careers::Proposals proposed = ProposalsFor(p.result(), previous);
      p.set_grade_step(proposed.grade_step);
      p.set_pay_rise(proposed.pay_rise);
      p.set_renew_contract(proposed.renew_contract);
      p.set_dismissal_review(proposed.dismissal_review);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  EndPage(page, page_size);
  return page;
}

}  // namespace grassroots::careers
