// Pay tables against the average wage, a worker's pay and revisions;
// training, coverage and the qualification feed.
#include <gtest/gtest.h>

#include "tests/integration/careers_fixture.h"

namespace grassroots::careers::testing {
namespace {

using Pay = v1::PayService::Stub;
using Training = v1::TrainingService::Stub;

v1::SetPayTableRequest FullTable(const std::string& region, int year, int64_t base_fen) {
  v1::SetPayTableRequest request;
  request.mutable_table()->set_region_path(region);
  request.mutable_table()->set_year(year);
  for (auto [post, lowest, highest] :
       {std::tuple{v1::POST_PRINCIPAL, 7, 18}, std::tuple{v1::POST_DEPUTY, 4, 15},
        std::tuple{v1::POST_FULL_TIME_STAFF, 1, 12},
        std::tuple{v1::POST_COMMITTEE_MEMBER, 1, 12}}) {
    for (int g = lowest; g <= highest; ++g) {
      v1::PayCell* cell = request.mutable_table()->add_cells();
      cell->set_post(post);
      cell->set_grade(g);
      cell->set_monthly_fen(base_fen + g * 10000);
    }
  }
  return request;
}

TEST_F(CareersServiceTest, APayTableMayNotFallBelowLastYearsWage) {
  auto table = FullTable("py-d", 2025, 500000);
  EXPECT_EQ(Reason(Rpc(*pay_, &Pay::SetPayTable, table).status()), "NO_AVERAGE_WAGE");
  v1::RecordAverageWageRequest wage;
  wage.mutable_wage()->set_region_path("py-d");
  wage.mutable_wage()->set_year(2024);
  wage.mutable_wage()->set_monthly_fen(505000);
  wage.mutable_wage()->set_effective_date("2025-01-15");
  ASSERT_TRUE(Rpc(*pay_, &Pay::RecordAverageWage, wage).ok());
  EXPECT_TRUE(Rpc(*pay_, &Pay::SetPayTable, table).ok());
  // The final figure, effective later, supersedes the first from its date.
  wage.mutable_wage()->set_monthly_fen(515000);
  wage.mutable_wage()->set_effective_date("2025-03-01");
  ASSERT_TRUE(Rpc(*pay_, &Pay::RecordAverageWage, wage).ok());
  auto refused = Rpc(*pay_, &Pay::SetPayTable, table);
  EXPECT_EQ(Reason(refused.status()), "PAY_BELOW_AVERAGE_WAGE");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  // A wage effective in the future does not count yet.
  wage.mutable_wage()->set_monthly_fen(900000);
  wage.mutable_wage()->set_effective_date("2099-01-01");
  ASSERT_TRUE(Rpc(*pay_, &Pay::RecordAverageWage, wage).ok());
  auto raised = FullTable("py-d", 2025, 506000);
  auto set = Rpc(*pay_, &Pay::SetPayTable, raised);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->floor_fen(), 515000);

  // A worker's pay from the table, and the grade their years reach.
  auto w = NewWorker("py-d/s1/c1", IdNumber(200), "2016-09-01");
  ASSERT_TRUE(w.ok()) << w.status();
  v1::GetWorkerPayRequest get;
  get.set_worker_id(w->id());
  get.set_year(2025);
  auto paid = Rpc(*pay_, &Pay::GetWorkerPay, get);
  ASSERT_TRUE(paid.ok()) << paid.status();
  EXPECT_EQ(paid->table_monthly_fen(), 506000 + 3 * 10000);
  EXPECT_EQ(paid->table_region_path(), "py-d");
  EXPECT_EQ(paid->service_years(), 11);  // 9 years and a bachelor's 2
  EXPECT_EQ(paid->eligible_grade(), 4);  // 1 + 11 / 3
  get.set_year(2026);
  EXPECT_EQ(Reason(Rpc(*pay_, &Pay::GetWorkerPay, get).status()), "PAY_TABLE_NOT_FOUND");

  v1::CreateSalaryRevisionRequest revise;
  revise.mutable_revision()->set_worker_id(w->id());
  revise.mutable_revision()->set_monthly_fen(546000);
  revise.mutable_revision()->set_reason("grade step to 4");
  revise.mutable_revision()->set_effective_date("2025-07-01");
  revise.set_request_id("rev-1");
  auto first = Rpc(*pay_, &Pay::CreateSalaryRevision, revise);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = Rpc(*pay_, &Pay::CreateSalaryRevision, revise);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  v1::ListSalaryRevisionsRequest list;
  list.set_worker_id(w->id());
  auto revisions = Rpc(*pay_, &Pay::ListSalaryRevisions, list);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->revisions_size(), 1);
  EXPECT_EQ(revisions->revisions(0).reason(), "grade step to 4");
  get.set_year(2025);
  paid = Rpc(*pay_, &Pay::GetWorkerPay, get);
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(paid->latest_revision().id(), first->id());
}

