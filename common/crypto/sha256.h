#pragma once

#include <string>

namespace grassroots {

// Lower-case hex SHA-256 of `data` (migration checksums, API key digests).
std::string Sha256Hex(const std::string& data);

}  // namespace grassroots
