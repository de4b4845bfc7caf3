#include "services/orgs/matter_sql.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {

std::optional<absl::Time> OptionalTime(sql::ResultSet& r, int column) {
  if (r.isNull(column)) return std::nullopt;
  return db::FromDbTime(r.getString(column));
}

MatterRow ReadMatterRow(sql::ResultSet& r) {
  MatterRow row;
  v1::Matter& m = row.matter;
  m.set_id(r.getString(1));
  m.set_organisation_id(r.getString(2));
  m.set_area_path(r.getString(3));
  m.set_title(r.getString(4));
  m.set_description(r.getString(5));
  m.set_proposer_member_id(r.getString(6));
  row.stored = static_cast<MatterState>(r.getInt(7));
  row.open_objections = r.getInt(8);
  row.resolution_time = OptionalTime(r, 9);
  row.result_time = OptionalTime(r, 10);
  m.set_proposed_by(r.getString(11));
  row.version = r.getInt64(12);
  ToProtoTime(db::FromDbTime(r.getString(13)), m.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(14)), m.mutable_update_time());
  return row;
}

v1::Matter Presented(const MatterRow& row, absl::Time now, const PublicationRules& rules) {
  v1::Matter m = row.matter;
  m.set_state(EffectiveState(row.stored, row.result_time, row.open_objections, now, rules));
  m.set_open_objections(row.open_objections);
  if (row.resolution_time) {
    ToProtoTime(*row.resolution_time, m.mutable_resolution_publish_time());
    ToProtoTime(ResultPublishableFrom(*row.resolution_time, rules),
                m.mutable_result_publishable_time());
  }
  if (row.result_time) {
    ToProtoTime(*row.result_time, m.mutable_result_publish_time());
    ToProtoTime(CompletionFrom(*row.result_time, rules), m.mutable_completion_time());
  }
  m.set_etag(EtagOf(row.version));
  return m;
}

absl::Status HiddenMatter(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the matter lies outside the caller's jurisdiction");
  }
  return NotFound("MATTER_NOT_FOUND", "no such matter");
}

std::optional<MatterRow> FindMatter(db::Connection& c, const std::string& scope,
                                    const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kMatterColumns, " FROM matters m WHERE m.id = ?",
                                        db::InScope("m.area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadMatterRow(*rows);
}

void LoadSteps(db::Connection& c, const std::string& matter_id, v1::Matter* matter) {
  auto& steps = c.Prepare(
      "SELECT kind, step_date, outcome, outcome_detail, entitled, present, in_favour, against,"
      " abstaining, other_participants, note, recorded_by, record_time FROM matter_steps"
      " WHERE matter_id = ? ORDER BY kind");
  steps.setString(1, matter_id);
  absl::flat_hash_map<int, v1::MatterStep*> by_kind;
  {
    auto rows = c.Query(steps);
    while (rows->next()) {
      v1::MatterStep* step = matter->add_steps();
      step->set_kind(static_cast<StepKind>(rows->getInt(1)));
      step->set_date(rows->getString(2));
      step->set_outcome(static_cast<v1::MatterStep::Outcome>(rows->getInt(3)));
      step->set_outcome_detail(rows->getString(4));
      if (!rows->isNull(5)) {
        v1::MatterVote* vote = step->mutable_vote();
        vote->set_entitled(rows->getInt(5));
        vote->set_present(rows->getInt(6));
        vote->set_in_favour(rows->getInt(7));
        vote->set_against(rows->getInt(8));
        vote->set_abstaining(rows->getInt(9));
      }
      step->mutable_participants()->set_others(rows->getInt(10));
      step->set_note(rows->getString(11));
      step->set_recorded_by(rows->getString(12));
      ToProtoTime(db::FromDbTime(rows->getString(13)), step->mutable_record_time());
      by_kind[step->kind()] = step;
    }
  }
  auto& participants = c.Prepare(
      "SELECT kind, member_id FROM matter_step_participants WHERE matter_id = ?"
      " ORDER BY kind, member_id");
  participants.setString(1, matter_id);
  auto rows = c.Query(participants);
  while (rows->next()) {
    auto it = by_kind.find(rows->getInt(1));
    if (it != by_kind.end()) it->second->mutable_participants()->add_member_ids(rows->getString(2));
  }
}

}  // namespace grassroots::orgs
