#include "services/orgs/linkage_store.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/linkage_rules.h"
#include "services/orgs/moved_records.h"
#include "services/orgs/place_lookup.h"

namespace grassroots::orgs {
namespace {

using Problem = v1::LinkageProblem;

constexpr char kLinkColumns[] =
    "id, party_kind, member_id, reference, display_title, unit_kind, area_id, area_path,"
    " compound, start_date, end_date, state, note, created_by, version, create_time, update_time";
constexpr char kProblemColumns[] =
    "id, link_id, area_path, title, category, raised_date, state, resolved_date, resolution,"
    " raised_by, resolved_by, version, create_time, update_time";

v1::Link ReadLink(sql::ResultSet& r) {
  v1::Link l;
  l.set_id(r.getString(1));
  v1::LinkedParty* party = l.mutable_party();
  party->set_kind(static_cast<v1::LinkedPartyKind>(r.getInt(2)));
  if (!r.isNull(3)) party->set_member_id(r.getString(3));
  if (!r.isNull(4)) party->set_reference(r.getString(4));
  party->set_display_title(r.getString(5));
  party->set_unit_kind(static_cast<v1::LinkedParty::UnitKind>(r.getInt(6)));
  l.set_area_id(r.getString(7));
  l.set_area_path(r.getString(8));
  l.set_compound(r.getString(9));
  l.set_start_date(r.getString(10));
  if (!r.isNull(11)) l.set_end_date(r.getString(11));
  l.set_state(static_cast<v1::Link::State>(r.getInt(12)));
  l.set_note(r.getString(13));
  l.set_created_by(r.getString(14));
  l.set_etag(EtagOf(r.getInt64(15)));
  ToProtoTime(db::FromDbTime(r.getString(16)), l.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(17)), l.mutable_update_time());
  return l;
}

Problem ReadProblem(sql::ResultSet& r) {
  Problem p;
  p.set_id(r.getString(1));
  p.set_link_id(r.getString(2));
  p.set_area_path(r.getString(3));
  p.set_title(r.getString(4));
  p.set_category(r.getString(5));
  p.set_raised_date(r.getString(6));
  p.set_state(static_cast<Problem::State>(r.getInt(7)));
  if (!r.isNull(8)) p.set_resolved_date(r.getString(8));
  p.set_resolution(r.getString(9));
  p.set_raised_by(r.getString(10));
  p.set_resolved_by(r.getString(11));
  p.set_etag(EtagOf(r.getInt64(12)));
  ToProtoTime(db::FromDbTime(r.getString(13)), p.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(14)), p.mutable_update_time());
  return p;
}

absl::CivilDay Day(const std::string& text) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(text, &day);
  return day;
}

std::optional<absl::CivilDay> OptionalDay(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return Day(text);
}

