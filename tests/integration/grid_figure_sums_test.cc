// The live figures' sums against a real MariaDB: values counted on many
// days, in batches out of day order (late values among them), and a grid
// moving with its history, give for every period and grouping the same
// sums as adding up the values themselves.
#include <cppconn/driver.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <map>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/db/migrator.h"
#include "common/db/transaction.h"
#include "common/testing/private_mariadb.h"
#include "common/time/clock.h"
#include "services/grid/case_figure_store.h"

namespace grassroots::db {
const MigrationSet& grid_migrations();
}

namespace grassroots::grid {
namespace {

using GroupBy = v1::GetCaseFiguresRequest;

const absl::CivilDay kFirstDay(2026, 10, 1);
constexpr int kDays = 40;
const std::vector<std::string> kGrids = {"t/s1/c1/g1", "t/s1/c1/g2", "t/s1/c2/g3", "t/s2/c3/g4"};
const std::vector<std::string> kDepartments = {"dept-a", "dept-b"};

bool Within(const std::string& path, const std::string& area) {
  return area.empty() || path == area || absl::StartsWith(path, absl::StrCat(area, "/"));
}

// The area one below `area` on the way to `path` ("" when `path` is `area`).
std::string ChildOf(const std::string& path, const std::string& area) {
  const size_t from = area.empty() ? 0 : area.size() + 1;
  if (path.size() <= area.size()) return "";
  const size_t slash = path.find('/', from);
  return path.substr(0, slash == std::string::npos ? path.size() : slash);
}

class GridFigureSumsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    get_driver_instance();
    pool_ = std::make_unique<db::ConnectionPool>(testing::FreshSchema("figure_sums"), registry_);
    store_ = std::make_unique<CaseFigureStore>(*pool_);
    if (!starts_before_area_list_) Migrate(db::grid_migrations());
  }

  void Migrate(const db::MigrationSet& grid) {
    ASSERT_TRUE(db::ApplyMigrations(*pool_, {&db::common_migrations(), &grid}, clock_).ok());
  }

  void AddBatch(const std::vector<FigureDelta>& deltas) {
    FigureRows rows;
    for (const FigureDelta& d : deltas) AddToRows(d, +1, /*from_level=*/0, rows);
    ASSERT_TRUE(db::RunInTransaction(*pool_, [&](db::Connection& c) {
                  CaseFigureStore::Add(c, rows);
                  return absl::OkStatus();
                }).ok());
  }

  void MoveGrid(const std::string& from, const std::string& to) {
    ASSERT_TRUE(db::RunInTransaction(*pool_, [&](db::Connection& c) {
                  CaseFigureStore::MoveGrid(c, from, to);
                  return absl::OkStatus();
                }).ok());
    for (FigureDelta& d : counted_) {
      if (d.grid_path == from) d.grid_path = to;
    }
  }

  // Random values on random days, counted in batches in a shuffled order.
  void CountRandomValues(std::mt19937& random, int count) {
    std::vector<FigureDelta> deltas;
    for (int i = 0; i < count; ++i) {
      FigureDelta d;
      const bool department = random() % 3 == 0;
      d.dimension = department ? FigureDimension::kDepartment : FigureDimension::kArea;
      d.subject = department ? kDepartments[random() % kDepartments.size()] : "";
      d.grid_path = grids_[random() % grids_.size()];
      const int kind = static_cast<int>(random() % 3);
      d.measure = kind == 0   ? static_cast<int>(Measure::kReported)
                  : kind == 1 ? static_cast<int>(Measure::kClosed)
                              : static_cast<int>(Measure::kOpen);
      d.value = static_cast<int64_t>(random() % 7) - 2;
      if (!IsStock(d.measure)) d.day = kFirstDay + static_cast<int>(random() % kDays);
      deltas.push_back(d);
    }
    std::shuffle(deltas.begin(), deltas.end(), random);
    for (size_t at = 0; at < deltas.size();) {
      const size_t n = std::min<size_t>(1 + random() % 40, deltas.size() - at);
      AddBatch({deltas.begin() + at, deltas.begin() + at + n});
      at += n;
    }
    counted_.insert(counted_.end(), deltas.begin(), deltas.end());
  }

