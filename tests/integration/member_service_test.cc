// Party members and their personal data, against a real MariaDB: encrypted
// at rest, masked on the way out, found by exact match, every clear read
// recorded.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/crypto/personal_data.h"
#include "common/metrics/rpc_metrics.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/dues.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/transfer.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/dues_handler.h"
#include "services/orgs/member_handler.h"
#include "services/orgs/organisation_handler.h"
#include "services/orgs/transfer_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using grassroots::testing::InProcessService;
using grassroots::testing::QueryInt;
using grassroots::testing::TestPrincipals;

constexpr char kPhone[] = "13812345678";
constexpr char kIdNumber[] = "110101199003071233";

class MemberServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs_members"),
                                    {&db::orgs_migrations()});
    cipher_ = PersonalDataCipher::Create(grassroots::testing::kTestPersonalDataKey)->release();
    area_store_ = new AreaStore(*service_->env().pool, *service_->env().changes);
    area_handler_ = new AreaHandler(service_->env(), *area_store_);
    organisation_store_ = new OrganisationStore(*service_->env().pool, *service_->env().changes);
    // Small limits so a test can cross them: a branch splits above 4 members.
    FormationThresholds thresholds;
    thresholds.max_branch_members = 4;
    organisation_handler_ =
        new OrganisationHandler(service_->env(), *organisation_store_, thresholds);
    store_ = new MemberStore(*service_->env().pool, *service_->env().changes, *cipher_);
    handler_ = new MemberHandler(service_->env(), *store_);
    dues_store_ = new DuesStore(*service_->env().pool, *service_->env().changes);
    dues_handler_ = new DuesHandler(service_->env(), *dues_store_);
    transfer_store_ = new TransferStore(*service_->env().pool, *service_->env().changes);
    transfer_handler_ = new TransferHandler(service_->env(), *transfer_store_);
    service_->Start(
        {area_handler_, organisation_handler_, handler_, dues_handler_, transfer_handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
    delete transfer_handler_;
    delete transfer_store_;
    delete dues_handler_;
    delete dues_store_;
    delete handler_;
    delete store_;
    delete organisation_handler_;
    delete organisation_store_;
    delete area_handler_;
    delete area_store_;
    delete cipher_;
    delete service_;
  }

  void SetUp() override {
    areas_ = v1::AreaService::NewStub(service_->Channel());
    organisations_ = v1::OrganisationService::NewStub(service_->Channel());
    stub_ = v1::MemberService::NewStub(service_->Channel());
    dues_ = v1::DuesService::NewStub(service_->Channel());
    transfers_ = v1::TransferService::NewStub(service_->Channel());
  }

  db::ConnectionPool& pool() { return *service_->env().pool; }

  std::string AreaId(v1::AreaKind kind, const std::string& code, const std::string& parent) {
    v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(kind);
    request.mutable_area()->set_code(code);
    request.mutable_area()->set_display_name(code);
    request.mutable_area()->set_parent_id(parent);
    v1::Area area;
    EXPECT_TRUE(areas_->CreateArea(principals_.Context("").get(), request, &area).ok());
    return area.id();
  }

  std::string OrganisationId(v1::OrganisationKind kind, const std::string& code,
                             const std::string& parent, const std::string& area) {
    v1::CreateOrganisationRequest request;
    request.mutable_organisation()->set_kind(kind);
    request.mutable_organisation()->set_code(code);
    request.mutable_organisation()->set_display_name(code);
    request.mutable_organisation()->set_parent_id(parent);
    request.mutable_organisation()->set_area_id(area);
    v1::Organisation organisation;
    auto status =
        organisations_->CreateOrganisation(principals_.Context("").get(), request, &organisation);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return organisation.id();
  }

  std::string AreaOf(const std::string& organisation) {
    v1::GetOrganisationRequest request;
    request.set_id(organisation);
    v1::Organisation found;
    EXPECT_TRUE(
        organisations_->GetOrganisation(principals_.Context("").get(), request, &found).ok());
    return found.area_id();
  }

  // District d with streets s1, s2; a community committee in each street.
  struct Tree {
    std::string district, street1, street2, branch1, branch2;
  };
  Tree MakeTree(const std::string& code) {
    Tree t;
    const std::string d = AreaId(v1::DISTRICT, code, "");
    const std::string s1 = AreaId(v1::STREET, "s1", d), s2 = AreaId(v1::STREET, "s2", d);
    const std::string c1 = AreaId(v1::COMMUNITY, "c1", s1), c2 = AreaId(v1::COMMUNITY, "c2", s2);
    t.district = OrganisationId(v1::DISTRICT_COMMITTEE, code, "", d);
    t.street1 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s1", t.district, s1);
    t.street2 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s2", t.district, s2);
    t.branch1 = OrganisationId(v1::COMMUNITY_COMMITTEE, "c1", t.street1, c1);
    t.branch2 = OrganisationId(v1::COMMUNITY_COMMITTEE, "c2", t.street2, c2);
    return t;
  }

  absl::StatusOr<v1::Member> Add(const std::string& scope, const std::string& organisation,
                                 const std::string& name, const std::string& phone,
                                 const std::string& id_number, const std::string& request_id = "",
                                 const std::string& join_date = "2010-07-01") {
    v1::AddMemberRequest request;
    auto* m = request.mutable_member();
    m->set_organisation_id(organisation);
    m->set_status(v1::FULL);
    m->set_join_date(join_date);
    m->set_name(name);
    m->set_phone(phone);
    m->set_id_number(id_number);
    request.set_request_id(request_id);
    v1::Member out;
    auto status = stub_->AddMember(principals_.Context(scope, "clerk").get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  int64_t Reads(const std::string& action) {
    return QueryInt(pool(), "SELECT COUNT(*) FROM personal_data_reads WHERE action = '" + action +
                                "' AND actor = 'clerk'");
  }

  static InProcessService* service_;
  static PersonalDataCipher* cipher_;
  static AreaStore* area_store_;
  static AreaHandler* area_handler_;
  static OrganisationStore* organisation_store_;
  static OrganisationHandler* organisation_handler_;
  static MemberStore* store_;
  static MemberHandler* handler_;
  static DuesStore* dues_store_;
  static DuesHandler* dues_handler_;
  static TransferStore* transfer_store_;
  static TransferHandler* transfer_handler_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<v1::MemberService::Stub> stub_;
  std::unique_ptr<v1::DuesService::Stub> dues_;
  std::unique_ptr<v1::TransferService::Stub> transfers_;
};

InProcessService* MemberServiceTest::service_ = nullptr;
PersonalDataCipher* MemberServiceTest::cipher_ = nullptr;
AreaStore* MemberServiceTest::area_store_ = nullptr;
AreaHandler* MemberServiceTest::area_handler_ = nullptr;
OrganisationStore* MemberServiceTest::organisation_store_ = nullptr;
OrganisationHandler* MemberServiceTest::organisation_handler_ = nullptr;
MemberStore* MemberServiceTest::store_ = nullptr;
MemberHandler* MemberServiceTest::handler_ = nullptr;
DuesStore* MemberServiceTest::dues_store_ = nullptr;
DuesHandler* MemberServiceTest::dues_handler_ = nullptr;
TransferStore* MemberServiceTest::transfer_store_ = nullptr;
TransferHandler* MemberServiceTest::transfer_handler_ = nullptr;

TEST_F(MemberServiceTest, PersonalDataIsEncryptedAtRestAndMaskedInAnswers) {
  Tree t = MakeTree("mt1");
  auto added = Add("", t.branch1, "张三丰", "138 1234-5678", kIdNumber);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->name(), "张*丰");
  EXPECT_EQ(added->phone(), "138****5678");
  EXPECT_EQ(added->id_number(), "1101**********1233");
  EXPECT_EQ(added->organisation_path(), "mt1/s1/c1");
  EXPECT_EQ(added->area_path(), "mt1/s1/c1");

  // Nothing in the clear in the members table or in the change feed (the
  // same query does find the masked phone, so it can see what it looks for).
  const std::string id = added->id();
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM members WHERE INSTR(CONCAT(name_cipher,"
                     " phone_cipher, id_number_cipher, name_masked, phone_masked,"
                     " id_number_masked), '138****5678') > 0"),
            1);
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM change_log WHERE INSTR(after_state, "
                     "'138****5678') > 0"),
            1);
  for (const std::string& clear :
       {std::string(kPhone), std::string(kIdNumber), std::string("张三丰")}) {
    EXPECT_EQ(QueryInt(pool(),
                       "SELECT COUNT(*) FROM members WHERE INSTR(CONCAT(name_cipher,"
                       " phone_cipher, id_number_cipher, name_masked, phone_masked,"
                       " id_number_masked), '" +
                           clear + "') > 0"),
              0)
        << clear;
    EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM change_log WHERE INSTR(after_state, '" +
                                   clear + "') > 0"),
              0)
        << clear;
  }
  v1::GetMemberRequest get;
  get.set_id(id);
  v1::Member read;
  ASSERT_TRUE(stub_->GetMember(principals_.Context("").get(), get, &read).ok());
  EXPECT_EQ(read.phone(), "138****5678");
  EXPECT_EQ(read.name(), "张*丰");
}

