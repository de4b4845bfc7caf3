#include "services/orgs/membership_history.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"

namespace grassroots::orgs {
namespace {

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::CivilDay ParseDay(const std::string& text) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(text, &day);
  return day;
}

struct Period {
  int64_t id = 0;
  std::string organisation_id;
  std::string area_path;
  int status = 0;
  absl::CivilDay valid_from;
  bool open = true;
  absl::CivilDay valid_to;
};

void Insert(db::Connection& c, const std::string& member_id, const Period& p) {
  auto& insert = c.Prepare(
      "INSERT INTO memberships (member_id, organisation_id, area_path, status, valid_from,"
      " valid_to) VALUES (?, ?, ?, ?, ?, ?)");
  insert.setString(1, member_id);
  insert.setString(2, p.organisation_id);
  insert.setString(3, p.area_path);
  insert.setInt(4, p.status);
  insert.setString(5, DayText(p.valid_from));
  if (p.open) {
    insert.setNull(6, sql::DataType::DATE);
  } else {
    insert.setString(6, DayText(p.valid_to));
  }
  insert.executeUpdate();
}

// From `from` on, every period of the member gets `change` applied: a
// period that began earlier is split at `from` (closed there, its changed
// copy continues), later ones change in place. Periods `change` leaves as
// they were are not touched.
void RewriteFrom(db::Connection& c, const std::string& member_id, absl::CivilDay from,
                 const std::function<void(Period&)>& change) {
  auto& select = c.Prepare(
      "SELECT id, organisation_id, area_path, status, valid_from, valid_to FROM memberships"
      " WHERE member_id = ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from"
      " FOR UPDATE");
  select.setString(1, member_id);
  select.setString(2, DayText(from));
  std::vector<Period> periods;
  {
    auto rows = c.Query(select);
    while (rows->next()) {
      Period p;
      p.id = rows->getInt64(1);
      p.organisation_id = rows->getString(2);
      p.area_path = rows->getString(3);
      p.status = rows->getInt(4);
      p.valid_from = ParseDay(rows->getString(5));
      p.open = rows->isNull(6);
      if (!p.open) p.valid_to = ParseDay(rows->getString(6));
      periods.push_back(std::move(p));
    }
  }
  for (const Period& before : periods) {
    Period after = before;
    change(after);
    if (after.organisation_id == before.organisation_id && after.area_path == before.area_path &&
        after.status == before.status) {
      continue;
    }
    if (before.valid_from < from) {
      // Closed first: the open period's unique key allows one at a time.
      auto& close = c.Prepare("UPDATE memberships SET valid_to = ? WHERE id = ?");
      close.setString(1, DayText(from));
      close.setInt64(2, before.id);
      close.executeUpdate();
      after.valid_from = from;
      Insert(c, member_id, after);
    } else {
      auto& update = c.Prepare(
          "UPDATE memberships SET organisation_id = ?, area_path = ?, status = ? WHERE id = ?");
      update.setString(1, after.organisation_id);
      update.setString(2, after.area_path);
      update.setInt(3, after.status);
      update.setInt64(4, before.id);
      update.executeUpdate();
    }
  }
}

}  // namespace

void MembershipHistory::Open(db::Connection& c, const v1::Member& added) {
  Period p;
  p.organisation_id = added.organisation_id();
  p.area_path = added.area_path();
  p.status = added.status();
  p.valid_from = ParseDay(added.join_date());
  Insert(c, added.id(), p);
}

void MembershipHistory::Move(db::Connection& c, const std::string& member_id,
                             const v1::Organisation& organisation, absl::Time when) {
  RewriteFrom(c, member_id, absl::ToCivilDay(when, absl::UTCTimeZone()), [&](Period& p) {
    p.organisation_id = organisation.id();
    p.area_path = organisation.area_path();
  });
}

void MembershipHistory::ChangeStatus(db::Connection& c, const std::string& member_id,
                                     v1::MemberStatus status, absl::CivilDay from) {
  RewriteFrom(c, member_id, from, [status](Period& p) { p.status = status; });
}

// Periods that hold on the day, of the organisation and the ones below it.
constexpr char kOnTheDay[] =
    " FROM memberships ms JOIN organisations o ON o.id = ms.organisation_id"
    " WHERE (o.path = ? OR o.path LIKE ?) AND ms.valid_from <= ?"
    " AND (ms.valid_to IS NULL OR ms.valid_to > ?)";

int BindOnTheDay(sql::PreparedStatement& s, const v1::Organisation& organisation,
                 absl::CivilDay day) {
  s.setString(1, organisation.path());
  s.setString(2, DescendantsLikePattern(organisation.path()));
  s.setString(3, DayText(day));
  s.setString(4, DayText(day));
  return 5;
}

std::vector<RosterMember> MembershipHistory::RosterOn(db::Connection& c,
                                                      const v1::Organisation& organisation,
                                                      absl::CivilDay day) {
  auto& select = c.Prepare(
      absl::StrCat("SELECT ms.member_id, ms.status", kOnTheDay, " ORDER BY ms.member_id"));
  BindOnTheDay(select, organisation, day);
  std::vector<RosterMember> roster;
  auto rows = c.Query(select);
  while (rows->next()) {
    roster.push_back({rows->getString(1), static_cast<v1::MemberStatus>(rows->getInt(2))});
  }
  return roster;
}

std::optional<v1::MemberStatus> MembershipHistory::StatusOn(db::Connection& c,
                                                            const std::string& member_id,
                                                            const v1::Organisation& organisation,
                                                            absl::CivilDay day) {
  auto& select = c.Prepare(absl::StrCat("SELECT ms.status", kOnTheDay, " AND ms.member_id = ?"));
  select.setString(BindOnTheDay(select, organisation, day), member_id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return static_cast<v1::MemberStatus>(rows->getInt(1));
}

}  // namespace grassroots::orgs
