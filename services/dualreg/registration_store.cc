#include "services/dualreg/registration_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/auth/path_to_read.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/paging/page_token.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "services/dualreg/hidden.h"
#include "services/dualreg/registration_rules.h"

namespace grassroots::dualreg {
namespace {

constexpr char kUnitColumns[] =
    "id, organisation_id, organisation_name, organisation_path, community_id, community_path,"
    " resources, agreement, valid_until, in_service_members, withdrawn, withdraw_reason, version,"
    " create_time, update_time";
constexpr char kMemberColumns[] =
    "id, member_id, employer_organisation_id, employer_organisation_path, community_id,"
    " community_path, skills, availability, volunteer_id, withdrawn, version, create_time,"
    " update_time";

absl::CivilDay Today(absl::Time now) { return absl::ToCivilDay(now, absl::UTCTimeZone()); }

v1::UnitRegistration UnitFromRow(sql::ResultSet& r, absl::CivilDay today) {
  v1::UnitRegistration u;
  u.set_id(r.getString(1));
  u.set_organisation_id(r.getString(2));
  u.set_organisation_name(r.getString(3));
  u.set_organisation_path(r.getString(4));
  u.set_community_id(r.getString(5));
  u.set_community_path(r.getString(6));
  u.set_resources(r.getString(7));
  u.set_agreement(r.getString(8));
  u.set_valid_until(r.getString(9));
  u.set_in_service_members(r.getInt(10));
  const absl::CivilDay until = *ParseDate("valid_until", u.valid_until());
  u.set_state(UnitState(r.getBoolean(11), until, today));
  u.set_withdraw_reason(r.getString(12));
  u.set_etag(EtagOf(r.getInt64(13)));
  ToProtoTime(db::FromDbTime(r.getString(14)), u.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(15)), u.mutable_update_time());
  return u;
}

v1::MemberRegistration MemberFromRow(sql::ResultSet& r) {
  v1::MemberRegistration m;
  m.set_id(r.getString(1));
  m.set_member_id(r.getString(2));
  m.set_employer_organisation_id(r.getString(3));
  m.set_employer_organisation_path(r.getString(4));
  m.set_community_id(r.getString(5));
  m.set_community_path(r.getString(6));
  for (std::string& skill : SplitSkills(r.getString(7))) m.add_skills(std::move(skill));
  v1::MemberRegistration slots;
  slots.ParseFromString(r.getString(8));
  *m.mutable_availability() = slots.availability();
  m.set_volunteer_id(r.getString(9));
  m.set_state(r.getBoolean(10) ? v1::WITHDRAWN : v1::ACTIVE);
  m.set_etag(EtagOf(r.getInt64(11)));
  ToProtoTime(db::FromDbTime(r.getString(12)), m.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(13)), m.mutable_update_time());
  return m;
}

std::string AvailabilityBytes(const v1::MemberRegistration& m) {
  v1::MemberRegistration slots;
  *slots.mutable_availability() = m.availability();
  return slots.SerializeAsString();
}

void BindNullable(sql::PreparedStatement& s, int index, bool null, const std::string& value) {
  if (null) {
    s.setNull(index, sql::DataType::VARCHAR);
  } else {
    s.setString(index, value);
  }
}

}  // namespace

