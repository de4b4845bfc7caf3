#include "services/orgs/regional_area_follow.h"

#include "common/status/errors.h"
#include "services/orgs/big_committee_store.h"
#include "services/orgs/co_building_store.h"
#include "services/orgs/joint_meeting_store.h"
#include "services/orgs/resident_unit_store.h"
#include "services/orgs/resource_store.h"

namespace grassroots::orgs {

void FollowAreaMoveInRegionalRecords(db::Connection& c, const ChangeLog& changes,
                                     const WriteContext& write, const std::string& old_path,
                                     const std::string& new_path) {
  ResidentUnitStore::FollowAreaMove(c, changes, write, old_path, new_path);
}

absl::Status CheckNoRegionalRecordsAt(db::Connection& c, const std::string& area_id) {
  if (ResidentUnitStore::AnyRegisteredAt(c, area_id)) {
    return FailedPrecondition("AREA_HAS_RESIDENT_UNITS",
                              "resident units are registered at this area (withdrawn ones keep "
                              "their history there); it cannot be deleted");
  }
  if (ResourceStore::AnyNeedAt(c, area_id)) {
    return FailedPrecondition("AREA_HAS_NEEDS",
                              "the community's published needs belong to this area; it cannot "
                              "be deleted");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
