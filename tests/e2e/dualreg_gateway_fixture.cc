#include "tests/e2e/dualreg_gateway_fixture.h"

#include <cppconn/driver.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "common/text/person_identifiers.h"
#include "grassroots/dualreg/v1/order.grpc.pb.h"
#include "grassroots/dualreg/v1/registration.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/e2e/grid_gateway_fixture.h"
#include "tests/support/test_server.h"

namespace grassroots::testing {
namespace {

constexpr char kVolunteerPersonalDataKey[] = "e2e-dualreg-volunteer-data-key-0123456789abcdef";

// A valid resident ID number for `serial`: the check character is the one
// orgs' own rule accepts.
std::string IdNumberFor(int serial) {
  const std::string base = absl::StrFormat("11010119850101%03d", serial);
  for (char check : std::string("0123456789X")) {
    const std::string candidate = base + check;
    if (NormaliseIdNumber("id", candidate).ok()) return candidate;
  }
  return base + "0";
}

}  // namespace

void DualregGatewayTest::SetUp() {
  get_driver_instance();
  orgs_port_ = PickFreePort();
  volunteer_port_ = PickFreePort();
  dualreg_port_ = PickFreePort();
  gateway_port_ = PickFreePort();
  http_port_ = PickFreePort();
  keys_file_ = absl::StrCat(::testing::TempDir(), "/dualreg-api-keys-", getpid());
  std::ofstream(keys_file_) << "city-admin " << Sha256Hex("city-secret")
                            << " orgs.admin,volunteer.admin,dualreg.admin -\n"
                            << "branch-c1 " << Sha256Hex("branch-secret")
                            << " dualreg.branch dr-d/s1\n"
                            << "resident-1 " << Sha256Hex("resident-secret")
                            << " dualreg.resident dr-d/s1\n"
                            << "branch-s2 " << Sha256Hex("far-secret")
                            << " dualreg.branch dr-d/s2\n";
  orgs_ = std::make_unique<ChildProcess>(ServiceArgs(
      GRASSROOTS_ORGS_BINARY, orgs_port_, FreshSchema("e2e_dualreg_orgs"), kTestPersonalDataKey));
  volunteer_db_ = FreshSchema("e2e_dualreg_volunteer");
  StartVolunteer();
  auto dualreg_args =
      ServiceArgs(GRASSROOTS_DUALREG_BINARY, dualreg_port_, FreshSchema("e2e_dualreg"), "");
  dualreg_args.pop_back();  // no personal data in dualreg: no data key
  dualreg_args.pop_back();
  dualreg_args.push_back("--log-level=warn");
  dualreg_args.push_back(absl::StrCat("--orgs-address=127.0.0.1:", orgs_port_));
  dualreg_args.push_back(absl::StrCat("--volunteer-address=127.0.0.1:", volunteer_port_));
  dualreg_args.push_back("--relay-interval-ms=100");
  dualreg_args.push_back("--relay-max-backoff-ms=400");
  dualreg_ = std::make_unique<ChildProcess>(dualreg_args);
  gateway_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      GRASSROOTS_GATEWAY_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", gateway_port_),
      absl::StrCat("--http-address=127.0.0.1:", http_port_), "--metrics-address=127.0.0.1:0",
      absl::StrCat("--principal-key=", kTestPrincipalKey),
      absl::StrCat("--routes=grassroots.orgs.v1=127.0.0.1:", orgs_port_,
                   ",grassroots.volunteer.v1=127.0.0.1:", volunteer_port_,
                   ",grassroots.dualreg.v1=127.0.0.1:", dualreg_port_),
      absl::StrCat("--api-keys-file=", keys_file_), "--max-deadline-ms=10000",
      "--rate-limit-per-second=0", "--log-level=warn"});
  http_ = std::make_unique<HttpClient>(http_port_);
  ASSERT_TRUE(WaitServing()) << "orgs, volunteer, dualreg and the gateway did not all come up";
}

