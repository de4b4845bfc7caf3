#include "services/careers/training_store.h"

#include <cppconn/exception.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/careers/hidden.h"
#include "services/careers/training_rules.h"
#include "services/careers/worker_rules.h"
#include "services/careers/worker_store.h"

namespace grassroots::careers {
namespace {

// A course is visible to callers whose scope holds its region, and to
// callers inside its region (a street's course is its communities').
std::optional<v1::Course> FindCourse(db::Connection& c, const std::string& scope,
                                     const std::string& id) {
  auto& select = c.Prepare(
      "SELECT id, region_path, title, kind, year, hours, create_time FROM courses WHERE id = ?");
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::Course course;
  course.set_id(rows->getString(1));
  course.set_region_path(rows->getString(2));
  course.set_title(rows->getString(3));
  course.set_kind(static_cast<v1::CourseKind>(rows->getInt(4)));
  course.set_year(rows->getInt(5));
  course.set_hours(rows->getInt(6));
  ToProtoTime(db::FromDbTime(rows->getString(7)), course.mutable_create_time());
  if (!PathWithin(course.region_path(), scope) && !PathWithin(scope, course.region_path())) {
    return std::nullopt;
  }
  return course;
}

}  // namespace

absl::StatusOr<v1::Course> TrainingStore::CreateCourse(const std::string& scope,
                                                       const WriteContext& write,
                                                       const v1::Course& requested) {
  if (!PathWithin(requested.region_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "course.region_path lies outside the caller's jurisdiction");
  }
  v1::Course made = requested;
  made.set_id(NewId("co", write.now));
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) {
        auto& insert = c.Prepare(
            "INSERT INTO courses (id, region_path, title, kind, year, hours, create_time) VALUES"
            " (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.region_path());
        insert.setString(3, made.title());
        insert.setInt(4, made.kind());
        insert.setInt(5, made.year());
        insert.setInt(6, made.hours());
        insert.setString(7, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(
            c, write, {made.id(), common::v1::Change::CREATED, made.region_path(), &made, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Course>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Course> TrainingStore::GetCourse(const std::string& scope,
                                                    const std::string& id) {
  std::optional<v1::Course> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindCourse(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "course", "COURSE_NOT_FOUND");
  return *found;
}

absl::StatusOr<v1::TrainingResult> TrainingStore::Record(const std::string& scope,
                                                         const WriteContext& write,
                                                         const v1::TrainingResult& requested) {
  v1::TrainingResult made = requested;
  made.set_actor(write.actor);
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto worker = WorkerStore::FindInScope(c, scope, made.worker_id(), /*lock=*/true);
    if (!worker) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
    auto course = FindCourse(c, scope, made.course_id());
    if (!course || !PathWithin(worker->worker.community_path(), course->region_path())) {
      return InvalidField("result.course_id", "COURSE_NOT_FOUND",
                          "no course of the worker's region has this id");
    }
    if (auto s = CheckResultFitsCourse(made, *course); !s.ok()) return s;
    made.set_course_kind(course->kind());
    auto& insert = c.Prepare(
        "INSERT INTO training_results (worker_id, course_id, course_kind, year, hours_attended,"
        " passed, score, completion_date, actor, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?)");
    insert.setString(1, made.worker_id());
    insert.setString(2, made.course_id());
    insert.setInt(3, made.course_kind());
    insert.setInt(4, course->year());
    insert.setInt(5, made.hours_attended());
    insert.setBoolean(6, made.passed());
    insert.setInt(7, made.score());
    insert.setString(8, made.completion_date());
    insert.setString(9, write.actor);
    insert.setString(10, db::ToDbTime(write.now));
    try {
      insert.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != db::kDuplicateKey) throw;
      return AlreadyExists("TRAINING_RESULT_EXISTS",
                           "the worker's result in this course is recorded already");
    }
    changes_.Append(c, write,
                    {absl::StrCat(made.worker_id(), "/", made.course_id()),
                     common::v1::Change::CREATED, worker->worker.community_path(), &made, nullptr});
    if (PassesPostTraining(made) && !worker->passed_post_training) {
      auto& mark = c.Prepare(
          "UPDATE workers SET passed_post_training = TRUE, version = version + 1, update_time = ?"
          " WHERE id = ?");
      mark.setString(1, db::ToDbTime(write.now));
      mark.setString(2, made.worker_id());
      mark.executeUpdate();
      v1::Worker after = worker->worker;
      after.set_qualified_alone(QualifiedAlone(after.status(), true));
      after.set_etag(EtagOf(worker->version + 1));
      WorkerStore::Touch(c, changes_, write, *worker, after);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return made;
}

absl::StatusOr<std::vector<v1::TrainingResult>> TrainingStore::Results(
    const std::string& scope, const std::string& worker_id) {
  std::vector<v1::TrainingResult> results;
  bool found = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    results.clear();
    found = WorkerStore::FindInScope(c, scope, worker_id).has_value();
    if (!found) return absl::OkStatus();
    auto& select = c.Prepare(
        "SELECT course_id, course_kind, hours_attended, passed, score, completion_date, actor FROM"
        " training_results WHERE worker_id = ? ORDER BY completion_date, course_id");
    select.setString(1, worker_id);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::TrainingResult& r = results.emplace_back();
      r.set_worker_id(worker_id);
      r.set_course_id(rows->getString(1));
      r.set_course_kind(static_cast<v1::CourseKind>(rows->getInt(2)));
      r.set_hours_attended(rows->getInt(3));
      r.set_passed(rows->getBoolean(4));
      r.set_score(rows->getInt(5));
      r.set_completion_date(rows->getString(6));
      r.set_actor(rows->getString(7));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  return results;
}

absl::StatusOr<v1::TrainingCoverage> TrainingStore::Coverage(const std::string& scope,
                                                             const std::string& path, int year) {
  if (!PathWithin(path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE", "path lies outside the caller's jurisdiction");
  }
  v1::TrainingCoverage coverage;
  coverage.set_path(path);
  coverage.set_year(year);
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    coverage.clear_untrained();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT w.id, w.community_path, w.name_masked, w.passed_post_training,"
        " COUNT(t.course_id), COALESCE(SUM(t.hours_attended), 0) FROM workers w LEFT JOIN"
        " training_results t ON t.worker_id = w.id AND t.year = ? WHERE w.status = 1",
        db::InScope("w.community_path"), " GROUP BY w.id ORDER BY w.id"));
    select.setInt(1, year);
    db::BindScope(select, 2, path);
    auto rows = c.Query(select);
    int active = 0, trained = 0;
    int64_t hours = 0;
    while (rows->next()) {
      ++active;
      hours += rows->getInt64(6);
      if (rows->getInt(5) > 0) {
        ++trained;
        continue;
      }
      v1::UntrainedWorker* u = coverage.add_untrained();
      u->set_worker_id(rows->getString(1));
      u->set_community_path(rows->getString(2));
      u->set_masked_name(rows->getString(3));
      u->set_qualified_alone(rows->getBoolean(4));
    }
    coverage.set_active_workers(active);
    coverage.set_trained_workers(trained);
    coverage.set_hours(hours);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return coverage;
}

}  // namespace grassroots::careers
