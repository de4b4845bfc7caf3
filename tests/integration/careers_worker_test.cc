// Workers: records with their personal data protected, scope, changes with
// etags and history, and the staffing report.
#include <gtest/gtest.h>

#include "tests/integration/careers_fixture.h"

namespace grassroots::careers::testing {
namespace {

using Stub = v1::WorkerService::Stub;

TEST_F(CareersServiceTest, AWorkerIsAnsweredMaskedAndFoundByIdNumberWithAudit) {
  auto made = NewWorker("cw-d/s1/c1", IdNumber(1));
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->masked_name(), "王*英");
  EXPECT_EQ(made->masked_id_number(),
            IdNumber(1).substr(0, 4) + "**********" + IdNumber(1).substr(14));
  EXPECT_TRUE(made->name().empty());
  EXPECT_TRUE(made->id_number().empty());
  EXPECT_EQ(made->rung(), v1::RUNG_COMMUNITY_CADRE);
  EXPECT_EQ(made->status(), v1::WORKER_ACTIVE);
  EXPECT_FALSE(made->qualified_alone());
  // One record per person.
  EXPECT_EQ(Reason(NewWorker("cw-d/s1/c2", IdNumber(1)).status()), "WORKER_EXISTS");

  const int reads_before = CountRows("SELECT COUNT(*) FROM personal_data_reads");
  v1::FindWorkerByIdNumberRequest find;
  find.set_id_number(IdNumber(1));
  find.set_purpose("payroll check");
  auto found = Rpc(*workers_, &Stub::FindWorkerByIdNumber, find);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->id(), made->id());
  // Another street's officer finds nothing, and is audited too.
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::FindWorkerByIdNumber, find, "cw-d/s2").status()),
            "WORKER_NOT_FOUND");
  v1::RevealWorkerIdNumberRequest reveal;
  reveal.set_id(made->id());
  reveal.set_purpose("social insurance filing");
  auto revealed = Rpc(*workers_, &Stub::RevealWorkerIdNumber, reveal);
  ASSERT_TRUE(revealed.ok()) << revealed.status();
  EXPECT_EQ(revealed->id_number(), IdNumber(1));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM personal_data_reads"), reads_before + 3);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM personal_data_reads WHERE action = 'reveal' AND"
                      " purpose = 'social insurance filing'"),
            1);
  // Nothing in the database holds the number in clear.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM workers WHERE id_number_masked = '" + IdNumber(1) +
                      "' OR CAST(id_number_cipher AS CHAR) LIKE '%" + IdNumber(1) + "%'"),
            0);
}

TEST_F(CareersServiceTest, AStreetSeesOnlyItsOwnWorkers) {
  auto mine = NewWorker("cw-d/s1/c3", IdNumber(2));
  auto theirs = NewWorker("cw-d/s2/c1", IdNumber(3));
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_EQ(Reason(NewWorker("cw-d/s2/c1", IdNumber(4), "2020-03-01", "cw-d/s1").status()),
            "OUT_OF_SCOPE");
  v1::GetWorkerRequest get;
  get.set_id(theirs->id());
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::GetWorker, get, "cw-d/s1").status()), "OUT_OF_SCOPE");
  v1::ListWorkersRequest list;
  list.set_path_prefix("cw-d");
  auto listed = Rpc(*workers_, &Stub::ListWorkers, list, "cw-d/s1");
  ASSERT_TRUE(listed.ok()) << listed.status();
  for (const v1::Worker& w : listed->workers())
    EXPECT_EQ(w.community_path().rfind("cw-d/s1", 0), 0u);
  EXPECT_FALSE(listed->workers().empty());
}

