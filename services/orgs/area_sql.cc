#include "services/orgs/area_sql.h"

#include "common/db/db_time.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {

v1::Area ReadArea(sql::ResultSet& row) {
  v1::Area area;
  area.set_id(row.getString(1));
  area.set_kind(static_cast<v1::AreaKind>(row.getInt(2)));
  area.set_code(row.getString(3));
  area.set_display_name(row.getString(4));
  if (!row.isNull(5)) area.set_parent_id(row.getString(5));
  area.set_path(row.getString(6));
  area.set_etag(EtagOf(row.getInt64(7)));
  ToProtoTime(db::FromDbTime(row.getString(8)), area.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(9)), area.mutable_update_time());
  return area;
}

}  // namespace grassroots::orgs
