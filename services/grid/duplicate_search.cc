#include "services/grid/duplicate_search.h"

#include "common/db/db_time.h"
#include "grassroots/grid/v1/case.pb.h"

namespace grassroots::grid {

int BindReportedInBox(sql::PreparedStatement& statement, int index, absl::Time since,
                      const BoundingBox& box) {
  statement.setString(index++, db::ToDbTime(since));
  statement.setDouble(index++, box.min_latitude);
  statement.setDouble(index++, box.max_latitude);
  statement.setDouble(index++, box.min_longitude);
  statement.setDouble(index++, box.max_longitude);
  return index;
}

int BindStillOpen(sql::PreparedStatement& statement, int index) {
  statement.setInt(index++, v1::Case::REJECTED);
  statement.setInt(index++, v1::Case::CLOSED);
  statement.setInt(index++, v1::Case::EVALUATED);
  return index;
}

}  // namespace grassroots::grid