TEST_F(CareersServiceTest, ChangesNeedTheEtagStayInTheGradeRangeAndAreKept) {
  auto w = NewWorker("cw-d/s1/c4", IdNumber(5));
  ASSERT_TRUE(w.ok()) << w.status();
  v1::ChangeWorkerRequest change;
  change.set_id(w->id());
  change.set_etag(w->etag());
  change.set_kind(v1::CHANGE_POST);
  change.set_post(v1::POST_DEPUTY);
  change.set_grade(3);  // deputies span 4-15
  change.set_effective_date("2024-01-01");
  change.set_reason("elected deputy director");
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::ChangeWorker, change).status()),
            "GRADE_OUTSIDE_POST_RANGE");
  change.set_grade(4);
  auto promoted = Rpc(*workers_, &Stub::ChangeWorker, change);
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_EQ(promoted->post(), v1::POST_DEPUTY);
  EXPECT_NE(promoted->etag(), w->etag());
  // The old etag is refused.
  change.set_kind(v1::CHANGE_GRADE);
  change.set_grade(5);
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::ChangeWorker, change).status()), "ETAG_MISMATCH");

  v1::ChangeWorkerRequest rotate;
  rotate.set_id(w->id());
  rotate.set_etag(promoted->etag());
  rotate.set_kind(v1::CHANGE_ROTATION);
  rotate.set_community_path("cw-d/s1/c5");
  rotate.set_effective_date("2024-06-01");
  rotate.set_reason("rotation plan");
  auto rotated = Rpc(*workers_, &Stub::ChangeWorker, rotate);
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  v1::ChangeWorkerRequest second = rotate;
  second.set_etag(rotated->etag());
  second.set_kind(v1::CHANGE_SECONDMENT);
  second.set_seconded_to("district civil affairs bureau");
  auto seconded = Rpc(*workers_, &Stub::ChangeWorker, second);
  ASSERT_TRUE(seconded.ok()) << seconded.status();
  EXPECT_EQ(seconded->status(), v1::WORKER_SECONDED);
  second.set_etag(seconded->etag());
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::ChangeWorker, second).status()), "WORKER_SECONDED");
  // A ladder step needs two years on the rung and an assessment.
  v1::ChangeWorkerRequest step = rotate;
  step.set_etag(seconded->etag());
  step.set_kind(v1::CHANGE_LADDER_STEP);
  step.set_rung(v1::RUNG_COMMITTEE_MEMBER);
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::ChangeWorker, step).status()), "LADDER_WORKER_NOT_ACTIVE");

  v1::ListWorkerHistoryRequest history;
  history.set_id(w->id());
  auto kept = Rpc(*workers_, &Stub::ListWorkerHistory, history);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->changes_size(), 5);  // post, grade, community, status, seconded_to
  EXPECT_EQ(kept->changes(0).field(), "post");
  EXPECT_EQ(kept->changes(0).after(), "POST_DEPUTY");
  EXPECT_EQ(kept->changes(1).field(), "grade");
  EXPECT_EQ(kept->changes(2).before(), "cw-d/s1/c4");
  EXPECT_EQ(kept->changes(2).kind(), v1::CHANGE_ROTATION);
  EXPECT_EQ(kept->changes(4).after(), "district civil affairs bureau");
  EXPECT_EQ(kept->changes(0).reason(), "elected deputy director");
}

// The week volunteer asks about: the standard one unless given, checked,
// changed like any other field and kept in the history.
TEST_F(CareersServiceTest, AWorkerWorksTheStandardWeekUnlessGivenAndItIsChangedWithHistory) {
  auto standard = NewWorker("cw-d/s1/c6", IdNumber(41));
  ASSERT_TRUE(standard.ok()) << standard.status();
  EXPECT_EQ(standard->working_hours().weekdays(), 31);
  EXPECT_EQ(standard->working_hours().start_minute(), 540);
  EXPECT_EQ(standard->working_hours().end_minute(), 1020);
  EXPECT_EQ(standard->working_hours().utc_offset_minutes(), 480);

  v1::CreateWorkerRequest create;
  v1::Worker* w = create.mutable_worker();
  w->set_community_path("cw-d/s1/c6");
  w->set_name("李娜");
  w->set_id_number(IdNumber(42));
  w->set_post(v1::POST_FULL_TIME_STAFF);
  w->set_grade(3);
  w->set_entry_channel(v1::ENTRY_INTERNAL_SELECTION);
  w->set_hire_date("2021-09-01");
  w->mutable_working_hours()->set_weekdays(96);  // Saturday and Sunday
  w->mutable_working_hours()->set_start_minute(1020);
  w->mutable_working_hours()->set_end_minute(600);
  w->mutable_working_hours()->set_utc_offset_minutes(480);
  auto backwards = Rpc(*workers_, &Stub::CreateWorker, create);
  EXPECT_EQ(Reason(backwards.status()), "WORKING_HOURS_INVALID");
  EXPECT_NE(backwards.status().message().find("worker.working_hours.start_minute"),
            std::string::npos)
      << backwards.status();
  w->mutable_working_hours()->set_start_minute(480);
  auto weekend = Rpc(*workers_, &Stub::CreateWorker, create);
  ASSERT_TRUE(weekend.ok()) << weekend.status();
  EXPECT_EQ(weekend->working_hours().weekdays(), 96);
  EXPECT_EQ(weekend->working_hours().start_minute(), 480);

  v1::ChangeWorkerRequest change;
  change.set_id(standard->id());
  change.set_etag(standard->etag());
  change.set_kind(v1::CHANGE_WORKING_HOURS);
  change.set_effective_date("2026-01-01");
  change.set_reason("weekend duty rota");
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::ChangeWorker, change).status()), "WORKING_HOURS_REQUIRED");
  *change.mutable_working_hours() = standard->working_hours();
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::ChangeWorker, change).status()), "NO_CHANGE");
  change.mutable_working_hours()->set_weekdays(0);
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::ChangeWorker, change).status()), "WORKING_HOURS_INVALID");
  change.mutable_working_hours()->set_weekdays(127);
  change.mutable_working_hours()->set_start_minute(600);
  auto changed = Rpc(*workers_, &Stub::ChangeWorker, change);
  ASSERT_TRUE(changed.ok()) << changed.status();
  v1::GetWorkerRequest get;
  get.set_id(standard->id());
  auto read = Rpc(*workers_, &Stub::GetWorker, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->working_hours().weekdays(), 127);
  EXPECT_EQ(read->working_hours().start_minute(), 600);
  EXPECT_EQ(read->working_hours().end_minute(), 1020);
  v1::ListWorkerHistoryRequest history;
  history.set_id(standard->id());
  auto kept = Rpc(*workers_, &Stub::ListWorkerHistory, history);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->changes_size(), 1);
  EXPECT_EQ(kept->changes(0).kind(), v1::CHANGE_WORKING_HOURS);
  EXPECT_EQ(kept->changes(0).field(), "working_hours");
  EXPECT_EQ(kept->changes(0).before(), "weekdays 31, 540-1020, UTC+480");
  EXPECT_EQ(kept->changes(0).after(), "weekdays 127, 600-1020, UTC+480");
  // What volunteer reads: the week and the status, no personal data.
  auto week = Rpc(*workers_, &Stub::GetWorkingHours, get);
  ASSERT_TRUE(week.ok()) << week.status();
  EXPECT_EQ(week->worker_id(), standard->id());
  EXPECT_EQ(week->community_path(), "cw-d/s1/c6");
  EXPECT_EQ(week->status(), v1::WORKER_ACTIVE);
  EXPECT_EQ(week->working_hours().weekdays(), 127);
  EXPECT_EQ(Reason(Rpc(*workers_, &Stub::GetWorkingHours, get, "cw-d/s2").status()),
            "OUT_OF_SCOPE");
}

