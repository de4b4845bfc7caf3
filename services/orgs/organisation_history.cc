#include "services/orgs/organisation_history.h"

#include "common/db/db_time.h"
#include "common/time/proto_time.h"

namespace grassroots::orgs {

void RecordOrganisationVersion(db::Connection& c, const v1::Organisation& after, absl::Time now) {
  const std::string at = db::ToDbTime(now);
  auto& close =
      c.Prepare("UPDATE organisation_versions SET valid_to = ? WHERE id = ? AND valid_to IS NULL");
  close.setString(1, at);
  close.setString(2, after.id());
  close.executeUpdate();
  auto& open = c.Prepare(
      "INSERT INTO organisation_versions (valid_from, id, kind, code, display_name, parent_id,"
      " path, area_id, area_path, unit_name, state, version, create_time, update_time,"
      " dissolve_time, dissolve_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  open.setString(1, at);
  open.setString(2, after.id());
  open.setInt(3, after.kind());
  open.setString(4, after.code());
  open.setString(5, after.display_name());
  if (after.parent_id().empty()) {
    open.setNull(6, sql::DataType::VARCHAR);
  } else {
    open.setString(6, after.parent_id());
  }
  open.setString(7, after.path());
  open.setString(8, after.area_id());
  open.setString(9, after.area_path());
  open.setString(10, after.unit_name());
  open.setInt(11, after.state());
  open.setInt64(12, std::stoll(after.etag()));
  open.setString(13, db::ToDbTime(FromProtoTime(after.create_time())));
  open.setString(14, db::ToDbTime(FromProtoTime(after.update_time())));
  if (after.has_dissolve_time()) {
    open.setString(15, db::ToDbTime(FromProtoTime(after.dissolve_time())));
  } else {
    open.setNull(15, sql::DataType::TIMESTAMP);
  }
  open.setString(16, after.dissolve_reason());
  open.executeUpdate();
}

int BindAsOf(sql::PreparedStatement& statement, int index, absl::Time as_of) {
  const std::string at = db::ToDbTime(as_of);
  statement.setString(index, at);
  statement.setString(index + 1, at);
  return index + 2;
}

}  // namespace grassroots::orgs