TEST_F(CareersServiceTest, ARegionsPolicyGovernsItsGrades) {
  v1::SetPayPolicyRequest policy;
  policy.mutable_policy()->set_region_path("pp-d");
  policy.mutable_policy()->set_grade_count(24);
  policy.mutable_policy()->set_step_years(2);
  for (auto [post, lowest, highest] :
       {std::tuple{v1::POST_PRINCIPAL, 10, 24}, std::tuple{v1::POST_DEPUTY, 6, 20},
        std::tuple{v1::POST_FULL_TIME_STAFF, 4, 16},
        std::tuple{v1::POST_COMMITTEE_MEMBER, 1, 16}}) {
    v1::GradeRange* r = policy.mutable_policy()->add_ranges();
    r->set_post(post);
    r->set_lowest(lowest);
    r->set_highest(highest);
  }
  ASSERT_TRUE(Rpc(*pay_, &Pay::SetPayPolicy, policy).ok());
  // Grade 3 is below full-time staff's range here.
  EXPECT_EQ(Reason(NewWorker("pp-d/s1/c1", IdNumber(300)).status()), "GRADE_OUTSIDE_POST_RANGE");
  EXPECT_TRUE(NewWorker("pp-e/s1/c1", IdNumber(300)).ok());
  v1::GetPayPolicyRequest get;
  get.set_path("pp-d/s1/c1");
  auto applied = Rpc(*pay_, &Pay::GetPayPolicy, get);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->region_path(), "pp-d");
  EXPECT_EQ(applied->grade_count(), 24);
}

TEST_F(CareersServiceTest, PassedPostTrainingQualifiesAndTheFeedSaysSo) {
  v1::ListQualificationChangesRequest from_start;
  auto before = Rpc(*training_, &Training::ListQualificationChanges, from_start);
  ASSERT_TRUE(before.ok()) << before.status();
  auto w = NewWorker("tr-d/s1/c1", IdNumber(400));
  auto other = NewWorker("tr-d/s1/c1", IdNumber(401));
  ASSERT_TRUE(w.ok() && other.ok());
  v1::CreateCourseRequest course;
  course.mutable_course()->set_region_path("tr-d");
  course.mutable_course()->set_title("岗前培训 2025");
  course.mutable_course()->set_kind(v1::COURSE_POST_TRAINING);
  course.mutable_course()->set_year(2025);
  course.mutable_course()->set_hours(40);
  auto made = Rpc(*training_, &Training::CreateCourse, course);
  ASSERT_TRUE(made.ok()) << made.status();
  v1::RecordTrainingResultRequest result;
  result.mutable_result()->set_worker_id(w->id());
  result.mutable_result()->set_course_id(made->id());
  result.mutable_result()->set_hours_attended(40);
  result.mutable_result()->set_passed(true);
  result.mutable_result()->set_score(88);
  result.mutable_result()->set_completion_date("2025-04-30");
  ASSERT_TRUE(Rpc(*training_, &Training::RecordTrainingResult, result).ok());
  EXPECT_EQ(Reason(Rpc(*training_, &Training::RecordTrainingResult, result).status()),
            "TRAINING_RESULT_EXISTS");
  v1::GetWorkerRequest get;
  get.set_id(w->id());
  auto qualified = Rpc(*workers_, &v1::WorkerService::Stub::GetWorker, get);
  ASSERT_TRUE(qualified.ok());
  EXPECT_TRUE(qualified->qualified_alone());
  EXPECT_NE(qualified->etag(), w->etag());

  v1::ListQualificationChangesRequest after;
  after.set_after_sequence(before->last_sequence());
  auto feed = Rpc(*training_, &Training::ListQualificationChanges, after);
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->changes_size(), 3);  // two created unqualified, one qualified
  EXPECT_EQ(feed->changes(2).worker_id(), w->id());
  EXPECT_TRUE(feed->changes(2).qualified_alone());
  EXPECT_EQ(feed->changes(2).sequence(), feed->changes(1).sequence() + 1);
  EXPECT_EQ(feed->last_sequence(), feed->changes(2).sequence());
  // The feed is the city's.
  EXPECT_EQ(Reason(Rpc(*training_, &Training::ListQualificationChanges, after, "tr-d").status()),
            "FEED_NEEDS_CITY_SCOPE");

  v1::GetTrainingCoverageRequest coverage;
  coverage.set_path("tr-d");
  coverage.set_year(2025);
  auto covered = Rpc(*training_, &Training::GetTrainingCoverage, coverage);
  ASSERT_TRUE(covered.ok()) << covered.status();
  EXPECT_EQ(covered->active_workers(), 2);
  EXPECT_EQ(covered->trained_workers(), 1);
  EXPECT_EQ(covered->hours(), 40);
  ASSERT_EQ(covered->untrained_size(), 1);
  EXPECT_EQ(covered->untrained(0).worker_id(), other->id());
  EXPECT_FALSE(covered->untrained(0).qualified_alone());

  // A worker who leaves is no longer qualified, and the feed says so.
  v1::ChangeWorkerRequest leave;
  leave.set_id(w->id());
  leave.set_etag(qualified->etag());
  leave.set_kind(v1::CHANGE_LEAVE);
  leave.set_effective_date("2025-12-31");
  leave.set_reason("contract ended");
  auto left = Rpc(*workers_, &v1::WorkerService::Stub::ChangeWorker, leave);
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_FALSE(left->qualified_alone());
  after.set_after_sequence(feed->last_sequence());
  feed = Rpc(*training_, &Training::ListQualificationChanges, after);
  ASSERT_TRUE(feed.ok());
  ASSERT_EQ(feed->changes_size(), 1);
  EXPECT_FALSE(feed->changes(0).qualified_alone());
}

}  // namespace
}  // namespace grassroots::careers::testing
