#pragma once

#include <string>

#include "grassroots/common/v1/principal.pb.h"

namespace grassroots::dualreg {

// The member a caller may act as: a dualreg.member caller (without branch
// or admin roles) acts only as itself, its principal id being orgs' member
// id; empty for branch and admin callers, who act for any member.
std::string ActingMember(const common::v1::Principal& principal);

}  // namespace grassroots::dualreg