TEST_F(MemberServiceTest, OneRecordPerPersonAndIdempotentAdds) {
  Tree t = MakeTree("mt2");
  const std::string id_number = "11010519491231002X";
  auto first = Add("", t.branch1, "李四", "", id_number, "add-li");
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = Add("", t.branch1, "李四", "", id_number, "add-li");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), first->id());
  auto twice = Add("", t.branch2, "李四", "", "11010519491231002x");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ErrorReason(twice.status()).value_or(""), "MEMBER_EXISTS");
  // A mistyped ID number is caught before anything is stored.
  auto mistyped = Add("", t.branch1, "王五", "", "110105194912310021");
  EXPECT_EQ(ErrorReason(mistyped.status()).value_or(""), "ID_NUMBER_CHECK_FAILED");
}

TEST_F(MemberServiceTest, ExactMatchSearchAndRevealAreRecordedAndScoped) {
  Tree t = MakeTree("mt3");
  auto member = *Add("", t.branch1, "赵六", "13900001111", "110101198001010010");
  ASSERT_EQ(member.id_number(), "1101**********0010");
  const int64_t searches = Reads("search"), reveals = Reads("reveal");

  v1::FindMembersRequest find;
  find.set_phone("139-0000-1111");
  find.set_purpose("dues enquiry call");
  v1::FindMembersResponse found;
  ASSERT_TRUE(stub_->FindMembers(principals_.Context("", "clerk").get(), find, &found).ok());
  ASSERT_EQ(found.members_size(), 1);
  EXPECT_EQ(found.members(0).id(), member.id());
  EXPECT_EQ(found.members(0).phone(), "139****1111");
  EXPECT_EQ(Reads("search"), searches + 1);
  // Another street's officer finds nothing there, and the search is still recorded.
  v1::FindMembersResponse elsewhere;
  ASSERT_TRUE(
      stub_->FindMembers(principals_.Context("mt3/s2", "clerk").get(), find, &elsewhere).ok());
  EXPECT_EQ(elsewhere.members_size(), 0);
  EXPECT_EQ(Reads("search"), searches + 2);

  v1::RevealMemberContactRequest reveal;
  reveal.set_id(member.id());
  v1::MemberContact contact;
  auto no_purpose =
      stub_->RevealMemberContact(principals_.Context("", "clerk").get(), reveal, &contact);
  EXPECT_EQ(no_purpose.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  reveal.set_purpose("home visit before the branch meeting");
  ASSERT_TRUE(
      stub_->RevealMemberContact(principals_.Context("", "clerk").get(), reveal, &contact).ok());
  EXPECT_EQ(contact.name(), "赵六");
  EXPECT_EQ(contact.phone(), "13900001111");
  EXPECT_EQ(contact.id_number(), "110101198001010010");
  EXPECT_EQ(Reads("reveal"), reveals + 1);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM personal_data_reads WHERE member_id = '" +
                                 member.id() +
                                 "' AND purpose = 'home visit before the branch "
                                 "meeting' AND fields = 'name,phone,id_number'"),
            1);
  // Out of scope: refused, and nothing is recorded as read.
  auto refused =
      stub_->RevealMemberContact(principals_.Context("mt3/s2", "clerk").get(), reveal, &contact);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reads("reveal"), reveals + 1);
}