void DualregGatewayTest::StartVolunteer() {
  volunteer_ = std::make_unique<ChildProcess>(ServiceArgs(
      GRASSROOTS_VOLUNTEER_BINARY, volunteer_port_, volunteer_db_, kVolunteerPersonalDataKey));
}

std::unique_ptr<grpc::ClientContext> DualregGatewayTest::Context(const std::string& key,
                                                                 absl::Duration deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("x-api-key", key);
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return context;
}

std::shared_ptr<grpc::Channel> DualregGatewayTest::GatewayChannel() {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_port_),
                             grpc::InsecureChannelCredentials());
}

bool DualregGatewayTest::WaitServing() {
  auto channel = GatewayChannel();
  // One cheap read per service through the gateway, each given half a second.
  const std::vector<std::function<grpc::Status(grpc::ClientContext*)>> probes = {
      [stub = std::shared_ptr(orgs::v1::AreaService::NewStub(channel))](grpc::ClientContext* c) {
        orgs::v1::ListAreasResponse out;
        return stub->ListAreas(c, orgs::v1::ListAreasRequest(), &out);
      },
      [stub = std::shared_ptr(volunteer::v1::LedgerService::NewStub(channel))](
          grpc::ClientContext* c) {
        volunteer::v1::CheckInvariantsResponse out;
        return stub->CheckInvariants(c, volunteer::v1::CheckInvariantsRequest(), &out);
      },
      [stub =
           std::shared_ptr(dualreg::v1::OrderService::NewStub(channel))](grpc::ClientContext* c) {
        dualreg::v1::ListOrdersResponse out;
        return stub->ListOrders(c, dualreg::v1::ListOrdersRequest(), &out);
      },
  };
  for (int round = 0; round < 300; ++round) {
    int up = 0;
    for (const auto& probe : probes) {
      auto context = Context("city-secret", absl::Milliseconds(500));
      context->set_wait_for_ready(true);
      if (probe(context.get()).ok()) ++up;
    }
    if (up == static_cast<int>(probes.size())) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

std::string DualregGatewayTest::CreateArea(int kind, const std::string& code,
                                           const std::string& parent) {
  auto areas = orgs::v1::AreaService::NewStub(GatewayChannel());
  orgs::v1::CreateAreaRequest request;
  request.mutable_area()->set_kind(static_cast<orgs::v1::AreaKind>(kind));
  request.mutable_area()->set_code(code);
  request.mutable_area()->set_display_name(code);
  request.mutable_area()->set_parent_id(parent);
  orgs::v1::Area made;
  const grpc::Status status = areas->CreateArea(Context("city-secret").get(), request, &made);
  EXPECT_TRUE(status.ok()) << code << ": " << status.error_message();
  return made.id();
}

std::string DualregGatewayTest::CreateOrganisation(const std::string& json) {
  auto organisations = orgs::v1::OrganisationService::NewStub(GatewayChannel());
  orgs::v1::CreateOrganisationRequest request;
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(json, request.mutable_organisation()).ok())
      << json;
  orgs::v1::Organisation made;
  const grpc::Status status =
      organisations->CreateOrganisation(Context("city-secret").get(), request, &made);
  EXPECT_TRUE(status.ok()) << json << ": " << status.error_message();
  return made.id();
}

void DualregGatewayTest::Seed(int members) {
  const std::string d = CreateArea(orgs::v1::DISTRICT, "dr-d", "");
  const std::string s1 = CreateArea(orgs::v1::STREET, "s1", d);
  const std::string s2 = CreateArea(orgs::v1::STREET, "s2", d);
  c1_ = CreateArea(orgs::v1::COMMUNITY, "c1", s1);
  c2_ = CreateArea(orgs::v1::COMMUNITY, "c2", s2);
  const std::string district = CreateOrganisation(absl::StrCat(
      R"({"kind":"DISTRICT_COMMITTEE","code":"dr-d","displayName":"dr-d","areaId":")", d, "\"}"));
  const std::string street = CreateOrganisation(absl::StrCat(
      R"({"kind":"STREET_WORKING_COMMITTEE","code":"s1","displayName":"s1","areaId":")", s1,
      R"(","parentId":")", district, "\"}"));
  const std::string community = CreateOrganisation(
      absl::StrCat(R"({"kind":"COMMUNITY_COMMITTEE","code":"c1","displayName":"c1","areaId":")",
                   c1_, R"(","parentId":")", street, "\"}"));
  employer_ = CreateOrganisation(absl::StrCat(
      R"({"kind":"TWO_NEW_ORGANISATION","code":"acme","displayName":"Acme branch",)",
      R"("unitName":"Acme Ltd","areaId":")", c1_, R"(","parentId":")", community, "\"}"));
  auto orgs_members = orgs::v1::MemberService::NewStub(GatewayChannel());
  auto volunteers = volunteer::v1::VolunteerService::NewStub(GatewayChannel());
  auto registrations = dualreg::v1::RegistrationService::NewStub(GatewayChannel());
  {
    dualreg::v1::RegisterUnitRequest request;
    request.mutable_unit()->set_organisation_id(employer_);
    request.mutable_unit()->set_community_id(c1_);
    request.mutable_unit()->set_resources("meeting room, 10 volunteers");
    request.mutable_unit()->set_agreement("co-building agreement 2026-07");
    request.mutable_unit()->set_valid_until("2099-12-31");
    dualreg::v1::UnitRegistration unit;
    const grpc::Status status =
        registrations->RegisterUnit(Context("branch-secret").get(), request, &unit);
    ASSERT_TRUE(status.ok()) << status.error_message();
    unit_id_ = unit.id();
  }
  for (int i = 0; i < members; ++i) {
    orgs::v1::AddMemberRequest add;
    add.mutable_member()->set_organisation_id(employer_);
    add.mutable_member()->set_status(orgs::v1::FULL);
    add.mutable_member()->set_join_date("2012-07-01");
    add.mutable_member()->set_name("党员");
    add.mutable_member()->set_id_number(IdNumberFor(i));
    orgs::v1::Member member;
    grpc::Status status = orgs_members->AddMember(Context("city-secret").get(), add, &member);
    ASSERT_TRUE(status.ok()) << status.error_message();
    member_ids_.push_back(member.id());
    volunteer::v1::CreateVolunteerRequest create;
    create.mutable_volunteer()->set_community_path("dr-d/s1/c1");
    create.mutable_volunteer()->set_name("党员");
    create.mutable_volunteer()->set_member_id(member.id());
    volunteer::v1::Volunteer volunteer;
    status = volunteers->CreateVolunteer(Context("city-secret").get(), create, &volunteer);
    ASSERT_TRUE(status.ok()) << status.error_message();
    volunteer_ids_.push_back(volunteer.id());
    dualreg::v1::RegisterMemberRequest reg;
    reg.mutable_registration()->set_member_id(member.id());
    reg.mutable_registration()->set_employer_organisation_id(employer_);
    reg.mutable_registration()->set_community_id(c1_);
    reg.mutable_registration()->add_skills("repair");
    for (int day = 1; day <= 7; ++day) {
      auto* slot = reg.mutable_registration()->add_availability();
      slot->set_weekday(day);
      slot->set_start_minute(8 * 60);
      slot->set_end_minute(22 * 60);
    }
    reg.mutable_registration()->set_volunteer_id(volunteer.id());
    dualreg::v1::MemberRegistration registered;
    status = registrations->RegisterMember(Context("branch-secret").get(), reg, &registered);
    ASSERT_TRUE(status.ok()) << status.error_message();
    registrations_.push_back(registered);
  }
}

}  // namespace grassroots::testing