std::string Text(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::Status HiddenLink(const std::string& scope) {
  return HiddenRecord(scope, "link", "LINK_NOT_FOUND");
}
absl::Status HiddenProblem(const std::string& scope) {
  return HiddenRecord(scope, "problem", "PROBLEM_NOT_FOUND");
}

// `lock` is "", " FOR UPDATE" or " LOCK IN SHARE MODE".
std::optional<v1::Link> FindLink(db::Connection& c, const std::string& scope, const std::string& id,
                                 const char* lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kLinkColumns, " FROM linkage_links WHERE id = ?",
                                        db::InScope("area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadLink(*rows);
}

std::optional<Problem> FindProblem(db::Connection& c, const std::string& scope,
                                   const std::string& id, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kProblemColumns, " FROM linkage_problems WHERE id = ?",
                             db::InScope("area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadProblem(*rows);
}

// Each link's problem counts, in one grouped query.
void FillCounts(db::Connection& c, std::vector<v1::Link>& links) {
  if (links.empty()) return;
  auto& select = c.Prepare(
      absl::StrCat("SELECT link_id, state, COUNT(*) FROM linkage_problems WHERE link_id IN (",
                   db::ParameterList(static_cast<int>(links.size())), ") GROUP BY link_id, state"));
  absl::flat_hash_map<std::string, v1::ProblemCounts*> by_id;
  for (size_t i = 0; i < links.size(); ++i) {
    select.setString(static_cast<int>(i) + 1, links[i].id());
    by_id[links[i].id()] = links[i].mutable_counts();
  }
  auto rows = c.Query(select);
  while (rows->next()) {
    v1::ProblemCounts* counts = by_id[rows->getString(1).asStdString()];
    const int64_t n = rows->getInt64(3);
    counts->set_raised(counts->raised() + n);
    switch (rows->getInt(2)) {
      case Problem::SOLVED:
        counts->set_solved(counts->solved() + n);
        break;
      case Problem::CLOSED_UNSOLVED:
        counts->set_closed_unsolved(counts->closed_unsolved() + n);
        break;
      default:
        counts->set_open(counts->open() + n);
    }
  }
}

void BindDateOrNull(sql::PreparedStatement& s, int index, const std::string& date) {
  if (date.empty()) {
    s.setNull(index, sql::DataType::DATE);
  } else {
    s.setString(index, date);
  }
}

void BindTextOrNull(sql::PreparedStatement& s, int index, const std::string& text) {
  if (text.empty()) {
    s.setNull(index, sql::DataType::VARCHAR);
  } else {
    s.setString(index, text);
  }
}

}  // namespace

absl::StatusOr<v1::Link> LinkageStore::CreateLink(const std::string& scope,
                                                  const WriteContext& write,
                                                  const v1::Link& requested) {
  v1::Link created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto area = FindAreaInScope(c, scope, requested.area_id());
        if (!area) {
          if (!scope.empty()) {
            return PermissionDenied("OUT_OF_SCOPE",
                                    "link.area_id lies outside the caller's jurisdiction");
          }
          return InvalidField("link.area_id", "AREA_NOT_FOUND", "no such area");
        }
        if (area->kind() != v1::COMMUNITY) {
          return InvalidField("link.area_id", "LINK_PLACE_INVALID",
                              absl::StrCat("links are to a community (or a compound in it), not a ",
                                           v1::AreaKind_Name(area->kind())));
        }
        if (requested.party().kind() == v1::MEMBER_OFFICIAL) {
          // Officials come from every level: the member need not lie in the scope.
          auto& member = c.Prepare("SELECT 1 FROM members WHERE id = ? LOCK IN SHARE MODE");
          member.setString(1, requested.party().member_id());
          if (!c.Query(member)->next()) {
            return InvalidField("link.party.member_id", "MEMBER_NOT_FOUND", "no such member");
          }
        }
        created = requested;
        created.clear_counts();
        created.set_id(NewId("lk", write.now));
        created.set_area_path(area->path());
        created.set_state(v1::Link::ACTIVE);
        created.set_created_by(write.actor);
        created.set_etag(EtagOf(1));
        ToProtoTime(write.now, created.mutable_create_time());
        ToProtoTime(write.now, created.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO linkage_links (id, party_kind, member_id, reference, display_title,"
            " unit_kind, area_id, area_path, compound, start_date, end_date, state, note,"
            " created_by, version, create_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        const v1::LinkedParty& party = created.party();
        insert.setString(1, created.id());
        insert.setInt(2, party.kind());
        BindTextOrNull(insert, 3, party.member_id());
        BindTextOrNull(insert, 4, party.reference());
        insert.setString(5, party.display_title());
        insert.setInt(6, party.unit_kind());
        insert.setString(7, area->id());
        insert.setString(8, area->path());
        insert.setString(9, created.compound());
        insert.setString(10, created.start_date());
        BindDateOrNull(insert, 11, created.end_date());
        insert.setInt(12, v1::Link::ACTIVE);
        insert.setString(13, created.note());
        insert.setString(14, write.actor);
        insert.setString(15, now);
        insert.setString(16, now);
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {created.id(), common::v1::Change::CREATED, created.area_path(), &created, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Link>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Link> LinkageStore::GetLink(const std::string& scope, const std::string& id) {
  std::vector<v1::Link> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found.clear();
    auto link = FindLink(c, scope, id, "");
    if (!link) return HiddenLink(scope);
    found.push_back(*std::move(link));
    FillCounts(c, found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found.front();
}

absl::StatusOr<LinkPage> LinkageStore::ListLinks(const std::string& scope, const LinkFilter& filter,
                                                 int page_size, const std::string& after_id) {
  LinkPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.links.clear();
    auto place = ListablePlacePath(c, scope, filter.area_id);
    if (!place.ok()) return place.status();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kLinkColumns, " FROM linkage_links WHERE id > ?", db::InScope("area_path"),
        db::InScope("area_path"),
        filter.active_on ? " AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)" : "",
        filter.member_id.empty() ? "" : " AND member_id = ?", " ORDER BY id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    index = db::BindScope(select, index, *place);
    if (filter.active_on) {
      select.setString(index++, Text(*filter.active_on));
      select.setString(index++, Text(*filter.active_on));
    }
    if (!filter.member_id.empty()) select.setString(index++, filter.member_id);
    select.setInt(index, page_size + 1);
    {
      auto rows = c.Query(select);
      while (rows->next()) page.links.push_back(ReadLink(*rows));
    }
    if (static_cast<int>(page.links.size()) > page_size) {
      page.links.pop_back();
      page.last_id = page.links.back().id();
    }
    FillCounts(c, page.links);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<v1::Link> LinkageStore::EndLink(const std::string& scope, const WriteContext& write,
                                               const std::string& id, const std::string& etag,
                                               absl::CivilDay end_date, absl::CivilDay today) {
  std::vector<v1::Link> ended;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    ended.clear();
    auto before = FindLink(c, scope, id, " FOR UPDATE");
    if (!before) return HiddenLink(scope);
    const int64_t version = std::stoll(before->etag());
    if (auto s = CheckEtag("etag", etag, version); !s.ok()) return s;
    if (auto s = ValidateEndLink(before->state(), Day(before->start_date()),
                                 OptionalDay(before->end_date()), end_date, today);
        !s.ok()) {
      return s;
    }
    v1::Link after = *before;
    after.set_state(v1::Link::ENDED);
    after.set_end_date(Text(end_date));
    after.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, after.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE linkage_links SET state = ?, end_date = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setInt(1, v1::Link::ENDED);
    update.setString(2, after.end_date());
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, after.area_path(), &after, &*before});
    ended.push_back(std::move(after));
    FillCounts(c, ended);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return ended.front();
}

absl::StatusOr<Problem> LinkageStore::RaiseProblem(
    const std::string& scope, const WriteContext& write, const std::string& link_id,
    const std::string& title, const std::string& category, absl::CivilDay raised_date,
    absl::CivilDay today) {
  Problem raised;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // Shared: the link cannot end meanwhile.
        auto link = FindLink(c, scope, link_id, " LOCK IN SHARE MODE");
        if (!link) {
          if (!scope.empty()) {
            return PermissionDenied("OUT_OF_SCOPE",
                                    "link_id lies outside the caller's jurisdiction");
          }
          return InvalidField("link_id", "LINK_NOT_FOUND", "no such link");
        }
        if (auto s = ValidateRaise(Day(link->start_date()), OptionalDay(link->end_date()),
                                   raised_date, today);
            !s.ok()) {
          return s;
        }
        raised.set_id(NewId("lp", write.now));
        raised.set_link_id(link_id);
        raised.set_area_path(link->area_path());
        raised.set_title(title);
        raised.set_category(category);
        raised.set_raised_date(Text(raised_date));
        raised.set_state(Problem::OPEN);
        raised.set_raised_by(write.actor);
        raised.set_etag(EtagOf(1));
        ToProtoTime(write.now, raised.mutable_create_time());
        ToProtoTime(write.now, raised.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO linkage_problems (id, link_id, area_path, title, category, raised_date,"
            " state, resolved_date, resolution, raised_by, resolved_by, version, create_time,"
            " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, '', ?, '', 1, ?, ?)");
        insert.setString(1, raised.id());
        insert.setString(2, link_id);
        insert.setString(3, raised.area_path());
        insert.setString(4, title);
        insert.setString(5, category);
        insert.setString(6, raised.raised_date());
        insert.setInt(7, Problem::OPEN);
        insert.setString(8, write.actor);
        insert.setString(9, now);
        insert.setString(10, now);
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {raised.id(), common::v1::Change::CREATED, raised.area_path(), &raised, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return raised;
  return EarlierResultOr<Problem>(pool_, changes_, write, status);
}

absl::StatusOr<Problem> LinkageStore::ResolveProblem(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, Problem::State to, absl::CivilDay resolved_date,
    const std::string& resolution, absl::CivilDay today) {
  Problem resolved;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindProblem(c, scope, id, " FOR UPDATE");
    if (!before) return HiddenProblem(scope);
    const int64_t version = std::stoll(before->etag());
    if (auto s = CheckEtag("etag", etag, version); !s.ok()) return s;
    if (auto s =
            ValidateResolve(before->state(), to, Day(before->raised_date()), resolved_date, today);
        !s.ok()) {
      return s;
    }
    resolved = *before;
    resolved.set_state(to);
    resolved.set_resolved_date(Text(resolved_date));
    resolved.set_resolution(resolution);
    resolved.set_resolved_by(write.actor);
    resolved.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, resolved.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE linkage_problems SET state = ?, resolved_date = ?, resolution = ?,"
        " resolved_by = ?, version = version + 1, update_time = ? WHERE id = ?");
    update.setInt(1, to);
    update.setString(2, resolved.resolved_date());
    update.setString(3, resolution);
    update.setString(4, write.actor);
    update.setString(5, db::ToDbTime(write.now));
    update.setString(6, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, resolved.area_path(), &resolved, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return resolved;
}

absl::StatusOr<Problem> LinkageStore::GetProblem(const std::string& scope, const std::string& id) {
  std::optional<Problem> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindProblem(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenProblem(scope);
  return *found;
}

absl::StatusOr<ProblemPage> LinkageStore::ListProblems(const std::string& scope,
                                                       const ProblemFilter& filter, int page_size,
                                                       const std::string& after_id) {
  ProblemPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.problems.clear();
    std::string place;
    if (!filter.link_id.empty()) {
      if (!FindLink(c, scope, filter.link_id, "")) {
        if (!scope.empty()) {
          return PermissionDenied("OUT_OF_SCOPE", "link_id lies outside the caller's jurisdiction");
        }
        return InvalidField("link_id", "LINK_NOT_FOUND", "no such link");
      }
    } else {
      auto path = ListablePlacePath(c, scope, filter.area_id);
      if (!path.ok()) return path.status();
      place = *path;
    }
    const bool by_link = !filter.link_id.empty();
    const bool by_state = filter.state != Problem::STATE_UNSPECIFIED;
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kProblemColumns, " FROM linkage_problems WHERE id > ?", db::InScope("area_path"),
        by_link ? " AND link_id = ?" : db::InScope("area_path"), by_state ? " AND state = ?" : "",
        " ORDER BY id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    if (by_link) {
      select.setString(index++, filter.link_id);
    } else {
      index = db::BindScope(select, index, place);
    }
    if (by_state) select.setInt(index++, filter.state);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.problems.push_back(ReadProblem(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.problems.size()) > page_size) {
    page.problems.pop_back();
    page.last_id = page.problems.back().id();
  }
  return page;
}

absl::StatusOr<v1::LinkageSummary> LinkageStore::Summary(const std::string& scope,
                                                         const std::string& area_id,
                                                         absl::CivilDay from, absl::CivilDay to) {
  v1::LinkageSummary summary;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    summary.Clear();
    auto place = ListablePlacePath(c, scope, area_id);
    if (!place.ok()) return place.status();
    // One level below the place: its path's segments plus one.
    const int depth =
        place->empty() ? 1 : static_cast<int>(std::count(place->begin(), place->end(), '/')) + 2;
    // Links active on a day of the period, and problems raised in it with
    // what became of them by its last day, grouped by place with a total.
    auto& select = c.Prepare(absl::StrCat(
        "SELECT SUBSTRING_INDEX(area_path, '/', ?) AS place, SUM(n_links), SUM(n_raised),"
        " SUM(n_solved), SUM(n_closed), SUM(n_open) FROM ("
        " SELECT area_path, 1 AS n_links, 0 AS n_raised, 0 AS n_solved, 0 AS n_closed,"
        " 0 AS n_open"
        " FROM linkage_links WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)",
        db::InScope("area_path"), db::InScope("area_path"),
        " UNION ALL SELECT area_path, 0, 1, state = ? AND resolved_date <= ?,"
        " state = ? AND resolved_date <= ?, NOT (state IN (?, ?) AND resolved_date <= ?)"
        " FROM linkage_problems WHERE raised_date >= ? AND raised_date <= ?",
        db::InScope("area_path"), db::InScope("area_path"),
        ") AS figures GROUP BY place WITH ROLLUP"));
    const std::string first = Text(from), last = Text(to);
    int index = 1;
    select.setInt(index++, depth);
    select.setString(index++, last);
    select.setString(index++, first);
    index = db::BindScope(select, index, scope);
    index = db::BindScope(select, index, *place);
    select.setInt(index++, Problem::SOLVED);
    select.setString(index++, last);
    select.setInt(index++, Problem::CLOSED_UNSOLVED);
    select.setString(index++, last);
    select.setInt(index++, Problem::SOLVED);
    select.setInt(index++, Problem::CLOSED_UNSOLVED);
    select.setString(index++, last);
    select.setString(index++, first);
    select.setString(index++, last);
    index = db::BindScope(select, index, scope);
    db::BindScope(select, index, *place);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::LinkageFigures figures;
      figures.set_links_active(rows->getInt64(2));
      figures.set_problems_raised(rows->getInt64(3));
      figures.set_problems_solved(rows->getInt64(4));
      figures.set_problems_closed_unsolved(rows->getInt64(5));
      figures.set_problems_open(rows->getInt64(6));
      figures.set_solved_rate_basis_points(
          SolvedRateBasisPoints(figures.problems_solved(), figures.problems_raised()));
      if (rows->isNull(1)) {
        *summary.mutable_total() = std::move(figures);  // the rollup row
      } else {
        auto* row = summary.add_places();
        row->set_area_path(rows->getString(1));
        *row->mutable_figures() = std::move(figures);
      }
    }
    summary.set_area_path(*place);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  std::sort(summary.mutable_places()->begin(), summary.mutable_places()->end(),
            [](const auto& a, const auto& b) { return a.area_path() < b.area_path(); });
  summary.set_from_date(Text(from));
  summary.set_to_date(Text(to));
  summary.mutable_total();  // present, zero, when nothing matched
  return summary;
}

bool LinkageStore::AnyAt(db::Connection& c, const std::string& area_id) {
  auto& select = c.Prepare("SELECT 1 FROM linkage_links WHERE area_id = ? LIMIT 1");
  select.setString(1, area_id);
  return c.Query(select)->next();
}

void LinkageStore::FollowAreaMove(db::Connection& c, const ChangeLog& changes,
                                  const WriteContext& write, const std::string& old_path,
                                  const std::string& new_path) {
  std::vector<v1::Link> links;
  {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kLinkColumns,
                                          " FROM linkage_links WHERE area_path = ? OR area_path"
                                          " LIKE ? ORDER BY id FOR UPDATE"));
    select.setString(1, old_path);
    select.setString(2, DescendantsLikePattern(old_path));
    auto rows = c.Query(select);
    while (rows->next()) links.push_back(ReadLink(*rows));
  }
  if (links.empty()) return;  // a problem lies where its link does
  std::vector<Problem> problems;
  {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kProblemColumns,
                                          " FROM linkage_problems WHERE area_path = ? OR area_path"
                                          " LIKE ? ORDER BY id FOR UPDATE"));
    select.setString(1, old_path);
    select.setString(2, DescendantsLikePattern(old_path));
    auto rows = c.Query(select);
    while (rows->next()) problems.push_back(ReadProblem(*rows));
  }
  for (const char* table : {"linkage_links", "linkage_problems"}) {
    RewritePaths(c, table, "area_path", "version", "update_time", write, old_path, new_path);
  }
  auto moved_path = [&](const std::string& path) {
    return new_path + path.substr(old_path.size());
  };
  AppendMoved<v1::Link>(c, changes, write, links, [&](v1::Link& l) {
    l.set_area_path(moved_path(l.area_path()));
    l.set_etag(EtagOf(std::stoll(l.etag()) + 1));
    ToProtoTime(write.now, l.mutable_update_time());
    return l.area_path();
  });
  AppendMoved<Problem>(c, changes, write, problems, [&](Problem& p) {
    p.set_area_path(moved_path(p.area_path()));
    p.set_etag(EtagOf(std::stoll(p.etag()) + 1));
    ToProtoTime(write.now, p.mutable_update_time());
    return p.area_path();
  });
}

}  // namespace grassroots::orgs
