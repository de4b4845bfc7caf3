#include "services/dualreg/acting_member.h"

#include "common/auth/scope.h"

namespace grassroots::dualreg {

std::string ActingMember(const common::v1::Principal& principal) {
  if (HasRole(principal, "dualreg.branch") || HasRole(principal, "dualreg.admin")) return "";
  return principal.id();
}

}  // namespace grassroots::dualreg
