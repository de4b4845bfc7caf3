#include "services/grid/case_figure_store.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"

namespace grassroots::grid {
namespace {

using GroupBy = v1::GetCaseFiguresRequest;

constexpr int kAreaDimension = static_cast<int>(FigureDimension::kArea);
constexpr int kDepartmentDimension = static_cast<int>(FigureDimension::kDepartment);

using RowRefs = std::vector<const FigureRows::value_type*>;

// Writes rows[begin, begin + count) for each chunk of 64, 32, ... 1 rows,
// so a session caches at most seven texts of each statement.
void InChunks(const RowRefs& rows, void (*write)(db::Connection&, const RowRefs&, size_t, int),
              db::Connection& c) {
  size_t at = 0;
  for (int chunk = 64; chunk >= 1; chunk /= 2) {
    for (; rows.size() - at >= static_cast<size_t>(chunk); at += chunk) write(c, rows, at, chunk);
  }
}

void InsertChunk(db::Connection& c, const RowRefs& rows, size_t begin, int count) {
  auto& insert = c.Prepare(absl::StrCat(
      "INSERT INTO case_figures (dimension, area, subject, day, measure, parent, level, value)"
      " VALUES ",
      db::ParameterRows(8, count), " ON DUPLICATE KEY UPDATE value = value + VALUES(value)"));
  int index = 1;
  for (size_t i = begin; i < begin + count; ++i) {
    const auto& [key, row] = *rows[i];
    insert.setInt(index++, key.dimension);
    insert.setString(index++, key.area);
    insert.setString(index++, key.subject);
    insert.setString(index++, key.day);
    insert.setInt(index++, key.measure);
    insert.setString(index++, row.parent);
    insert.setInt(index++, row.level);
    insert.setInt64(index++, row.value);
  }
  insert.executeUpdate();
}

// Areas the rows count for, with their parents: an area's children.
void InsertAreasChunk(db::Connection& c, const RowRefs& rows, size_t begin, int count) {
  auto& insert = c.Prepare(absl::StrCat("INSERT INTO case_figure_areas (area, parent) VALUES ",
                                        db::ParameterRows(2, count),
                                        " ON DUPLICATE KEY UPDATE parent = parent"));
  int index = 1;
  for (size_t i = begin; i < begin + count; ++i) {
    insert.setString(index++, rows[i]->first.area);
    insert.setString(index++, rows[i]->second.parent);
  }
  insert.executeUpdate();
}

std::vector<std::string> ChildAreas(db::Connection& c, const std::string& area) {
  auto& select = c.Prepare("SELECT area FROM case_figure_areas WHERE parent = ?");
  select.setString(1, area);
  std::vector<std::string> out;
  auto rows = c.Query(select);
  while (rows->next()) out.push_back(rows->getString(1));
  return out;
}

// The period's days, and the stocks when they count.
std::string DayCondition(bool with_stocks) {
  return with_stocks ? " AND (day = ? OR (day >= ? AND day < ?))" : " AND day >= ? AND day < ?";
}

int BindDays(sql::PreparedStatement& s, int index, const DayPeriod& period, bool with_stocks) {
  if (with_stocks) s.setString(index++, kStockDay);
  s.setString(index++, absl::FormatCivilTime(period.start));
  s.setString(index++, absl::FormatCivilTime(period.end));
  return index;
}

std::string MonthOf(absl::CivilDay day) { return absl::FormatCivilTime(absl::CivilMonth(day)); }

// The streets' ratings of each department (or of `department`) for the
// months the period touches, at streets within `area`.
std::map<std::string, DepartmentRatings> ReadRatings(db::Connection& c, const std::string& area,
                                                     const std::string& department,
                                                     const DayPeriod& period) {
  auto& select = c.Prepare(
      "SELECT department_id, SUM(score), COUNT(*) FROM department_ratings"
      " WHERE month >= ? AND month <= ? AND (? = '' OR department_id = ?)"
      " AND (? = '' OR street_path = ? OR street_path LIKE ?) GROUP BY department_id");
  select.setString(1, MonthOf(period.start));
  select.setString(2, MonthOf(period.end - 1));
  select.setString(3, department);
  select.setString(4, department);
  select.setString(5, area);
  select.setString(6, area);
  select.setString(7, DescendantsLikePattern(area));
  std::map<std::string, DepartmentRatings> out;
  auto rows = c.Query(select);
  while (rows->next()) {
    out[rows->getString(1)] =
        DepartmentRatings{static_cast<double>(rows->getInt64(2)), rows->getInt64(3)};
  }
  return out;
}

}  // namespace

void CaseFigureStore::Add(db::Connection& c, const FigureRows& rows) {
  RowRefs all;
  all.reserve(rows.size());
  std::map<std::string, const FigureRows::value_type*> by_area;
  for (const auto& row : rows) {
    all.push_back(&row);
    by_area.emplace(row.first.area, &row);
  }
  InChunks(all, InsertChunk, c);
  RowRefs areas;
  for (const auto& [unused, row] : by_area) areas.push_back(row);
  InChunks(areas, InsertAreasChunk, c);
}

void CaseFigureStore::MoveGrid(db::Connection& c, const std::string& old_path,
                               const std::string& new_path) {
  if (old_path == new_path) return;
  FigureRows rows;
  for (int dimension : {1, 2, 3}) {
    auto& select = c.Prepare(
        "SELECT subject, day, measure, value FROM case_figures"
        " WHERE dimension = ? AND area = ? FOR UPDATE");
    select.setInt(1, dimension);
    select.setString(2, old_path);
    auto found = c.Query(select);
    while (found->next()) {
      FigureDelta delta{static_cast<FigureDimension>(dimension),
                        found->getString(1),
                        old_path,
                        found->getInt(3),
                        found->getInt64(4),
                        std::nullopt};
      const std::string day = found->getString(2);
      if (day != kStockDay) {
        absl::CivilDay parsed;
        if (absl::ParseCivilTime(day, &parsed)) delta.day = parsed;
      }
      AddToRows(delta, -1, /*from_level=*/1, rows);
      delta.grid_path = new_path;
      AddToRows(delta, +1, /*from_level=*/0, rows);
    }
    auto& drop = c.Prepare("DELETE FROM case_figures WHERE dimension = ? AND area = ?");
    drop.setInt(1, dimension);
    drop.setString(2, old_path);
    drop.executeUpdate();
  }
  auto& drop_area = c.Prepare("DELETE FROM case_figure_areas WHERE area = ?");
  drop_area.setString(1, old_path);
  drop_area.executeUpdate();
  Add(c, rows);
}

int64_t CaseFigureStore::LockCursor(db::Connection& c) {
  auto& select = c.Prepare("SELECT last_sequence FROM case_figures_cursor WHERE id = 1 FOR UPDATE");
  auto rows = c.Query(select);
  return rows->next() ? rows->getInt64(1) : 0;
}

void CaseFigureStore::SaveCursor(db::Connection& c, int64_t last_sequence) {
  auto& update = c.Prepare("UPDATE case_figures_cursor SET last_sequence = ? WHERE id = 1");
  update.setInt64(1, last_sequence);
  update.executeUpdate();
}

absl::StatusOr<std::vector<v1::CaseFigures>> CaseFigureStore::Query(const FigureQuery& q) {
  const int dimension = static_cast<int>(q.dimension);
  const bool with_stocks = q.group_by != GroupBy::DAY;
  // Each grouping reads the primary key's ranges: the area's own rows (by
  // subject or day), or each child's, for the period's days.
  std::string key_column = "''";
  std::vector<std::string> areas = {q.area};
  switch (q.group_by) {
    case GroupBy::CHILD_AREA:
      key_column = "area";
      break;
    case GroupBy::DEPARTMENT:
    case GroupBy::WORKER:
      key_column = "subject";
      break;
    case GroupBy::DAY:
      key_column = "DATE_FORMAT(day, '%Y-%m-%d')";
      break;
    default:
      break;
  }
  const bool by_subject = !q.subject.empty() || dimension == kAreaDimension;
  std::map<std::string, MeasureSums> sums;
  std::map<std::string, DepartmentRatings> ratings;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (q.group_by == GroupBy::CHILD_AREA) {
      areas = ChildAreas(c, q.area);
      if (areas.empty()) return absl::OkStatus();
    }
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", key_column, ", measure, SUM(value) FROM case_figures WHERE dimension = ?",
        " AND area IN (", db::PaddedParameterList(areas.size()), ")",
        by_subject ? " AND subject = ?" : "", DayCondition(with_stocks), " GROUP BY 1, 2"));
    int index = 1;
    select.setInt(index++, dimension);
    index = db::BindPaddedList(select, index, areas);
    if (by_subject) select.setString(index++, q.subject);
    BindDays(select, index, q.period, with_stocks);
    auto rows = c.Query(select);
    while (rows->next()) sums[rows->getString(1)][rows->getInt(2)] += rows->getInt64(3);
    if (dimension == kDepartmentDimension) ratings = ReadRatings(c, q.area, q.subject, q.period);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (q.group_by == GroupBy::GROUP_BY_UNSPECIFIED && sums.empty()) sums[""];
  std::vector<v1::CaseFigures> out;
  for (const auto& [key, measures] : sums) {
    std::optional<DepartmentRatings> rated;
    if (dimension == kDepartmentDimension) {
      // A department's row, or the one department asked about.
      auto it = ratings.find(q.group_by == GroupBy::DEPARTMENT ? key : q.subject);
      rated = it == ratings.end() ? DepartmentRatings{} : it->second;
    }
    out.push_back(DeriveCaseFigures(key, measures, rated));
  }
  return out;
}

