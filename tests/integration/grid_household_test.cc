// Households and the head's personal data against a real MariaDB: never in
// clear in the table or the feed, masked in every answer, found by exact
// match through a keyed hash, revealed only with a purpose and an audit
// row; imported all or nothing, the failing line named.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {
namespace {

using ::grassroots::testing::QueryInt;

constexpr char kPhone[] = "13812345678";
constexpr char kIdNumber[] = "110101199003071233";

int64_t Count(db::ConnectionPool& pool, const std::string& sql) { return QueryInt(pool, sql); }

TEST_F(GridServiceTest, TheHeadsDetailsAreEncryptedAtRestAndMaskedEverywhere) {
  Tree t = MakeTree("hh1");
  auto grid = *CreateGrid(t.c1, "g01");
  Block block = MakeBlock(grid.id());
  auto added = AddHousehold(block.unit, "1203", "138 1234-5678", kIdNumber);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->head_name(), "张*丰");
  EXPECT_EQ(added->head_phone(), "138****5678");
  EXPECT_EQ(added->head_id_number(), "1101**********1233");
  EXPECT_EQ(added->grid_path(), "hh1/s1/c1/g01");
  EXPECT_EQ(added->building_id(), block.building);
  EXPECT_EQ(added->compound_id(), block.compound);

  // The query can see what it looks for: the masked phone is in the row and
  // its change row; no clear value is anywhere in either table.
  const std::string columns =
      "CONCAT(COALESCE(head_name_cipher, ''), COALESCE(head_phone_cipher, ''),"
      " COALESCE(head_id_number_cipher, ''), head_name_masked, head_phone_masked,"
      " head_id_number_masked, COALESCE(head_phone_hash, ''), COALESCE(head_id_number_hash, ''))";
  EXPECT_EQ(Count(pool(), absl::StrCat("SELECT COUNT(*) FROM households WHERE id = '", added->id(),
                                       "' AND INSTR(", columns, ", '138****5678') > 0")),
            1);
  EXPECT_EQ(Count(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                       added->id(), "' AND INSTR(after_state, '138****5678') > 0")),
            1);
  for (const std::string& clear :
       {std::string(kPhone), std::string(kIdNumber), std::string("张三丰")}) {
    EXPECT_EQ(Count(pool(), absl::StrCat("SELECT COUNT(*) FROM households WHERE INSTR(", columns,
                                         ", '", clear, "') > 0")),
              0)
        << clear;
    EXPECT_EQ(Count(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE INSTR(CONCAT("
                                         "COALESCE(after_state, ''), COALESCE(before_state, '')),"
                                         " '",
                                         clear, "') > 0")),
              0)
        << clear;
  }
  v1::GetHouseholdRequest get;
  get.set_id(added->id());
  auto read = Rpc(*households_, &v1::HouseholdService::Stub::GetHousehold, get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->head_phone(), "138****5678");
  v1::ListHouseholdsRequest list;
  list.set_unit_id(block.unit);
  auto listed = Rpc(*households_, &v1::HouseholdService::Stub::ListHouseholds, list);
  ASSERT_EQ(listed->households_size(), 1);
  EXPECT_EQ(listed->households(0).head_name(), "张*丰");
  // A mistyped ID number is refused before anything is stored.
  EXPECT_EQ(Reason(AddHousehold(block.unit, "1204", kPhone, "110101199003071234").status()),
            "ID_NUMBER_CHECK_FAILED");
}

