#include "services/careers/worker_store.h"

#include <cppconn/exception.h>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/crypto/personal_fields.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/text/person_identifiers.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "services/careers/hidden.h"
#include "services/careers/ladder_rules.h"
#include "services/careers/pay_rules.h"
#include "services/careers/pay_store.h"
#include "services/careers/qualification_feed.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {
namespace {

constexpr char kColumns[] =
    "SELECT w.id, w.community_path, w.name_masked, w.id_number_masked, w.post, w.grade,"
    " w.entry_channel, w.degree, w.rung, w.hire_date, w.rung_date, w.leave_date, w.status,"
    " w.seconded_to, w.passed_post_training, w.version, w.create_time, w.update_time,"
    " w.work_weekdays, w.work_start_minute, w.work_end_minute, w.work_utc_offset_minutes"
    " FROM workers w";

WorkerRow ReadWorker(sql::ResultSet& r) {
  WorkerRow row;
  v1::Worker& w = row.worker;
  w.set_id(r.getString(1));
  w.set_community_path(r.getString(2));
  w.set_masked_name(r.getString(3));
  w.set_masked_id_number(r.getString(4));
  w.set_post(static_cast<v1::Post>(r.getInt(5)));
  w.set_grade(r.getInt(6));
  w.set_entry_channel(static_cast<v1::EntryChannel>(r.getInt(7)));
  w.set_degree(static_cast<v1::Degree>(r.getInt(8)));
  w.set_rung(static_cast<v1::Rung>(r.getInt(9)));
  w.set_hire_date(r.getString(10));
  row.rung_date = r.getString(11);
  if (!r.isNull(12)) w.set_leave_date(r.getString(12));
  w.set_status(static_cast<v1::WorkerStatus>(r.getInt(13)));
  w.set_seconded_to(r.getString(14));
  row.passed_post_training = r.getBoolean(15);
  w.set_qualified_alone(QualifiedAlone(w.status(), row.passed_post_training));
  row.version = r.getInt64(16);
  w.set_etag(EtagOf(row.version));
  ToProtoTime(db::FromDbTime(r.getString(17)), w.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(18)), w.mutable_update_time());
  v1::WorkingHours& hours = *w.mutable_working_hours();
  hours.set_weekdays(r.getInt(19));
  hours.set_start_minute(r.getInt(20));
  hours.set_end_minute(r.getInt(21));
  hours.set_utc_offset_minutes(r.getInt(22));
  return row;
}

struct HistoryEntry {
  std::string field, before, after;
};

