// Regional party building against a real MariaDB over gRPC: resident units
// (the liaison encrypted at rest, masked out, revealed only with an audit
// row), big party committees, joint meetings and their decisions,
// resources matched to needs, co-building projects.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "tests/integration/regional_fixture.h"

namespace grassroots::orgs::testing {
namespace {

using ::grassroots::testing::QueryInt;
using Units = v1::ResidentUnitService::Stub;
using Committees = v1::BigPartyCommitteeService::Stub;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST_F(RegionalServiceTest, TheLiaisonIsEncryptedAtRestMaskedOutAndRevealedOnlyWithARecord) {
  Tree t = MakeTree("ru1");
  auto unit = AddUnit(t.c1, "No. 3 Middle School");
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(unit->liaison_name(), "王*明");
  EXPECT_EQ(unit->liaison_phone(), "139****2222");
  EXPECT_EQ(unit->area_path(), "ru1/s1/c1");
  EXPECT_EQ(unit->state(), v1::ResidentUnit::ACTIVE);

  // Nothing in the clear in the table or the change feed; the same queries
  // find the masked phone, so they can see what they look for.
  const std::string where = absl::StrCat(" WHERE id = '", unit->id(), "'");
  auto in_table = [&](const std::string& text) {
    return QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM resident_units", where,
                                         " AND INSTR(CONCAT(liaison_name_cipher,"
                                         " liaison_phone_cipher, liaison_name_masked,"
                                         " liaison_phone_masked), '",
                                         text, "') > 0"));
  };
  auto in_feed = [&](const std::string& text) {
    return QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                         unit->id(), "' AND INSTR(after_state, '", text, "') > 0"));
  };
  EXPECT_EQ(in_table("139****2222"), 1);
  EXPECT_EQ(in_feed("139****2222"), 1);
  for (const std::string clear : {"13900002222", "王小明"}) {
    EXPECT_EQ(in_table(clear), 0) << clear;
    EXPECT_EQ(in_feed(clear), 0) << clear;
  }
  v1::GetResidentUnitRequest get;
  get.set_id(unit->id());
  auto read = Rpc(*units_, &Units::GetResidentUnit, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->liaison_phone(), "139****2222");
  EXPECT_EQ(read->liaison_name(), "王*明");

  auto reveals = [&] {
    return QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM personal_data_reads WHERE"
                                         " resident_unit_id = '",
                                         unit->id(),
                                         "' AND action = 'reveal' AND actor ="
                                         " 'clerk' AND fields = 'liaison_name,liaison_phone'"
                                         " AND purpose = 'inviting the unit to the meeting'"
                                         " AND member_id IS NULL"));
  };
  v1::RevealUnitLiaisonRequest reveal;
  reveal.set_id(unit->id());
  auto no_purpose = Rpc(*units_, &Units::RevealUnitLiaison, reveal, "", "clerk");
  EXPECT_EQ(Reason(no_purpose.status()), "PURPOSE_REQUIRED");
  reveal.set_purpose("inviting the unit to the meeting");
  // Another street's officer: refused, and nothing is recorded as read.
  auto elsewhere = Rpc(*units_, &Units::RevealUnitLiaison, reveal, "ru1/s2", "clerk");
  EXPECT_EQ(elsewhere.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reveals(), 0);
  auto clear = Rpc(*units_, &Units::RevealUnitLiaison, reveal, "ru1/s1", "clerk");
  ASSERT_TRUE(clear.ok()) << clear.status();
  EXPECT_EQ(clear->name(), "王小明");
  EXPECT_EQ(clear->phone(), "13900002222");  // normalised before it was encrypted
  EXPECT_EQ(reveals(), 1);

  // A ciphertext copied onto another unit does not decrypt there.
  auto other = AddUnit(t.c1, "Other School");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(db::RunInTransaction(pool(), [&](db::Connection& c) {
                auto& copy = c.Prepare(
                    "UPDATE resident_units o JOIN resident_units u ON u.id = ? SET"
                    " o.liaison_phone_cipher = u.liaison_phone_cipher WHERE o.id = ?");
                copy.setString(1, unit->id());
                copy.setString(2, other->id());
                copy.executeUpdate();
                return absl::OkStatus();
              }).ok());
  reveal.set_id(other->id());
  EXPECT_EQ(Rpc(*units_, &Units::RevealUnitLiaison, reveal).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(RegionalServiceTest, CreatesAreIdempotentEvenWhenRetriedConcurrently) {
  Tree t = MakeTree("ru2");
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto unit = AddUnit(t.s1, "District Hospital", v1::ResidentUnit::HOSPITAL, "", "unit-once");
      ids[i] = unit.ok() ? unit->id() : unit.status().ToString();
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM resident_units WHERE area_path = 'ru2/s1'"), 1);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                          ids[0], "'")),
            1);
  // Units register with streets and communities, not districts.
  EXPECT_EQ(Reason(AddUnit(t.district, "Too High").status()), "UNIT_PLACE_INVALID");
}

