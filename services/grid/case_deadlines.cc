#include "services/grid/case_deadlines.h"

namespace grassroots::grid {

absl::Duration StepAllowance(const v1::CaseCategory& category, v1::Case::State state,
                             int extension_minutes) {
  const v1::StepDeadlines& d = category.deadlines();
  switch (state) {
    case v1::Case::REPORTED:
      return absl::Minutes(d.register_minutes());
    case v1::Case::REGISTERED:
      return absl::Minutes(d.dispatch_minutes());
    case v1::Case::DISPATCHED:
      return absl::Minutes(d.accept_minutes());
    case v1::Case::HANDLING:
      return absl::Minutes(d.handle_minutes() + extension_minutes);
    case v1::Case::HANDLED:
    case v1::Case::VERIFIED:
      return absl::Minutes(d.verify_minutes());
    default:
      return absl::ZeroDuration();
  }
}

absl::Time DueAfter(const v1::CaseCategory& category, const WorkCalendarRules& calendar,
                    absl::Time now, absl::Duration remaining) {
  if (category.continuous_clock()) return now + remaining;
  return AddWorkingTime(calendar, now, remaining);
}

std::optional<absl::Time> StepDue(const v1::CaseCategory& category,
                                  const WorkCalendarRules& calendar, v1::Case::State state,
                                  int extension_minutes, absl::Time entered) {
  const absl::Duration allowance = StepAllowance(category, state, extension_minutes);
  if (allowance <= absl::ZeroDuration()) return std::nullopt;
  return DueAfter(category, calendar, entered, allowance);
}

absl::Duration RemainingAllowance(const v1::CaseCategory& category,
                                  const WorkCalendarRules& calendar, absl::Time now,
                                  absl::Time due) {
  if (due <= now) return absl::ZeroDuration();
  if (category.continuous_clock()) return due - now;
  return WorkingTimeBetween(calendar, now, due);
}

v1::Case::Level EscalatedLevel(v1::Case::Level level) {
  switch (level) {
    case v1::Case::LEVEL_UNSPECIFIED:
    case v1::Case::COMMUNITY:
      return v1::Case::STREET;
    default:
      return v1::Case::DISTRICT;
  }
}

}  // namespace grassroots::grid
