#include "services/volunteer/service_minutes.h"

namespace grassroots::volunteer {

int64_t ServiceMinutesOf(db::Connection& c, const std::string& volunteer_id) {
  // State 5 is ATTENDANCE_CONFIRMED.
  auto& select = c.Prepare(
      "SELECT (SELECT COALESCE(SUM(minutes), 0) FROM attendances WHERE volunteer_id = ?"
      " AND state = 5) + (SELECT COALESCE(SUM(minutes), 0) FROM credits WHERE volunteer_id = ?)");
  select.setString(1, volunteer_id);
  select.setString(2, volunteer_id);
  auto rows = c.Query(select);
  return rows->next() ? rows->getInt64(1) : 0;
}

}  // namespace grassroots::volunteer