TEST_F(RegionalServiceTest, AnotherStreetSeesNothingAndCannotRegisterHere) {
  Tree t = MakeTree("ru3");
  auto unit = AddUnit(t.c1, "Power Supply Bureau", v1::ResidentUnit::STATE_OWNED_ENTERPRISE);
  ASSERT_TRUE(unit.ok()) << unit.status();
  v1::GetResidentUnitRequest get;
  get.set_id(unit->id());
  auto hidden = Rpc(*units_, &Units::GetResidentUnit, get, "ru3/s2");
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(hidden.status()), "OUT_OF_SCOPE");
  // An id that exists nowhere answers the same way to a scoped caller.
  get.set_id("ru_doesnotexist");
  auto nowhere = Rpc(*units_, &Units::GetResidentUnit, get, "ru3/s2");
  EXPECT_EQ(nowhere.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(nowhere.status().message(), hidden.status().message());
  EXPECT_EQ(Rpc(*units_, &Units::GetResidentUnit, get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(AddUnit(t.c1, "Intruder", v1::ResidentUnit::SCHOOL, "ru3/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(AddUnit(t.c1, "Welcome", v1::ResidentUnit::SCHOOL, "ru3/s1").ok());
}

TEST_F(RegionalServiceTest, UpdatesNameTheirFieldsAndCarryTheEtag) {
  Tree t = MakeTree("ru4");
  auto unit = *AddUnit(t.c1, "Tax Office", v1::ResidentUnit::GOVERNMENT_BODY);
  v1::UpdateResidentUnitRequest update;
  update.mutable_unit()->set_id(unit.id());
  update.mutable_unit()->set_etag(unit.etag());
  update.mutable_unit()->set_employee_count(85);
  update.mutable_unit()->set_liaison_phone("+86 138-0000-1111");
  update.mutable_unit()->set_display_name("ignored: not in the mask");
  update.mutable_update_mask()->add_paths("employee_count");
  update.mutable_update_mask()->add_paths("liaison_phone");
  auto updated = Rpc(*units_, &Units::UpdateResidentUnit, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->employee_count(), 85);
  EXPECT_EQ(updated->display_name(), "Tax Office");
  EXPECT_EQ(updated->liaison_phone(), "+86*******1111");
  EXPECT_EQ(updated->liaison_name(), "王*明");
  EXPECT_NE(updated->etag(), unit.etag());
  // The old etag is stale now.
  auto stale = Rpc(*units_, &Units::UpdateResidentUnit, update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Reason(stale.status()), "ETAG_MISMATCH");
  update.mutable_update_mask()->add_paths("area_id");
  EXPECT_EQ(Reason(Rpc(*units_, &Units::UpdateResidentUnit, update).status()),
            "FIELD_NOT_UPDATABLE");
  v1::RevealUnitLiaisonRequest reveal;
  reveal.set_id(unit.id());
  reveal.set_purpose("checking the new number");
  EXPECT_EQ(Rpc(*units_, &Units::RevealUnitLiaison, reveal)->phone(), "+8613800001111");
  // The organisation link must exist and be in scope.
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("organisation_id");
  update.mutable_unit()->set_etag(updated->etag());
  update.mutable_unit()->set_organisation_id(t.s2_org);
  EXPECT_EQ(Rpc(*units_, &Units::UpdateResidentUnit, update, "ru4/s1").status().code(),
            absl::StatusCode::kPermissionDenied);
  update.mutable_unit()->set_organisation_id(t.grid_org);
  auto linked = Rpc(*units_, &Units::UpdateResidentUnit, update, "ru4/s1");
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->organisation_id(), t.grid_org);
}

TEST_F(RegionalServiceTest, ListsAPlaceSubtreeByKindInPages) {
  Tree t = MakeTree("ru5");
  ASSERT_TRUE(AddUnit(t.c1, "School A").ok());
  ASSERT_TRUE(AddUnit(t.c2, "School B").ok());
  ASSERT_TRUE(AddUnit(t.s1, "Street Hospital", v1::ResidentUnit::HOSPITAL).ok());
  ASSERT_TRUE(AddUnit(t.c3, "School C").ok());
  auto list = [&](const std::string& scope, const std::string& area,
                  v1::ResidentUnit::Kind kind = v1::ResidentUnit::KIND_UNSPECIFIED) {
    std::vector<std::string> names;
    v1::ListResidentUnitsRequest request;
    request.set_area_id(area);
    request.set_kind(kind);
    request.set_page_size(1);
    for (int pages = 0; pages < 20; ++pages) {
      auto page = Rpc(*units_, &Units::ListResidentUnits, request, scope);
      if (!page.ok()) return std::vector<std::string>{Reason(page.status())};
      for (const auto& u : page->units()) {
        names.push_back(u.display_name());
        EXPECT_NE(u.liaison_phone().find('*'), std::string::npos);
      }
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
    }
    // Pages follow id order, which is stable but not creation order (ids
    // made at one instant of the frozen clock differ in their random part).
    std::sort(names.begin(), names.end());
    return names;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(list("", t.s1), (Names{"School A", "School B", "Street Hospital"}));
  EXPECT_EQ(list("", t.c1), (Names{"School A"}));
  EXPECT_EQ(list("", t.district, v1::ResidentUnit::SCHOOL),
            (Names{"School A", "School B", "School C"}));
  EXPECT_EQ(list("ru5/s2", t.district), (Names{"School C"}));
  EXPECT_EQ(list("ru5/s2", t.s1), (Names{"OUT_OF_SCOPE"}));
  // A token from one query is refused for another.
  v1::ListResidentUnitsRequest first;
  first.set_area_id(t.s1);
  first.set_page_size(1);
  auto page = Rpc(*units_, &Units::ListResidentUnits, first);
  ASSERT_FALSE(page->next_page_token().empty());
  first.set_area_id(t.c1);
  first.set_page_token(page->next_page_token());
  EXPECT_EQ(Rpc(*units_, &Units::ListResidentUnits, first).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RegionalServiceTest, WithdrawingKeepsTheUnitAndEndsItsSeatsTogether) {
  Tree t = MakeTree("ru6");
  auto unit = *AddUnit(t.c1, "Logistics Park", v1::ResidentUnit::PRIVATE_ENTERPRISE);
  auto street_seat = Seat(t.s1_org, unit.id());
  ASSERT_TRUE(street_seat.ok()) << street_seat.status();
  auto community_seat = Seat(t.c1_org, unit.id());
  ASSERT_TRUE(community_seat.ok()) << community_seat.status();
  v1::WithdrawResidentUnitRequest withdraw;
  withdraw.set_id(unit.id());
  withdraw.set_etag(unit.etag());
  EXPECT_EQ(Reason(Rpc(*units_, &Units::WithdrawResidentUnit, withdraw).status()), "TEXT_REQUIRED");
  withdraw.set_reason("moved to the new industrial zone");
  auto withdrawn = Rpc(*units_, &Units::WithdrawResidentUnit, withdraw);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state(), v1::ResidentUnit::WITHDRAWN);
  EXPECT_EQ(withdrawn->withdraw_reason(), "moved to the new industrial zone");
  EXPECT_TRUE(withdrawn->has_withdraw_time());
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM big_committee_seats WHERE"
                                          " unit_id = '",
                                          unit.id(), "' AND state = 2 AND seated_unit_id IS NULL")),
            2);
  // Kept, but out of the default listing, and closed to changes.
  v1::ListResidentUnitsRequest list;
  list.set_area_id(t.s1);
  EXPECT_EQ(Rpc(*units_, &Units::ListResidentUnits, list)->units_size(), 0);
  list.set_include_withdrawn(true);
  EXPECT_EQ(Rpc(*units_, &Units::ListResidentUnits, list)->units_size(), 1);
  withdraw.set_etag(withdrawn->etag());
  EXPECT_EQ(Reason(Rpc(*units_, &Units::WithdrawResidentUnit, withdraw).status()),
            "UNIT_WITHDRAWN");
  v1::UpdateResidentUnitRequest update;
  update.mutable_unit()->set_id(unit.id());
  update.mutable_unit()->set_display_name("Renamed");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_EQ(Reason(Rpc(*units_, &Units::UpdateResidentUnit, update).status()), "UNIT_WITHDRAWN");
  EXPECT_EQ(Reason(Seat(t.s1_org, unit.id()).status()), "UNIT_WITHDRAWN");
  v1::ListCommitteeUnitsRequest seats;
  seats.set_organisation_id(t.s1_org);
  EXPECT_EQ(Rpc(*committees_, &Committees::ListCommitteeUnits, seats)->seats_size(), 0);
  seats.set_include_removed(true);
  auto history = Rpc(*committees_, &Committees::ListCommitteeUnits, seats);
  ASSERT_EQ(history->seats_size(), 1);
  EXPECT_EQ(history->seats(0).remove_reason(), "the unit withdrew");
}

TEST_F(RegionalServiceTest, ABigCommitteeSeatsUnitsOfItsPlaceOnceEach) {
  Tree t = MakeTree("ru7");
  auto school = *AddUnit(t.c1, "Primary School");
  auto hospital = *AddUnit(t.s1, "Street Hospital", v1::ResidentUnit::HOSPITAL);
  auto far = *AddUnit(t.c3, "Far Factory", v1::ResidentUnit::PRIVATE_ENTERPRISE);
  auto seat = Seat(t.s1_org, school.id(), "ru7/s1");
  ASSERT_TRUE(seat.ok()) << seat.status();
  EXPECT_EQ(seat->unit_name(), "Primary School");
  EXPECT_EQ(seat->area_path(), "ru7/s1");
  EXPECT_EQ(seat->state(), v1::BigCommitteeSeat::SEATED);
  auto twice = Seat(t.s1_org, school.id());
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Reason(twice.status()), "UNIT_ALREADY_ON_COMMITTEE");
  // Units of another street, or above the committee's community, do not sit on it.
  EXPECT_EQ(Reason(Seat(t.s1_org, far.id()).status()), "UNIT_OUTSIDE_PLACE");
  EXPECT_EQ(Reason(Seat(t.c1_org, hospital.id()).status()), "UNIT_OUTSIDE_PLACE");
  EXPECT_EQ(Seat(t.s1_org, far.id(), "ru7/s1").status().code(),
            absl::StatusCode::kPermissionDenied);
  // Only street and community organisations hold big committees.
  EXPECT_EQ(Reason(Seat(t.grid_org, school.id()).status()), "NOT_A_REGIONAL_LEAD");
  EXPECT_EQ(Reason(Seat(t.s1_org, hospital.id(), "", "2031-01-02").status()), "SEAT_TERM_TOO_LONG");
  ASSERT_TRUE(Seat(t.s1_org, hospital.id(), "", "2031-01-01").ok());

  v1::ListCommitteeUnitsRequest list;
  list.set_organisation_id(t.s1_org);
  list.set_page_size(1);
  auto first = Rpc(*committees_, &Committees::ListCommitteeUnits, list);
  ASSERT_EQ(first->seats_size(), 1);
  ASSERT_FALSE(first->next_page_token().empty());
  list.set_page_token(first->next_page_token());
  auto second = Rpc(*committees_, &Committees::ListCommitteeUnits, list);
  ASSERT_EQ(second->seats_size(), 1);
  EXPECT_TRUE(second->next_page_token().empty());
  EXPECT_NE(first->seats(0).unit_id(), second->seats(0).unit_id());
  list.clear_page_token();
  EXPECT_EQ(Rpc(*committees_, &Committees::ListCommitteeUnits, list, "ru7/s2").status().code(),
            absl::StatusCode::kPermissionDenied);

  // Removing takes the etag; the unit may be seated again afterwards.
  v1::RemoveCommitteeUnitRequest remove;
  remove.set_id(seat->id());
  remove.set_etag("99");
  EXPECT_EQ(Rpc(*committees_, &Committees::RemoveCommitteeUnit, remove).status().code(),
            absl::StatusCode::kAborted);
  remove.set_etag(seat->etag());
  remove.set_reason("term ended early");
  auto removed = Rpc(*committees_, &Committees::RemoveCommitteeUnit, remove);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->state(), v1::BigCommitteeSeat::REMOVED);
  remove.set_etag(removed->etag());
  EXPECT_EQ(Reason(Rpc(*committees_, &Committees::RemoveCommitteeUnit, remove).status()),
            "SEAT_REMOVED");
  auto again = Seat(t.s1_org, school.id());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(again->id(), seat->id());
}