TEST_F(MemberServiceTest, ListsAnOrganisationOrItsSubtreeMasked) {
  Tree t = MakeTree("mt4");
  ASSERT_TRUE(Add("", t.branch1, "甲一", "", "110101197001010016").ok());
  ASSERT_TRUE(Add("", t.branch1, "乙二", "", "110101197001010032").ok());
  ASSERT_TRUE(Add("", t.branch2, "丙三", "", "110101197001010059").ok());
  auto list = [&](const std::string& scope, const std::string& organisation, bool subtree) {
    std::vector<std::string> names;
    v1::ListMembersRequest request;
    request.set_organisation_id(organisation);
    request.set_subtree(subtree);
    request.set_page_size(1);
    for (;;) {
      v1::ListMembersResponse response;
      auto status = stub_->ListMembers(principals_.Context(scope).get(), request, &response);
      if (!status.ok()) return std::vector<std::string>{GrpcCodeName(status.error_code())};
      for (const auto& m : response.members()) names.push_back(m.name());
      if (response.next_page_token().empty()) return names;
      request.set_page_token(response.next_page_token());
    }
  };
  EXPECT_EQ(list("", t.branch1, false).size(), 2u);
  EXPECT_EQ(list("", t.district, true).size(), 3u);
  EXPECT_EQ(list("mt4/s1", t.district, true).size(), 2u);
  EXPECT_EQ(list("mt4/s1", t.branch2, false), std::vector<std::string>{"PermissionDenied"});
  for (const auto& name : list("", t.district, true)) {
    EXPECT_NE(name.find('*'), std::string::npos) << name;
  }
}

