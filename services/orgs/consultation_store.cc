#include "services/orgs/consultation_store.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/decision_rules.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/statement_shapes.h"

namespace grassroots::orgs {
namespace {

constexpr char kColumns[] =
    "c.id, c.organisation_id, c.area_path, c.audience, c.question, c.matter_id, c.close_time,"
    " c.state, c.closed_time, c.closed_by, c.opened_by, c.version, c.create_time, c.update_time";

struct Row {
  v1::Consultation consultation;  // as stored: state OPEN or CLOSED (early)
  int64_t version = 0;
};

Row ReadRow(sql::ResultSet& r) {
  Row row;
  v1::Consultation& c = row.consultation;
  c.set_id(r.getString(1));
  c.set_organisation_id(r.getString(2));
  c.set_area_path(r.getString(3));
  c.set_audience(static_cast<v1::Consultation::Audience>(r.getInt(4)));
  c.set_question(r.getString(5));
  c.set_matter_id(r.getString(6));
  ToProtoTime(db::FromDbTime(r.getString(7)), c.mutable_close_time());
  c.set_state(static_cast<ConsultationState>(r.getInt(8)));
  if (!r.isNull(9)) ToProtoTime(db::FromDbTime(r.getString(9)), c.mutable_closed_time());
  c.set_closed_by(r.getString(10));
  c.set_opened_by(r.getString(11));
  row.version = r.getInt64(12);
  c.set_etag(EtagOf(row.version));
  ToProtoTime(db::FromDbTime(r.getString(13)), c.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(14)), c.mutable_update_time());
  return row;
}

ConsultationState StateAt(const v1::Consultation& c, absl::Time now) {
  return EffectiveConsultationState(c.state(), FromProtoTime(c.close_time()), now);
}

// When voting ended: closed early, or at the closing time.
absl::Time Ended(const v1::Consultation& c) {
  return c.has_closed_time() ? FromProtoTime(c.closed_time()) : FromProtoTime(c.close_time());
}

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "the consultation lies outside the caller's jurisdiction");
  }
  return NotFound("CONSULTATION_NOT_FOUND", "no such consultation");
}

