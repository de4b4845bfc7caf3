#include "common/ids/id_generator.h"

#include "absl/random/random.h"
#include "absl/strings/str_format.h"

namespace grassroots {

std::string NewId(absl::string_view prefix, absl::Time now) {
  // One generator per thread: absl::BitGen is not thread-safe and is seeded
  // from the OS, so threads never share a sequence.
  thread_local absl::BitGen bits;
  const uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now)) & ((1ULL << 48) - 1);
  return absl::StrFormat("%s_%012x%016x", prefix, millis, absl::Uniform<uint64_t>(bits));
}

}  // namespace grassroots
