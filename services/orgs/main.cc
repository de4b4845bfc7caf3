// orgs: party organisations bound to the jurisdiction tree. Wiring only.
#include <cppconn/driver.h>

#include <cstdio>
#include <utility>

#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/server/service_host.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/orgs/admission_cache.h"
#include "services/orgs/admission_handler.h"
#include "services/orgs/admission_store.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/area_store.h"
#include "services/orgs/big_committee_handler.h"
#include "services/orgs/big_committee_store.h"
#include "services/orgs/co_building_handler.h"
#include "services/orgs/co_building_store.h"
#include "services/orgs/committee_handler.h"
#include "services/orgs/committee_store.h"
#include "services/orgs/consultation_handler.h"
#include "services/orgs/consultation_store.h"
#include "services/orgs/decision_handler.h"
#include "services/orgs/decision_store.h"
#include "services/orgs/dues_handler.h"
#include "services/orgs/dues_store.h"
#include "services/orgs/dues_table_handler.h"
#include "services/orgs/dues_table_store.h"
#include "services/orgs/evaluation_handler.h"
#include "services/orgs/evaluation_store.h"
#include "services/orgs/formation_handler.h"
#include "services/orgs/formation_threshold_store.h"
#include "services/orgs/joint_meeting_handler.h"
#include "services/orgs/joint_meeting_store.h"
#include "services/orgs/linkage_handler.h"
#include "services/orgs/linkage_store.h"
#include "services/orgs/meeting_handler.h"
#include "services/orgs/meeting_store.h"
#include "services/orgs/member_handler.h"
#include "services/orgs/member_store.h"
#include "services/orgs/objection_store.h"
#include "services/orgs/organisation_handler.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/place_handler.h"
#include "services/orgs/place_store.h"
#include "services/orgs/resident_unit_handler.h"
#include "services/orgs/resident_unit_store.h"
#include "services/orgs/resource_handler.h"
#include "services/orgs/resource_store.h"
#include "services/orgs/transfer_handler.h"
#include "services/orgs/transfer_store.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  get_driver_instance();  // its first call is not thread-safe
  auto options = grassroots::ServiceHost::StandardOptions(/*default_grpc_port=*/7101,
                                                          /*default_metrics_port=*/9101);
  options.push_back({"personal-data-key", grassroots::ConfigOption::Kind::kString, "",
                     "master key (32+ bytes) for members' personal data at rest", true, true});
  options.push_back({"branch-min-full-members", grassroots::ConfigOption::Kind::kInt, "3",
                     "full members a unit needs to form its own branch"});
  options.push_back({"branch-max-members", grassroots::ConfigOption::Kind::kInt, "50",
                     "members a branch may have before it should split"});
  options.push_back({"general-branch-max-members", grassroots::ConfigOption::Kind::kInt, "100",
                     "members a general branch may have before it becomes a committee"});
  options.push_back({"joint-branch-max-units", grassroots::ConfigOption::Kind::kInt, "5",
                     "units a joint branch may cover"});
  options.push_back({"compound-min-full-members", grassroots::ConfigOption::Kind::kInt, "3",
                     "full members that, with enough residents, oblige a compound to have an "
                     "organisation"});
  options.push_back({"compound-min-residents", grassroots::ConfigOption::Kind::kInt, "500",
                     "residents that, with enough full members, oblige a compound to have an "
                     "organisation"});
  options.push_back({"workplace-min-employees", grassroots::ConfigOption::Kind::kInt, "300",
                     "employees that oblige a workplace to have an organisation"});
  options.push_back({"meeting-branch-committee-months", grassroots::ConfigOption::Kind::kInt, "1",
                     "months per cycle in which a branch committee meets (1, 2, 3, 4, 6, 12)"});
  options.push_back({"meeting-group-months", grassroots::ConfigOption::Kind::kInt, "1",
                     "months per cycle in which a party group meets"});
  options.push_back({"meeting-member-assembly-months", grassroots::ConfigOption::Kind::kInt, "3",
                     "months per cycle in which a branch holds its member assembly"});
  options.push_back({"meeting-party-lecture-months", grassroots::ConfigOption::Kind::kInt, "3",
                     "months per cycle in which a branch holds a party lecture"});
  options.push_back({"joint-meeting-agenda-days", grassroots::ConfigOption::Kind::kInt, "15",
                     "days before a joint meeting its agenda items are due (0 to 90)"});
  options.push_back({"publication-min-days", grassroots::ConfigOption::Kind::kInt, "7",
                     "days a matter's resolution, then its result, stays published at least"});
  options.push_back({"objection-answer-days", grassroots::ConfigOption::Kind::kInt, "3",
                     "days within which an objection to a publication must be answered"});
  // The yearly evaluation's rule (see evaluation_rules.h).
  options.push_back({"evaluation-weight-self", grassroots::ConfigOption::Kind::kInt, "20",
                     "weight (percent) of the self-assessment in the evaluation"});
  options.push_back({"evaluation-weight-residents", grassroots::ConfigOption::Kind::kInt, "40",
                     "weight (percent) of the residents' rating in the evaluation"});
  options.push_back({"evaluation-weight-higher", grassroots::ConfigOption::Kind::kInt, "40",
                     "weight (percent) of the higher organisation's review in the evaluation"});
  options.push_back({"evaluation-excellent-from", grassroots::ConfigOption::Kind::kInt, "90",
                     "lowest weighted score graded EXCELLENT"});
  options.push_back({"evaluation-good-from", grassroots::ConfigOption::Kind::kInt, "75",
                     "lowest weighted score graded GOOD"});
  options.push_back({"evaluation-pass-from", grassroots::ConfigOption::Kind::kInt, "60",
                     "lowest weighted score graded PASS (below: FAIL)"});
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "orgs: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  grassroots::orgs::MeetingFrequencies frequencies;
  for (auto [option, months] :
       {std::pair{"meeting-branch-committee-months", &frequencies.branch_committee_months},
        std::pair{"meeting-group-months", &frequencies.group_meeting_months},
        std::pair{"meeting-member-assembly-months", &frequencies.member_assembly_months},
        std::pair{"meeting-party-lecture-months", &frequencies.party_lecture_months}}) {
    *months = static_cast<int>(config->GetInt(option));
    if (auto s = grassroots::orgs::ValidateCycleMonths(option, *months); !s.ok()) {
      std::fprintf(stderr, "orgs: configuration: --%s\n", std::string(s.message()).c_str());
      return 2;
    }
  }
  const int64_t agenda_days = config->GetInt("joint-meeting-agenda-days");
  if (agenda_days < 0 || agenda_days > 90) {
    std::fprintf(stderr, "orgs: --joint-meeting-agenda-days must be between 0 and 90\n");
    return 2;
  }
  auto publication = grassroots::orgs::PublicationRulesFromDays(
      config->GetInt("publication-min-days"), config->GetInt("objection-answer-days"));
  if (!publication.ok()) {
    std::fprintf(stderr, "orgs: %s\n", std::string(publication.status().message()).c_str());
    return 2;
  }
  grassroots::orgs::v1::EvaluationRule rule;
  rule.set_self_weight_percent(static_cast<int>(config->GetInt("evaluation-weight-self")));
  rule.set_residents_weight_percent(
      static_cast<int>(config->GetInt("evaluation-weight-residents")));
  rule.set_higher_weight_percent(static_cast<int>(config->GetInt("evaluation-weight-higher")));
  rule.set_excellent_from(static_cast<int>(config->GetInt("evaluation-excellent-from")));
  rule.set_good_from(static_cast<int>(config->GetInt("evaluation-good-from")));
  rule.set_pass_from(static_cast<int>(config->GetInt("evaluation-pass-from")));
  if (auto s = grassroots::orgs::ValidateEvaluationRule(rule); !s.ok()) {
    std::fprintf(stderr, "orgs: configuration: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  auto host =
      grassroots::ServiceHost::Create("orgs", *config, {&grassroots::db::orgs_migrations()});
  if (!host.ok()) {
    std::fprintf(stderr, "orgs: %s\n", std::string(host.status().message()).c_str());
    return 2;
  }
  if ((*host)->migrate_only()) {
    auto status = (*host)->MigrateOnly();
    if (!status.ok()) std::fprintf(stderr, "orgs: %s\n", status.ToString().c_str());
    return status.ok() ? 0 : 1;
  }
  auto cipher = grassroots::PersonalDataCipher::Create(config->GetString("personal-data-key"));
  if (!cipher.ok()) {
    std::fprintf(stderr, "orgs: %s\n", std::string(cipher.status().message()).c_str());
    return 2;
  }
  const grassroots::ServiceEnv& env = (*host)->env();
  grassroots::orgs::AreaCache cache(*env.pool, *env.changes, env.sequencer, (*host)->log());
  (*host)->AddReadinessStep("load area cache", [&cache] { return cache.Load(); });
  (*host)->AddStopHook([&cache] { cache.Stop(); });
  grassroots::orgs::AreaStore areas(*env.pool, *env.changes, &cache);
  grassroots::orgs::AreaHandler area_handler(env, areas);
  grassroots::orgs::OrganisationStore organisations(*env.pool, *env.changes);
  grassroots::orgs::FormationThresholds thresholds;
  thresholds.min_full_members_for_branch =
      static_cast<int>(config->GetInt("branch-min-full-members"));
  thresholds.max_branch_members = static_cast<int>(config->GetInt("branch-max-members"));
  thresholds.max_general_branch_members =
      static_cast<int>(config->GetInt("general-branch-max-members"));
  thresholds.joint_branch_max_units = static_cast<int>(config->GetInt("joint-branch-max-units"));
  thresholds.compound_min_full_members =
      static_cast<int>(config->GetInt("compound-min-full-members"));
  thresholds.compound_min_residents = static_cast<int>(config->GetInt("compound-min-residents"));
  thresholds.workplace_min_employees = static_cast<int>(config->GetInt("workplace-min-employees"));
  grassroots::orgs::FormationThresholdStore regions(*env.pool, *env.changes, thresholds);
  grassroots::orgs::FormationHandler formation_handler(env, regions);
  grassroots::orgs::OrganisationHandler organisation_handler(env, organisations, thresholds,
                                                             &regions);
  grassroots::orgs::PlaceStore places(*env.pool, *env.changes, regions);
  grassroots::orgs::PlaceHandler place_handler(env, places);
  grassroots::orgs::MemberStore members(*env.pool, *env.changes, **cipher);
  grassroots::orgs::MemberHandler member_handler(env, members);
  grassroots::orgs::DuesStore dues(*env.pool, *env.changes);
  grassroots::orgs::DuesTableStore dues_tables(*env.pool, *env.changes);
  grassroots::orgs::DuesTableHandler dues_table_handler(env, dues_tables);
  grassroots::orgs::DuesHandler dues_handler(env, dues, &dues_tables);
  grassroots::orgs::TransferStore transfers(*env.pool, *env.changes);
  grassroots::orgs::TransferHandler transfer_handler(env, transfers);
  grassroots::orgs::CommitteeStore committees(*env.pool, *env.changes);
  grassroots::orgs::CommitteeHandler committee_handler(env, committees);
  grassroots::orgs::MeetingStore meetings(*env.pool, *env.changes, frequencies);
  grassroots::orgs::MeetingHandler meeting_handler(env, meetings);
  grassroots::orgs::ResidentUnitStore resident_units(*env.pool, *env.changes, **cipher);
  grassroots::orgs::ResidentUnitHandler resident_unit_handler(env, resident_units);
  grassroots::orgs::BigCommitteeStore big_committees(*env.pool, *env.changes);
  grassroots::orgs::BigCommitteeHandler big_committee_handler(env, big_committees);
  grassroots::orgs::JointMeetingStore joint_meetings(*env.pool, *env.changes,
                                                     static_cast<int>(agenda_days));
  grassroots::orgs::JointMeetingHandler joint_meeting_handler(env, joint_meetings);
  grassroots::orgs::CoBuildingStore co_building(*env.pool, *env.changes);
  grassroots::orgs::CoBuildingHandler co_building_handler(env, co_building);
  grassroots::orgs::ResourceStore resources(*env.pool, *env.changes);
  grassroots::orgs::ResourceHandler resource_handler(env, resources);
  grassroots::orgs::DecisionStore decisions(*env.pool, *env.changes);
  grassroots::orgs::ObjectionStore objections(*env.pool, *env.changes);
  grassroots::orgs::DecisionHandler decision_handler(env, decisions, objections, *publication);
  grassroots::orgs::ConsultationStore consultations(*env.pool, *env.changes);
  grassroots::orgs::ConsultationHandler consultation_handler(env, consultations);
  grassroots::orgs::LinkageStore linkage(*env.pool, *env.changes);
  grassroots::orgs::LinkageHandler linkage_handler(env, linkage);
  grassroots::orgs::EvaluationStore evaluations(*env.pool, *env.changes, rule);
  grassroots::orgs::EvaluationHandler evaluation_handler(env, evaluations);
  grassroots::orgs::AdmissionCache admission_cache(*env.pool, *env.changes, env.sequencer,
                                                   (*host)->log());
  (*host)->AddReadinessStep("load admission lists",
                            [&admission_cache] { return admission_cache.Load(); });
  (*host)->AddStopHook([&admission_cache] { admission_cache.Stop(); });
  grassroots::orgs::AdmissionStore admissions(*env.pool, *env.changes);
  grassroots::orgs::AdmissionHandler admission_handler(env, admissions, admission_cache, &cache);
  grassroots::ChangeFeedHandler<grassroots::orgs::v1::ChangeFeedService> feed(env);
  (*host)->AddService(&area_handler);
  (*host)->AddService(&organisation_handler);
  (*host)->AddService(&member_handler);
  (*host)->AddService(&dues_handler);
  (*host)->AddService(&dues_table_handler);
  (*host)->AddService(&transfer_handler);
  (*host)->AddService(&place_handler);
  (*host)->AddService(&formation_handler);
  (*host)->AddService(&committee_handler);
  (*host)->AddService(&meeting_handler);
  (*host)->AddService(&resident_unit_handler);
  (*host)->AddService(&big_committee_handler);
  (*host)->AddService(&joint_meeting_handler);
  (*host)->AddService(&co_building_handler);
  (*host)->AddService(&resource_handler);
  (*host)->AddService(&decision_handler);
  (*host)->AddService(&consultation_handler);
  (*host)->AddService(&linkage_handler);
  (*host)->AddService(&evaluation_handler);
  (*host)->AddService(&admission_handler);
  (*host)->AddService(&feed);
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "orgs: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