void AppendHistory(db::Connection& c, const WriteContext& write,
                   const v1::ChangeWorkerRequest& change,
                   const std::vector<HistoryEntry>& entries) {
  auto& next = c.Prepare("SELECT COALESCE(MAX(number), 0) FROM worker_history WHERE worker_id = ?");
  next.setString(1, change.id());
  auto rows = c.Query(next);
  int number = rows->next() ? rows->getInt(1) : 0;
  for (const HistoryEntry& e : entries) {
    auto& insert = c.Prepare(
        "INSERT INTO worker_history (worker_id, number, kind, field, before_value, after_value,"
        " effective_date, reason, actor, change_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.setString(1, change.id());
    insert.setInt(2, ++number);
    insert.setInt(3, change.kind());
    insert.setString(4, e.field);
    insert.setString(5, e.before);
    insert.setString(6, e.after);
    insert.setString(7, change.effective_date());
    insert.setString(8, change.reason());
    insert.setString(9, write.actor);
    insert.setString(10, db::ToDbTime(write.now));
    insert.executeUpdate();
  }
}

std::vector<v1::AssessmentResult> LatestResults(db::Connection& c, const std::string& worker_id) {
  auto& select =
      c.Prepare("SELECT result FROM assessments WHERE worker_id = ? ORDER BY year DESC LIMIT 5");
  select.setString(1, worker_id);
  auto rows = c.Query(select);
  std::vector<v1::AssessmentResult> results;
  while (rows->next()) results.push_back(static_cast<v1::AssessmentResult>(rows->getInt(1)));
  return results;
}

// Applies `change` to `w` (already checked by ValidateChange and
// CheckChangeAllowed); the history entries it makes, or the rule it breaks.
absl::StatusOr<std::vector<HistoryEntry>> Apply(db::Connection& c, const std::string& scope,
                                                const WorkerRow& row,
                                                const v1::ChangeWorkerRequest& change,
                                                v1::Worker& w, std::string& rung_date) {
  std::vector<HistoryEntry> entries;
  switch (change.kind()) {
    case v1::CHANGE_POST:
    case v1::CHANGE_GRADE: {
      const v1::Post post = change.kind() == v1::CHANGE_POST ? change.post() : w.post();
      if (auto s = CheckGradeInRange(PayStore::PolicyFor(c, w.community_path()), post,
                                     change.grade(), "grade");
          !s.ok()) {
        return s;
      }
      if (post != w.post()) {
        entries.push_back({"post", v1::Post_Name(w.post()), v1::Post_Name(post)});
      }
      if (change.grade() != w.grade()) {
        entries.push_back({"grade", absl::StrCat(w.grade()), absl::StrCat(change.grade())});
      }
      if (entries.empty()) {
        return FailedPrecondition("NO_CHANGE", "the worker holds this post and grade already");
      }
      w.set_post(post);
      w.set_grade(change.grade());
      break;
    }
    case v1::CHANGE_ROTATION:
      if (!PathWithin(change.community_path(), scope)) {
        return PermissionDenied("OUT_OF_SCOPE",
                                "community_path lies outside the caller's jurisdiction");
      }
      if (change.community_path() == w.community_path()) {
        return FailedPrecondition("NO_CHANGE", "the worker serves this community already");
      }
      entries.push_back({"community_path", w.community_path(), change.community_path()});
      w.set_community_path(change.community_path());
      break;
    case v1::CHANGE_SECONDMENT:
      entries.push_back({"status", v1::WorkerStatus_Name(w.status()), "WORKER_SECONDED"});
      entries.push_back({"seconded_to", "", change.seconded_to()});
      w.set_status(v1::WORKER_SECONDED);
      w.set_seconded_to(change.seconded_to());
      break;
    case v1::CHANGE_RETURN:
      entries.push_back({"status", "WORKER_SECONDED", "WORKER_ACTIVE"});
      entries.push_back({"seconded_to", w.seconded_to(), ""});
      w.set_status(v1::WORKER_ACTIVE);
      w.set_seconded_to("");
      break;
    case v1::CHANGE_LADDER_STEP: {
      const absl::CivilDay since = *ParseDate("rung_date", row.rung_date);
      const absl::CivilDay on = *ParseDate("effective_date", change.effective_date());
      if (auto s = CheckLadderStep(w.rung(), change.rung(), w.status(), ServiceYears(since, on, 0),
                                   LatestResults(c, w.id()));
          !s.ok()) {
        return s;
      }
      entries.push_back({"rung", v1::Rung_Name(w.rung()), v1::Rung_Name(change.rung())});
      w.set_rung(change.rung());
      rung_date = change.effective_date();
      break;
    }
    case v1::CHANGE_WORKING_HOURS: {
      const std::string before = WorkingHoursText(w.working_hours());
      const std::string after = WorkingHoursText(change.working_hours());
      if (before == after) {
        return FailedPrecondition("NO_CHANGE", "the worker works these hours already");
      }
      entries.push_back({"working_hours", before, after});
      *w.mutable_working_hours() = change.working_hours();
      break;
    }
    case v1::CHANGE_LEAVE:
      entries.push_back({"status", v1::WorkerStatus_Name(w.status()), "WORKER_LEFT"});
      w.set_status(v1::WORKER_LEFT);
      w.set_leave_date(change.effective_date());
      break;
    default:
      return InvalidField("kind", "CHANGE_KIND_REQUIRED", "is not a change this service makes");
  }
  return entries;
}

}  // namespace

std::optional<WorkerRow> WorkerStore::FindInScope(db::Connection& c, const std::string& scope,
                                                  const std::string& id, bool lock) {
  auto& select = c.Prepare(absl::StrCat(
      kColumns, " WHERE w.id = ?", db::InScope("w.community_path"), lock ? " FOR UPDATE" : ""));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadWorker(*rows);
}

void WorkerStore::Touch(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                        const WorkerRow& before, const v1::Worker& after) {
  if (after.qualified_alone() != before.worker.qualified_alone() ||
      after.community_path() != before.worker.community_path()) {
    QualificationFeed::Append(c, after.id(), after.community_path(), after.qualified_alone(),
                              write.now);
  }
  changes.Append(
      c, write,
      {after.id(), common::v1::Change::UPDATED, after.community_path(), &after, &before.worker});
}