absl::StatusOr<std::vector<StreetFigures>> CaseFigureStore::Streets(absl::CivilDay today) {
  std::map<std::string, MeasureSums> sums;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(
        "SELECT area, measure, SUM(value) FROM case_figures"
        " WHERE dimension = ? AND level = ? AND day IN (?, ?) GROUP BY area, measure");
    select.setInt(1, kAreaDimension);
    select.setInt(2, kStreetLevel);
    select.setString(3, kStockDay);
    select.setString(4, absl::FormatCivilTime(today));
    auto rows = c.Query(select);
    while (rows->next()) sums[rows->getString(1)][rows->getInt(2)] += rows->getInt64(3);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  std::vector<StreetFigures> out;
  for (auto& [street, measures] : sums) out.push_back(StreetFigures{street, std::move(measures)});
  return out;
}

absl::StatusOr<int64_t> CaseFigureStore::PendingChanges() {
  int64_t pending = 0;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(
        "SELECT COALESCE((SELECT MAX(sequence) FROM change_log), 0) - last_sequence"
        " FROM case_figures_cursor WHERE id = 1");
    auto rows = c.Query(select);
    if (rows->next()) pending = rows->getInt64(1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pending;
}

absl::StatusOr<v1::DepartmentRating> CaseFigureStore::Rate(const WriteContext& write,
                                                           const v1::DepartmentRating& rating) {
  v1::DepartmentRating stored = rating;
  stored.set_rater(write.actor);
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& upsert = c.Prepare(
        "INSERT INTO department_ratings (department_id, street_path, month, score, comment,"
        " rater, update_time) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
        " score = VALUES(score), comment = VALUES(comment), rater = VALUES(rater),"
        " update_time = VALUES(update_time)");
    upsert.setString(1, stored.department_id());
    upsert.setString(2, stored.street_path());
    upsert.setString(3, stored.month());
    upsert.setInt(4, stored.score());
    upsert.setString(5, stored.comment());
    upsert.setString(6, stored.rater());
    upsert.setString(7, db::ToDbTime(write.now));
    upsert.executeUpdate();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

}  // namespace grassroots::grid