std::optional<Row> Find(db::Connection& c, const std::string& scope, const std::string& id,
                        const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM consultations c WHERE c.id = ?",
                                        db::InScope("c.area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadRow(*rows);
}

std::vector<std::string> Options(db::Connection& c, const std::string& id) {
  auto& select = c.Prepare(
      "SELECT label FROM consultation_options WHERE consultation_id = ? ORDER BY option_number");
  select.setString(1, id);
  auto rows = c.Query(select);
  std::vector<std::string> options;
  while (rows->next()) options.push_back(rows->getString(1));
  return options;
}

// The options of several consultations in one query.
void LoadOptions(db::Connection& c, std::vector<v1::Consultation>& consultations) {
  if (consultations.empty()) return;
  absl::flat_hash_map<std::string, v1::Consultation*> by_id;
  for (auto& consultation : consultations) by_id[consultation.id()] = &consultation;
  const int count = static_cast<int>(consultations.size());
  const int padded = PaddedListSize(count);
  auto& select = c.Prepare(absl::StrCat(
      "SELECT consultation_id, label FROM consultation_options WHERE consultation_id IN (",
      db::ParameterList(padded), ") ORDER BY consultation_id, option_number"));
  for (int i = 0; i < padded; ++i)
    select.setString(i + 1, consultations[std::min(i, count - 1)].id());
  auto rows = c.Query(select);
  while (rows->next()) {
    auto it = by_id.find(rows->getString(1).asStdString());
    if (it != by_id.end()) it->second->add_options(rows->getString(2));
  }
}

void LoadRepresentatives(db::Connection& c, v1::Consultation& consultation) {
  auto& select = c.Prepare(
      "SELECT household_id FROM consultation_representatives WHERE consultation_id = ?"
      " ORDER BY household_id");
  select.setString(1, consultation.id());
  auto rows = c.Query(select);
  while (rows->next()) consultation.add_representative_household_ids(rows->getString(1));
}

bool OnRepresentativesList(db::Connection& c, const std::string& id,
                           const std::string& household_id) {
  auto& select = c.Prepare(
      "SELECT 1 FROM consultation_representatives WHERE consultation_id = ? AND household_id = ?");
  select.setString(1, id);
  select.setString(2, household_id);
  return c.Query(select)->next();
}

// Whether `household_id` may give an opinion or vote now.
absl::Status MayTakePart(db::Connection& c, const v1::Consultation& consultation,
                         const std::string& household_id, absl::Time now) {
  if (auto s = CheckOpenForInput(StateAt(consultation, now), Ended(consultation)); !s.ok()) {
    return s;
  }
  const bool listed = consultation.audience() == v1::Consultation::REPRESENTATIVES &&
                      OnRepresentativesList(c, consultation.id(), household_id);
  return CheckHouseholdMayTakePart(consultation.audience(), listed);
}

// The representatives' households, in power-of-two batches.
void InsertHouseholds(db::Connection& c, const std::string& id,
                      const google::protobuf::RepeatedPtrField<std::string>& households) {
  int next = 0;
  for (int batch : PowerOfTwoBatches(households.size())) {
    auto& insert = c.Prepare(
        absl::StrCat("INSERT INTO consultation_representatives (consultation_id, household_id)"
                     " VALUES ",
                     db::ParameterRows(2, batch)));
    int index = 1;
    for (int i = 0; i < batch; ++i) {
      insert.setString(index++, id);
      insert.setString(index++, households[next++]);
    }
    insert.executeUpdate();
  }
}

void InsertOptions(db::Connection& c, const std::string& id,
                   const google::protobuf::RepeatedPtrField<std::string>& options) {
  int next = 0;
  for (int batch : PowerOfTwoBatches(options.size())) {
    auto& insert = c.Prepare(absl::StrCat(
        "INSERT INTO consultation_options (consultation_id, option_number, label) VALUES ",
        db::ParameterRows(3, batch)));
    int index = 1;
    for (int i = 0; i < batch; ++i) {
      insert.setString(index++, id);
      insert.setInt(index++, next + 1);
      insert.setString(index++, options[next]);
      ++next;
    }
    insert.executeUpdate();
  }
}

v1::ConsultationOpinion ReadOpinion(sql::ResultSet& r) {
  v1::ConsultationOpinion o;
  o.set_id(r.getString(1));
  o.set_consultation_id(r.getString(2));
  o.set_household_id(r.getString(3));
  o.set_text(r.getString(4));
  o.set_submitted_by(r.getString(5));
  ToProtoTime(db::FromDbTime(r.getString(6)), o.mutable_submit_time());
  return o;
}

struct ExistingVote {
  v1::ConsultationBallot ballot;
  std::string request_id;
};

std::optional<ExistingVote> FindVote(db::Connection& c, const std::string& consultation_id,
                                     const std::string& household_id) {
  // A locking read: it sees the vote a concurrent caller has just committed.
  auto& select = c.Prepare(
      "SELECT option_number, request_id, cast_by, cast_time FROM consultation_votes"
      " WHERE consultation_id = ? AND household_id = ? LOCK IN SHARE MODE");
  select.setString(1, consultation_id);
  select.setString(2, household_id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  ExistingVote vote;
  vote.ballot.set_consultation_id(consultation_id);
  vote.ballot.set_household_id(household_id);
  vote.ballot.set_option_number(rows->getInt(1));
  vote.request_id = rows->getString(2);
  vote.ballot.set_cast_by(rows->getString(3));
  ToProtoTime(db::FromDbTime(rows->getString(4)), vote.ballot.mutable_cast_time());
  return vote;
}

}  // namespace

absl::StatusOr<v1::Consultation> ConsultationStore::Open(const std::string& scope,
                                                         const WriteContext& write,
                                                         const v1::Consultation& requested) {
  v1::Consultation opened;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto organisation =
            OrganisationStore::FindActiveInScope(c, scope, requested.organisation_id());
        if (!organisation) {
          if (!scope.empty()) {
            return PermissionDenied(
                "OUT_OF_SCOPE",
                "consultation.organisation_id lies outside the caller's jurisdiction");
          }
          return InvalidField("consultation.organisation_id", "ORGANISATION_NOT_FOUND",
                              "no active organisation with this id");
        }
        if (auto s =
                RequireCommunityOrganisation("consultation.organisation_id", organisation->kind());
            !s.ok()) {
          return s;
        }
        if (!requested.matter_id().empty()) {
          auto& matter = c.Prepare(absl::StrCat("SELECT organisation_id FROM matters WHERE id = ?",
                                                db::InScope("area_path")));
          matter.setString(1, requested.matter_id());
          db::BindScope(matter, 2, scope);
          auto rows = c.Query(matter);
          if (!rows->next()) {
            return InvalidField("consultation.matter_id", "MATTER_NOT_FOUND",
                                "no matter with this id in the caller's jurisdiction");
          }
          if (rows->getString(1) != organisation->id()) {
            return InvalidField("consultation.matter_id", "MATTER_OF_ANOTHER_ORGANISATION",
                                "the matter belongs to another organisation");
          }
        }
        opened = requested;
        opened.set_id(NewId("cs", write.now));
        opened.set_organisation_id(organisation->id());
        opened.set_area_path(organisation->area_path());
        opened.set_state(v1::Consultation::OPEN);
        opened.clear_closed_time();
        opened.clear_closed_by();
        opened.set_opened_by(write.actor);
        ToProtoTime(write.now, opened.mutable_create_time());
        ToProtoTime(write.now, opened.mutable_update_time());
        opened.set_etag(EtagOf(1));
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO consultations (id, organisation_id, area_path, audience, question,"
            " matter_id, close_time, state, opened_by, version, create_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, opened.id());
        insert.setString(2, organisation->id());
        insert.setString(3, organisation->area_path());
        insert.setInt(4, opened.audience());
        insert.setString(5, opened.question());
        insert.setString(6, opened.matter_id());
        insert.setString(7, db::ToDbTime(FromProtoTime(opened.close_time())));
        insert.setInt(8, v1::Consultation::OPEN);
        insert.setString(9, write.actor);
        insert.setString(10, now);
        insert.setString(11, now);
        insert.executeUpdate();
        InsertOptions(c, opened.id(), opened.options());
        InsertHouseholds(c, opened.id(), opened.representative_household_ids());
        changes_.Append(
            c, write,
            {opened.id(), common::v1::Change::CREATED, opened.area_path(), &opened, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return opened;
  return EarlierResultOr<v1::Consultation>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Consultation> ConsultationStore::Get(const std::string& scope,
                                                        const std::string& id, absl::Time now) {
  std::optional<v1::Consultation> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found.reset();
    auto row = Find(c, scope, id, "");
    if (!row) return absl::OkStatus();
    found = row->consultation;
    found->set_state(StateAt(*found, now));
    for (auto& option : Options(c, id)) found->add_options(std::move(option));
    LoadRepresentatives(c, *found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope);
  return *found;
}

absl::StatusOr<ConsultationPage> ConsultationStore::List(const std::string& scope,
                                                         const ConsultationFilter& filter,
                                                         int page_size, const std::string& after_id,
                                                         absl::Time now) {
  ConsultationPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.consultations.clear();
    std::string path;
    if (!filter.organisation_id.empty()) {
      auto organisation = OrganisationStore::FindListable(c, scope, filter.organisation_id);
      if (!organisation.ok()) return organisation.status();
      path = organisation->path();
    }
    // Closed by the clock is not stored: it is an open one past close_time.
    const char* state_condition =
        filter.state == v1::Consultation::OPEN     ? " AND c.state = ? AND c.close_time > ?"
        : filter.state == v1::Consultation::CLOSED ? " AND (c.state <> ? OR c.close_time <= ?)"
                                                   : "";
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kColumns, " FROM consultations c",
        path.empty() ? "" : " JOIN organisations o ON o.id = c.organisation_id", " WHERE c.id > ?",
        db::InScope("c.area_path"), path.empty() ? "" : " AND (o.path = ? OR o.path LIKE ?)",
        state_condition, " ORDER BY c.id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    if (!path.empty()) {
      select.setString(index++, path);
      select.setString(index++, DescendantsLikePattern(path));
    }
    if (filter.state != v1::Consultation::STATE_UNSPECIFIED) {
      select.setInt(index++, v1::Consultation::OPEN);
      select.setString(index++, db::ToDbTime(now));
    }
    select.setInt(index, page_size + 1);
    {
      auto rows = c.Query(select);
      while (rows->next()) {
        v1::Consultation consultation = ReadRow(*rows).consultation;
        consultation.set_state(StateAt(consultation, now));
        page.consultations.push_back(std::move(consultation));
      }
    }
    LoadOptions(c, page.consultations);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.consultations.size()) > page_size) {
    page.consultations.pop_back();
    page.last_id = page.consultations.back().id();
  }
  return page;
}

absl::StatusOr<v1::ConsultationOpinion> ConsultationStore::SubmitOpinion(
    const std::string& scope, const WriteContext& write, const std::string& consultation_id,
    const std::string& household_id, const std::string& text) {
  v1::ConsultationOpinion opinion;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // Shared: opinions and votes go in side by side; closing waits for them.
        auto row = Find(c, scope, consultation_id, " LOCK IN SHARE MODE");
        if (!row) return Hidden(scope);
        if (auto s = MayTakePart(c, row->consultation, household_id, write.now); !s.ok()) {
          return s;
        }
        opinion.set_id(NewId("co", write.now));
        opinion.set_consultation_id(consultation_id);
        opinion.set_household_id(household_id);
        opinion.set_text(text);
        opinion.set_submitted_by(write.actor);
        ToProtoTime(write.now, opinion.mutable_submit_time());
        auto& insert = c.Prepare(
            "INSERT INTO consultation_opinions (id, consultation_id, household_id, text,"
            " submitted_by, submit_time) VALUES (?, ?, ?, ?, ?, ?)");
        insert.setString(1, opinion.id());
        insert.setString(2, consultation_id);
        insert.setString(3, household_id);
        insert.setString(4, text);
        insert.setString(5, write.actor);
        insert.setString(6, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write,
                        {opinion.id(), common::v1::Change::CREATED, row->consultation.area_path(),
                         &opinion, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return opinion;
  return EarlierResultOr<v1::ConsultationOpinion>(pool_, changes_, write, status);
}

absl::StatusOr<OpinionPage> ConsultationStore::ListOpinions(const std::string& scope,
                                                            const std::string& consultation_id,
                                                            int page_size,
                                                            const std::string& after_id) {
  OpinionPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.opinions.clear();
    if (!Find(c, scope, consultation_id, "")) return Hidden(scope);
    auto& select = c.Prepare(
        "SELECT id, consultation_id, household_id, text, submitted_by, submit_time"
        " FROM consultation_opinions WHERE consultation_id = ? AND id > ? ORDER BY id LIMIT ?");
    select.setString(1, consultation_id);
    select.setString(2, after_id);
    select.setInt(3, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.opinions.push_back(ReadOpinion(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.opinions.size()) > page_size) {
    page.opinions.pop_back();
    page.last_id = page.opinions.back().id();
  }
  return page;
}

absl::StatusOr<v1::ConsultationBallot> ConsultationStore::CastVote(
    const std::string& scope, const WriteContext& write, const std::string& consultation_id,
    const std::string& household_id, int option_number) {
  v1::ConsultationBallot ballot;
  // Set when the household's existing vote refuses this one: that answer
  // stands, whatever an earlier request under this id returned.
  bool refused_by_first_vote = false;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        refused_by_first_vote = false;
        auto row = Find(c, scope, consultation_id, " LOCK IN SHARE MODE");
        if (!row) return Hidden(scope);
        if (auto s = MayTakePart(c, row->consultation, household_id, write.now); !s.ok()) {
          return s;
        }
        if (auto s = ValidateOptionNumber(option_number,
                                          static_cast<int>(Options(c, consultation_id).size()));
            !s.ok()) {
          return s;
        }
        ballot.set_consultation_id(consultation_id);
        ballot.set_household_id(household_id);
        ballot.set_option_number(option_number);
        ballot.set_cast_by(write.actor);
        ToProtoTime(write.now, ballot.mutable_cast_time());
        const std::string vote_id = NewId("cv", write.now);
        auto& insert = c.Prepare(
            "INSERT INTO consultation_votes (consultation_id, household_id, id, option_number,"
            " request_id, cast_by, cast_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, consultation_id);
        insert.setString(2, household_id);
        insert.setString(3, vote_id);
        insert.setInt(4, option_number);
        insert.setString(5, write.request_id);
        insert.setString(6, write.actor);
        insert.setString(7, db::ToDbTime(write.now));
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          auto first = FindVote(c, consultation_id, household_id);
          if (!first) throw;
          const bool retry = !write.request_id.empty() && first->request_id == write.request_id &&
                             first->ballot.cast_by() == write.actor;
          refused_by_first_vote = !retry || first->ballot.option_number() != option_number;
          if (!retry) {
            return AlreadyExists(
                "HOUSEHOLD_ALREADY_VOTED",
                absl::StrCat(
                    "the household voted already, at ",
                    absl::FormatTime(absl::RFC3339_sec, FromProtoTime(first->ballot.cast_time()),
                                     absl::UTCTimeZone()),
                    ": one vote per household"));
          }
          if (first->ballot.option_number() != option_number) {
            return FailedPrecondition("REQUEST_ID_REUSED",
                                      "request_id was already used for a vote for another option");
          }
          ballot = first->ballot;  // the first answer, and nothing written
          return absl::OkStatus();
        }
        changes_.Append(c, write,
                        {vote_id, common::v1::Change::CREATED, row->consultation.area_path(),
                         &ballot, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return ballot;
  if (refused_by_first_vote) return status;
  return EarlierResultOr<v1::ConsultationBallot>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Consultation> ConsultationStore::Close(const std::string& scope,
                                                          const WriteContext& write,
                                                          const std::string& id,
                                                          const std::string& etag) {
  v1::Consultation closed;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto row = Find(c, scope, id, " FOR UPDATE");
    if (!row) return Hidden(scope);
    if (auto s = CheckEtag("etag", etag, row->version); !s.ok()) return s;
    v1::Consultation before = row->consultation;
    before.set_state(StateAt(before, write.now));
    for (auto& option : Options(c, id)) before.add_options(std::move(option));
    LoadRepresentatives(c, before);
    if (auto s = CheckOpenForInput(before.state(), Ended(before)); !s.ok()) return s;
    closed = before;
    closed.set_state(v1::Consultation::CLOSED);
    ToProtoTime(write.now, closed.mutable_closed_time());
    closed.set_closed_by(write.actor);
    ToProtoTime(write.now, closed.mutable_update_time());
    closed.set_etag(EtagOf(row->version + 1));
    auto& update = c.Prepare(
        "UPDATE consultations SET state = ?, closed_time = ?, closed_by = ?,"
        " version = version + 1, update_time = ? WHERE id = ?");
    update.setInt(1, v1::Consultation::CLOSED);
    update.setString(2, db::ToDbTime(write.now));
    update.setString(3, write.actor);
    update.setString(4, db::ToDbTime(write.now));
    update.setString(5, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, closed.area_path(), &closed, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return closed;
}

absl::StatusOr<v1::ConsultationResult> ConsultationStore::Result(const std::string& scope,
                                                                 const std::string& consultation_id,
                                                                 absl::Time now) {
  v1::ConsultationResult result;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    result.Clear();
    auto row = Find(c, scope, consultation_id, "");
    if (!row) return Hidden(scope);
    absl::flat_hash_map<int, int64_t> votes;
    {
      auto& select = c.Prepare(
          "SELECT option_number, COUNT(*) FROM consultation_votes WHERE consultation_id = ?"
          " GROUP BY option_number");
      select.setString(1, consultation_id);
      auto rows = c.Query(select);
      while (rows->next()) votes[rows->getInt(1)] = rows->getInt64(2);
    }
    auto count = [&](const char* sql) {
      auto& select = c.Prepare(sql);
      select.setString(1, consultation_id);
      auto rows = c.Query(select);
      return rows->next() ? rows->getInt64(1) : int64_t{0};
    };
    result.set_consultation_id(consultation_id);
    result.set_state(StateAt(row->consultation, now));
    int64_t cast = 0;
    for (auto& option : Tally(Options(c, consultation_id), votes)) {
      cast += option.votes();
      *result.add_counts() = std::move(option);
    }
    result.set_votes_cast(cast);
    if (row->consultation.audience() == v1::Consultation::REPRESENTATIVES) {
      result.set_eligible_households(
          count("SELECT COUNT(*) FROM consultation_representatives WHERE consultation_id = ?"));
    }
    result.set_opinions(
        count("SELECT COUNT(*) FROM consultation_opinions WHERE consultation_id = ?"));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace grassroots::orgs