using Meetings = v1::JointMeetingService::Stub;
using Projects = v1::CoBuildingProjectService::Stub;

TEST_F(RegionalServiceTest, AgendaItemsAreDueFifteenDaysBeforeTheMeeting) {
  Tree t = MakeTree("jm1");
  auto school = *AddUnit(t.c1, "School");
  auto stranger = *AddUnit(t.c2, "Not Invited");
  const absl::CivilDay date = kStartDay + 30;  // 2026-05-31: items due by 2026-05-16
  auto meeting = Schedule(t.s1_org, date, {school.id()});
  ASSERT_TRUE(meeting.ok()) << meeting.status();
  EXPECT_EQ(meeting->agenda_due_date(), "2026-05-16");
  EXPECT_EQ(meeting->state(), v1::JointMeeting::PLANNED);
  auto submit = [&](const std::string& unit, const std::string& request_id = "") {
    v1::SubmitAgendaItemRequest request;
    request.set_meeting_id(meeting->id());
    request.set_unit_id(unit);
    request.set_title("Parking for the school run");
    request.set_description("Two hundred parents' cars every morning.\nSpaces are needed.");
    request.set_request_id(request_id);
    return Rpc(*meetings_, &Meetings::SubmitAgendaItem, request, "jm1/s1", "liaison");
  };
  SetToday(absl::CivilDay(2026, 5, 15));
  ASSERT_TRUE(submit(school.id()).ok());
  SetToday(absl::CivilDay(2026, 5, 16));  // the fifteenth day before: still in time
  auto in_time = submit(school.id(), "item-1");
  ASSERT_TRUE(in_time.ok()) << in_time.status();
  EXPECT_EQ(in_time->submitted_by(), "liaison");
  auto convener = submit("");
  ASSERT_TRUE(convener.ok()) << convener.status();
  EXPECT_EQ(convener->unit_id(), "");
  EXPECT_EQ(Reason(submit(stranger.id()).status()), "UNIT_NOT_INVITED");
  SetToday(absl::CivilDay(2026, 5, 17));
  auto late = submit(school.id());
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(late.status()), "AGENDA_TOO_LATE");
  EXPECT_NE(late.status().message().find("the last day was 2026-05-16"), std::string::npos)
      << late.status();
  EXPECT_EQ(Reason(submit("").status()), "AGENDA_TOO_LATE");
  // A retry of an accepted item answers as the first time, even after the deadline.
  auto retry = submit(school.id(), "item-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), in_time->id());
  v1::GetJointMeetingRequest get;
  get.set_id(meeting->id());
  auto read = Rpc(*meetings_, &Meetings::GetJointMeeting, get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->agenda_items_size(), 3);
  // Another street's officer cannot submit to this meeting.
  v1::SubmitAgendaItemRequest foreign;
  foreign.set_meeting_id(meeting->id());
  foreign.set_title("x");
  SetToday(kStartDay);
  EXPECT_EQ(Rpc(*meetings_, &Meetings::SubmitAgendaItem, foreign, "jm1/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(RegionalServiceTest, RecordingAMeetingMakesEachDecisionAProjectAtOnce) {
  Tree t = MakeTree("jm2");
  auto school = *AddUnit(t.c1, "School");
  auto hospital = *AddUnit(t.s1, "Hospital", v1::ResidentUnit::HOSPITAL);
  const absl::CivilDay date = kStartDay + 20;
  auto meeting = *Schedule(t.s1_org, date, {school.id(), hospital.id()});
  v1::RecordJointMeetingRequest record;
  record.set_id(meeting.id());
  record.set_etag(meeting.etag());
  record.add_present_unit_ids(school.id());
  record.set_minutes("Agreed:\n1. the school opens its playground on Saturdays;\n2. free clinics.");
  auto* playground = record.add_decisions();
  playground->set_title("Open the playground on Saturdays");
  playground->set_owner_unit_id(school.id());
  playground->set_due_date(DayText(date + 30));
  auto* clinic = record.add_decisions();
  clinic->set_title("Monthly free clinic for the elderly");
  clinic->set_owner_unit_id(hospital.id());
  clinic->set_due_date(DayText(date + 60));
  // Not before the meeting's day.
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::RecordJointMeeting, record).status()),
            "MEETING_NOT_YET_HELD");
  SetToday(date);
  // A bad decision refuses the whole record: nothing changes.
  clinic->set_due_date(DayText(date - 1));
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::RecordJointMeeting, record).status()),
            "DUE_BEFORE_MEETING");
  clinic->set_due_date(DayText(date + 60));
  record.add_present_unit_ids("ru_uninvited");
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::RecordJointMeeting, record).status()),
            "UNIT_NOT_INVITED");
  record.mutable_present_unit_ids()->RemoveLast();
  const std::string projects_of_meeting = absl::StrCat(
      "SELECT COUNT(*) FROM co_building_projects WHERE joint_meeting_id = '", meeting.id(), "'");
  EXPECT_EQ(QueryInt(pool(), projects_of_meeting), 0);

  auto held = Rpc(*meetings_, &Meetings::RecordJointMeeting, record);
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->state(), v1::JointMeeting::HELD);
  EXPECT_EQ(held->present_unit_ids_size(), 1);
  EXPECT_EQ(held->present_unit_ids(0), school.id());
  EXPECT_EQ(held->invited_unit_ids_size(), 2);
  EXPECT_NE(held->minutes().find("playground"), std::string::npos);
  ASSERT_EQ(held->decisions_size(), 2);
  EXPECT_EQ(QueryInt(pool(), projects_of_meeting), 2);
  for (int i = 0; i < 2; ++i) {
    v1::GetCoBuildingProjectRequest get;
    get.set_id(held->decisions(i).project_id());
    auto project = Rpc(*projects_, &Projects::GetCoBuildingProject, get, "jm2/s1");
    ASSERT_TRUE(project.ok()) << project.status();
    EXPECT_EQ(project->source(), v1::CoBuildingProject::JOINT_MEETING_DECISION);
    EXPECT_EQ(project->joint_meeting_id(), meeting.id());
    EXPECT_EQ(project->decision_number(), i + 1);
    EXPECT_EQ(project->state(), v1::CoBuildingProject::PLANNED);
    EXPECT_EQ(project->area_path(), "jm2/s1");
    EXPECT_EQ(project->title(), held->decisions(i).title());
    EXPECT_EQ(project->owner_unit_id(), i == 0 ? school.id() : hospital.id());
    EXPECT_EQ(project->owner_unit_name(), i == 0 ? "School" : "Hospital");
  }
  // Held is final; the stale etag is refused before anything else.
  EXPECT_EQ(Rpc(*meetings_, &Meetings::RecordJointMeeting, record).status().code(),
            absl::StatusCode::kAborted);
  record.set_etag(held->etag());
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::RecordJointMeeting, record).status()),
            "MEETING_HELD");
  v1::CancelJointMeetingRequest cancel;
  cancel.set_id(meeting.id());
  cancel.set_reason("too late");
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::CancelJointMeeting, cancel).status()),
            "MEETING_HELD");
  EXPECT_EQ(QueryInt(pool(), projects_of_meeting), 2);
}

