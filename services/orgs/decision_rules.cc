#include "services/orgs/decision_rules.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

std::string TimeText(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::Status OutOfOrder(absl::string_view reason, std::string message, StepKind expected) {
  return WithMetadata(FailedPrecondition(reason, message), "expected_step",
                      v1::MatterStep::Kind_Name(expected));
}

// "7 days" for whole days (the options are in days), else "36h".
std::string DurationText(absl::Duration d) {
  const int64_t hours = absl::ToInt64Hours(d);
  if (absl::Hours(hours) == d && hours % 24 == 0) {
    return absl::StrCat(hours / 24, hours == 24 ? " day" : " days");
  }
  return absl::FormatDuration(d);
}

}  // namespace

absl::Status RequireCommunityOrganisation(absl::string_view field, v1::OrganisationKind kind) {
  if (kind == v1::COMMUNITY_COMMITTEE || kind == v1::COMMUNITY_GENERAL_BRANCH) {
    return absl::OkStatus();
  }
  return InvalidField(field, "NOT_A_COMMUNITY_ORGANISATION",
                      absl::StrCat("must be a community party committee or general branch, not a ",
                                   v1::OrganisationKind_Name(kind)));
}

StepKind ExpectedStep(MatterState state) {
  switch (state) {
    case v1::Matter::PROPOSED:
      return v1::MatterStep::DELIBERATION;
    case v1::Matter::DELIBERATED:
      return v1::MatterStep::ASSEMBLY_REVIEW;
    case v1::Matter::ASSEMBLY_REVIEWED:
      return v1::MatterStep::REPRESENTATIVES_RESOLUTION;
    case v1::Matter::RESOLVED:
      return v1::MatterStep::STREET_REVIEW;
    case v1::Matter::STREET_APPROVED:
      return v1::MatterStep::RESOLUTION_PUBLICATION;
    case v1::Matter::RESOLUTION_PUBLISHED:
      return v1::MatterStep::RESULT_PUBLICATION;
    default:
      return v1::MatterStep::KIND_UNSPECIFIED;
  }
}

MatterState StateAfter(StepKind step) {
  switch (step) {
    case v1::MatterStep::PROPOSAL:
      return v1::Matter::PROPOSED;
    case v1::MatterStep::DELIBERATION:
      return v1::Matter::DELIBERATED;
    case v1::MatterStep::ASSEMBLY_REVIEW:
      return v1::Matter::ASSEMBLY_REVIEWED;
    case v1::MatterStep::REPRESENTATIVES_RESOLUTION:
      return v1::Matter::RESOLVED;
    case v1::MatterStep::STREET_REVIEW:
      return v1::Matter::STREET_APPROVED;
    case v1::MatterStep::RESOLUTION_PUBLICATION:
      return v1::Matter::RESOLUTION_PUBLISHED;
    case v1::MatterStep::RESULT_PUBLICATION:
      return v1::Matter::RESULT_PUBLISHED;
    default:
      return v1::Matter::STATE_UNSPECIFIED;
  }
}

std::string DescribeStep(StepKind step) {
  switch (step) {
    case v1::MatterStep::PROPOSAL:
      return "the party organisation's proposal";
    case v1::MatterStep::DELIBERATION:
      return "the two committees' deliberation";
    case v1::MatterStep::ASSEMBLY_REVIEW:
      return "the member assembly's review";
    case v1::MatterStep::REPRESENTATIVES_RESOLUTION:
      return "the residents' representatives' resolution";
    case v1::MatterStep::STREET_REVIEW:
      return "the street's review";
    case v1::MatterStep::RESOLUTION_PUBLICATION:
      return "the publication of the resolution";
    case v1::MatterStep::RESULT_PUBLICATION:
      return "the publication of the result";
    default:
      return "no step";
  }
}

absl::Status CheckNextStep(MatterState state, StepKind step) {
  if (state == v1::Matter::REJECTED) {
    return FailedPrecondition(
        "MATTER_REJECTED",
        absl::StrCat("the matter was rejected; ", DescribeStep(step), " cannot follow"));
  }
  if (state == v1::Matter::DONE) {
    return FailedPrecondition("MATTER_DONE", "every step of the matter is complete");
  }
  const StepKind expected = ExpectedStep(state);
  if (step == expected) return absl::OkStatus();
  if (expected == v1::MatterStep::KIND_UNSPECIFIED || step < expected) {
    std::string waits = expected == v1::MatterStep::KIND_UNSPECIFIED
                            ? "every step is recorded; the result's publication runs its course"
                            : absl::StrCat("the matter waits for ", DescribeStep(expected));
    return OutOfOrder("STEP_REPEATED",
                      absl::StrCat(DescribeStep(step), " is recorded already; ", waits), expected);
  }
  return OutOfOrder(
      "STEP_SKIPPED",
      absl::StrCat(DescribeStep(step), " cannot be recorded yet: the matter waits for ",
                   DescribeStep(expected)),
      expected);
}

