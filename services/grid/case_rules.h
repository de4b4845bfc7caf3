#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/case_step_effects.h"
#include "services/grid/case_transitions.h"

namespace grassroots::grid {

// What a category, a department and a report must hold, and what each step
// asks of its caller. Pure rules, no I/O.

inline constexpr int kMaxStepMinutes = 365 * 24 * 60;
inline constexpr int kMaxDuplicateRadiusMeters = 5000;
inline constexpr int kMaxDuplicateWindowMinutes = 30 * 24 * 60;
inline constexpr int kMaxExtensionMinutes = 30 * 24 * 60;
inline constexpr int kMaxPhotos = 9;
inline constexpr size_t kMaxDescriptionBytes = 2000;
inline constexpr size_t kMaxNoteBytes = 1000;

// Category and department codes: 2-32 of A-Z, 0-9 and '_'.
absl::Status ValidateCaseCode(absl::string_view field, absl::string_view code);

// Code, name, kind, deadlines (every step 1 minute to a year), extra fields
// (keys unique, [a-z][a-z0-9_]{0,31}), duplicate radius (0-5000 m) and window.
absl::Status ValidateCategory(const v1::CaseCategory& category);

absl::Status ValidateDepartment(const v1::Department& department);

// A report against its category: the kind matches the category's, a source,
// a place (a location for incidents), the text, photos, reporter reference
// and the category's extra fields (required ones present, no unknown keys,
// values among the choices).
absl::Status ValidateReport(const v1::Case& report, const v1::CaseCategory& category);

// The step's note: required for the steps that must say why (reject,
// decline, handled, rework, suspend, extension), at most 1000 bytes.
absl::Status ValidateStepNote(CaseAction action, absl::string_view note);

// What the step's caller sent besides the case: the note (above), the
// department's id when one is named, the resolution and satisfaction (1 to
// 5) of an evaluation, the minutes of an extension (1 to 43200).
absl::Status ValidateStepInput(const CaseStepInput& input);

}  // namespace grassroots::grid
