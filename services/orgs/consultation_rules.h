#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grassroots/orgs/v1/consultation.pb.h"

namespace grassroots::orgs {

// Consultations (协商议事): who may take part, what a vote names, when
// voting is over, and the count. Pure rules, no I/O.

using ConsultationState = v1::Consultation::State;

inline constexpr int kMaxConsultationOptions = 20;
inline constexpr int kMaxRepresentativeHouseholds = 2000;
// How far ahead a consultation may close.
inline constexpr absl::Duration kMaxConsultationLength = absl::Hours(24 * 366);

// A consultation as opened at `now`: an audience, a question, 2 to 20
// different options, a closing time in the future (at most a year ahead),
// and for REPRESENTATIVES the list of 1 to 2000 households (none for
// ALL_HOUSEHOLDS). Field names are under "consultation.".
absl::Status ValidateNewConsultation(const v1::Consultation& consultation, absl::Time now);

// CLOSED once closed early, and from close_time on.
ConsultationState EffectiveConsultationState(ConsultationState stored, absl::Time close_time,
                                             absl::Time now);
// FAILED_PRECONDITION CONSULTATION_CLOSED when voting is over, saying when it ended.
absl::Status CheckOpenForInput(ConsultationState effective, absl::Time ended);

// INVALID_ARGUMENT OPTION_INVALID unless 1 <= option_number <= options.
absl::Status ValidateOptionNumber(int option_number, int options);

// For REPRESENTATIVES only the households on the list take part
// (FAILED_PRECONDITION NOT_A_REPRESENTATIVE_HOUSEHOLD); for ALL_HOUSEHOLDS
// any household of the community does (the grid service, which will own
// households, is not asked: a household reference is taken as given).
absl::Status CheckHouseholdMayTakePart(v1::Consultation::Audience audience, bool on_list);

// Votes per option, in option order, zero included.
std::vector<v1::ConsultationResult::OptionCount> Tally(
    const std::vector<std::string>& options, const absl::flat_hash_map<int, int64_t>& votes);

}  // namespace grassroots::orgs
