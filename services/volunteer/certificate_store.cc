#include "services/volunteer/certificate_store.h"

#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/certificate_rules.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/service_minutes.h"
#include "services/volunteer/volunteer_store.h"

namespace grassroots::volunteer {
namespace {

constexpr char kColumns[] =
    "SELECT c.number, c.volunteer_id, c.community_path, c.masked_name, c.member_id,"
    " c.service_minutes, c.content, c.issuer, c.state, c.post_time, c.issuable_time,"
    " c.issue_time, c.revoke_time, c.revoke_reason, c.posted_by, c.seq FROM certificates c";

struct Row {
  v1::Certificate certificate;
  int64_t seq = 0;
};

Row ReadRow(sql::ResultSet& r) {
  Row row;
  v1::Certificate& c = row.certificate;
  c.set_number(r.getString(1));
  c.set_volunteer_id(r.getString(2));
  c.set_community_path(r.getString(3));
  c.set_masked_name(r.getString(4));
  c.set_member_id(r.getString(5));
  c.set_service_minutes(r.getInt64(6));
  c.set_content(r.getString(7));
  c.set_issuer(r.getString(8));
  c.set_state(static_cast<v1::CertificateState>(r.getInt(9)));
  ToProtoTime(db::FromDbTime(r.getString(10)), c.mutable_post_time());
  ToProtoTime(db::FromDbTime(r.getString(11)), c.mutable_issuable_time());
  if (!r.isNull(12)) ToProtoTime(db::FromDbTime(r.getString(12)), c.mutable_issue_time());
  if (!r.isNull(13)) ToProtoTime(db::FromDbTime(r.getString(13)), c.mutable_revoke_time());
  c.set_revoke_reason(r.getString(14));
  c.set_posted_by(r.getString(15));
  row.seq = r.getInt64(16);
  return row;
}

std::optional<v1::Certificate> Find(db::Connection& c, const std::string& scope,
                                    const std::string& number, const char* lock) {
  auto& select = c.Prepare(
      absl::StrCat(kColumns, " WHERE c.number = ?", db::InScope("c.community_path"), lock));
  select.setString(1, number);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadRow(*rows).certificate;
}

absl::Time Micros(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

}  // namespace

absl::StatusOr<v1::Certificate> CertificateStore::Post(const std::string& scope,
                                                       const WriteContext& write,
                                                       const v1::Certificate& requested) {
  v1::Certificate made;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto volunteer = VolunteerStore::FindInScope(c, scope, requested.volunteer_id());
        if (!volunteer) {
          return Hidden(scope, "certificate.volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
        }
        made.Clear();
        made.set_volunteer_id(volunteer->id());
        made.set_masked_name(volunteer->masked_name());
        made.set_member_id(volunteer->member_id());
        made.set_community_path(volunteer->community_path());
        made.set_service_minutes(ServiceMinutesOf(c, volunteer->id()));
        made.set_content(requested.content());
        made.set_issuer(requested.issuer());
        made.set_posted_by(write.actor);
        ApplyPosting(made, Micros(write.now));
        auto& insert = c.Prepare(
            "INSERT INTO certificates (volunteer_id, community_path, masked_name, member_id,"
            " service_minutes, content, issuer, state, post_time, issuable_time, revoke_reason,"
            " posted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)");
        insert.setString(1, made.volunteer_id());
        insert.setString(2, made.community_path());
        insert.setString(3, made.masked_name());
        insert.setString(4, made.member_id());
        insert.setInt64(5, made.service_minutes());
        insert.setString(6, made.content());
        insert.setString(7, made.issuer());
        insert.setInt(8, made.state());
        insert.setString(9, db::ToDbTime(FromProtoTime(made.post_time())));
        insert.setString(10, db::ToDbTime(FromProtoTime(made.issuable_time())));
        insert.setString(11, made.posted_by());
        insert.executeUpdate();
        auto& last = c.Prepare("SELECT LAST_INSERT_ID()");
        auto rows = c.Query(last);
        rows->next();
        made.set_number(CertificateNumber(write.now, rows->getInt64(1)));
        auto& number = c.Prepare("UPDATE certificates SET number = ? WHERE seq = ?");
        number.setString(1, made.number());
        number.setInt64(2, rows->getInt64(1));
        number.executeUpdate();
        changes_.Append(
            c, write,
            {made.number(), common::v1::Change::CREATED, made.community_path(), &made, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Certificate>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Certificate> CertificateStore::Step(
    const std::string& scope, const WriteContext& write, const std::string& number,
    absl::FunctionRef<absl::Status(v1::Certificate&)> step) {
  v1::Certificate result;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = Find(c, scope, number, " FOR UPDATE");
    if (!before) return Hidden(scope, "", "certificate", "CERTIFICATE_NOT_FOUND");
    result = *before;
    if (auto s = step(result); !s.ok()) return s;
    if (result.state() == before->state()) return absl::OkStatus();
    auto& update = c.Prepare(
        "UPDATE certificates SET state = ?, issue_time = ?, revoke_time = ?, revoke_reason = ?"
        " WHERE number = ?");
    update.setInt(1, result.state());
    int index = 2;
    for (const auto& [set, time] : {std::pair{result.has_issue_time(), &result.issue_time()},
                                    std::pair{result.has_revoke_time(), &result.revoke_time()}}) {
      if (set) {
        update.setString(index++, db::ToDbTime(FromProtoTime(*time)));
      } else {
        update.setNull(index++, sql::DataType::VARCHAR);
      }
    }
    update.setString(4, result.revoke_reason());
    update.setString(5, number);
    update.executeUpdate();
    changes_.Append(
        c, write,
        {number, common::v1::Change::UPDATED, result.community_path(), &result, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Certificate> CertificateStore::Issue(const std::string& scope,
                                                        const WriteContext& write,
                                                        const std::string& number) {
  return Step(scope, write, number, [&](v1::Certificate& c) -> absl::Status {
    // Issued once: again is the same answer.
    if (c.state() == v1::CERTIFICATE_ISSUED) return absl::OkStatus();
    if (auto s = CheckIssuable(c, write.now); !s.ok()) return s;
    c.set_state(v1::CERTIFICATE_ISSUED);
    ToProtoTime(Micros(write.now), c.mutable_issue_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Certificate> CertificateStore::Revoke(const std::string& scope,
                                                         const WriteContext& write,
                                                         const std::string& number,
                                                         const std::string& reason) {
  return Step(scope, write, number, [&](v1::Certificate& c) -> absl::Status {
    if (c.state() == v1::CERTIFICATE_REVOKED) return absl::OkStatus();
    c.set_state(v1::CERTIFICATE_REVOKED);
    c.set_revoke_reason(reason);
    ToProtoTime(Micros(write.now), c.mutable_revoke_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Certificate> CertificateStore::Get(const std::string& scope,
                                                      const std::string& number) {
  std::optional<v1::Certificate> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = Find(c, scope, number, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "", "certificate", "CERTIFICATE_NOT_FOUND");
  return *found;
}

absl::StatusOr<CertificatePage> CertificateStore::List(const std::string& scope,
                                                       const std::string& volunteer_id,
                                                       int page_size,
                                                       const std::string& before_seq) {
  int64_t before = std::numeric_limits<int64_t>::max();
  if (!before_seq.empty() && !absl::SimpleAtoi(before_seq, &before)) {
    return InvalidField("page_token", "PAGE_TOKEN_INVALID", "is not a token this method issued");
  }
  CertificatePage page;
  bool visible = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    visible = VolunteerStore::FindInScope(c, scope, volunteer_id).has_value();
    if (!visible) return absl::OkStatus();
    auto& select = c.Prepare(absl::StrCat(
        kColumns, " WHERE c.volunteer_id = ? AND c.seq < ? ORDER BY c.seq DESC LIMIT ?"));
    select.setString(1, volunteer_id);
    select.setInt64(2, before);
    select.setInt(3, page_size + 1);
    auto rows = c.Query(select);
    int64_t last = 0;
    while (rows->next()) {
      Row row = ReadRow(*rows);
      if (static_cast<int>(page.certificates.size()) == page_size) {
        page.last_seq = absl::StrCat(last);
        break;
      }
      last = row.seq;
      page.certificates.push_back(std::move(row.certificate));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!visible) return Hidden(scope, "volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
  return page;
}

}  // namespace grassroots::volunteer