TEST_F(CareersServiceTest, StaffingReportPerStreet) {
  v1::SetStaffingRuleRequest rule;
  rule.mutable_rule()->set_region_path("st-d/s2");
  rule.mutable_rule()->set_base_households(1000);
  rule.mutable_rule()->set_minimum_workers(1);
  rule.mutable_rule()->set_households_per_extra_worker(1000);
  ASSERT_TRUE(Rpc(*staffing_, &v1::StaffingService::Stub::SetStaffingRule, rule).ok());
  for (const auto& [community, households] :
       std::vector<std::pair<std::string, int>>{{"st-d/s1/c1", 3600}, {"st-d/s2/c1", 2500}}) {
    v1::SetCommunityHouseholdsRequest set;
    set.mutable_households()->set_community_path(community);
    set.mutable_households()->set_households(households);
    ASSERT_TRUE(Rpc(*staffing_, &v1::StaffingService::Stub::SetCommunityHouseholds, set).ok());
  }
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(NewWorker("st-d/s2/c1", IdNumber(100 + i)).ok());
  ASSERT_TRUE(NewWorker("st-d/s1/c1", IdNumber(110)).ok());
  v1::GetStaffingReportRequest request;
  request.set_path("st-d");
  auto report = Rpc(*staffing_, &v1::StaffingService::Stub::GetStaffingReport, request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->streets_size(), 2);
  const v1::CommunityStaffing& c1 = report->streets(0).communities(0);
  EXPECT_EQ(c1.community_path(), "st-d/s1/c1");
  EXPECT_EQ(c1.quota(), 12);  // 10 + 600 households above 3,000 at 300 a worker
  EXPECT_EQ(c1.workers(), 1);
  EXPECT_EQ(c1.staffing(), v1::STAFFING_UNDER);
  EXPECT_EQ(report->streets(0).under_staffed(), 1);
  const v1::CommunityStaffing& c2 = report->streets(1).communities(0);
  EXPECT_EQ(c2.quota(), 3);  // the street's own rule: 1 + 2
  EXPECT_EQ(c2.rule_region_path(), "st-d/s2");
  EXPECT_EQ(c2.staffing(), v1::STAFFING_OVER);
  EXPECT_EQ(report->streets(1).over_staffed(), 1);
  // A street sees its own report only.
  EXPECT_EQ(
      Reason(Rpc(*staffing_, &v1::StaffingService::Stub::GetStaffingReport, request, "st-d/s1")
                 .status()),
      "OUT_OF_SCOPE");
}

}  // namespace
}  // namespace grassroots::careers::testing
