#include "common/paths/street_of.h"

namespace grassroots {

std::string StreetOf(absl::string_view path) {
  const size_t first = path.find('/');
  if (first == absl::string_view::npos) return std::string(path);
  const size_t second = path.find('/', first + 1);
  return std::string(second == absl::string_view::npos ? path : path.substr(0, second));
}

}  // namespace grassroots
