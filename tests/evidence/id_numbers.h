// Valid resident ID numbers for the evidence tools' made-up people.
#pragma once

#include <string>

namespace grassroots::evidence {

// A valid 18-character resident ID number (GB 11643 check character) from
// a six-digit region, a birth day counted from 1950-01-01 and a serial.
std::string IdNumber(const std::string& region, int day, int serial);

}  // namespace grassroots::evidence
