#include "services/dualreg/evaluation_store.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/path_to_read.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/paging/page_token.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/dualreg/hidden.h"
#include "services/dualreg/service_lines.h"

namespace grassroots::dualreg {
namespace {

// The page's starting registration id (after it), from a token made for
// the same list.
absl::StatusOr<std::string> After(const std::string& token, const std::string& query) {
  if (token.empty()) return std::string();
  return DecodePageToken(token, query);
}

}  // namespace

absl::StatusOr<v1::MemberEvaluation> EvaluationStore::Record(const std::string& scope,
                                                             const WriteContext& write,
                                                             v1::MemberEvaluation evaluation) {
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto& registration = c.Prepare(absl::StrCat(
            "SELECT member_id, employer_organisation_id, community_path, withdrawn FROM"
            " member_registrations WHERE id = ?",
            db::InScope("community_path")));
        registration.setString(1, evaluation.registration_id());
        db::BindScope(registration, 2, scope);
        auto rows = c.Query(registration);
        if (!rows->next()) return Hidden(scope, "registration", "REGISTRATION_NOT_FOUND");
        if (rows->getBoolean(4)) {
          return FailedPrecondition(
              "REGISTRATION_WITHDRAWN",
              "the registration was withdrawn: only active ones are evaluated");
        }
        evaluation.set_id(NewId("ev_", write.now));
        evaluation.set_member_id(rows->getString(1));
        evaluation.set_employer_organisation_id(rows->getString(2));
        evaluation.set_community_path(rows->getString(3));
        evaluation.set_evaluated_by(write.actor);
        ToProtoTime(write.now, evaluation.mutable_create_time());
        const Period year{absl::CivilDay(evaluation.year(), 1, 1),
                          absl::CivilDay(evaluation.year(), 12, 31)};
        const auto lines =
            ServiceLines(c, RegistrationsOf::kRegistration, evaluation.registration_id(), year);
        if (auto line = lines.find(evaluation.registration_id()); line != lines.end()) {
          evaluation.set_posts_claimed(line->second.posts_claimed());
          evaluation.set_orders_done(line->second.orders_done());
          evaluation.set_minutes(line->second.minutes());
          evaluation.set_mean_rating(line->second.mean_rating());
        }
        auto& insert = c.Prepare(
            "INSERT INTO member_evaluations (id, registration_id, employer_organisation_id,"
            " community_path, year, grade, body, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, evaluation.id());
        insert.setString(2, evaluation.registration_id());
        insert.setString(3, evaluation.employer_organisation_id());
        insert.setString(4, evaluation.community_path());
        insert.setInt(5, evaluation.year());
        insert.setInt(6, evaluation.grade());
        insert.setString(7, evaluation.SerializeAsString());
        insert.setString(8, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write,
                        {evaluation.id(), common::v1::Change::CREATED, evaluation.community_path(),
                         &evaluation});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return evaluation;
  auto earlier = EarlierResultOr<v1::MemberEvaluation>(pool_, changes_, write, status);
  if (!earlier.ok() && db::IsDuplicateKey(earlier.status())) {
    return AlreadyExists("EVALUATION_EXISTS", "the member was evaluated for this year already");
  }
  return earlier;
}

absl::StatusOr<v1::ListMemberEvaluationsResponse> EvaluationStore::List(
    const std::string& scope, const v1::ListMemberEvaluationsRequest& request) {
  auto path = PathToRead(scope, request.path());
  if (!path.ok()) return path.status();
  auto size = EffectivePageSize(request.page_size());
  if (!size.ok()) return size.status();
  const std::string query = absl::StrCat("evaluations|", request.year(), "|", *path);
  auto after = After(request.page_token(), query);
  if (!after.ok()) return after.status();
  v1::ListMemberEvaluationsResponse response;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    response.Clear();
    auto& select = c.Prepare(
        absl::StrCat("SELECT body FROM member_evaluations WHERE year = ? AND registration_id > ?",
                     db::InScope("community_path"), " ORDER BY registration_id LIMIT ?"));
    select.setInt(1, request.year());
    select.setString(2, *after);
    const int next = db::BindScope(select, 3, *path);
    select.setInt(next, *size + 1);
    auto rows = c.Query(select);
    while (rows->next()) response.add_evaluations()->ParseFromString(rows->getString(1));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (response.evaluations_size() > *size) {
    response.mutable_evaluations()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(query, response.evaluations(*size - 1).registration_id()));
  }
  return response;
}

absl::StatusOr<v1::ListUnevaluatedMembersResponse> EvaluationStore::ListUnevaluated(
    const std::string& scope, const v1::ListUnevaluatedMembersRequest& request) {
  auto path = PathToRead(scope, request.path());
  if (!path.ok()) return path.status();
  auto size = EffectivePageSize(request.page_size());
  if (!size.ok()) return size.status();
  const std::string query = absl::StrCat("unevaluated|", request.year(), "|", *path);
  auto after = After(request.page_token(), query);
  if (!after.ok()) return after.status();
  v1::ListUnevaluatedMembersResponse response;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    response.Clear();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT r.id, r.member_id, r.community_path FROM member_registrations r LEFT JOIN"
        " member_evaluations e ON e.registration_id = r.id AND e.year = ? WHERE r.withdrawn ="
        " FALSE AND e.id IS NULL AND r.id > ?",
        db::InScope("r.community_path"), " ORDER BY r.id LIMIT ?"));
    select.setInt(1, request.year());
    select.setString(2, *after);
    const int next = db::BindScope(select, 3, *path);
    select.setInt(next, *size + 1);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::UnevaluatedMember* member = response.add_members();
      member->set_registration_id(rows->getString(1));
      member->set_member_id(rows->getString(2));
      member->set_community_path(rows->getString(3));
    }
    if (!after->empty()) return absl::OkStatus();
    auto& counts = c.Prepare(absl::StrCat(
        "SELECT COUNT(*), COUNT(e.id) FROM member_registrations r LEFT JOIN member_evaluations e"
        " ON e.registration_id = r.id AND e.year = ? WHERE r.withdrawn = FALSE",
        db::InScope("r.community_path")));
    counts.setInt(1, request.year());
    db::BindScope(counts, 2, *path);
    auto totals = c.Query(counts);
    if (totals->next()) {
      response.set_registered_members(totals->getInt64(1));
      response.set_evaluated_members(totals->getInt64(2));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (response.members_size() > *size) {
    response.mutable_members()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(query, response.members(*size - 1).registration_id()));
  }
  return response;
}

}  // namespace grassroots::dualreg
