#include "tests/evidence/id_numbers.h"

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/text/person_identifiers.h"

namespace grassroots::evidence {

std::string IdNumber(const std::string& region, int day, int serial) {
  const absl::CivilDay birth = absl::CivilDay(1950, 1, 1) + day;
  const std::string base = absl::StrFormat("%s%04d%02d%02d%03d", region, birth.year(),
                                           birth.month(), birth.day(), serial % 1000);
  for (char check : std::string("0123456789X")) {
    std::string candidate = base + check;
    if (NormaliseIdNumber("id_number", candidate).ok()) return candidate;
  }
  return base + "0";
}

}  // namespace grassroots::evidence
