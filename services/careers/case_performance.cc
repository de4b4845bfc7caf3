#include "services/careers/case_performance.h"

#include <algorithm>
#include <cmath>

namespace grassroots::careers {

CasePerformance PerformanceOf(const grid::v1::CaseFigures& f) {
  CasePerformance p;
  p.handled = static_cast<int>(f.closed());
  p.on_time = static_cast<int>(std::min(f.closed_on_time(), f.closed()));
  p.evaluated = static_cast<int>(std::min(f.evaluated(), f.closed()));
  const double sum = f.mean_satisfaction() * p.evaluated;
  // Within 1 to 5 per rating, whatever the rounding.
  p.satisfaction_sum = std::clamp(static_cast<int>(std::lround(sum)), p.evaluated, 5 * p.evaluated);
  return p;
}

}  // namespace grassroots::careers