absl::StatusOr<v1::Worker> WorkerStore::Create(const std::string& scope, const WriteContext& write,
                                               const v1::Worker& requested) {
  if (!PathWithin(requested.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "worker.community_path lies outside the caller's jurisdiction");
  }
  v1::Worker made = requested;
  made.clear_name();
  made.clear_id_number();
  made.set_id(NewId("wk", write.now));
  made.set_rung(v1::RUNG_COMMUNITY_CADRE);
  made.set_status(v1::WORKER_ACTIVE);
  made.clear_leave_date();
  made.clear_seconded_to();
  made.set_qualified_alone(false);
  made.set_etag(EtagOf(1));
  if (!made.has_working_hours()) *made.mutable_working_hours() = StandardWorkingHours();
  const std::string id_number = *NormaliseIdNumber("worker.id_number", requested.id_number());
  const SealedValue name = Seal(cipher_, PersonalKind::kName, made.id(), "name", requested.name());
  const SealedValue id_sealed =
      Seal(cipher_, PersonalKind::kIdNumber, made.id(), "id_number", id_number);
  made.set_masked_name(name.masked);
  made.set_masked_id_number(id_sealed.masked);
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_create_time());
  *made.mutable_update_time() = made.create_time();
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        if (auto s = CheckGradeInRange(PayStore::PolicyFor(c, made.community_path()), made.post(),
                                       made.grade(), "worker.grade");
            !s.ok()) {
          return s;
        }
        auto& insert = c.Prepare(
            "INSERT INTO workers (id, community_path, name_cipher, name_masked, id_number_cipher,"
            " id_number_masked, id_number_hash, post, grade, entry_channel, degree, rung,"
            " hire_date, rung_date, leave_date, status, seconded_to, passed_post_training,"
            " version, create_time, update_time, work_weekdays, work_start_minute,"
            " work_end_minute, work_utc_offset_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, NULL, ?, '', FALSE, 1, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.community_path());
        int index = BindSealed(insert, 3, name, false);
        index = BindSealed(insert, index, id_sealed, true);
        insert.setInt(index++, made.post());
        insert.setInt(index++, made.grade());
        insert.setInt(index++, made.entry_channel());
        insert.setInt(index++, made.degree());
        insert.setInt(index++, made.rung());
        insert.setString(index++, made.hire_date());
        insert.setString(index++, made.hire_date());
        insert.setInt(index++, made.status());
        insert.setString(index++, db::ToDbTime(write.now));
        insert.setString(index++, db::ToDbTime(write.now));
        insert.setInt(index++, made.working_hours().weekdays());
        insert.setInt(index++, made.working_hours().start_minute());
        insert.setInt(index++, made.working_hours().end_minute());
        insert.setInt(index, made.working_hours().utc_offset_minutes());
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return AlreadyExists("WORKER_EXISTS",
                               "worker.id_number: a worker with this ID number is on record");
        }
        changes_.Append(
            c, write,
            {made.id(), common::v1::Change::CREATED, made.community_path(), &made, nullptr});
        QualificationFeed::Append(c, made.id(), made.community_path(), false, write.now);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Worker>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Worker> WorkerStore::Get(const std::string& scope, const std::string& id) {
  std::optional<WorkerRow> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  return found->worker;
}