  // reported, closed and open per key, adding up the values counted.
  std::map<std::string, std::vector<int64_t>> Expected(const FigureQuery& q) const {
    std::map<std::string, std::vector<int64_t>> out;
    for (const FigureDelta& d : counted_) {
      if (d.dimension != q.dimension || !Within(d.grid_path, q.area)) continue;
      if (!q.subject.empty() && d.subject != q.subject) continue;
      std::string key;
      if (q.group_by == GroupBy::CHILD_AREA) {
        key = ChildOf(d.grid_path, q.area);
        if (key.empty()) continue;
      } else if (q.group_by == GroupBy::DEPARTMENT) {
        key = d.subject;
      } else if (q.group_by == GroupBy::DAY) {
        if (!d.day) continue;
        key = absl::FormatCivilTime(*d.day);
      }
      auto& sums = out.try_emplace(key, std::vector<int64_t>(3, 0)).first->second;
      if (d.day && (*d.day < q.period.start || *d.day >= q.period.end)) continue;
      const int column = d.measure == static_cast<int>(Measure::kReported) ? 0
                         : d.measure == static_cast<int>(Measure::kClosed) ? 1
                                                                           : 2;
      sums[column] += d.value;
    }
    if (q.group_by == GroupBy::DAY) {
      // Only the period's days are rows.
      std::erase_if(out, [&](const auto& entry) {
        absl::CivilDay day;
        return !absl::ParseCivilTime(entry.first, &day) || day < q.period.start ||
               day >= q.period.end;
      });
    }
    return out;
  }

  void ExpectSameSums(const FigureQuery& q) {
    auto found = store_->Query(q);
    ASSERT_TRUE(found.ok()) << found.status();
    std::map<std::string, std::vector<int64_t>> got;
    for (const v1::CaseFigures& f : *found) got[f.key()] = {f.reported(), f.closed(), f.open()};
    const auto expected = Expected(q);
    const std::string where = absl::StrCat("dimension ", static_cast<int>(q.dimension), " area '",
                                           q.area, "' group ", GroupBy::GroupBy_Name(q.group_by),
                                           " days ", absl::FormatCivilTime(q.period.start), "..",
                                           absl::FormatCivilTime(q.period.end));
    if (q.group_by == GroupBy::GROUP_BY_UNSPECIFIED && expected.empty()) {
      EXPECT_EQ(got[""], std::vector<int64_t>(3, 0)) << where;
      return;
    }
    // A series whose values came to nothing (a moved grid's old areas)
    // may still be listed, with zeros.
    auto drop_zeros = [](auto& sums) {
      std::erase_if(sums, [](const auto& e) { return e.second == std::vector<int64_t>(3, 0); });
    };
    auto expected_nonzero = expected;
    drop_zeros(got);
    drop_zeros(expected_nonzero);
    EXPECT_EQ(got, expected_nonzero) << where;
  }

  // Every grouping of every area, over periods of one day to all of them.
  void ExpectAllQueriesAgree(std::mt19937& random) {
    std::vector<DayPeriod> periods = {
        {kFirstDay, kFirstDay + kDays}, {kFirstDay - 5, kFirstDay}, {kFirstDay + 7, kFirstDay + 8}};
    for (int i = 0; i < 6; ++i) {
      const absl::CivilDay start = kFirstDay - 2 + static_cast<int>(random() % (kDays + 4));
      periods.push_back({start, start + 1 + static_cast<int>(random() % kDays)});
    }
    for (const DayPeriod& period : periods) {
      for (const std::string area : {"", "t", "t/s1", "t/s1/c1", "t/s2/c3", "t/s1/c1/g1"}) {
        for (auto group : {GroupBy::GROUP_BY_UNSPECIFIED, GroupBy::CHILD_AREA, GroupBy::DAY}) {
          if (group == GroupBy::CHILD_AREA && area.empty()) continue;  // the city is its own child
          ExpectSameSums({FigureDimension::kArea, area, "", period, group});
        }
        ExpectSameSums({FigureDimension::kDepartment, area, "", period, GroupBy::DEPARTMENT});
        ExpectSameSums(
            {FigureDimension::kDepartment, area, "dept-b", period, GroupBy::GROUP_BY_UNSPECIFIED});
      }
    }
  }

