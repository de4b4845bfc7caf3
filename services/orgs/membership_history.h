#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/connection.h"
#include "grassroots/orgs/v1/member.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// One member on an organisation's roster on some day.
struct RosterMember {
  std::string member_id;
  v1::MemberStatus status = v1::MEMBER_STATUS_UNSPECIFIED;
};

// The only code that speaks SQL about the roster history (memberships):
// which organisation each member belonged to, with which status, from which
// day to which. The member store calls it inside the transaction of every
// add, transfer and conversion, so the history never disagrees with the
// members table; the meeting, committee and decision stores ask it who was
// on a roster on a given day (quorum is counted from the roster on the
// meeting date).
// Days are UTC civil days, like every date in the service.
class MembershipHistory {
 public:
  // A new member: one open period from its joining date, in its
  // organisation and status.
  static void Open(db::Connection& c, const v1::Member& added);
  // The member belongs to `organisation` from the UTC day of `when` on.
  static void Move(db::Connection& c, const std::string& member_id,
                   const v1::Organisation& organisation, absl::Time when);
  // The member has `status` from `from` on (a conversion may be dated back:
  // every later period changes with it).
  static void ChangeStatus(db::Connection& c, const std::string& member_id, v1::MemberStatus status,
                           absl::CivilDay from);

  // The members (full and probationary) of the organisation on `day`, by
  // member id: those whose home organisation that day was the organisation
  // or one below it now (a branch's roster holds its party groups' members,
  // a general branch's its branches').
  static std::vector<RosterMember> RosterOn(db::Connection& c, const v1::Organisation& organisation,
                                            absl::CivilDay day);
  // The member's status on that roster on `day`; nullopt when not on it.
  static std::optional<v1::MemberStatus> StatusOn(db::Connection& c, const std::string& member_id,
                                                  const v1::Organisation& organisation,
                                                  absl::CivilDay day);
};

}  // namespace grassroots::orgs
