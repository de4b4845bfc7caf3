#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/admission.pb.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::orgs {

// The community work admission list (社区工作准入) as rules. Pure, no I/O.
//
// Which list applies at a place on a day: walking up from the place's path
// ("d01/s03/c12", then "d01/s03", then "d01"), the first region holding a
// version in force on that day; its list applies whole (a narrower region's
// list replaces its parent's, it does not add to it). In force on a day:
// the version with the latest effective date on or before the day, the
// higher version number on the same date.

// Lists belong to districts, streets and towns.
absl::Status ValidateRegionKind(v1::AreaKind kind);

// Categories and items: codes (1-32 of a-z, 0-9, '-', '_', '.') unique in
// the list, names 1-200 bytes, every category with an item and every item
// with a department (codes of the same form, no repeats). At most 50
// categories and 500 items.
absl::Status ValidateAdmissionCategories(
    const google::protobuf::RepeatedPtrField<v1::AdmissionCategory>& categories);

// A version takes effect on or after the day it is published, and not
// before the region's latest version does.
absl::Status ValidateEffectiveDate(absl::CivilDay effective, absl::CivilDay today,
                                   const std::optional<absl::CivilDay>& latest_effective);

// One published version, as the resolution sees it.
struct AdmissionVersion {
  absl::CivilDay effective;
  int32_t version = 0;
  std::shared_ptr<const v1::AdmissionList> list;
};

// The version in force on `day` among one region's versions (any order);
// nullptr when none is.
const AdmissionVersion* VersionInForce(const std::vector<AdmissionVersion>& versions,
                                       absl::CivilDay day);

// The list in force at `place_path` on `day`: `versions_at(path)` gives the
// versions of the region at that path (nullptr for none).
using VersionsAt = std::function<const std::vector<AdmissionVersion>*(absl::string_view path)>;
const AdmissionVersion* ListInForce(absl::string_view place_path, absl::CivilDay day,
                                    const VersionsAt& versions_at);

// The answer for a department's matter under `list` (nullptr: no list applies).
v1::CheckAdmissionResponse DecideAdmission(const v1::AdmissionList* list,
                                           absl::string_view place_path,
                                           absl::string_view item_code,
                                           absl::string_view department, absl::CivilDay day);

// "region d01 list version 3 (in force from 2026-01-01)", for messages.
std::string DescribeList(const v1::AdmissionList& list);

// Codes of items, categories and departments.
absl::Status ValidateAdmissionCode(absl::string_view field, absl::string_view code);

}  // namespace grassroots::orgs