TEST_F(GridServiceTest, SearchesAndRevealsAreRecordedAndScoped) {
  Tree t = MakeTree("hh2");
  auto grid = *CreateGrid(t.c1, "g01");
  Block block = MakeBlock(grid.id());
  auto household = *AddHousehold(block.unit, "301", "13900001111", "110101198001010010");
  auto reads = [&](const std::string& action) {
    return Count(pool(), absl::StrCat("SELECT COUNT(*) FROM personal_data_reads WHERE action = '",
                                      action, "' AND actor = 'clerk'"));
  };
  const int64_t searches = reads("search"), reveals = reads("reveal");
  v1::FindHouseholdsRequest find;
  find.set_head_phone("139-0000-1111");
  EXPECT_EQ(Reason(Rpc(*households_, &v1::HouseholdService::Stub::FindHouseholds, find, "", "clerk")
                       .status()),
            "PURPOSE_REQUIRED");
  find.set_purpose("call back about the water leak");
  auto found = Rpc(*households_, &v1::HouseholdService::Stub::FindHouseholds, find, "", "clerk");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->households_size(), 1);
  EXPECT_EQ(found->households(0).id(), household.id());
  EXPECT_EQ(reads("search"), searches + 1);
  // Another street finds nothing, and its search is recorded too.
  auto elsewhere =
      Rpc(*households_, &v1::HouseholdService::Stub::FindHouseholds, find, "hh2/s2", "clerk");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere->households_size(), 0);
  EXPECT_EQ(reads("search"), searches + 2);
  find.set_head_id_number("110101198001010010");
  EXPECT_EQ(Rpc(*households_, &v1::HouseholdService::Stub::FindHouseholds, find, "hh2/s1", "clerk")
                ->households_size(),
            1);

  v1::RevealHouseholdContactRequest reveal;
  reveal.set_id(household.id());
  EXPECT_EQ(
      Rpc(*households_, &v1::HouseholdService::Stub::RevealHouseholdContact, reveal, "", "clerk")
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  reveal.set_purpose("home visit after the flood");
  auto contact =
      Rpc(*households_, &v1::HouseholdService::Stub::RevealHouseholdContact, reveal, "", "clerk");
  ASSERT_TRUE(contact.ok()) << contact.status();
  EXPECT_EQ(contact->head_name(), "张三丰");
  EXPECT_EQ(contact->head_phone(), "13900001111");
  EXPECT_EQ(contact->head_id_number(), "110101198001010010");
  EXPECT_EQ(reads("reveal"), reveals + 1);
  EXPECT_EQ(
      Count(pool(), absl::StrCat("SELECT COUNT(*) FROM personal_data_reads WHERE"
                                 " resource_type = 'household' AND resource_id = '",
                                 household.id(), "' AND purpose = 'home visit after the flood'")),
      1);
  // Out of scope: refused, and nothing recorded as read.
  auto refused = Rpc(*households_, &v1::HouseholdService::Stub::RevealHouseholdContact, reveal,
                     "hh2/s2", "clerk");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reads("reveal"), reveals + 1);
}

TEST_F(GridServiceTest, HouseholdsListByGridCompoundBuildingOrUnit) {
  Tree t = MakeTree("hh3");
  auto grid = *CreateGrid(t.c3, "g01");
  Block a = MakeBlock(grid.id(), "Garden A");
  Block b = MakeBlock(grid.id(), "Garden B");
  for (const char* address : {"101", "102", "201"}) ASSERT_TRUE(AddHousehold(a.unit, address).ok());
  auto key = AddHousehold(b.unit, "101");
  ASSERT_TRUE(key.ok());
  v1::UpdateHouseholdRequest flag;
  flag.mutable_household()->set_id(key->id());
  flag.mutable_household()->set_key_household(true);
  flag.mutable_household()->set_key_reason("elderly living alone");
  flag.mutable_household()->set_visit_interval_days(7);
  for (const char* f : {"key_household", "key_reason", "visit_interval_days"}) {
    flag.mutable_update_mask()->add_paths(f);
  }
  ASSERT_TRUE(Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, flag).ok());

  auto count = [&](v1::ListHouseholdsRequest request, const std::string& scope = "") {
    request.set_page_size(2);
    int n = 0;
    for (;;) {
      auto page = Rpc(*households_, &v1::HouseholdService::Stub::ListHouseholds, request, scope);
      if (!page.ok()) return -static_cast<int>(page.status().code());
      n += page->households_size();
      if (page->next_page_token().empty()) return n;
      request.set_page_token(page->next_page_token());
    }
  };
  v1::ListHouseholdsRequest by;
  by.set_grid_id(grid.id());
  EXPECT_EQ(count(by), 4);
  by.set_key_only(true);
  EXPECT_EQ(count(by), 1);
  by.set_key_only(false);
  by.set_compound_id(a.compound);
  EXPECT_EQ(count(by), 3);
  by.set_building_id(b.building);
  EXPECT_EQ(count(by), 1);
  by.set_unit_id(a.unit);
  EXPECT_EQ(count(by), 3);
  EXPECT_EQ(count(by, "hh3/s2"), 3);
  EXPECT_EQ(count(by, "hh3/s1"), -static_cast<int>(absl::StatusCode::kPermissionDenied));
  v1::ListHouseholdsRequest none;
  EXPECT_EQ(Reason(Rpc(*households_, &v1::HouseholdService::Stub::ListHouseholds, none).status()),
            "LISTING_PARENT_REQUIRED");
}

