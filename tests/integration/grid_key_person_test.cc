// Key persons against a real MariaDB: personal data encrypted and masked,
// revealed only with a purpose and an audit row, one record per person and
// grid, where they live a household of the grid, scope on the grid.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {
namespace {

using ::grassroots::testing::QueryInt;

v1::CreateKeyPersonRequest KeyPerson(const std::string& grid, const std::string& id_number,
                                     v1::KeyPersonCategory category = v1::ELDERLY_LIVING_ALONE) {
  v1::CreateKeyPersonRequest request;
  auto* k = request.mutable_key_person();
  k->set_grid_id(grid);
  k->set_category(category);
  k->set_name("刘桂英");
  k->set_phone("13600001234");
  k->set_id_number(id_number);
  k->set_reason("lives alone since 2024, hard of hearing");
  k->set_visit_interval_days(7);
  return request;
}

TEST_F(GridServiceTest, KeyPersonsAreKeptMaskedAndRevealedOnlyWithAPurpose) {
  Tree t = MakeTree("kp1");
  auto grid = *CreateGrid(t.c1, "g01");
  Block block = MakeBlock(grid.id());
  auto home = *AddHousehold(block.unit, "601");
  auto request = KeyPerson(grid.id(), "110101194501010019");
  request.mutable_key_person()->set_household_id(home.id());
  request.set_request_id("kp-liu");
  auto made = Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, request);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->name(), "刘*英");
  EXPECT_EQ(made->phone(), "136****1234");
  EXPECT_EQ(made->id_number(), "1101**********0019");
  EXPECT_EQ(made->household_id(), home.id());
  EXPECT_EQ(Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, request)->id(),
            made->id());
  for (const std::string& clear :
       {std::string("刘桂英"), std::string("13600001234"), std::string("110101194501010019")}) {
    EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM key_persons WHERE INSTR(CONCAT("
                                            "name_cipher, name_masked, phone_masked,"
                                            " id_number_masked), '",
                                            clear, "') > 0")),
              0)
        << clear;
    EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE INSTR(CONCAT("
                                            "COALESCE(after_state, ''), COALESCE(before_state,"
                                            " '')), '",
                                            clear, "') > 0")),
              0)
        << clear;
  }
  // One record per person and grid.
  request.clear_request_id();
  EXPECT_EQ(
      Reason(Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, request).status()),
      "KEY_PERSON_EXISTS");

  v1::RevealKeyPersonContactRequest reveal;
  reveal.set_id(made->id());
  reveal.set_purpose("weekly visit");
  auto out_of_scope = Rpc(*key_persons_, &v1::KeyPersonService::Stub::RevealKeyPersonContact,
                          reveal, "kp1/s2", "clerk");
  EXPECT_EQ(out_of_scope.status().code(), absl::StatusCode::kPermissionDenied);
  auto contact =
      Rpc(*key_persons_, &v1::KeyPersonService::Stub::RevealKeyPersonContact, reveal, "", "clerk");
  ASSERT_TRUE(contact.ok()) << contact.status();
  EXPECT_EQ(contact->name(), "刘桂英");
  EXPECT_EQ(contact->id_number(), "110101194501010019");
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM personal_data_reads WHERE"
                                          " resource_type = 'key_person' AND resource_id = '",
                                          made->id(), "' AND actor = 'clerk'")),
            1);
}

TEST_F(GridServiceTest, KeyPersonsLiveInTheirGridAndAreListedByCategory) {
  Tree t = MakeTree("kp2");
  auto grid = *CreateGrid(t.c1, "g01");
  auto other = *CreateGrid(t.c3, "g01");
  Block elsewhere = MakeBlock(other.id());
  auto foreign_home = *AddHousehold(elsewhere.unit, "101");
  auto request = KeyPerson(grid.id(), "");
  request.mutable_key_person()->set_household_id(foreign_home.id());
  EXPECT_EQ(
      Reason(Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, request).status()),
      "HOUSEHOLD_NOT_IN_GRID");
  request.mutable_key_person()->clear_household_id();
  request.mutable_key_person()->set_visit_interval_days(0);
  EXPECT_EQ(
      Reason(Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, request).status()),
      "VISIT_INTERVAL_INVALID");
  request.mutable_key_person()->set_visit_interval_days(30);
  request.mutable_key_person()->set_category(v1::KEY_PERSON_CATEGORY_UNSPECIFIED);
  EXPECT_EQ(
      Reason(Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, request).status()),
      "KEY_PERSON_CATEGORY_REQUIRED");
  // Without ID numbers, several people are followed in one grid.
  for (auto category : {v1::DISABLED, v1::DISABLED, v1::LEFT_BEHIND_CHILD}) {
    auto person = KeyPerson(grid.id(), "", category);
    ASSERT_TRUE(Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, person).ok());
  }
  v1::ListKeyPersonsRequest list;
  list.set_grid_id(grid.id());
  EXPECT_EQ(
      Rpc(*key_persons_, &v1::KeyPersonService::Stub::ListKeyPersons, list)->key_persons_size(), 3);
  list.set_category(v1::DISABLED);
  auto disabled = Rpc(*key_persons_, &v1::KeyPersonService::Stub::ListKeyPersons, list);
  ASSERT_EQ(disabled->key_persons_size(), 2);
  EXPECT_EQ(disabled->key_persons(0).name(), "刘*英");
  EXPECT_EQ(Rpc(*key_persons_, &v1::KeyPersonService::Stub::ListKeyPersons, list, "kp2/s2")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  // Updates: mask and etag; the interval stays in range.
  const v1::KeyPerson first = disabled->key_persons(0);
  v1::UpdateKeyPersonRequest update;
  update.mutable_key_person()->set_id(first.id());
  update.mutable_key_person()->set_etag(first.etag());
  update.mutable_key_person()->set_visit_interval_days(14);
  update.mutable_key_person()->set_phone("136-0000-9999");
  update.mutable_update_mask()->add_paths("visit_interval_days");
  update.mutable_update_mask()->add_paths("phone");
  auto updated = Rpc(*key_persons_, &v1::KeyPersonService::Stub::UpdateKeyPerson, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->visit_interval_days(), 14);
  EXPECT_EQ(updated->phone(), "136****9999");
  EXPECT_EQ(updated->name(), "刘*英");
  EXPECT_EQ(
      Reason(Rpc(*key_persons_, &v1::KeyPersonService::Stub::UpdateKeyPerson, update).status()),
      "ETAG_MISMATCH");
  update.mutable_key_person()->clear_etag();
  update.mutable_key_person()->set_visit_interval_days(366);
  EXPECT_EQ(
      Reason(Rpc(*key_persons_, &v1::KeyPersonService::Stub::UpdateKeyPerson, update).status()),
      "VISIT_INTERVAL_INVALID");
  v1::RevealKeyPersonContactRequest reveal;
  reveal.set_id(first.id());
  reveal.set_purpose("check the new phone");
  EXPECT_EQ(
      Rpc(*key_persons_, &v1::KeyPersonService::Stub::RevealKeyPersonContact, reveal)->phone(),
      "13600009999");
}

}  // namespace
}  // namespace grassroots::grid::testing