  prometheus::Registry registry_;
  SystemClock clock_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<CaseFigureStore> store_;
  std::vector<std::string> grids_ = kGrids;
  std::vector<FigureDelta> counted_;
  bool starts_before_area_list_ = false;
};

TEST_F(GridFigureSumsTest, PeriodsOfValuesCountedOutOfOrderAddUpLikeTheValues) {
  std::mt19937 random(20261203);
  CountRandomValues(random, 600);
  ExpectAllQueriesAgree(random);
}

TEST_F(GridFigureSumsTest, AMovedGridTakesItsHistoryAndLaterValuesFollowIt) {
  std::mt19937 random(7);
  CountRandomValues(random, 300);
  MoveGrid("t/s1/c1/g2", "t/s2/c3/g2");
  grids_ = {"t/s1/c1/g1", "t/s2/c3/g2", "t/s1/c2/g3", "t/s2/c3/g4"};
  CountRandomValues(random, 300);
  ExpectAllQueriesAgree(random);
}

// One value each day, counted last day first.
TEST_F(GridFigureSumsTest, DaysCountedNewestFirstStillAddUp) {
  for (int day = kDays - 1; day >= 0; --day) {
    AddBatch({FigureDelta{FigureDimension::kArea, "", "t/s1/c1/g1",
                          static_cast<int>(Measure::kReported), day + 1, kFirstDay + day}});
    counted_.push_back(FigureDelta{FigureDimension::kArea, "", "t/s1/c1/g1",
                                   static_cast<int>(Measure::kReported), day + 1, kFirstDay + day});
  }
  std::mt19937 random(1);
  ExpectAllQueriesAgree(random);
}

// Figures summed before migration 0023 (which lists the areas with
// figures) answer every grouping, children included, once it has run.
class GridFiguresBeforeAreaListTest : public GridFigureSumsTest {
 protected:
  GridFiguresBeforeAreaListTest() { starts_before_area_list_ = true; }
};

TEST_F(GridFiguresBeforeAreaListTest, OlderSumsListTheirChildren) {
  db::MigrationSet before = db::grid_migrations();
  while (!before.migrations.empty() &&
         before.migrations.back().name >= "0023_case_figure_areas.sql") {
    before.migrations.pop_back();
  }
  Migrate(before);
  // Rows as the aggregator wrote them then: a value per area and day.
  FigureRows rows;
  std::mt19937 random(3);
  for (int i = 0; i < 200; ++i) {
    FigureDelta d{FigureDimension::kArea,
                  "",
                  grids_[random() % grids_.size()],
                  static_cast<int>(random() % 2 == 0 ? Measure::kReported : Measure::kOpen),
                  static_cast<int64_t>(random() % 5),
                  std::nullopt};
    if (!IsStock(d.measure)) d.day = kFirstDay + static_cast<int>(random() % kDays);
    AddToRows(d, +1, /*from_level=*/0, rows);
    counted_.push_back(d);
  }
  ASSERT_TRUE(db::RunInTransaction(*pool_, [&](db::Connection& c) {
                for (const auto& [key, row] : rows) {
                  auto& insert = c.Prepare(
                      "INSERT INTO case_figures (dimension, area, subject, day, measure, parent,"
                      " level, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                  insert.setInt(1, key.dimension);
                  insert.setString(2, key.area);
                  insert.setString(3, key.subject);
                  insert.setString(4, key.day);
                  insert.setInt(5, key.measure);
                  insert.setString(6, row.parent);
                  insert.setInt(7, row.level);
                  insert.setInt64(8, row.value);
                  insert.executeUpdate();
                }
                return absl::OkStatus();
              }).ok());
  Migrate(db::grid_migrations());
  CountRandomValues(random, 100);  // and the aggregator carries on
  ExpectAllQueriesAgree(random);
}

}  // namespace
}  // namespace grassroots::grid
