#include "services/orgs/evaluation_store.h"

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
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "grassroots/orgs/v1/member.pb.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/moved_records.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/place_lookup.h"

namespace grassroots::orgs {
namespace {

constexpr char kColumns[] =
    "id, organisation_id, area_path, year, secretary_member_id, state, self_score, self_report,"
    " self_by, self_time, residents_asked, residents_satisfied, residents_basically_satisfied,"
    " residents_dissatisfied, satisfaction_bp, residents_by, residents_time, higher_score,"
    " higher_comment, higher_organisation_id, higher_by, higher_time, weighted_score_hundredths,"
    " grade, rule_self_weight, rule_residents_weight, rule_higher_weight, rule_excellent_from,"
    " rule_good_from, rule_pass_from, opened_by, version, open_time, update_time";

void SetTime(sql::ResultSet& r, int column, google::protobuf::Timestamp* out) {
  ToProtoTime(db::FromDbTime(r.getString(column)), out);
}

v1::Evaluation ReadEvaluation(sql::ResultSet& r) {
  v1::Evaluation e;
  e.set_id(r.getString(1));
  e.set_organisation_id(r.getString(2));
  e.set_area_path(r.getString(3));
  e.set_year(r.getInt(4));
  e.set_secretary_member_id(r.getString(5));
  e.set_state(static_cast<v1::EvaluationState>(r.getInt(6)));
  if (!r.isNull(7)) {
    v1::SelfAssessment* self = e.mutable_self_assessment();
    self->set_score(r.getInt(7));
    self->set_report(r.getString(8));
    self->set_recorded_by(r.getString(9));
    SetTime(r, 10, self->mutable_record_time());
  }
  if (!r.isNull(11)) {
    v1::ResidentsRating* rating = e.mutable_residents_rating();
    rating->set_residents_asked(r.getInt(11));
    rating->set_satisfied(r.getInt(12));
    rating->set_basically_satisfied(r.getInt(13));
    rating->set_dissatisfied(r.getInt(14));
    rating->set_satisfaction_rate_basis_points(r.getInt(15));
    rating->set_recorded_by(r.getString(16));
    SetTime(r, 17, rating->mutable_record_time());
  }
  if (!r.isNull(18)) {
    v1::HigherReview* review = e.mutable_higher_review();
    review->set_score(r.getInt(18));
    review->set_comment(r.getString(19));
    review->set_reviewer_organisation_id(r.getString(20));
    review->set_recorded_by(r.getString(21));
    SetTime(r, 22, review->mutable_record_time());
  }
  if (!r.isNull(23)) {
    v1::EvaluationResult* result = e.mutable_result();
    result->set_weighted_score_hundredths(r.getInt(23));
    result->set_grade(static_cast<v1::EvaluationGrade>(r.getInt(24)));
    v1::EvaluationRule* rule = result->mutable_rule();
    rule->set_self_weight_percent(r.getInt(25));
    rule->set_residents_weight_percent(r.getInt(26));
    rule->set_higher_weight_percent(r.getInt(27));
    rule->set_excellent_from(r.getInt(28));
    rule->set_good_from(r.getInt(29));
    rule->set_pass_from(r.getInt(30));
  }
  e.set_opened_by(r.getString(31));
  e.set_etag(EtagOf(r.getInt64(32)));
  SetTime(r, 33, e.mutable_open_time());
  SetTime(r, 34, e.mutable_update_time());
  return e;
}

absl::Status Hidden(const std::string& scope) {
  return HiddenRecord(scope, "evaluation", "EVALUATION_NOT_FOUND");
}

std::optional<v1::Evaluation> FindById(db::Connection& c, const std::string& scope,
                                       const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM evaluations WHERE id = ?",
                                        db::InScope("area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadEvaluation(*rows);
}

// The organisation above the evaluated one (its street working committee)
// as it stands now: a move of the organisation changes who reviews.
struct Above {
  std::string id;
  std::string area_path;
};
std::optional<Above> OrganisationAbove(db::Connection& c, const std::string& organisation_id) {
  auto& select = c.Prepare(
      "SELECT p.id, p.area_path FROM organisations o JOIN organisations p ON p.id = o.parent_id"
      " WHERE o.id = ? LOCK IN SHARE MODE");
  select.setString(1, organisation_id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return Above{rows->getString(1), rows->getString(2)};
}

}  // namespace

absl::StatusOr<v1::Evaluation> EvaluationStore::Open(const std::string& scope,
                                                     const WriteContext& write,
                                                     const std::string& organisation_id, int year,
                                                     const std::string& secretary_member_id) {
  v1::Evaluation opened;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto organisation = OrganisationStore::FindActiveInScope(c, scope, organisation_id);
        if (!organisation) {
          if (!scope.empty()) {
            return PermissionDenied("OUT_OF_SCOPE",
                                    "organisation_id lies outside the caller's jurisdiction");
          }
          return InvalidField("organisation_id", "ORGANISATION_NOT_FOUND",
                              "no active organisation with this id");
        }
        if (!IsEvaluatedKind(organisation->kind())) {
          return InvalidField(
              "organisation_id", "ORGANISATION_NOT_EVALUATED",
              absl::StrCat("the yearly evaluation is of community committees and community "
                           "general branches, not of a ",
                           v1::OrganisationKind_Name(organisation->kind())));
        }
        // Shared: the secretary cannot be transferred out meanwhile.
        auto& member = c.Prepare(
            "SELECT organisation_id, status FROM members WHERE id = ? LOCK IN SHARE MODE");
        member.setString(1, secretary_member_id);
        {
          auto rows = c.Query(member);
          // A member elsewhere answers like one that does not exist.
          if (!rows->next() || rows->getString(1) != organisation->id()) {
            return InvalidField("secretary_member_id", "SECRETARY_NOT_MEMBER",
                                absl::StrCat("the secretary must be a member of ",
                                             organisation->path(), "; this member is not"));
          }
          if (rows->getInt(2) != v1::FULL) {
            return FailedPrecondition(
                "SECRETARY_NOT_FULL_MEMBER",
                "the secretary must be a full member: this member is still probationary");
          }
        }
        opened.set_id(NewId("ev", write.now));
        opened.set_organisation_id(organisation->id());
        opened.set_area_path(organisation->area_path());
        opened.set_year(year);
        opened.set_secretary_member_id(secretary_member_id);
        opened.set_state(v1::AWAITING_SELF_ASSESSMENT);
        opened.set_opened_by(write.actor);
        opened.set_etag(EtagOf(1));
        ToProtoTime(write.now, opened.mutable_open_time());
        ToProtoTime(write.now, opened.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO evaluations (id, organisation_id, area_path, year, secretary_member_id,"
            " state, opened_by, version, open_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, opened.id());
        insert.setString(2, opened.organisation_id());
        insert.setString(3, opened.area_path());
        insert.setInt(4, year);
        insert.setString(5, secretary_member_id);
        insert.setInt(6, opened.state());
        insert.setString(7, write.actor);
        insert.setString(8, now);
        insert.setString(9, now);
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return AlreadyExists("EVALUATION_EXISTS",
                               absl::StrCat(organisation->path(), " has its ", year,
                                            " evaluation already: one per organisation and year"));
        }
        changes_.Append(
            c, write,
            {opened.id(), common::v1::Change::CREATED, opened.area_path(), &opened, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return opened;
  return EarlierResultOr<v1::Evaluation>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Evaluation> EvaluationStore::Advance(const std::string& scope,
                                                        const WriteContext& write,
                                                        const std::string& id,
                                                        const std::string& etag,
                                                        EvaluationStep step, const Apply& apply) {
  v1::Evaluation after;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, id, " FOR UPDATE");
    if (!before) return Hidden(scope);
    const int64_t version = std::stoll(before->etag());
    if (auto s = CheckEtag("etag", etag, version); !s.ok()) return s;
    if (auto s = CheckStep(before->state(), step); !s.ok()) return s;
    after = *before;
    after.set_state(StateAfter(step));
    after.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, after.mutable_update_time());
    if (auto s = apply(c, after); !s.ok()) return s;
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, after.area_path(), &after, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return after;
}

absl::StatusOr<v1::Evaluation> EvaluationStore::RecordSelfAssessment(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const v1::SelfAssessment& self) {
  return Advance(scope, write, id, etag, EvaluationStep::kSelfAssessment,
                 [&](db::Connection& c, v1::Evaluation& after) {
                   v1::SelfAssessment* recorded = after.mutable_self_assessment();
                   recorded->set_score(self.score());
                   recorded->set_report(self.report());
                   recorded->set_recorded_by(write.actor);
                   ToProtoTime(write.now, recorded->mutable_record_time());
                   const std::string now = db::ToDbTime(write.now);
                   auto& update = c.Prepare(
                       "UPDATE evaluations SET state = ?, self_score = ?, self_report = ?,"
                       " self_by = ?, self_time = ?, version = version + 1, update_time = ?"
                       " WHERE id = ?");
                   update.setInt(1, after.state());
                   update.setInt(2, self.score());
                   update.setString(3, self.report());
                   update.setString(4, write.actor);
                   update.setString(5, now);
                   update.setString(6, now);
                   update.setString(7, id);
                   update.executeUpdate();
                   return absl::OkStatus();
                 });
}

absl::StatusOr<v1::Evaluation> EvaluationStore::RecordResidentsRating(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const v1::ResidentsRating& rating) {
  return Advance(
      scope, write, id, etag, EvaluationStep::kResidentsRating,
      [&](db::Connection& c, v1::Evaluation& after) {
        v1::ResidentsRating* recorded = after.mutable_residents_rating();
        *recorded = rating;
        recorded->set_satisfaction_rate_basis_points(SatisfactionRateBasisPoints(
            rating.satisfied(), rating.basically_satisfied(), rating.dissatisfied()));
        recorded->set_recorded_by(write.actor);
        ToProtoTime(write.now, recorded->mutable_record_time());
        const std::string now = db::ToDbTime(write.now);
        auto& update = c.Prepare(
            "UPDATE evaluations SET state = ?, residents_asked = ?, residents_satisfied = ?,"
            " residents_basically_satisfied = ?, residents_dissatisfied = ?, satisfaction_bp = ?,"
            " residents_by = ?, residents_time = ?, version = version + 1, update_time = ?"
            " WHERE id = ?");
        update.setInt(1, after.state());
        update.setInt(2, recorded->residents_asked());
        update.setInt(3, recorded->satisfied());
        update.setInt(4, recorded->basically_satisfied());
        update.setInt(5, recorded->dissatisfied());
        update.setInt(6, recorded->satisfaction_rate_basis_points());
        update.setString(7, write.actor);
        update.setString(8, now);
        update.setString(9, now);
        update.setString(10, id);
        update.executeUpdate();
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Evaluation> EvaluationStore::RecordHigherReview(const std::string& scope,
                                                                   const WriteContext& write,
                                                                   const std::string& id,
                                                                   const std::string& etag,
                                                                   const v1::HigherReview& review) {
  return Advance(
      scope, write, id, etag, EvaluationStep::kHigherReview,
      [&](db::Connection& c, v1::Evaluation& after) -> absl::Status {
        auto above = OrganisationAbove(c, after.organisation_id());
        if (!above) {
          return FailedPrecondition("HIGHER_ORGANISATION_MISSING",
                                    "the organisation has no organisation above it to review it");
        }
        // The evaluated community may see its evaluation, but only the
        // street above it (or a level above the street) reviews.
        if (!PathWithin(above->area_path, scope)) {
          return PermissionDenied(
              "HIGHER_ORGANISATION_REQUIRED",
              absl::StrCat("the higher review is made by the organisation above, at ",
                           above->area_path, "; the caller's jurisdiction ", scope,
                           " does not include it"));
        }
        v1::HigherReview* recorded = after.mutable_higher_review();
        recorded->set_score(review.score());
        recorded->set_comment(review.comment());
        recorded->set_reviewer_organisation_id(above->id);
        recorded->set_recorded_by(write.actor);
        ToProtoTime(write.now, recorded->mutable_record_time());
        *after.mutable_result() =
            ResultOf(rule_, after.self_assessment().score(),
                     after.residents_rating().satisfaction_rate_basis_points(), review.score());
        const v1::EvaluationResult& result = after.result();
        const std::string now = db::ToDbTime(write.now);
        auto& update = c.Prepare(
            "UPDATE evaluations SET state = ?, higher_score = ?, higher_comment = ?,"
            " higher_organisation_id = ?, higher_by = ?, higher_time = ?,"
            " weighted_score_hundredths = ?, grade = ?, rule_self_weight = ?,"
            " rule_residents_weight = ?, rule_higher_weight = ?, rule_excellent_from = ?,"
            " rule_good_from = ?, rule_pass_from = ?, version = version + 1, update_time = ?"
            " WHERE id = ?");
        update.setInt(1, after.state());
        update.setInt(2, review.score());
        update.setString(3, review.comment());
        update.setString(4, above->id);
        update.setString(5, write.actor);
        update.setString(6, now);
        update.setInt(7, result.weighted_score_hundredths());
        update.setInt(8, result.grade());
        update.setInt(9, result.rule().self_weight_percent());
        update.setInt(10, result.rule().residents_weight_percent());
        update.setInt(11, result.rule().higher_weight_percent());
        update.setInt(12, result.rule().excellent_from());
        update.setInt(13, result.rule().good_from());
        update.setInt(14, result.rule().pass_from());
        update.setString(15, now);
        update.setString(16, id);
        update.executeUpdate();
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Evaluation> EvaluationStore::Get(const std::string& scope,
                                                    const std::string& id) {
  std::optional<v1::Evaluation> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindById(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope);
  return *found;
}

absl::StatusOr<EvaluationPage> EvaluationStore::List(const std::string& scope,
                                                     const EvaluationFilter& filter, int page_size,
                                                     const std::string& after_id) {
  EvaluationPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.evaluations.clear();
    auto place = ListablePlacePath(c, scope, filter.area_id);
    if (!place.ok()) return place.status();
    const bool by_year = filter.year != 0;
    const bool by_grade = filter.grade != v1::EVALUATION_GRADE_UNSPECIFIED;
    const bool by_state = filter.state != v1::EVALUATION_STATE_UNSPECIFIED;
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kColumns, " FROM evaluations WHERE id > ?", by_year ? " AND year = ?" : "",
        db::InScope("area_path"), db::InScope("area_path"), by_grade ? " AND grade = ?" : "",
        by_state ? " AND state = ?" : "", " ORDER BY id LIMIT ?"));
    int index = 1;
    select.setString(index++, after_id);
    if (by_year) select.setInt(index++, filter.year);
    index = db::BindScope(select, index, scope);
    index = db::BindScope(select, index, *place);
    if (by_grade) select.setInt(index++, filter.grade);
    if (by_state) select.setInt(index++, filter.state);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.evaluations.push_back(ReadEvaluation(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.evaluations.size()) > page_size) {
    page.evaluations.pop_back();
    page.last_id = page.evaluations.back().id();
  }
  return page;
}

void EvaluationStore::FollowAreaMove(db::Connection& c, const ChangeLog& changes,
                                     const WriteContext& write, const std::string& old_path,
                                     const std::string& new_path) {
  std::vector<v1::Evaluation> moved;
  {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns,
                                          " FROM evaluations WHERE area_path = ? OR area_path"
                                          " LIKE ? ORDER BY id FOR UPDATE"));
    select.setString(1, old_path);
    select.setString(2, DescendantsLikePattern(old_path));
    auto rows = c.Query(select);
    while (rows->next()) moved.push_back(ReadEvaluation(*rows));
  }
  if (moved.empty()) return;
  RewritePaths(c, "evaluations", "area_path", "version", "update_time", write, old_path, new_path);
  AppendMoved<v1::Evaluation>(c, changes, write, moved, [&](v1::Evaluation& e) {
    e.set_area_path(new_path + e.area_path().substr(old_path.size()));
    e.set_etag(EtagOf(std::stoll(e.etag()) + 1));
    ToProtoTime(write.now, e.mutable_update_time());
    return e.area_path();
  });
}

}  // namespace grassroots::orgs