TEST_F(RegionalServiceTest, ACancelledMeetingTakesNothingMore) {
  Tree t = MakeTree("jm3");
  auto school = *AddUnit(t.c1, "School");
  auto meeting = *Schedule(t.c1_org, kStartDay + 40, {school.id()});
  EXPECT_EQ(meeting.area_path(), "jm3/s1/c1");
  v1::CancelJointMeetingRequest cancel;
  cancel.set_id(meeting.id());
  cancel.set_etag(meeting.etag());
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::CancelJointMeeting, cancel).status()),
            "TEXT_REQUIRED");
  cancel.set_reason("the street holds one for all communities");
  auto cancelled = Rpc(*meetings_, &Meetings::CancelJointMeeting, cancel);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::JointMeeting::CANCELLED);
  EXPECT_EQ(cancelled->cancel_reason(), "the street holds one for all communities");
  cancel.set_etag(cancelled->etag());
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::CancelJointMeeting, cancel).status()),
            "MEETING_CANCELLED");
  v1::SubmitAgendaItemRequest item;
  item.set_meeting_id(meeting.id());
  item.set_title("Too late now");
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::SubmitAgendaItem, item).status()),
            "MEETING_CANCELLED");
  SetToday(kStartDay + 40);
  v1::RecordJointMeetingRequest record;
  record.set_id(meeting.id());
  record.add_present_unit_ids(school.id());
  record.set_minutes("none");
  EXPECT_EQ(Reason(Rpc(*meetings_, &Meetings::RecordJointMeeting, record).status()),
            "MEETING_CANCELLED");
}