TEST_F(MemberServiceTest, TheCoverageEngineFlagsBranchesByTheirMembers) {
  Tree t = MakeTree("mt5");
  const std::string small = OrganisationId(v1::GRID_BRANCH, "g1", t.branch1, AreaOf(t.branch1));
  const std::string fine = OrganisationId(v1::GRID_BRANCH, "g2", t.branch1, AreaOf(t.branch1));
  const std::string big = OrganisationId(v1::GRID_BRANCH, "g3", t.branch1, AreaOf(t.branch1));
  int serial = 100;
  auto add = [&](const std::string& organisation, int count) {
    for (int i = 0; i < count; ++i) {
      // A valid ID number per member: 17 digits and the GB 11643 check character.
      std::string base = absl::StrCat("11010119800101", serial++);
      static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
      int sum = 0;
      for (int d = 0; d < 17; ++d) sum += (base[d] - '0') * kWeights[d];
      base.push_back("10X98765432"[sum % 11]);
      ASSERT_TRUE(Add("", organisation, "成员", "", base).ok()) << base;
    }
  };
  add(small, 2);
  add(fine, 3);
  add(big, 5);
  v1::ListFormationWorkItemsRequest request;
  request.set_parent_id(t.district);
  request.set_page_size(2);  // pages of two organisations, some without items
  std::vector<std::string> items;
  for (;;) {
    v1::ListFormationWorkItemsResponse response;
    auto status =
        organisations_->ListFormationWorkItems(principals_.Context("").get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& item : response.items()) {
      items.push_back(
          absl::StrCat(item.organisation_path(), " ", item.rule(), " ", item.full_members()));
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(items, (std::vector<std::string>{"mt5/s1/c1/g1 MIN_FULL_MEMBERS 2",
                                             "mt5/s1/c1/g3 MAX_BRANCH_MEMBERS 5"}));
  // A street officer of s2 sees none of s1's.
  v1::ListFormationWorkItemsRequest scoped;
  v1::ListFormationWorkItemsResponse none;
  ASSERT_TRUE(
      organisations_->ListFormationWorkItems(principals_.Context("mt5/s2").get(), scoped, &none)
          .ok());
  EXPECT_EQ(none.items_size(), 0);
}

TEST_F(MemberServiceTest, DuesPaymentsAreIdempotentAndArrearsRaiseAlerts) {
  Tree t = MakeTree("mt6");
  // Joined six months before this month: dues fall due from the next month,
  // so six months are unpaid now, whenever the test runs.
  const absl::CivilMonth now(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  auto month = [](absl::CivilMonth m) { return absl::FormatCivilTime(m).substr(0, 7); };
  const std::string joined = absl::StrCat(month(now - 6), "-15");
  auto member = *Add("", t.branch1, "钱七", "", "110101198505050016", "", joined);
  auto status = [&](const std::string& scope = "") {
    v1::GetDuesStatusRequest request;
    request.set_member_id(member.id());
    v1::DuesStatus out;
    auto s = dues_->GetDuesStatus(principals_.Context(scope).get(), request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  EXPECT_EQ(status().months_in_arrears(), 6);
  EXPECT_EQ(status().standing(), v1::HANDLING_REQUIRED);
  EXPECT_EQ(status().paid_up_to(), "");

  auto pay = [&](absl::CivilMonth m, int64_t fen, const std::string& id) {
    v1::RecordDuesPaymentRequest request;
    request.set_member_id(member.id());
    request.set_month(month(m));
    request.set_amount_fen(fen);
    request.set_payment_id(id);
    v1::DuesPayment out;
    return dues_->RecordDuesPayment(principals_.Context("", "treasurer").get(), request, &out);
  };
  for (int i = 5; i >= 3; --i) ASSERT_TRUE(pay(now - i, 3000, absl::StrCat("p", i)).ok());
  EXPECT_EQ(status().paid_up_to(), month(now - 3));
  EXPECT_EQ(status().months_in_arrears(), 3);
  EXPECT_EQ(status().standing(), v1::ALERT);

  // A retry changes nothing; the same id for another payment, or a second
  // payment for a paid month, is refused.
  EXPECT_TRUE(pay(now - 3, 3000, "p3").ok());
  EXPECT_EQ(pay(now - 3, 9999, "p3").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(pay(now - 3, 3000, "another").error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM dues_payments WHERE member_id = '" + member.id() + "'"),
            3);
  EXPECT_EQ(pay(now + 13, 3000, "far").error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // The arrears list of the district shows the member, masked; paying up clears it.
  auto arrears = [&]() {
    v1::ListDuesArrearsRequest request;
    request.set_organisation_id(t.district);
    v1::ListDuesArrearsResponse out;
    EXPECT_TRUE(dues_->ListDuesArrears(principals_.Context("").get(), request, &out).ok());
    return out;
  };
  ASSERT_EQ(arrears().arrears_size(), 1);
  EXPECT_EQ(arrears().arrears(0).name(), "钱*");
  EXPECT_EQ(arrears().arrears(0).standing(), v1::ALERT);
  for (int i = 2; i >= 0; --i) ASSERT_TRUE(pay(now - i, 3000, absl::StrCat("q", i)).ok());
  EXPECT_EQ(status().standing(), v1::IN_GOOD_STANDING);
  EXPECT_EQ(arrears().arrears_size(), 0);
  // Another street cannot see or pay for this member.
  v1::GetDuesStatusRequest request;
  request.set_member_id(member.id());
  v1::DuesStatus hidden;
  EXPECT_EQ(
      dues_->GetDuesStatus(principals_.Context("mt6/s2").get(), request, &hidden).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // The bracket table, for the record.
  v1::ComputeMonthlyDuesRequest compute;
  compute.set_category(v1::EMPLOYED);
  compute.set_monthly_income_fen(800000);
  v1::ComputeMonthlyDuesResponse computed;
  ASSERT_TRUE(dues_->ComputeMonthlyDues(principals_.Context("").get(), compute, &computed).ok());
  EXPECT_EQ(computed.monthly_dues_fen(), 12000);
}

TEST_F(MemberServiceTest, ProbationaryMembersConvertAfterProbation) {
  Tree t = MakeTree("mt8");
  v1::AddMemberRequest add;
  auto* m = add.mutable_member();
  m->set_organisation_id(t.branch1);
  m->set_status(v1::PROBATIONARY);
  m->set_join_date("2024-07-01");
  m->set_probation_end_date("2025-07-01");
  m->set_name("周九");
  m->set_id_number("110101199506060034");
  v1::Member member;
  auto added = stub_->AddMember(principals_.Context("").get(), add, &member);
  ASSERT_TRUE(added.ok()) << added.error_message();
  v1::ConvertToFullMemberRequest convert;
  convert.set_id(member.id());
  convert.set_etag(member.etag());
  convert.set_conversion_date("2025-06-30");
  v1::Member converted;
  auto early = stub_->ConvertToFullMember(principals_.Context("").get(), convert, &converted);
  EXPECT_EQ(ErrorReason(FromGrpcStatus(early)).value_or(""), "PROBATION_NOT_OVER");
  convert.set_conversion_date("2025-07-01");
  ASSERT_TRUE(stub_->ConvertToFullMember(principals_.Context("").get(), convert, &converted).ok());
  EXPECT_EQ(converted.status(), v1::FULL);
  EXPECT_EQ(converted.probation_end_date(), "");
  convert.set_etag(converted.etag());
  auto twice = stub_->ConvertToFullMember(principals_.Context("").get(), convert, &converted);
  EXPECT_EQ(ErrorReason(FromGrpcStatus(twice)).value_or(""), "NOT_PROBATIONARY");
}

TEST_F(MemberServiceTest, TransfersMoveTheMembershipOnlyWhenBothSidesAgree) {
  Tree t = MakeTree("mt7");
  const absl::CivilMonth now(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  auto month = [](absl::CivilMonth m) { return absl::FormatCivilTime(m).substr(0, 7); };
  auto member = *Add("", t.branch1, "孙八", "", "110101199009090021", "",
                     absl::StrCat(month(now - 2), "-10"));
  const std::string street1 = "mt7/s1", street2 = "mt7/s2";
  auto request = [&](const std::string& scope, const std::string& to, v1::Transfer* out) {
    v1::RequestTransferRequest r;
    r.set_member_id(member.id());
    r.set_to_organisation_id(to);
    r.set_reason("moved house");
    return transfers_->RequestTransfer(principals_.Context(scope, "clerk").get(), r, out);
  };
  auto decide = [&](const std::string& scope, const v1::Transfer& transfer, const char* how,
                    v1::Transfer* out) {
    v1::DecideTransferRequest r;
    r.set_id(transfer.id());
    r.set_etag(transfer.etag());
    auto context = principals_.Context(scope, "clerk");
    if (std::string(how) == "accept") return transfers_->AcceptTransfer(context.get(), r, out);
    if (std::string(how) == "reject") return transfers_->RejectTransfer(context.get(), r, out);
    return transfers_->CancelTransfer(context.get(), r, out);
  };
  auto organisation_of = [&](const std::string& scope) {
    v1::GetMemberRequest r;
    r.set_id(member.id());
    v1::Member m;
    auto s = stub_->GetMember(principals_.Context(scope).get(), r, &m);
    return s.ok() ? m.organisation_id() : std::string(GrpcCodeName(s.error_code()));
  };

  // Dues first: two months are unpaid.
  v1::Transfer pending;
  auto unpaid = request(street1, t.branch2, &pending);
  EXPECT_EQ(unpaid.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(unpaid.error_message().find("2 month"), std::string::npos) << unpaid.error_message();
  for (int i = 1; i >= 0; --i) {
    v1::RecordDuesPaymentRequest pay;
    pay.set_member_id(member.id());
    pay.set_month(month(now - i));
    pay.set_amount_fen(1000);
    pay.set_payment_id(absl::StrCat("t", i, member.id()));
    v1::DuesPayment paid;
    ASSERT_TRUE(dues_->RecordDuesPayment(principals_.Context("").get(), pay, &paid).ok());
  }
  ASSERT_TRUE(request(street1, t.branch2, &pending).ok());
  EXPECT_EQ(pending.state(), v1::Transfer::PENDING);
  v1::Transfer again;
  EXPECT_EQ(request(street1, t.branch2, &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Still in the sending organisation until the receiving side accepts; the
  // sending side cannot accept for it.
  EXPECT_EQ(organisation_of(""), t.branch1);
  v1::Transfer decided;
  EXPECT_EQ(decide(street1, pending, "accept", &decided).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(decide(street2, pending, "accept", &decided).ok());
  EXPECT_EQ(decided.state(), v1::Transfer::ACCEPTED);
  EXPECT_EQ(organisation_of(""), t.branch2);
  // The member, and its dues record, now lie in street s2's scope only.
  EXPECT_EQ(organisation_of(street1), "PermissionDenied");
  EXPECT_EQ(organisation_of(street2), t.branch2);
  v1::GetDuesStatusRequest dues;
  dues.set_member_id(member.id());
  v1::DuesStatus standing;
  ASSERT_TRUE(dues_->GetDuesStatus(principals_.Context(street2).get(), dues, &standing).ok());
  EXPECT_EQ(standing.standing(), v1::IN_GOOD_STANDING);
  EXPECT_EQ(decide(street2, decided, "accept", &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // A transfer back, withdrawn by the sending side (now s2); refused ones change nothing.
  v1::Transfer back;
  ASSERT_TRUE(request(street2, t.branch1, &back).ok());
  ASSERT_TRUE(decide(street2, back, "cancel", &decided).ok());
  EXPECT_EQ(decided.state(), v1::Transfer::CANCELLED);
  ASSERT_TRUE(request(street2, t.branch1, &back).ok());
  ASSERT_TRUE(decide(street1, back, "reject", &decided).ok());
  EXPECT_EQ(decided.state(), v1::Transfer::REJECTED);
  EXPECT_EQ(organisation_of(""), t.branch2);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM members WHERE id = '" + member.id() + "'"), 1);
}

}  // namespace
}  // namespace grassroots::orgs
