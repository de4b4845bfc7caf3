#include "services/grid/visit_store.h"

#include <cppconn/datatype.h>

#include "absl/strings/str_cat.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "services/grid/grid_store.h"
#include "services/grid/scope_errors.h"
#include "services/grid/visit_log_rules.h"
#include "services/grid/visit_page_key.h"

namespace grassroots::grid {
namespace {

constexpr int kHouseholdSubject = 1;
constexpr int kKeyPersonSubject = 2;

constexpr char kSelect[] =
    "SELECT id, grid_id, grid_path, subject_kind, subject_id, worker_ref, worker_name_masked,"
    " kind, visit_time, findings, follow_up_needed, create_time FROM visits";

v1::Visit ReadVisit(sql::ResultSet& r) {
  v1::Visit v;
  v.set_id(r.getString(1));
  v.set_grid_id(r.getString(2));
  v.set_grid_path(r.getString(3));
  if (r.getInt(4) == kHouseholdSubject) {
    v.set_household_id(r.getString(5));
  } else {
    v.set_key_person_id(r.getString(5));
  }
  v.set_worker_ref(r.getString(6));
  v.set_worker_name(r.getString(7));
  v.set_kind(static_cast<v1::VisitKind>(r.getInt(8)));
  ToProtoTime(db::FromDbTime(r.getString(9)), v.mutable_visit_time());
  v.set_findings(r.getString(10));
  v.set_follow_up_needed(r.getBoolean(11));
  ToProtoTime(db::FromDbTime(r.getString(12)), v.mutable_create_time());
  return v;
}

// Who was visited, as the visit needs it.
struct Subject {
  int kind = kHouseholdSubject;
  std::string id, grid_id, grid_path;
  bool key = false;
};

std::optional<Subject> FindSubject(db::Connection& c, const std::string& scope,
                                   const std::string& household_id,
                                   const std::string& key_person_id, const char* lock = "") {
  Subject s;
  s.kind = household_id.empty() ? kKeyPersonSubject : kHouseholdSubject;
  s.id = household_id.empty() ? key_person_id : household_id;
  auto& select = c.Prepare(absl::StrCat(
      s.kind == kHouseholdSubject ? "SELECT grid_id, grid_path, key_household FROM households"
                                  : "SELECT grid_id, grid_path, 1 FROM key_persons",
      " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, s.id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  s.grid_id = rows->getString(1);
  s.grid_path = rows->getString(2);
  s.key = rows->getBoolean(3);
  return s;
}

absl::Status SubjectNotFound(const std::string& scope, const v1::Visit& v) {
  return v.household_id().empty()
             ? HiddenReference(scope, "visit.key_person_id", "key person", "KEY_PERSON_NOT_FOUND")
             : HiddenReference(scope, "visit.household_id", "household", "HOUSEHOLD_NOT_FOUND");
}

// The worker's masked name if they are on the grid's staff that day,
// under a share lock so that ending the assignment waits for the visit.
std::optional<std::string> AssignedWorker(db::Connection& c, const std::string& grid_id,
                                          const std::string& worker_ref, absl::CivilDay day) {
  auto& select = c.Prepare(
      "SELECT person_name_masked FROM staff_assignments WHERE grid_id = ? AND person_ref = ?"
      " AND start_date <= ? AND (end_date IS NULL OR end_date > ?) ORDER BY id LIMIT 1"
      " LOCK IN SHARE MODE");
  select.setString(1, grid_id);
  select.setString(2, worker_ref);
  select.setString(3, DateText(day));
  select.setString(4, DateText(day));
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return rows->getString(1);
}

void InsertVisit(db::Connection& c, const v1::Visit& v, const Subject& subject,
                 const std::string& now) {
  auto& insert = c.Prepare(
      "INSERT INTO visits (id, grid_id, grid_path, subject_kind, subject_id, key_subject,"
      " worker_ref, worker_name_masked, kind, visit_time, findings, follow_up_needed,"
      " create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.setString(1, v.id());
  insert.setString(2, v.grid_id());
  insert.setString(3, v.grid_path());
  insert.setInt(4, subject.kind);
  insert.setString(5, subject.id);
  insert.setInt(6, subject.key ? 1 : 0);
  insert.setString(7, v.worker_ref());
  insert.setString(8, v.worker_name());
  insert.setInt(9, v.kind());
  insert.setString(10, db::ToDbTime(FromProtoTime(v.visit_time())));
  insert.setString(11, v.findings());
  insert.setInt(12, v.follow_up_needed() ? 1 : 0);
  insert.setString(13, now);
  insert.executeUpdate();
}

// The subject's latest door visit and latest contact move forward only: a
// visit logged late from an offline phone does not hide a newer one. The
// time is assigned last, as the conditions before it read the old one.
void MarkLastVisit(db::Connection& c, const v1::Visit& v, const std::string& subject_id) {
  constexpr char kNewer[] =
      "VALUES(last_visit_time) IS NOT NULL AND (last_visit_time IS NULL OR"
      " VALUES(last_visit_time) > last_visit_time)";
  auto& upsert = c.Prepare(absl::StrCat(
      "INSERT INTO last_visits (subject_id, last_visit_id, last_visit_time, last_worker_ref,"
      " last_contact_time) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
      " last_visit_id = IF(",
      kNewer, ", VALUES(last_visit_id), last_visit_id), last_worker_ref = IF(", kNewer,
      ", VALUES(last_worker_ref), last_worker_ref), last_visit_time = IF(", kNewer,
      ", VALUES(last_visit_time), last_visit_time),"
      " last_contact_time = GREATEST(last_contact_time, VALUES(last_contact_time))"));
  const std::string time = db::ToDbTime(FromProtoTime(v.visit_time()));
  upsert.setString(1, subject_id);
  if (SatisfiesInterval(v.kind())) {
    upsert.setString(2, v.id());
    upsert.setString(3, time);
    upsert.setString(4, v.worker_ref());
  } else {
    upsert.setNull(2, sql::DataType::VARCHAR);
    upsert.setNull(3, sql::DataType::VARCHAR);
    upsert.setNull(4, sql::DataType::VARCHAR);
  }
  upsert.setString(5, time);
  upsert.executeUpdate();
}

void CountForWorker(db::Connection& c, const v1::Visit& v, bool key, absl::CivilDay day) {
  auto& upsert = c.Prepare(
      "INSERT INTO visit_worker_days (grid_id, worker_ref, day, grid_path, worker_name_masked,"
      " visits, door_visits, key_visits, follow_ups) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)"
      " ON DUPLICATE KEY UPDATE visits = visits + 1,"
      " door_visits = door_visits + VALUES(door_visits),"
      " key_visits = key_visits + VALUES(key_visits),"
      " follow_ups = follow_ups + VALUES(follow_ups),"
      " worker_name_masked = VALUES(worker_name_masked)");
  upsert.setString(1, v.grid_id());
  upsert.setString(2, v.worker_ref());
  upsert.setString(3, DateText(day));
  upsert.setString(4, v.grid_path());
  upsert.setString(5, v.worker_name());
  upsert.setInt(6, SatisfiesInterval(v.kind()) ? 1 : 0);
  upsert.setInt(7, key ? 1 : 0);
  upsert.setInt(8, v.follow_up_needed() ? 1 : 0);
  upsert.executeUpdate();
}

// A page position: the last visit's time (as stored) and id.
std::string PageKey(const v1::Visit& v) {
  return PairKeyText(db::ToDbTime(FromProtoTime(v.visit_time())), v.id());
}

}  // namespace

absl::StatusOr<v1::Visit> VisitStore::Log(const std::string& scope, const WriteContext& write,
                                          const v1::Visit& requested) {
  v1::Visit created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto subject = FindSubject(c, scope, requested.household_id(), requested.key_person_id(),
                                   " LOCK IN SHARE MODE");
        if (!subject) return SubjectNotFound(scope, requested);
        const absl::CivilDay day = UtcDay(FromProtoTime(requested.visit_time()));
        auto worker = AssignedWorker(c, subject->grid_id, requested.worker_ref(), day);
        if (!worker) {
          return InvalidField(
              "visit.worker_ref", "WORKER_NOT_ASSIGNED",
              absl::StrCat("the visitor is not on the staff of the grid on ", DateText(day)));
        }
        created = requested;
        created.set_id(NewId("vs", write.now));
        created.set_grid_id(subject->grid_id);
        created.set_grid_path(subject->grid_path);
        created.set_worker_name(*worker);
        ToProtoTime(write.now, created.mutable_create_time());
        InsertVisit(c, created, *subject, db::ToDbTime(write.now));
        MarkLastVisit(c, created, subject->id);
        CountForWorker(c, created, subject->key, day);
        changes_.Append(
            c, write,
            {created.id(), common::v1::Change::CREATED, created.grid_path(), &created, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Visit>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Visit> VisitStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Visit> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = ReadVisit(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "visit", "VISIT_NOT_FOUND");
  return *found;
}

absl::StatusOr<VisitPage> VisitStore::List(const std::string& scope, const VisitFilter& filter,
                                           int page_size, const std::string& after_key) {
  VisitPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!filter.grid_id.empty() && !GridStore::FindInScope(c, scope, filter.grid_id)) {
      return HiddenReference(scope, "grid_id", "grid", "GRID_NOT_FOUND");
    }
    if (!filter.household_id.empty() || !filter.key_person_id.empty()) {
      if (!FindSubject(c, scope, filter.household_id, filter.key_person_id)) {
        return filter.household_id.empty()
                   ? HiddenReference(scope, "key_person_id", "key person", "KEY_PERSON_NOT_FOUND")
                   : HiddenReference(scope, "household_id", "household", "HOUSEHOLD_NOT_FOUND");
      }
    }
    const std::string subject_id =
        filter.household_id.empty() ? filter.key_person_id : filter.household_id;
    const std::optional<PairKey> after = ReadPairKey(after_key);
    auto& select =
        c.Prepare(absl::StrCat(kSelect, " WHERE 1 = 1", db::InScope("grid_path"),
                               filter.grid_id.empty() ? "" : " AND grid_id = ?",
                               subject_id.empty() ? "" : " AND subject_id = ?",
                               filter.worker_ref.empty() ? "" : " AND worker_ref = ?",
                               filter.period ? " AND visit_time >= ? AND visit_time < ?" : "",
                               after ? AfterPair("visit_time", "id", /*descending=*/true) : "",
                               " ORDER BY visit_time DESC, id DESC LIMIT ?"));
    int index = db::BindScope(select, 1, scope);
    if (!filter.grid_id.empty()) select.setString(index++, filter.grid_id);
    if (!subject_id.empty()) select.setString(index++, subject_id);
    if (!filter.worker_ref.empty()) select.setString(index++, filter.worker_ref);
    if (filter.period) {
      select.setString(index++, db::ToDbTime(filter.period->StartTime()));
      select.setString(index++, db::ToDbTime(filter.period->EndTime()));
    }
    if (after) index = BindAfterPair(select, index, *after);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.visits.push_back(ReadVisit(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.visits.size()) > page_size) {
    page.visits.pop_back();
    page.last_key = PageKey(page.visits.back());
  }
  return page;
}

}  // namespace grassroots::grid
