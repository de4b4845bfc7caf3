#include "services/orgs/consultation_rules.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/resident_input_rules.h"

namespace grassroots::orgs {

absl::Status ValidateNewConsultation(const v1::Consultation& consultation, absl::Time now) {
  if (consultation.audience() != v1::Consultation::REPRESENTATIVES &&
      consultation.audience() != v1::Consultation::ALL_HOUSEHOLDS) {
    return InvalidField("consultation.audience", "AUDIENCE_INVALID",
                        "must be REPRESENTATIVES or ALL_HOUSEHOLDS");
  }
  if (auto s = ValidateFreeText("consultation.question", consultation.question(), 1000, true);
      !s.ok()) {
    return s;
  }
  const int options = consultation.options_size();
  if (options < 2 || options > kMaxConsultationOptions) {
    return InvalidField(
        "consultation.options", "OPTIONS_INVALID",
        absl::StrCat("give 2 to ", kMaxConsultationOptions, " options: ", options, " given"));
  }
  absl::flat_hash_set<std::string> labels;
  for (const std::string& option : consultation.options()) {
    if (auto s = ValidateFreeText("consultation.options", option, 200, true); !s.ok()) return s;
    if (!labels.insert(option).second) {
      return InvalidField("consultation.options", "OPTION_REPEATED",
                          absl::StrCat("\"", option, "\" is given twice"));
    }
  }
  if (!consultation.has_close_time()) {
    return InvalidField("consultation.close_time", "CLOSE_TIME_REQUIRED", "say when voting ends");
  }
  const absl::Time close = FromProtoTime(consultation.close_time());
  if (close <= now) {
    return InvalidField("consultation.close_time", "CLOSE_TIME_PAST", "must be in the future");
  }
  if (close - now > kMaxConsultationLength) {
    return InvalidField("consultation.close_time", "CLOSE_TIME_TOO_FAR",
                        "a consultation closes at most a year after it opens");
  }
  const int listed = consultation.representative_household_ids_size();
  if (consultation.audience() == v1::Consultation::ALL_HOUSEHOLDS) {
    if (listed > 0) {
      return InvalidField("consultation.representative_household_ids",
                          "REPRESENTATIVES_NOT_EXPECTED",
                          "a consultation of all households has no list of representatives");
    }
    return absl::OkStatus();
  }
  if (listed < 1 || listed > kMaxRepresentativeHouseholds) {
    return InvalidField(
        "consultation.representative_household_ids", "REPRESENTATIVES_REQUIRED",
        absl::StrCat("list the 1 to ", kMaxRepresentativeHouseholds,
                     " households whose representatives take part: ", listed, " given"));
  }
  absl::flat_hash_set<std::string> households;
  for (const std::string& household : consultation.representative_household_ids()) {
    if (auto s = ValidateHouseholdId("consultation.representative_household_ids", household);
        !s.ok()) {
      return s;
    }
    if (!households.insert(household).second) {
      return InvalidField("consultation.representative_household_ids", "HOUSEHOLD_REPEATED",
                          absl::StrCat(household, " is listed twice"));
    }
  }
  return absl::OkStatus();
}

ConsultationState EffectiveConsultationState(ConsultationState stored, absl::Time close_time,
                                             absl::Time now) {
  if (stored == v1::Consultation::CLOSED || now >= close_time) return v1::Consultation::CLOSED;
  return v1::Consultation::OPEN;
}

absl::Status CheckOpenForInput(ConsultationState effective, absl::Time ended) {
  if (effective == v1::Consultation::OPEN) return absl::OkStatus();
  return FailedPrecondition(
      "CONSULTATION_CLOSED",
      absl::StrCat("the consultation closed at ",
                   absl::FormatTime(absl::RFC3339_sec, ended, absl::UTCTimeZone())));
}

absl::Status ValidateOptionNumber(int option_number, int options) {
  if (option_number < 1 || option_number > options) {
    return InvalidField("option_number", "OPTION_INVALID",
                        absl::StrCat("must be 1 to ", options, ": ", option_number, " given"));
  }
  return absl::OkStatus();
}

absl::Status CheckHouseholdMayTakePart(v1::Consultation::Audience audience, bool on_list) {
  if (audience != v1::Consultation::REPRESENTATIVES || on_list) return absl::OkStatus();
  return FailedPrecondition("NOT_A_REPRESENTATIVE_HOUSEHOLD",
                            "this consultation is open to the residents' representatives only, "
                            "and the household is not on its list");
}

std::vector<v1::ConsultationResult::OptionCount> Tally(
    const std::vector<std::string>& options, const absl::flat_hash_map<int, int64_t>& votes) {
  std::vector<v1::ConsultationResult::OptionCount> counts;
  for (size_t i = 0; i < options.size(); ++i) {
    v1::ConsultationResult::OptionCount count;
    count.set_option_number(static_cast<int>(i) + 1);
    count.set_option(options[i]);
    auto it = votes.find(count.option_number());
    count.set_votes(it == votes.end() ? 0 : it->second);
    counts.push_back(std::move(count));
  }
  return counts;
}

}  // namespace grassroots::orgs