TEST_F(GridServiceTest, UpdatesReEncryptAndKeepTheHouseholdWhole) {
  Tree t = MakeTree("hh4");
  auto grid = *CreateGrid(t.c1, "g01");
  Block block = MakeBlock(grid.id());
  auto household = *AddHousehold(block.unit, "502", "13700000001", "11010519491231002X");
  ASSERT_TRUE(AddHousehold(block.unit, "503", "13700000002", "").ok());
  v1::UpdateHouseholdRequest update;
  update.mutable_household()->set_id(household.id());
  update.mutable_household()->set_etag(household.etag());
  update.mutable_household()->set_head_phone("137 0000 0009");
  update.mutable_update_mask()->add_paths("head_phone");
  auto updated = Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->head_phone(), "137****0009");
  EXPECT_EQ(updated->head_name(), "张*丰");  // kept
  EXPECT_EQ(updated->etag(), "2");
  auto find = [&](const std::string& phone) {
    v1::FindHouseholdsRequest request;
    request.set_head_phone(phone);
    request.set_purpose("test");
    return Rpc(*households_, &v1::HouseholdService::Stub::FindHouseholds, request)
        ->households_size();
  };
  EXPECT_EQ(find("13700000009"), 1);
  EXPECT_EQ(find("13700000001"), 0);
  v1::RevealHouseholdContactRequest reveal;
  reveal.set_id(household.id());
  reveal.set_purpose("test");
  auto contact = Rpc(*households_, &v1::HouseholdService::Stub::RevealHouseholdContact, reveal);
  ASSERT_TRUE(contact.ok()) << contact.status();
  EXPECT_EQ(contact->head_phone(), "13700000009");
  EXPECT_EQ(contact->head_id_number(), "11010519491231002X");

  // A stale etag is refused; so is a household left without a head, a key
  // flag without its reason, or a dwelling taken in the unit.
  EXPECT_EQ(
      Reason(Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, update).status()),
      "ETAG_MISMATCH");
  v1::UpdateHouseholdRequest headless;
  headless.mutable_household()->set_id(household.id());
  headless.mutable_update_mask()->add_paths("head_name");
  EXPECT_EQ(
      Reason(Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, headless).status()),
      "HEAD_REQUIRED");
  headless.mutable_update_mask()->add_paths("resident_count");  // vacant now: fine
  auto vacant = Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, headless);
  ASSERT_TRUE(vacant.ok()) << vacant.status();
  EXPECT_EQ(vacant->head_name(), "");
  EXPECT_EQ(vacant->resident_count(), 0);
  v1::UpdateHouseholdRequest key;
  key.mutable_household()->set_id(household.id());
  key.mutable_household()->set_key_household(true);
  key.mutable_update_mask()->add_paths("key_household");
  EXPECT_EQ(Reason(Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, key).status()),
            "KEY_REASON_REQUIRED");
  v1::UpdateHouseholdRequest move;
  move.mutable_household()->set_id(household.id());
  move.mutable_household()->set_address("503");
  move.mutable_update_mask()->add_paths("address");
  EXPECT_EQ(Reason(Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, move).status()),
            "HOUSEHOLD_EXISTS");
  move.mutable_update_mask()->set_paths(0, "unit_id");
  EXPECT_EQ(Reason(Rpc(*households_, &v1::HouseholdService::Stub::UpdateHousehold, move).status()),
            "FIELD_NOT_UPDATABLE");
  // Nothing of the failed updates reached the feed: create + 2 updates.
  EXPECT_EQ(Count(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                       household.id(), "'")),
            3);
}

TEST_F(GridServiceTest, HouseholdCreatesAreIdempotentUnderConcurrentRetries) {
  Tree t = MakeTree("hh5");
  auto grid = *CreateGrid(t.c1, "g01");
  Block block = MakeBlock(grid.id());
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<v1::Household>> results(8, absl::UnknownError("not run"));
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      results[i] = AddHousehold(block.unit, "808", kPhone, kIdNumber, "", "offline-app-42");
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->id(), results[0]->id());
  }
  EXPECT_EQ(Count(pool(), absl::StrCat("SELECT COUNT(*) FROM households WHERE unit_id = '",
                                       block.unit, "'")),
            1);
  EXPECT_EQ(Reason(AddHousehold(block.unit, "808").status()), "HOUSEHOLD_EXISTS");
}