absl::StatusOr<WorkerPage> WorkerStore::List(const std::string& scope,
                                             const std::string& path_prefix, int page_size,
                                             const std::string& after_id) {
  WorkerPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    page.workers.clear();
    auto& select =
        c.Prepare(absl::StrCat(kColumns, " WHERE w.id > ?", db::InScope("w.community_path"),
                               db::InScope("w.community_path"), " ORDER BY w.id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    index = db::BindScope(select, index, path_prefix);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.workers.push_back(ReadWorker(*rows).worker);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.workers.size()) > page_size) {
    page.workers.pop_back();
    page.last_id = page.workers.back().id();
  }
  return page;
}

absl::StatusOr<v1::Worker> WorkerStore::FindByIdNumber(const std::string& scope,
                                                       const WriteContext& reader,
                                                       const std::string& normalised,
                                                       const std::string& purpose) {
  std::optional<WorkerRow> found;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    RecordPersonalDataRead(c, reader, "search", "worker", "", "id_number", purpose);
    auto& select = c.Prepare(
        absl::StrCat(kColumns, " WHERE w.id_number_hash = ?", db::InScope("w.community_path")));
    select.setString(1, SearchHash(cipher_, PersonalKind::kIdNumber, normalised));
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = ReadWorker(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // In or out of scope, the answer is the same: no such worker here.
  if (!found) return NotFound("WORKER_NOT_FOUND", "no worker with this ID number in the scope");
  return found->worker;
}

absl::StatusOr<v1::WorkerIdNumber> WorkerStore::RevealIdNumber(const std::string& scope,
                                                               const WriteContext& reader,
                                                               const std::string& id,
                                                               const std::string& purpose) {
  std::optional<v1::WorkerIdNumber> revealed;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT id_number_cipher FROM workers WHERE id = ?",
                                          db::InScope("community_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return absl::OkStatus();
    auto clear = Unseal(cipher_, *rows, 1, id, "id_number");
    if (!clear.ok()) return clear.status();
    RecordPersonalDataRead(c, reader, "reveal", "worker", id, "id_number", purpose);
    revealed.emplace();
    revealed->set_worker_id(id);
    revealed->set_id_number(*clear);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!revealed) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  return *revealed;
}

absl::StatusOr<v1::Worker> WorkerStore::Change(const std::string& scope, const WriteContext& write,
                                               const v1::ChangeWorkerRequest& change) {
  v1::Worker updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto row = FindInScope(c, scope, change.id(), /*lock=*/true);
    if (!row) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
    if (auto s = CheckEtag("etag", change.etag(), row->version, "the worker"); !s.ok()) return s;
    if (auto s = CheckChangeAllowed(row->worker.status(), change.kind()); !s.ok()) return s;
    updated = row->worker;
    std::string rung_date = row->rung_date;
    auto entries = Apply(c, scope, *row, change, updated, rung_date);
    if (!entries.ok()) return entries.status();
    updated.set_qualified_alone(QualifiedAlone(updated.status(), row->passed_post_training));
    updated.set_etag(EtagOf(row->version + 1));
    ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE workers SET community_path = ?, post = ?, grade = ?, rung = ?, rung_date = ?,"
        " leave_date = ?, status = ?, seconded_to = ?, version = version + 1, update_time = ?,"
        " work_weekdays = ?, work_start_minute = ?, work_end_minute = ?,"
        " work_utc_offset_minutes = ? WHERE id = ?");
    update.setString(1, updated.community_path());
    update.setInt(2, updated.post());
    update.setInt(3, updated.grade());
    update.setInt(4, updated.rung());
    update.setString(5, rung_date);
    if (updated.leave_date().empty()) {
      update.setNull(6, sql::DataType::DATE);
    } else {
      update.setString(6, updated.leave_date());
    }
    update.setInt(7, updated.status());
    update.setString(8, updated.seconded_to());
    update.setString(9, db::ToDbTime(write.now));
    update.setInt(10, updated.working_hours().weekdays());
    update.setInt(11, updated.working_hours().start_minute());
    update.setInt(12, updated.working_hours().end_minute());
    update.setInt(13, updated.working_hours().utc_offset_minutes());
    update.setString(14, updated.id());
    update.executeUpdate();
    AppendHistory(c, write, change, *entries);
    Touch(c, changes_, write, *row, updated);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<std::vector<v1::WorkerChange>> WorkerStore::History(const std::string& scope,
                                                                   const std::string& id) {
  std::vector<v1::WorkerChange> history;
  bool found = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    history.clear();
    found = FindInScope(c, scope, id).has_value();
    if (!found) return absl::OkStatus();
    auto& select = c.Prepare(
        "SELECT number, kind, field, before_value, after_value, effective_date, reason, actor,"
        " change_time FROM worker_history WHERE worker_id = ? ORDER BY number");
    select.setString(1, id);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::WorkerChange& e = history.emplace_back();
      e.set_number(rows->getInt(1));
      e.set_kind(static_cast<v1::ChangeKind>(rows->getInt(2)));
      e.set_field(rows->getString(3));
      e.set_before(rows->getString(4));
      e.set_after(rows->getString(5));
      e.set_effective_date(rows->getString(6));
      e.set_reason(rows->getString(7));
      e.set_actor(rows->getString(8));
      ToProtoTime(db::FromDbTime(rows->getString(9)), e.mutable_change_time());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "worker", "WORKER_NOT_FOUND");
  return history;
}

}  // namespace grassroots::careers