absl::StatusOr<v1::UnitRegistration> RegistrationStore::RegisterUnit(const std::string& scope,
                                                                     const WriteContext& write,
                                                                     v1::UnitRegistration unit) {
  if (!PathWithin(unit.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "unit.community_id lies outside the caller's jurisdiction");
  }
  unit.set_id(NewId("ur_", write.now));
  unit.set_state(v1::ACTIVE);
  unit.set_withdraw_reason("");
  unit.set_etag(EtagOf(1));
  ToProtoTime(write.now, unit.mutable_create_time());
  ToProtoTime(write.now, unit.mutable_update_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) {
        auto& insert = c.Prepare(
            "INSERT INTO unit_registrations (id, organisation_id, organisation_name,"
            " organisation_path, community_id, community_path, resources, agreement, valid_until,"
            " in_service_members, withdrawn, withdraw_reason, active_organisation_id, version,"
            " create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, '', ?, 1, ?,"
            " ?)");
        insert.setString(1, unit.id());
        insert.setString(2, unit.organisation_id());
        insert.setString(3, unit.organisation_name());
        insert.setString(4, unit.organisation_path());
        insert.setString(5, unit.community_id());
        insert.setString(6, unit.community_path());
        insert.setString(7, unit.resources());
        insert.setString(8, unit.agreement());
        insert.setString(9, unit.valid_until());
        insert.setInt(10, unit.in_service_members());
        insert.setString(11, unit.organisation_id());
        insert.setString(12, db::ToDbTime(write.now));
        insert.setString(13, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write,
                        {unit.id(), common::v1::Change::CREATED, unit.community_path(), &unit});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return unit;
  auto earlier = EarlierResultOr<v1::UnitRegistration>(pool_, changes_, write, status);
  if (!earlier.ok() && db::IsDuplicateKey(earlier.status())) {
    return AlreadyExists("UNIT_ALREADY_REGISTERED",
                         "the organisation already has a registration that is not withdrawn");
  }
  return earlier;
}

absl::StatusOr<v1::UnitRegistration> RegistrationStore::ChangeUnit(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, absl::FunctionRef<absl::Status(v1::UnitRegistration&)> change) {
  v1::UnitRegistration after;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kUnitColumns, " FROM unit_registrations WHERE id = ?",
                               db::InScope("community_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return Hidden(scope, "unit registration", "UNIT_NOT_FOUND");
    const v1::UnitRegistration before = UnitFromRow(*rows, Today(write.now));
    const int64_t version = VersionOf(before.etag());
    if (auto s = CheckEtag("etag", etag, version, "the unit registration"); !s.ok()) return s;
    if (before.state() == v1::WITHDRAWN) {
      return FailedPrecondition("UNIT_WITHDRAWN", "the unit registration was withdrawn");
    }
    after = before;
    if (auto s = change(after); !s.ok()) return s;
    after.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, after.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE unit_registrations SET valid_until = ?, in_service_members = ?, withdrawn = ?,"
        " withdraw_reason = ?, active_organisation_id = ?, version = ?, update_time = ? WHERE"
        " id = ?");
    const bool withdrawn = after.state() == v1::WITHDRAWN;
    update.setString(1, after.valid_until());
    update.setInt(2, after.in_service_members());
    update.setBoolean(3, withdrawn);
    update.setString(4, after.withdraw_reason());
    BindNullable(update, 5, withdrawn, after.organisation_id());
    update.setInt64(6, version + 1);
    update.setString(7, db::ToDbTime(write.now));
    update.setString(8, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, after.community_path(), &after, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return after;
}

absl::StatusOr<v1::UnitRegistration> RegistrationStore::RenewUnit(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const std::string& valid_until, int in_service_members) {
  return ChangeUnit(scope, write, id, etag, [&](v1::UnitRegistration& unit) -> absl::Status {
    const absl::CivilDay current = *ParseDate("valid_until", unit.valid_until());
    if (auto s = ValidateRenewal(current, valid_until, Today(write.now)); !s.ok()) return s;
    unit.set_valid_until(valid_until);
    unit.set_in_service_members(in_service_members);
    unit.set_state(v1::ACTIVE);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::UnitRegistration> RegistrationStore::WithdrawUnit(const std::string& scope,
                                                                     const WriteContext& write,
                                                                     const std::string& id,
                                                                     const std::string& etag,
                                                                     const std::string& reason) {
  return ChangeUnit(scope, write, id, etag, [&](v1::UnitRegistration& unit) {
    unit.set_state(v1::WITHDRAWN);
    unit.set_withdraw_reason(reason);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::UnitRegistration> RegistrationStore::GetUnit(const std::string& scope,
                                                                const std::string& id,
                                                                absl::CivilDay today) {
  std::optional<v1::UnitRegistration> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kUnitColumns, " FROM unit_registrations WHERE id = ?",
                               db::InScope("community_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = UnitFromRow(*rows, today);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "unit registration", "UNIT_NOT_FOUND");
  return *found;
}

absl::StatusOr<v1::MemberRegistration> RegistrationStore::RegisterMember(const std::string& scope,
                                                                         const WriteContext& write,
                                                                         v1::MemberRegistration m) {
  if (!PathWithin(m.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "registration.community_id lies outside the caller's jurisdiction");
  }
  m.set_id(NewId("mr_", write.now));
  m.set_state(v1::ACTIVE);
  m.set_etag(EtagOf(1));
  ToProtoTime(write.now, m.mutable_create_time());
  ToProtoTime(write.now, m.mutable_update_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) {
        auto& insert = c.Prepare(
            "INSERT INTO member_registrations (id, member_id, employer_organisation_id,"
            " employer_organisation_path, community_id, community_path, skills, availability,"
            " volunteer_id, withdrawn, active_member_id, version, create_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, 1, ?, ?)");
        insert.setString(1, m.id());
        insert.setString(2, m.member_id());
        insert.setString(3, m.employer_organisation_id());
        insert.setString(4, m.employer_organisation_path());
        insert.setString(5, m.community_id());
        insert.setString(6, m.community_path());
        insert.setString(7, JoinSkills(m.skills()));
        insert.setString(8, AvailabilityBytes(m));
        insert.setString(9, m.volunteer_id());
        insert.setString(10, m.member_id());
        insert.setString(11, db::ToDbTime(write.now));
        insert.setString(12, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write, {m.id(), common::v1::Change::CREATED, m.community_path(), &m});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return m;
  auto earlier = EarlierResultOr<v1::MemberRegistration>(pool_, changes_, write, status);
  if (!earlier.ok() && db::IsDuplicateKey(earlier.status())) {
    return AlreadyExists("MEMBER_ALREADY_REGISTERED",
                         "the member already has an active registration; move it instead");
  }
  return earlier;
}

absl::StatusOr<v1::MemberRegistration> RegistrationStore::ChangeMember(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, absl::FunctionRef<absl::Status(v1::MemberRegistration&)> change) {
  v1::MemberRegistration after;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kMemberColumns, " FROM member_registrations WHERE id = ?",
                               db::InScope("community_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return Hidden(scope, "member registration", "REGISTRATION_NOT_FOUND");
    const v1::MemberRegistration before = MemberFromRow(*rows);
    const int64_t version = VersionOf(before.etag());
    if (auto s = CheckEtag("etag", etag, version, "the member registration"); !s.ok()) return s;
    if (before.state() == v1::WITHDRAWN) {
      return FailedPrecondition("REGISTRATION_WITHDRAWN", "the member registration was withdrawn");
    }
    after = before;
    if (auto s = change(after); !s.ok()) return s;
    after.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, after.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE member_registrations SET community_id = ?, community_path = ?, skills = ?,"
        " availability = ?, withdrawn = ?, active_member_id = ?, version = ?, update_time = ?"
        " WHERE id = ?");
    const bool withdrawn = after.state() == v1::WITHDRAWN;
    update.setString(1, after.community_id());
    update.setString(2, after.community_path());
    update.setString(3, JoinSkills(after.skills()));
    update.setString(4, AvailabilityBytes(after));
    update.setBoolean(5, withdrawn);
    BindNullable(update, 6, withdrawn, after.member_id());
    update.setInt64(7, version + 1);
    update.setString(8, db::ToDbTime(write.now));
    update.setString(9, id);
    update.executeUpdate();
    const auto action = before.community_path() != after.community_path()
                            ? common::v1::Change::MOVED
                            : common::v1::Change::UPDATED;
    changes_.Append(c, write, {id, action, after.community_path(), &after, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return after;
}

absl::StatusOr<v1::MemberRegistration> RegistrationStore::MoveMemberHome(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, const std::string& community_id, const std::string& community_path) {
  if (!PathWithin(community_path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE", "community_id lies outside the caller's jurisdiction");
  }
  return ChangeMember(scope, write, id, etag, [&](v1::MemberRegistration& m) -> absl::Status {
    if (m.community_id() == community_id) {
      return InvalidField("community_id", "SAME_COMMUNITY",
                          "the member is registered in this community already");
    }
    m.set_community_id(community_id);
    m.set_community_path(community_path);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::MemberRegistration> RegistrationStore::UpdateOffer(
    const std::string& scope, const WriteContext& write,
    const v1::UpdateMemberOfferRequest& request, const std::string& only_member) {
  return ChangeMember(scope, write, request.id(), request.etag(),
                      [&](v1::MemberRegistration& m) -> absl::Status {
                        if (!only_member.empty() && m.member_id() != only_member) {
                          return PermissionDenied("NOT_YOUR_REGISTRATION",
                                                  "a member changes only its own registration");
                        }
                        *m.mutable_skills() = request.skills();
                        *m.mutable_availability() = request.availability();
                        return absl::OkStatus();
                      });
}

absl::StatusOr<v1::MemberRegistration> RegistrationStore::WithdrawMember(const std::string& scope,
                                                                         const WriteContext& write,
                                                                         const std::string& id,
                                                                         const std::string& etag) {
  return ChangeMember(scope, write, id, etag, [](v1::MemberRegistration& m) {
    m.set_state(v1::WITHDRAWN);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::MemberRegistration> RegistrationStore::GetMember(const std::string& scope,
                                                                    const std::string& id) {
  std::optional<v1::MemberRegistration> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kMemberColumns, " FROM member_registrations WHERE id = ?",
                               db::InScope("community_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = MemberFromRow(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "member registration", "REGISTRATION_NOT_FOUND");
  return *found;
}

absl::StatusOr<v1::ListMemberRegistrationsResponse> RegistrationStore::ListMembers(
    const std::string& scope, const v1::ListMemberRegistrationsRequest& request) {
  auto path_or = PathToRead(scope, request.path());
  if (!path_or.ok()) return path_or.status();
  const std::string& path = *path_or;
  auto size = EffectivePageSize(request.page_size());
  if (!size.ok()) return size.status();
  const std::string query = absl::StrCat("members|", path);
  std::string after;
  if (!request.page_token().empty()) {
    auto decoded = DecodePageToken(request.page_token(), query);
    if (!decoded.ok()) return decoded.status();
    after = *decoded;
  }
  v1::ListMemberRegistrationsResponse response;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    response.Clear();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kMemberColumns, " FROM member_registrations WHERE withdrawn = FALSE AND id > ?",
        db::InScope("community_path"), " ORDER BY id LIMIT ?"));
    select.setString(1, after);
    const int next = db::BindScope(select, 2, path);
    select.setInt(next, *size + 1);
    auto rows = c.Query(select);
    while (rows->next()) *response.add_registrations() = MemberFromRow(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (response.registrations_size() > *size) {
    response.mutable_registrations()->RemoveLast();
    response.set_next_page_token(EncodePageToken(query, response.registrations(*size - 1).id()));
  }
  return response;
}

absl::StatusOr<v1::CoverageReport> RegistrationStore::Coverage(const std::string& scope,
                                                               const std::string& path,
                                                               absl::CivilDay today) {
  auto where_or = PathToRead(scope, path);
  if (!where_or.ok()) return where_or.status();
  const std::string& where = *where_or;
  v1::CoverageReport report;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    report.Clear();
    std::map<std::string, v1::CommunityCoverage> communities;
    // Employers registered (not withdrawn, not expired) under the path, with
    // the active members naming each as employer wherever they live.
    auto& employers = c.Prepare(absl::StrCat(
        "SELECT u.organisation_id, u.organisation_name, u.community_path, u.in_service_members,"
        " (SELECT COUNT(*) FROM member_registrations m WHERE m.withdrawn = FALSE AND"
        " m.employer_organisation_id = u.organisation_id) FROM unit_registrations u WHERE"
        " u.withdrawn = FALSE AND u.valid_until >= ?",
        db::InScope("u.community_path"), " ORDER BY u.organisation_id"));
    employers.setString(1, DateText(today));
    db::BindScope(employers, 2, where);
    auto e = c.Query(employers);
    while (e->next()) {
      v1::EmployerCoverage* row = report.add_employers();
      row->set_organisation_id(e->getString(1));
      row->set_organisation_name(e->getString(2));
      row->set_community_path(e->getString(3));
      row->set_in_service_members(e->getInt(4));
      row->set_registered_members(e->getInt(5));
      row->set_coverage(CoverageRate(row->registered_members(), row->in_service_members()));
      report.set_in_service_members(report.in_service_members() + row->in_service_members());
      report.set_registered_members(report.registered_members() + row->registered_members());
      v1::CommunityCoverage& community = communities[row->community_path()];
      community.set_registered_units(community.registered_units() + 1);
      community.set_units_in_service_members(community.units_in_service_members() +
                                             row->in_service_members());
      community.set_units_registered_members(community.units_registered_members() +
                                             row->registered_members());
    }
    auto& residents = c.Prepare(
        absl::StrCat("SELECT community_path, COUNT(*) FROM member_registrations WHERE withdrawn"
                     " = FALSE",
                     db::InScope("community_path"), " GROUP BY community_path"));
    db::BindScope(residents, 1, where);
    auto r = c.Query(residents);
    while (r->next()) communities[r->getString(1)].set_registered_members(r->getInt(2));
    for (auto& [community_path, row] : communities) {
      row.set_community_path(community_path);
      *report.add_communities() = row;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  report.set_coverage(CoverageRate(report.registered_members(), report.in_service_members()));
  return report;
}

}  // namespace grassroots::dualreg