TEST_F(GridServiceTest, ALedgerImportsAllOrNothingAndNamesTheLine) {
  Tree t = MakeTree("hh6");
  auto grid = *CreateGrid(t.c1, "g01");
  auto other = *CreateGrid(t.c3, "g01");
  const std::string header =
      "grid_path,compound,building,unit,address,head_name,head_phone,head_id_number,"
      "resident_count,key_household,key_reason,visit_interval_days\n";
  auto line = [](const std::string& grid_path, const std::string& compound,
                 const std::string& building, const std::string& unit, const std::string& address,
                 const std::string& id_number, const std::string& key = "false,,0") {
    return absl::StrCat(grid_path, ",", compound, ",", building, ",", unit, ",", address,
                        ",王芳,139 1000 0001,", id_number, ",2,", key, "\n");
  };
  const std::string g = "hh6/s1/c1/g01";
  auto structure = [&] {
    return Count(
        pool(),
        absl::StrCat("SELECT (SELECT COUNT(*) FROM compounds WHERE grid_id = '", grid.id(),
                     "') + (SELECT COUNT(*) FROM buildings WHERE"
                     " grid_id = '",
                     grid.id(), "') + (SELECT COUNT(*) FROM units WHERE grid_id = '", grid.id(),
                     "') + (SELECT COUNT(*) FROM households WHERE"
                     " grid_id = '",
                     grid.id(), "')"));
  };
  // Line 5 of the file (the fourth household) has a mistyped ID number.
  std::string bad = header + line(g, "Plum Court", "1号楼", "1单元", "101", kIdNumber) +
                    line(g, "Plum Court", "1号楼", "1单元", "102", "") +
                    line(g, "Plum Court", "2号楼", "1单元", "101", "") +
                    line(g, "", "Tower 9", "A", "1801", "110101199003071234");
  auto refused = ImportHouseholds(bad, common::v1::CSV);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(refused.status()), "ID_NUMBER_CHECK_FAILED");
  EXPECT_NE(refused.status().message().find("line 5"), absl::string_view::npos) << refused.status();
  EXPECT_EQ(structure(), 0);

  // A dwelling twice (line 4) is found while storing: every line is rolled back.
  std::string twice = header + line(g, "Plum Court", "1号楼", "1单元", "101", kIdNumber) +
                      line(g, "Plum Court", "1号楼", "1单元", "102", "") +
                      line(g, "Plum Court", "1号楼", "1单元", "101", "");
  auto duplicate = ImportHouseholds(twice, common::v1::CSV);
  EXPECT_EQ(Reason(duplicate.status()), "HOUSEHOLD_EXISTS");
  EXPECT_NE(duplicate.status().message().find("line 4"), absl::string_view::npos)
      << duplicate.status();
  EXPECT_EQ(structure(), 0);
  EXPECT_EQ(Count(pool(),
                  "SELECT COUNT(*) FROM change_log WHERE path = 'hh6/s1/c1/g01' AND"
                  " resource_type <> 'grassroots.grid.v1.Grid'"),
            0);

  // A street officer of s1 cannot import into street s2's grid: the line is named.
  std::string foreign = header + line(g, "Plum Court", "1号楼", "1单元", "103", "") +
                        line(other.path(), "", "Tower", "A", "1", "");
  auto out_of_scope = ImportHouseholds(foreign, common::v1::CSV, "hh6/s1");
  EXPECT_EQ(Reason(out_of_scope.status()), "GRID_NOT_FOUND");
  EXPECT_NE(out_of_scope.status().message().find("line 3"), absl::string_view::npos);
  EXPECT_EQ(structure(), 0);

  // The whole ledger: one compound with two buildings, a building on its
  // own, a key household; a retry answers the first result.
  std::string good = header + line(g, "Plum Court", "1号楼", "1单元", "101", kIdNumber) +
                     line(g, "Plum Court", "1号楼", "1单元", "102", "") +
                     line(g, "Plum Court", "1号楼", "2单元", "101", "") +
                     line(g, "Plum Court", "2号楼", "1单元", "101", "") +
                     line(g, "", "Tower 9", "A", "1801", "", "true,disabled resident,14");
  auto imported = ImportHouseholds(good, common::v1::CSV, "hh6/s1", "ledger-2026-12");
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->created_count(), 5);
  // 1 compound + 3 buildings + 4 units + 5 households.
  EXPECT_EQ(structure(), 13);
  auto again = ImportHouseholds(good, common::v1::CSV, "hh6/s1", "ledger-2026-12");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created_count(), 5);
  EXPECT_EQ(structure(), 13);
  v1::ListHouseholdsRequest key;
  key.set_grid_id(grid.id());
  key.set_key_only(true);
  auto keys = Rpc(*households_, &v1::HouseholdService::Stub::ListHouseholds, key);
  ASSERT_EQ(keys->households_size(), 1);
  EXPECT_EQ(keys->households(0).key_reason(), "disabled resident");
  EXPECT_EQ(keys->households(0).head_phone(), "139****0001");
  EXPECT_EQ(keys->households(0).compound_id(), "");

  // JSON lines, into the structure the ledger made.
  const std::string json =
      absl::StrCat(R"({"gridPath":")", g,
                   R"(","compound":"Plum Court","building":"1号楼","unit":"1单元",)"
                   R"("address":"103","headName":"李四","residentCount":1})",
                   "\n");
  auto more = ImportHouseholds(json, common::v1::JSON_LINES);
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_EQ(more->created_count(), 1);
  EXPECT_EQ(structure(), 14);
}

}  // namespace
}  // namespace grassroots::grid::testing
