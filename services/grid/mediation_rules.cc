#include "services/grid/mediation_rules.h"

#include <set>
#include <string>

#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/proto_time.h"

namespace grassroots::grid {
namespace {

constexpr size_t kMaxRefBytes = 128;
constexpr size_t kMaxAgreementBytes = 4000;
constexpr int kMinParties = 2;
constexpr int kMaxParties = 20;

}  // namespace

absl::Status ValidateMediation(const v1::Mediation& m, absl::Time now) {
  if (m.mediator_ref().empty()) {
    return InvalidField("mediation.mediator_ref", "MEDIATOR_REQUIRED", "name who mediated");
  }
  if (auto s = ValidateText("mediation.mediator_ref", m.mediator_ref(), kMaxRefBytes, true);
      !s.ok()) {
    return s;
  }
  if (m.party_refs_size() < kMinParties || m.party_refs_size() > kMaxParties) {
    return InvalidField("mediation.party_refs", "PARTIES_OUT_OF_RANGE",
                        "a dispute has 2 to 20 parties");
  }
  std::set<std::string> seen;
  for (const std::string& party : m.party_refs()) {
    if (auto s = ValidateText("mediation.party_refs", party, kMaxRefBytes, true); !s.ok()) {
      return s;
    }
    if (!seen.insert(party).second) {
      return InvalidField("mediation.party_refs", "PARTY_REPEATED", "each party is named once");
    }
  }
  if (!m.has_held_time()) {
    return InvalidField("mediation.held_time", "HELD_TIME_REQUIRED",
                        "say when the session was held");
  }
  if (FromProtoTime(m.held_time()) > now) {
    return InvalidField("mediation.held_time", "HELD_IN_FUTURE",
                        "a session is recorded once it was held");
  }
  if (m.outcome() == v1::Mediation::OUTCOME_UNSPECIFIED ||
      !v1::Mediation::Outcome_IsValid(m.outcome())) {
    return InvalidField("mediation.outcome", "OUTCOME_REQUIRED",
                        "must be AGREED, PARTLY_AGREED, NOT_AGREED or REFERRED");
  }
  const bool agreed =
      m.outcome() == v1::Mediation::AGREED || m.outcome() == v1::Mediation::PARTLY_AGREED;
  if (agreed && m.agreement().empty()) {
    return InvalidField("mediation.agreement", "AGREEMENT_REQUIRED",
                        "write down what the parties agreed");
  }
  return ValidateText("mediation.agreement", m.agreement(), kMaxAgreementBytes, false);
}

}  // namespace grassroots::grid
