// orgs: party organisations bound to the jurisdiction tree. Wiring only.
#include <cppconn/driver.h>

#include <cstdio>

#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/server/service_host.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/area_store.h"
#include "services/orgs/consultation_handler.h"
#include "services/orgs/consultation_store.h"
#include "services/orgs/decision_handler.h"
#include "services/orgs/decision_store.h"
#include "services/orgs/dues_handler.h"
#include "services/orgs/dues_store.h"
#include "services/orgs/member_handler.h"
#include "services/orgs/member_store.h"
#include "services/orgs/objection_store.h"
#include "services/orgs/organisation_handler.h"
#include "services/orgs/organisation_store.h"
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
  options.push_back({"publication-min-days", grassroots::ConfigOption::Kind::kInt, "7",
                     "days a matter's resolution, then its result, stays published at least"});
  options.push_back({"objection-answer-days", grassroots::ConfigOption::Kind::kInt, "3",
                     "days within which an objection to a publication must be answered"});
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "orgs: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  auto publication = grassroots::orgs::PublicationRulesFromDays(
      config->GetInt("publication-min-days"), config->GetInt("objection-answer-days"));
  if (!publication.ok()) {
    std::fprintf(stderr, "orgs: %s\n", std::string(publication.status().message()).c_str());
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
  grassroots::orgs::OrganisationHandler organisation_handler(env, organisations, thresholds);
  grassroots::orgs::MemberStore members(*env.pool, *env.changes, **cipher);
  grassroots::orgs::MemberHandler member_handler(env, members);
  grassroots::orgs::DuesStore dues(*env.pool, *env.changes);
  grassroots::orgs::DuesHandler dues_handler(env, dues);
  grassroots::orgs::TransferStore transfers(*env.pool, *env.changes);
  grassroots::orgs::TransferHandler transfer_handler(env, transfers);
  grassroots::orgs::DecisionStore decisions(*env.pool, *env.changes);
  grassroots::orgs::ObjectionStore objections(*env.pool, *env.changes);
  grassroots::orgs::DecisionHandler decision_handler(env, decisions, objections, *publication);
  grassroots::orgs::ConsultationStore consultations(*env.pool, *env.changes);
  grassroots::orgs::ConsultationHandler consultation_handler(env, consultations);
  grassroots::ChangeFeedHandler<grassroots::orgs::v1::ChangeFeedService> feed(env);
  (*host)->AddService(&area_handler);
  (*host)->AddService(&organisation_handler);
  (*host)->AddService(&member_handler);
  (*host)->AddService(&dues_handler);
  (*host)->AddService(&transfer_handler);
  (*host)->AddService(&decision_handler);
  (*host)->AddService(&consultation_handler);
  (*host)->AddService(&feed);
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "orgs: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
