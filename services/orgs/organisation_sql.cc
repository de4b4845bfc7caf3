#include "services/orgs/organisation_sql.h"

#include "common/db/db_time.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {

v1::Organisation ReadOrganisation(sql::ResultSet& row) {
  v1::Organisation organisation;
  organisation.set_id(row.getString(1));
  organisation.set_kind(static_cast<v1::OrganisationKind>(row.getInt(2)));
  organisation.set_code(row.getString(3));
  organisation.set_display_name(row.getString(4));
  if (!row.isNull(5)) organisation.set_parent_id(row.getString(5));
  organisation.set_path(row.getString(6));
  organisation.set_area_id(row.getString(7));
  organisation.set_area_path(row.getString(8));
  organisation.set_unit_name(row.getString(9));
  organisation.set_state(static_cast<v1::OrganisationState>(row.getInt(10)));
  organisation.set_etag(EtagOf(row.getInt64(11)));
  ToProtoTime(db::FromDbTime(row.getString(12)), organisation.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(13)), organisation.mutable_update_time());
  if (!row.isNull(14)) {
    ToProtoTime(db::FromDbTime(row.getString(14)), organisation.mutable_dissolve_time());
  }
  organisation.set_dissolve_reason(row.getString(15));
  return organisation;
}

}  // namespace grassroots::orgs