std::string StreetPathOf(absl::string_view community_path) {
  const size_t slash = community_path.rfind('/');
  if (slash == absl::string_view::npos) return "";
  return std::string(community_path.substr(0, slash));
}

absl::Status ValidateStepDate(absl::string_view field, absl::CivilDay date,
                              std::optional<absl::CivilDay> previous, absl::CivilDay today) {
  if (date > today) {
    return InvalidField(field, "DATE_IN_FUTURE",
                        absl::StrCat(DayText(date), " is after today, ", DayText(today)));
  }
  if (previous && date < *previous) {
    return InvalidField(
        field, "DATE_BEFORE_PREVIOUS_STEP",
        absl::StrCat(DayText(date), " is before the previous step, on ", DayText(*previous)));
  }
  return absl::OkStatus();
}

absl::Status ValidateParticipants(absl::string_view field,
                                  const v1::MatterParticipants& participants) {
  if (participants.member_ids_size() > kMaxParticipantIds) {
    return InvalidField(absl::StrCat(field, ".member_ids"), "TOO_MANY_PARTICIPANTS",
                        absl::StrCat("at most ", kMaxParticipantIds,
                                     " member ids: ", participants.member_ids_size(), " given"));
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string& id : participants.member_ids()) {
    if (auto s = RequireId(absl::StrCat(field, ".member_ids"), id); !s.ok()) return s;
    if (!seen.insert(id).second) {
      return InvalidField(absl::StrCat(field, ".member_ids"), "PARTICIPANT_REPEATED",
                          absl::StrCat(id, " is listed twice"));
    }
  }
  if (participants.others() < 0 || participants.others() > 100000) {
    return InvalidField(absl::StrCat(field, ".others"), "PARTICIPANTS_INVALID",
                        "must be between 0 and 100,000");
  }
  return absl::OkStatus();
}

int CountParticipants(const v1::MatterParticipants& participants) {
  return participants.member_ids_size() + participants.others();
}

int MoreThanHalfOf(int n) { return n / 2 + 1; }

int TwoThirdsOf(int n) { return (2 * n + 2) / 3; }

absl::StatusOr<VoteOutcome> DecideVote(StepKind step, const v1::MatterVote& vote) {
  const int entitled = vote.entitled(), present = vote.present();
  if (entitled <= 0) {
    if (step == v1::MatterStep::ASSEMBLY_REVIEW) {
      return FailedPrecondition("ASSEMBLY_HAS_NO_MEMBERS",
                                "the organisation and its subtree have no full members to "
                                "hold a member assembly");
    }
    return InvalidField("vote.entitled", "ENTITLED_REQUIRED",
                        step == v1::MatterStep::DELIBERATION
                            ? "give the number of seats on the two committees"
                            : "give the number of residents' representatives");
  }
  if (present > entitled) {
    return InvalidField("participants", "MORE_PRESENT_THAN_ENTITLED",
                        absl::StrCat(present, " present but only ", entitled, " entitled"));
  }
  if (vote.in_favour() < 0 || vote.against() < 0 || vote.abstaining() < 0) {
    return InvalidField("vote", "VOTE_INVALID", "votes cannot be negative");
  }
  const int64_t cast = int64_t{vote.in_favour()} + vote.against() + vote.abstaining();
  if (cast != present) {
    return InvalidField(
        "vote", "VOTES_DO_NOT_ADD_UP",
        absl::StrCat(vote.in_favour(), " for, ", vote.against(), " against and ", vote.abstaining(),
                     " abstaining make ", cast, ", but ", present,
                     " are present: everyone present votes for, against or "
                     "abstains"));
  }
  std::string quorum;
  if (step == v1::MatterStep::DELIBERATION) {
    const int needed = MoreThanHalfOf(entitled);
    if (present < needed) {
      return FailedPrecondition(
          "DELIBERATION_QUORUM_NOT_MET",
          absl::StrCat("the two committees need more than half of their ", entitled,
                       " seats present: ", present, " came, ", needed, " needed"));
    }
    quorum =
        absl::StrCat(present, " of ", entitled, " seats present (more than half: ", needed, ")");
  } else {
    const int needed = TwoThirdsOf(entitled);
    if (present < needed) {
      const bool assembly = step == v1::MatterStep::ASSEMBLY_REVIEW;
      return FailedPrecondition(
          assembly ? "ASSEMBLY_QUORUM_NOT_MET" : "REPRESENTATIVES_QUORUM_NOT_MET",
          absl::StrCat(assembly ? "the member assembly" : "the residents' representatives' meeting",
                       " needs two thirds present: ", present, " of ", entitled, " came, ", needed,
                       " needed"));
    }
    quorum =
        absl::StrCat(present, " of ", entitled, " entitled present (two thirds: ", needed, ")");
  }
  const int needed = MoreThanHalfOf(present);
  VoteOutcome outcome;
  outcome.carried = vote.in_favour() >= needed;
  outcome.detail =
      absl::StrCat(outcome.carried ? "carried: " : "not carried: ", quorum, "; ", vote.in_favour(),
                   " of ", present, " in favour (more than half: ", needed, ")");
  return outcome;
}