TEST_F(RegionalServiceTest, SchedulingChecksConvenerUnitsDateAndScope) {
  Tree t = MakeTree("jm4");
  auto school = *AddUnit(t.c1, "School");
  auto far = *AddUnit(t.c3, "Far Factory", v1::ResidentUnit::PRIVATE_ENTERPRISE);
  EXPECT_EQ(Reason(Schedule(t.grid_org, kStartDay + 20, {school.id()}).status()),
            "NOT_A_REGIONAL_LEAD");
  EXPECT_EQ(Reason(Schedule(t.s1_org, kStartDay + 20, {school.id(), far.id()}).status()),
            "UNIT_OUTSIDE_PLACE");
  EXPECT_EQ(Reason(Schedule(t.s1_org, kStartDay + 20, {"ru_nothing"}).status()), "UNIT_NOT_FOUND");
  EXPECT_EQ(Reason(Schedule(t.s1_org, kStartDay - 1, {school.id()}).status()), "MEETING_DATE_PAST");
  EXPECT_EQ(Reason(Schedule(t.s1_org, kStartDay + 20, {}).status()), "INVITATIONS_REQUIRED");
  EXPECT_EQ(Schedule(t.s1_org, kStartDay + 20, {school.id()}, "jm4/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
  // A street-s1 officer cannot invite a unit it cannot see.
  EXPECT_EQ(Schedule(t.s1_org, kStartDay + 20, {far.id()}, "jm4/s1").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto first = Schedule(t.s1_org, kStartDay + 20, {school.id()}, "jm4/s1", "meeting-1");
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = Schedule(t.s1_org, kStartDay + 20, {school.id()}, "jm4/s1", "meeting-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), first->id());
  ASSERT_TRUE(Schedule(t.s1_org, kStartDay + 10, {school.id()}).ok());
  ASSERT_TRUE(Schedule(t.c1_org, kStartDay + 30, {school.id()}).ok());
  ASSERT_TRUE(Schedule(t.s2_org, kStartDay + 5, {far.id()}).ok());

  // Listed by date, in pages, for a place's subtree.
  auto dates = [&](const std::string& scope, const std::string& area) {
    std::vector<std::string> out;
    v1::ListJointMeetingsRequest request;
    request.set_area_id(area);
    request.set_page_size(2);
    for (int pages = 0; pages < 10; ++pages) {
      auto page = Rpc(*meetings_, &Meetings::ListJointMeetings, request, scope);
      if (!page.ok()) return std::vector<std::string>{Reason(page.status())};
      for (const auto& m : page->meetings()) out.push_back(m.meeting_date());
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
    }
    return out;
  };
  using Dates = std::vector<std::string>;
  EXPECT_EQ(dates("", t.s1), (Dates{"2026-05-11", "2026-05-21", "2026-05-31"}));
  EXPECT_EQ(dates("", t.district), (Dates{"2026-05-06", "2026-05-11", "2026-05-21", "2026-05-31"}));
  EXPECT_EQ(dates("jm4/s2", t.district), (Dates{"2026-05-06"}));
  EXPECT_EQ(dates("jm4/s2", t.s1), (Dates{"OUT_OF_SCOPE"}));
}

TEST_F(RegionalServiceTest, ProjectsMoveStepByStepAndFallOverdueByTheClock) {
  Tree t = MakeTree("cb1");
  auto school = *AddUnit(t.c1, "School");
  const absl::CivilDay date = kStartDay + 1;
  auto meeting = *Schedule(t.c1_org, date, {school.id()});
  SetToday(date);
  v1::RecordJointMeetingRequest record;
  record.set_id(meeting.id());
  record.add_present_unit_ids(school.id());
  record.set_minutes("Two projects agreed.");
  for (int days : {10, 20}) {
    auto* d = record.add_decisions();
    d->set_title(absl::StrCat("Project due in ", days, " days"));
    d->set_owner_unit_id(school.id());
    d->set_due_date(DayText(date + days));
  }
  auto held = *Rpc(*meetings_, &Meetings::RecordJointMeeting, record);
  const std::string first = held.decisions(0).project_id();
  const std::string second = held.decisions(1).project_id();
  auto get = [&](const std::string& id, const std::string& scope = "") {
    v1::GetCoBuildingProjectRequest request;
    request.set_id(id);
    return Rpc(*projects_, &Projects::GetCoBuildingProject, request, scope);
  };
  auto step = [&](const std::string& id, v1::CoBuildingProject::State to, const std::string& etag) {
    v1::UpdateCoBuildingProjectStatusRequest request;
    request.set_id(id);
    request.set_etag(etag);
    request.set_state(to);
    request.set_note(absl::StrCat("now ", v1::CoBuildingProject::State_Name(to)));
    return Rpc(*projects_, &Projects::UpdateCoBuildingProjectStatus, request);
  };
  auto overdue = [&](const std::string& scope = "", const std::string& area = "") {
    std::vector<std::string> ids;
    v1::ListCoBuildingProjectsRequest request;
    request.set_area_id(area.empty() ? t.district : area);
    request.set_overdue_only(true);
    auto page = Rpc(*projects_, &Projects::ListCoBuildingProjects, request, scope);
    if (!page.ok()) return std::vector<std::string>{Reason(page.status())};
    for (const auto& p : page->projects()) {
      EXPECT_TRUE(p.overdue());
      ids.push_back(p.id());
    }
    return ids;
  };
  auto planned = *get(first);
  EXPECT_EQ(Reason(step(first, v1::CoBuildingProject::DONE, planned.etag()).status()),
            "PROJECT_STEP_SKIPPED");
  auto started = step(first, v1::CoBuildingProject::IN_PROGRESS, planned.etag());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->status_note(), "now IN_PROGRESS");
  EXPECT_EQ(step(first, v1::CoBuildingProject::DONE, planned.etag()).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Reason(step(first, v1::CoBuildingProject::IN_PROGRESS, started->etag()).status()),
            "PROJECT_STATE_UNCHANGED");

  using Ids = std::vector<std::string>;
  SetToday(date + 10);  // the first is due today: not late yet
  EXPECT_FALSE(get(first)->overdue());
  EXPECT_EQ(overdue(), Ids{});
  SetToday(date + 11);
  EXPECT_TRUE(get(first)->overdue());
  EXPECT_EQ(overdue(), Ids{first});
  SetToday(date + 21);
  EXPECT_EQ(overdue(), (Ids{first, second}));
  // Street s2 sees none of them, and may not list street s1 at all.
  EXPECT_EQ(overdue("cb1/s2"), Ids{});
  EXPECT_EQ(overdue("cb1/s2", t.c1), Ids{"OUT_OF_SCOPE"});
  EXPECT_EQ(get(first, "cb1/s2").status().code(), absl::StatusCode::kPermissionDenied);
  // Done late is no longer overdue, and done is final.
  auto done = step(first, v1::CoBuildingProject::DONE, started->etag());
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_FALSE(done->overdue());
  EXPECT_EQ(overdue(), Ids{second});
  EXPECT_EQ(Reason(step(first, v1::CoBuildingProject::CANCELLED, done->etag()).status()),
            "PROJECT_CLOSED");
  auto cancelled = step(second, v1::CoBuildingProject::CANCELLED, get(second)->etag());
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(overdue(), Ids{});
  // By state, in due-date order.
  v1::ListCoBuildingProjectsRequest by_state;
  by_state.set_state(v1::CoBuildingProject::DONE);
  by_state.set_area_id(t.c1);
  auto done_list = Rpc(*projects_, &Projects::ListCoBuildingProjects, by_state);
  ASSERT_EQ(done_list->projects_size(), 1);
  EXPECT_EQ(done_list->projects(0).id(), first);
}

using Matching = v1::ResourceMatchingService::Stub;

class RegionalMatchingTest : public RegionalServiceTest {
 protected:
  absl::StatusOr<v1::UnitResource> Offer(const std::string& unit, v1::ResourceCategory category,
                                         int capacity, const std::string& scope = "") {
    v1::PublishResourceRequest request;
    request.mutable_resource()->set_unit_id(unit);
    request.mutable_resource()->set_category(category);
    request.mutable_resource()->set_description("Offered for the community");
    request.mutable_resource()->set_capacity(capacity);
    return Rpc(*matching_, &Matching::PublishResource, request, scope);
  }
  absl::StatusOr<v1::CommunityNeed> Need(const std::string& area, v1::ResourceCategory category,
                                         int quantity, const std::string& scope = "") {
    v1::PublishNeedRequest request;
    request.mutable_need()->set_area_id(area);
    request.mutable_need()->set_category(category);
    request.mutable_need()->set_description("Needed by the residents");
    request.mutable_need()->set_quantity(quantity);
    return Rpc(*matching_, &Matching::PublishNeed, request, scope);
  }
  absl::StatusOr<v1::ResourceMatch> Accept(const std::string& need, const std::string& resource,
                                           int quantity, const std::string& scope = "",
                                           const std::string& request_id = "") {
    v1::AcceptMatchRequest request;
    request.set_need_id(need);
    request.set_resource_id(resource);
    request.set_quantity(quantity);
    request.set_project_title("Weekend study room for pupils");
    request.set_project_due_date(DayText(kStartDay + 60));
    request.set_request_id(request_id);
    return Rpc(*matching_, &Matching::AcceptMatch, request, scope);
  }
  int Remaining(const std::string& resource) {
    return static_cast<int>(QueryInt(
        pool(), absl::StrCat("SELECT remaining FROM unit_resources WHERE id = '", resource, "'")));
  }
};

constexpr auto kVenue = v1::RESOURCE_CATEGORY_VENUE;
constexpr auto kMedical = v1::RESOURCE_CATEGORY_MEDICAL;

TEST_F(RegionalMatchingTest, NeedsMeetTheirStreetsResourcesNearestFirst) {
  Tree t = MakeTree("rm1");
  auto school = *AddUnit(t.c1, "School");
  auto bureau = *AddUnit(t.s1, "Street Bureau", v1::ResidentUnit::GOVERNMENT_BODY);
  auto clinic = *AddUnit(t.c2, "Clinic", v1::ResidentUnit::HOSPITAL);
  auto far = *AddUnit(t.c3, "Far Factory", v1::ResidentUnit::PRIVATE_ENTERPRISE);
  ASSERT_TRUE(Offer(school.id(), kVenue, 5).ok());
  ASSERT_TRUE(Offer(bureau.id(), kVenue, 10).ok());
  ASSERT_TRUE(Offer(clinic.id(), kVenue, 3).ok());
  ASSERT_TRUE(Offer(far.id(), kVenue, 100).ok());
  ASSERT_TRUE(Offer(school.id(), kMedical, 10).ok());
  auto hall_need = *Need(t.c1, kVenue, 4);
  auto doctor_need = *Need(t.c2, v1::RESOURCE_CATEGORY_LEGAL, 1);  // nobody offers it
  auto far_need = *Need(t.c3, kVenue, 2);
  EXPECT_EQ(hall_need.state(), v1::CommunityNeed::OPEN);
  EXPECT_EQ(Reason(Need(t.s1, kVenue, 1).status()), "NEED_PLACE_INVALID");
  EXPECT_EQ(Offer(far.id(), kVenue, 1, "rm1/s1").status().code(),
            absl::StatusCode::kPermissionDenied);

  auto match = [&](const std::string& scope, const std::string& area) {
    std::map<std::string, std::vector<std::string>> out;
    v1::MatchNeedsRequest request;
    request.set_area_id(area);
    request.set_page_size(1);
    for (int pages = 0; pages < 10; ++pages) {
      auto page = Rpc(*matching_, &Matching::MatchNeeds, request, scope);
      if (!page.ok())
        return std::map<std::string, std::vector<std::string>>{{Reason(page.status()), {}}};
      for (const auto& m : page->matches()) {
        auto& list = out[m.need().id()];
        for (const auto& c : m.candidates()) {
          list.push_back(absl::StrCat(
              c.resource().unit_name(),
              c.proximity() == v1::MatchCandidate::SAME_COMMUNITY ? " (community)" : " (street)"));
        }
      }
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
    }
    return out;
  };
  using Lists = std::map<std::string, std::vector<std::string>>;
  // The school is in the need's community; the bureau covers all 4 and
  // comes before the clinic, which has only 3; nothing from street s2.
  EXPECT_EQ(
      match("", t.district),
      (Lists{{hall_need.id(), {"School (community)", "Street Bureau (street)", "Clinic (street)"}},
             {doctor_need.id(), {}},
             {far_need.id(), {"Far Factory (community)"}}}));
  // A community officer sees only its community's resources.
  EXPECT_EQ(match("rm1/s1/c1", t.district), (Lists{{hall_need.id(), {"School (community)"}}}));
  EXPECT_EQ(match("rm1/s2", t.s1), (Lists{{"OUT_OF_SCOPE", {}}}));
}

TEST_F(RegionalMatchingTest, AcceptingChangesNeedResourceMatchAndProjectTogether) {
  Tree t = MakeTree("rm2");
  auto school = *AddUnit(t.c1, "School");
  auto far = *AddUnit(t.c3, "Far Factory", v1::ResidentUnit::PRIVATE_ENTERPRISE);
  auto hall = *Offer(school.id(), kVenue, 5);
  auto clinic = *Offer(school.id(), kMedical, 5);
  auto far_hall = *Offer(far.id(), kVenue, 50);
  auto need = *Need(t.c2, kVenue, 10);

  EXPECT_EQ(Reason(Accept(need.id(), clinic.id(), 1).status()), "CATEGORY_MISMATCH");
  EXPECT_EQ(Reason(Accept(need.id(), far_hall.id(), 1).status()), "NOT_IN_NEED_STREET");
  EXPECT_EQ(Reason(Accept(need.id(), hall.id(), 6).status()), "RESOURCE_INSUFFICIENT");
  EXPECT_EQ(Reason(Accept(need.id(), hall.id(), 0).status()), "AMOUNT_INVALID");
  EXPECT_EQ(Accept(need.id(), hall.id(), 1, "rm2/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Remaining(hall.id()), 5);

  auto first = Accept(need.id(), hall.id(), 3, "rm2/s1", "match-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->need().state(), v1::CommunityNeed::PARTLY_FULFILLED);
  EXPECT_EQ(first->need().fulfilled_quantity(), 3);
  EXPECT_EQ(first->resource().remaining(), 2);
  EXPECT_EQ(first->project().source(), v1::CoBuildingProject::ACCEPTED_MATCH);
  EXPECT_EQ(first->project().resource_match_id(), first->id());
  EXPECT_EQ(first->project().owner_unit_id(), school.id());
  EXPECT_EQ(first->project().area_path(), "rm2/s1/c2");
  EXPECT_EQ(first->project().state(), v1::CoBuildingProject::PLANNED);
  // A retry answers with the first match and takes nothing more.
  auto retry = Accept(need.id(), hall.id(), 3, "rm2/s1", "match-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), first->id());
  EXPECT_EQ(Remaining(hall.id()), 2);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM resource_matches WHERE need_id = '",
                                          need.id(), "'")),
            1);
  v1::GetCoBuildingProjectRequest get;
  get.set_id(first->project().id());
  ASSERT_TRUE(Rpc(*projects_, &Projects::GetCoBuildingProject, get, "rm2/s1/c2").ok());

  // The need now lacks 7: a second resource completes it.
  auto bureau = *AddUnit(t.s1, "Street Bureau", v1::ResidentUnit::GOVERNMENT_BODY);
  auto big_hall = *Offer(bureau.id(), kVenue, 20);
  EXPECT_EQ(Reason(Accept(need.id(), big_hall.id(), 8).status()), "NEED_EXCEEDED");
  auto second = Accept(need.id(), big_hall.id(), 7);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->need().state(), v1::CommunityNeed::FULFILLED);
  EXPECT_EQ(second->resource().remaining(), 13);
  // A fulfilled need leaves the open lists and the matching.
  v1::ListNeedsRequest needs;
  needs.set_area_id(t.c2);
  EXPECT_EQ(Rpc(*matching_, &Matching::ListNeeds, needs)->needs_size(), 0);
  needs.set_include_fulfilled(true);
  EXPECT_EQ(Rpc(*matching_, &Matching::ListNeeds, needs)->needs_size(), 1);
  v1::MatchNeedsRequest match;
  match.set_area_id(t.c2);
  EXPECT_EQ(Rpc(*matching_, &Matching::MatchNeeds, match)->matches_size(), 0);

  // A withdrawn unit's resources are closed to matching.
  auto other_need = *Need(t.c1, kVenue, 1);
  v1::WithdrawResidentUnitRequest withdraw;
  withdraw.set_id(school.id());
  withdraw.set_reason("closed");
  ASSERT_TRUE(Rpc(*units_, &Units::WithdrawResidentUnit, withdraw).ok());
  EXPECT_EQ(Reason(Accept(other_need.id(), hall.id(), 1).status()), "UNIT_WITHDRAWN");
  v1::ListResourcesRequest resources;
  resources.set_area_id(t.c1);
  EXPECT_EQ(Rpc(*matching_, &Matching::ListResources, resources)->resources_size(), 0);
  resources.set_include_closed(true);
  auto closed = Rpc(*matching_, &Matching::ListResources, resources);
  ASSERT_EQ(closed->resources_size(), 2);
  EXPECT_EQ(closed->resources(0).state(), v1::UnitResource::UNIT_WITHDRAWN);
}

TEST_F(RegionalMatchingTest, ConcurrentAcceptsNeverOverdrawAResource) {
  Tree t = MakeTree("rm3");
  auto school = *AddUnit(t.c1, "School");
  auto hall = *Offer(school.id(), kVenue, 5);
  std::vector<std::string> needs;
  for (int i = 0; i < 8; ++i) needs.push_back(Need(t.c1, kVenue, 2)->id());
  std::vector<absl::Status> results(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] { results[i] = Accept(needs[i], hall.id(), 2).status(); });
  }
  for (auto& thread : threads) thread.join();
  int accepted = 0;
  for (const auto& status : results) {
    if (status.ok()) {
      ++accepted;
    } else {
      EXPECT_EQ(Reason(status), "RESOURCE_INSUFFICIENT") << status;
    }
  }
  // 5 places in matches of 2: two matches, one place left, never below zero.
  EXPECT_EQ(accepted, 2);
  EXPECT_EQ(Remaining(hall.id()), 1);
  const std::string of_hall =
      absl::StrCat(" FROM resource_matches WHERE resource_id = '", hall.id(), "'");
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COALESCE(SUM(quantity), 0)", of_hall)), 4);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM co_building_projects p JOIN"
                                          " resource_matches m ON m.project_id = p.id WHERE"
                                          " m.resource_id = '",
                                          hall.id(), "'")),
            2);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COALESCE(SUM(fulfilled), 0) FROM"
                                          " community_needs WHERE area_path = 'rm3/s1/c1'")),
            4);
  // And once more with matches of one: exactly the last place goes.
  std::vector<std::thread> more;
  std::vector<absl::Status> last(8);
  for (int i = 0; i < 8; ++i) {
    more.emplace_back([&, i] { last[i] = Accept(needs[i], hall.id(), 1).status(); });
  }
  for (auto& thread : more) thread.join();
  EXPECT_EQ(std::count_if(last.begin(), last.end(), [](const absl::Status& s) { return s.ok(); }),
            1);
  EXPECT_EQ(Remaining(hall.id()), 0);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COALESCE(SUM(quantity), 0)", of_hall)), 5);
}

