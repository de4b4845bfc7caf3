#include "services/dualreg/service_lines.h"

#include "absl/strings/str_cat.h"
#include "common/time/civil_date.h"

namespace grassroots::dualreg {

std::map<std::string, v1::MemberServiceLine> ServiceLines(db::Connection& c, RegistrationsOf which,
                                                          const std::string& id,
                                                          const Period& period) {
  const std::string registrations =
      which == RegistrationsOf::kEmployer ? "r.employer_organisation_id = ?" : "r.id = ?";
  const std::string from = absl::StrCat(DateText(period.start), " 00:00:00");
  const std::string until = absl::StrCat(DateText(period.end + 1), " 00:00:00");
  std::map<std::string, v1::MemberServiceLine> lines;
  auto& members = c.Prepare(
      absl::StrCat("SELECT r.id, r.member_id FROM member_registrations r WHERE ", registrations));
  members.setString(1, id);
  auto m = c.Query(members);
  while (m->next()) {
    v1::MemberServiceLine& line = lines[m->getString(1)];
    line.set_registration_id(m->getString(1));
    line.set_member_id(m->getString(2));
  }
  auto& claims = c.Prepare(
      absl::StrCat("SELECT r.id, COUNT(*) FROM post_claims p JOIN member_registrations r ON r.id ="
                   " p.registration_id WHERE ",
                   registrations, " AND p.claim_time >= ? AND p.claim_time < ? GROUP BY r.id"));
  claims.setString(1, id);
  claims.setString(2, from);
  claims.setString(3, until);
  auto p = c.Query(claims);
  while (p->next()) lines[p->getString(1)].set_posts_claimed(p->getInt(2));
  auto& orders = c.Prepare(absl::StrCat(
      "SELECT r.id, COUNT(*), SUM(o.minutes), COALESCE(AVG(NULLIF(o.rating, 0)), 0) FROM orders o"
      " JOIN member_registrations r ON r.id = o.taker_registration_id WHERE ",
      registrations,
      " AND o.state IN (5, 6) AND o.requested_time >= ? AND o.requested_time < ? GROUP BY r.id"));
  orders.setString(1, id);
  orders.setString(2, from);
  orders.setString(3, until);
  auto o = c.Query(orders);
  while (o->next()) {
    v1::MemberServiceLine& line = lines[o->getString(1)];
    line.set_orders_done(o->getInt(2));
    line.set_minutes(o->getInt64(3));
    line.set_mean_rating(o->getDouble(4));
  }
  return lines;
}

}  // namespace grassroots::dualreg