absl::StatusOr<PublicationRules> PublicationRulesFromDays(int64_t publication_min_days,
                                                          int64_t objection_answer_days) {
  if (publication_min_days < 1 || publication_min_days > 365) {
    return InvalidField("publication-min-days", "OPTION_INVALID", "must be 1 to 365 days");
  }
  if (objection_answer_days < 1 || objection_answer_days > 365) {
    return InvalidField("objection-answer-days", "OPTION_INVALID", "must be 1 to 365 days");
  }
  PublicationRules rules;
  rules.min_up = absl::Hours(24 * publication_min_days);
  rules.answer_within = absl::Hours(24 * objection_answer_days);
  return rules;
}

absl::Time ResultPublishableFrom(absl::Time resolution_posted, const PublicationRules& rules) {
  return resolution_posted + rules.min_up;
}

absl::Status CheckResultPublishable(absl::Time resolution_posted, int open_objections,
                                    absl::Time now, const PublicationRules& rules) {
  const absl::Time from = ResultPublishableFrom(resolution_posted, rules);
  if (now < from) {
    return WithMetadata(
        FailedPrecondition("PUBLICATION_TOO_SHORT",
                           absl::StrCat("the resolution must stay up ", DurationText(rules.min_up),
                                        " (posted ", TimeText(resolution_posted),
                                        "): the result may be published from ", TimeText(from))),
        "publishable_time", TimeText(from));
  }
  if (open_objections > 0) {
    return FailedPrecondition(
        "OBJECTIONS_UNANSWERED",
        absl::StrCat(open_objections,
                     " objection(s) to the resolution wait for an answer: its publication is "
                     "not complete until every objection is answered"));
  }
  return absl::OkStatus();
}

absl::Time CompletionFrom(absl::Time result_posted, const PublicationRules& rules) {
  return result_posted + rules.min_up;
}

MatterState EffectiveState(MatterState stored, std::optional<absl::Time> result_posted,
                           int open_objections, absl::Time now, const PublicationRules& rules) {
  if (stored == v1::Matter::RESULT_PUBLISHED && result_posted &&
      now >= CompletionFrom(*result_posted, rules) && open_objections == 0) {
    return v1::Matter::DONE;
  }
  return stored;
}

absl::StatusOr<StepKind> PublicationOpenToObjections(MatterState effective) {
  switch (effective) {
    case v1::Matter::RESOLUTION_PUBLISHED:
      return v1::MatterStep::RESOLUTION_PUBLICATION;
    case v1::Matter::RESULT_PUBLISHED:
      return v1::MatterStep::RESULT_PUBLICATION;
    case v1::Matter::REJECTED:
      return FailedPrecondition("MATTER_REJECTED",
                                "the matter was rejected; nothing of it is published");
    case v1::Matter::DONE:
      return FailedPrecondition("MATTER_DONE",
                                "the result's publication is complete; objections are closed");
    default:
      return FailedPrecondition(
          "NOTHING_PUBLISHED",
          absl::StrCat("objections answer a publication, and nothing is up yet: the matter waits "
                       "for ",
                       DescribeStep(ExpectedStep(effective))));
  }
}

absl::Time AnswerDue(absl::Time filed, const PublicationRules& rules) {
  return filed + rules.answer_within;
}

bool IsOverdue(absl::Time due, absl::Time now) { return now > due; }

}  // namespace grassroots::orgs