TEST_F(RegionalMatchingTest, RecordsFollowTheirPlaceWhenTheTreeMoves) {
  Tree t = MakeTree("rm4");
  auto bakery = *AddUnit(t.c2, "Bakery", v1::ResidentUnit::PRIVATE_ENTERPRISE);
  auto ovens = *Offer(bakery.id(), kVenue, 3);
  auto need = *Need(t.c2, kVenue, 1);
  auto match = *Accept(need.id(), ovens.id(), 1);
  // Community c2 moves from street s1 to street s2.
  v1::MoveAreaRequest move;
  move.set_id(t.c2);
  move.set_new_parent_id(t.s2);
  ASSERT_TRUE(Rpc(*areas_, &v1::AreaService::Stub::MoveArea, move).ok());
  v1::GetResidentUnitRequest get;
  get.set_id(bakery.id());
  EXPECT_EQ(Rpc(*units_, &Units::GetResidentUnit, get, "rm4/s1").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto moved = Rpc(*units_, &Units::GetResidentUnit, get, "rm4/s2");
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->area_path(), "rm4/s2/c2");
  EXPECT_NE(moved->etag(), bakery.etag());
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                          bakery.id(), "' AND action = 3")),
            1);
  v1::GetCoBuildingProjectRequest project;
  project.set_id(match.project().id());
  EXPECT_EQ(Rpc(*projects_, &Projects::GetCoBuildingProject, project, "rm4/s2")->area_path(),
            "rm4/s2/c2");
  v1::ListNeedsRequest needs;
  needs.set_include_fulfilled(true);
  EXPECT_EQ(Rpc(*matching_, &Matching::ListNeeds, needs, "rm4/s2")->needs_size(), 1);
  v1::ListResourcesRequest resources;
  EXPECT_EQ(Rpc(*matching_, &Matching::ListResources, resources, "rm4/s2")->resources_size(), 1);
  EXPECT_EQ(Rpc(*matching_, &Matching::ListResources, resources, "rm4/s1")->resources_size(), 0);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM resource_matches WHERE area_path = 'rm4/s2/c2'"),
            1);
  // A place with units or needs is not deleted from under them.
  const std::string with_unit = AreaId(v1::COMMUNITY, "c8", t.s1);
  ASSERT_TRUE(AddUnit(with_unit, "Stays").ok());
  v1::DeleteAreaRequest remove;
  remove.set_id(with_unit);
  EXPECT_EQ(Reason(Rpc(*areas_, &v1::AreaService::Stub::DeleteArea, remove).status()),
            "AREA_HAS_RESIDENT_UNITS");
  const std::string empty = AreaId(v1::COMMUNITY, "c9", t.s1);
  ASSERT_TRUE(Need(empty, kVenue, 1).ok());
  remove.set_id(empty);
  EXPECT_EQ(Reason(Rpc(*areas_, &v1::AreaService::Stub::DeleteArea, remove).status()),
            "AREA_HAS_NEEDS");
}

}  // namespace
}  // namespace grassroots::orgs::testing
