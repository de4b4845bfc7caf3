#include "services/grid/visit_log_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);

v1::Visit DoorVisit() {
  v1::Visit v;
  v.set_household_id("hh_1");
  v.set_worker_ref("careers:wk1");
  v.set_kind(v1::DOOR_VISIT);
  ToProtoTime(kNow - absl::Hours(2), v.mutable_visit_time());
  v.set_findings("独居老人身体尚可，冰箱空了");
  return v;
}

common::v1::Principal Caller(const std::string& id, std::initializer_list<const char*> roles) {
  common::v1::Principal p;
  p.set_id(id);
  for (const char* r : roles) p.add_roles(r);
  return p;
}

TEST(VisitLogRulesTest, AVisitNamesOneSubjectAWorkerAKindAndWhatWasFound) {
  EXPECT_TRUE(ValidateVisit(DoorVisit(), kNow).ok());
  v1::Visit both = DoorVisit();
  both.set_key_person_id("kp_1");
  EXPECT_EQ(Reason(ValidateVisit(both, kNow)), "VISIT_SUBJECT_REQUIRED");
  v1::Visit none = DoorVisit();
  none.clear_household_id();
  EXPECT_EQ(Reason(ValidateVisit(none, kNow)), "VISIT_SUBJECT_REQUIRED");
  EXPECT_EQ(ErrorField(ValidateVisit(none, kNow)).value_or(""), "visit.household_id");
  v1::Visit person = DoorVisit();
  person.clear_household_id();
  person.set_key_person_id("kp_1");
  EXPECT_TRUE(ValidateVisit(person, kNow).ok());
  v1::Visit worker = DoorVisit();
  worker.set_worker_ref("王五");
  EXPECT_EQ(Reason(ValidateVisit(worker, kNow)), "PERSON_REF_INVALID");
  v1::Visit kind = DoorVisit();
  kind.set_kind(v1::VISIT_KIND_UNSPECIFIED);
  EXPECT_EQ(Reason(ValidateVisit(kind, kNow)), "VISIT_KIND_REQUIRED");
  v1::Visit when = DoorVisit();
  when.clear_visit_time();
  EXPECT_EQ(Reason(ValidateVisit(when, kNow)), "VISIT_TIME_REQUIRED");
  v1::Visit silent = DoorVisit();
  silent.set_findings("");
  EXPECT_EQ(ErrorField(ValidateVisit(silent, kNow)).value_or(""), "visit.findings");
  v1::Visit essay = DoorVisit();
  essay.set_findings(std::string(kMaxFindingsBytes + 1, 'a'));
  EXPECT_FALSE(ValidateVisit(essay, kNow).ok());
  essay.set_findings(std::string(kMaxFindingsBytes, 'a'));
  EXPECT_TRUE(ValidateVisit(essay, kNow).ok());
}

TEST(VisitLogRulesTest, VisitsAreLoggedAfterTheyHappenAndWithinSixtyDays) {
  EXPECT_TRUE(ValidateVisitTime("t", kNow, kNow).ok());
  EXPECT_TRUE(ValidateVisitTime("t", kNow + kAllowedClockSkew, kNow).ok());
  EXPECT_EQ(Reason(ValidateVisitTime("t", kNow + kAllowedClockSkew + absl::Seconds(1), kNow)),
            "VISIT_IN_FUTURE");
  EXPECT_TRUE(ValidateVisitTime("t", kNow - kMaxLateLogging, kNow).ok());
  const absl::Status old = ValidateVisitTime("t", kNow - kMaxLateLogging - absl::Seconds(1), kNow);
  EXPECT_EQ(Reason(old), "VISIT_TOO_OLD");
  EXPECT_NE(old.message().find("within 60 days"), absl::string_view::npos) << old;
}

TEST(VisitLogRulesTest, AGridWorkerLogsOnlyItsOwnVisits) {
  EXPECT_TRUE(CheckVisitor(Caller("careers:wk1", {"grid.worker"}), "careers:wk1").ok());
  EXPECT_EQ(Reason(CheckVisitor(Caller("careers:wk1", {"grid.worker"}), "careers:wk2")),
            "WORKER_NOT_CALLER");
  EXPECT_TRUE(CheckVisitor(Caller("desk", {"grid.worker", "grid.editor"}), "careers:wk2").ok());
  EXPECT_TRUE(CheckVisitor(Caller("desk", {"grid.admin"}), "careers:wk2").ok());
}

TEST(VisitLogRulesTest, OnlyADoorVisitSatisfiesAnInterval) {
  EXPECT_TRUE(SatisfiesInterval(v1::DOOR_VISIT));
  EXPECT_FALSE(SatisfiesInterval(v1::PHONE));
  EXPECT_FALSE(SatisfiesInterval(v1::OTHER_CONTACT));
}

}  // namespace
}  // namespace grassroots::grid
