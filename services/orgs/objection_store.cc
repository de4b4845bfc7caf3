#include "services/orgs/objection_store.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/matter_sql.h"

namespace grassroots::orgs {
namespace {

constexpr char kObjectionColumns[] =
    "id, matter_id, publication, household_id, text, area_path, state, file_time,"
    " answer_due_time, answer, answered_by, answer_time, filed_by, version";

v1::MatterObjection ReadObjection(sql::ResultSet& r) {
  v1::MatterObjection o;
  o.set_id(r.getString(1));
  o.set_matter_id(r.getString(2));
  o.set_publication(static_cast<StepKind>(r.getInt(3)));
  o.set_household_id(r.getString(4));
  o.set_text(r.getString(5));
  o.set_area_path(r.getString(6));
  o.set_state(static_cast<v1::MatterObjection::State>(r.getInt(7)));
  const absl::Time due = db::FromDbTime(r.getString(9));
  ToProtoTime(db::FromDbTime(r.getString(8)), o.mutable_file_time());
  ToProtoTime(due, o.mutable_answer_due_time());
  o.set_answer(r.getString(10));
  o.set_answered_by(r.getString(11));
  if (auto answered = OptionalTime(r, 12)) {
    ToProtoTime(*answered, o.mutable_answer_time());
    o.set_answered_late(IsOverdue(due, *answered));
  }
  o.set_filed_by(r.getString(13));
  o.set_etag(EtagOf(r.getInt64(14)));
  return o;
}

// Moves the matter's objection count by `delta` (one filed: +1, one
// answered: -1) with a change row for the matter, in the caller's
// transaction, the matter row already locked.
void CountObjection(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                    const MatterRow& row, int delta, const PublicationRules& rules) {
  auto& update = c.Prepare(
      "UPDATE matters SET open_objections = open_objections + ?, version = version + 1,"
      " update_time = ? WHERE id = ?");
  update.setInt(1, delta);
  update.setString(2, db::ToDbTime(write.now));
  update.setString(3, row.matter.id());
  update.executeUpdate();
  v1::Matter before = Presented(row, write.now, rules);
  LoadSteps(c, row.matter.id(), &before);
  MatterRow changed = row;
  changed.open_objections += delta;
  changed.version += 1;
  ToProtoTime(write.now, changed.matter.mutable_update_time());
  v1::Matter after = Presented(changed, write.now, rules);
  *after.mutable_steps() = before.steps();
  ChangeRecord record{row.matter.id(), common::v1::Change::UPDATED, row.matter.area_path(), &after,
                      &before};
  record.carries_request_id = false;  // the objection's change carries it
  changes.Append(c, write, record);
}

constexpr char kEpoch[] = "1970-01-01 00:00:00.000000";

}  // namespace

absl::StatusOr<v1::MatterObjection> ObjectionStore::FileObjection(
    const std::string& scope, const WriteContext& write, const std::string& matter_id,
    const std::string& household_id, const std::string& text, const PublicationRules& rules) {
  v1::MatterObjection filed;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto row = FindMatter(c, scope, matter_id, " FOR UPDATE");
        if (!row) return HiddenMatter(scope);
        auto publication = PublicationOpenToObjections(
            EffectiveState(row->stored, row->result_time, row->open_objections, write.now, rules));
        if (!publication.ok()) return publication.status();
        filed.set_id(NewId("mo", write.now));
        filed.set_matter_id(matter_id);
        filed.set_publication(*publication);
        filed.set_household_id(household_id);
        filed.set_text(text);
        filed.set_area_path(row->matter.area_path());
        filed.set_state(v1::MatterObjection::OPEN);
        ToProtoTime(write.now, filed.mutable_file_time());
        const absl::Time due = AnswerDue(write.now, rules);
        ToProtoTime(due, filed.mutable_answer_due_time());
        filed.set_filed_by(write.actor);
        filed.set_etag(EtagOf(1));
        auto& insert = c.Prepare(
            "INSERT INTO matter_objections (id, matter_id, publication, household_id, text,"
            " area_path, state, file_time, answer_due_time, filed_by, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
        insert.setString(1, filed.id());
        insert.setString(2, matter_id);
        insert.setInt(3, *publication);
        insert.setString(4, household_id);
        insert.setString(5, text);
        insert.setString(6, filed.area_path());
        insert.setInt(7, v1::MatterObjection::OPEN);
        insert.setString(8, db::ToDbTime(write.now));
        insert.setString(9, db::ToDbTime(due));
        insert.setString(10, write.actor);
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {filed.id(), common::v1::Change::CREATED, filed.area_path(), &filed, nullptr});
        CountObjection(c, changes_, write, *row, +1, rules);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return filed;
  return EarlierResultOr<v1::MatterObjection>(pool_, changes_, write, status);
}

absl::StatusOr<v1::MatterObjection> ObjectionStore::AnswerObjection(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const std::string& answer, const PublicationRules& rules) {
  v1::MatterObjection answered;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    // Objection, then matter: the one lock order of this table pair
    // (filing locks only the matter and inserts a new objection row).
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kObjectionColumns, " FROM matter_objections WHERE id = ?",
                               db::InScope("area_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    std::optional<v1::MatterObjection> before;
    {
      auto rows = c.Query(select);
      if (rows->next()) before = ReadObjection(*rows);
    }
    if (!before) {
      if (!scope.empty()) {
        return PermissionDenied("OUT_OF_SCOPE",
                                "the objection lies outside the caller's jurisdiction");
      }
      return NotFound("OBJECTION_NOT_FOUND", "no such objection");
    }
    if (auto s = CheckEtag("etag", etag, std::stoll(before->etag())); !s.ok()) return s;
    if (before->state() != v1::MatterObjection::OPEN) {
      return FailedPrecondition("OBJECTION_ANSWERED", "the objection is answered already");
    }
    auto row = FindMatter(c, "", before->matter_id(), " FOR UPDATE");
    if (!row) return Internal("OBJECTION_MATTER_MISSING", "the objection's matter is missing");
    answered = *before;
    answered.set_state(v1::MatterObjection::ANSWERED);
    answered.set_answer(answer);
    answered.set_answered_by(write.actor);
    ToProtoTime(write.now, answered.mutable_answer_time());
    answered.set_answered_late(IsOverdue(FromProtoTime(before->answer_due_time()), write.now));
    answered.set_etag(EtagOf(std::stoll(before->etag()) + 1));
    auto& update = c.Prepare(
        "UPDATE matter_objections SET state = ?, answer = ?, answered_by = ?, answer_time = ?,"
        " version = version + 1 WHERE id = ?");
    update.setInt(1, v1::MatterObjection::ANSWERED);
    update.setString(2, answer);
    update.setString(3, write.actor);
    update.setString(4, db::ToDbTime(write.now));
    update.setString(5, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, answered.area_path(), &answered, &*before});
    CountObjection(c, changes_, write, *row, -1, rules);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return answered;
}

absl::StatusOr<ObjectionPage> ObjectionStore::ListObjections(const std::string& scope,
                                                             const std::string& matter_id,
                                                             int page_size,
                                                             const std::string& after_id) {
  ObjectionPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.objections.clear();
    if (!FindMatter(c, scope, matter_id, "")) return HiddenMatter(scope);
    auto& select = c.Prepare(
        absl::StrCat("SELECT ", kObjectionColumns,
                     " FROM matter_objections WHERE matter_id = ? AND id > ? ORDER BY id LIMIT ?"));
    select.setString(1, matter_id);
    select.setString(2, after_id);
    select.setInt(3, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.objections.push_back(ReadObjection(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.objections.size()) > page_size) {
    page.objections.pop_back();
    page.last_id = page.objections.back().id();
  }
  return page;
}

absl::StatusOr<OverdueObjectionPage> ObjectionStore::ListOverdue(const std::string& scope,
                                                                 absl::Time now, int page_size,
                                                                 const std::string& after_key) {
  // The key is "<due time>|<id>" of the last row of the previous page.
  std::string after_due = kEpoch, after_id;
  if (!after_key.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after_key, absl::MaxSplits('|', 1));
    after_due = parts.first;
    after_id = parts.second;
  }
  OverdueObjectionPage page;
  std::vector<std::string> keys;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.objections.clear();
    keys.clear();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kObjectionColumns,
        " FROM matter_objections WHERE state = ? AND answer_due_time < ?", db::InScope("area_path"),
        " AND (answer_due_time > ? OR (answer_due_time = ? AND id > ?))"
        " ORDER BY answer_due_time, id LIMIT ?"));
    select.setInt(1, v1::MatterObjection::OPEN);
    select.setString(2, db::ToDbTime(now));
    int index = db::BindScope(select, 3, scope);
    select.setString(index++, after_due);
    select.setString(index++, after_due);
    select.setString(index++, after_id);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::OverdueObjection overdue;
      *overdue.mutable_objection() = ReadObjection(*rows);
      const int64_t late =
          absl::ToInt64Nanoseconds(now - FromProtoTime(overdue.objection().answer_due_time()));
      overdue.mutable_overdue_by()->set_seconds(late / 1'000'000'000);
      overdue.mutable_overdue_by()->set_nanos(static_cast<int32_t>(late % 1'000'000'000));
      keys.push_back(absl::StrCat(rows->getString(9).asStdString(), "|", overdue.objection().id()));
      page.objections.push_back(std::move(overdue));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.objections.size()) > page_size) {
    page.objections.pop_back();
    page.last_key = keys[page_size - 1];
  }
  return page;
}

}  // namespace grassroots::orgs
