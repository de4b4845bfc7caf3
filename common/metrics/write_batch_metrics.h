#pragma once

#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace grassroots {

// How many requests each WriteBatcher commit carried, by kind of write
// ("report_case", "create_area"): whether concurrent writes really share
// transactions under a given load is otherwise invisible from outside.
class WriteBatchMetrics {
 public:
  explicit WriteBatchMetrics(prometheus::Registry& registry);

  // The same histogram for the same write, from any thread.
  prometheus::Histogram& For(const std::string& write);

 private:
  prometheus::Family<prometheus::Histogram>& requests_;
};

}  // namespace grassroots
