// dualreg's three lists under load, through the services' own APIs.
//
//   seed DUALREG VOLUNTEER MEMBERS_FILE CONCURRENCY
//     For each line "member_id employer_organisation_id community_id
//     community_path" of MEMBERS_FILE: the member becomes a volunteer of the
//     community in volunteer (CreateVolunteer) and is registered there in
//     dualreg (RegisterMember: skill "repair", available every day all day),
//     CONCURRENCY members at a time. Prints "members_per_second errors";
//     fails unless every member was registered.
//
//   orders DUALREG COMMUNITIES_FILE CONCURRENCY SECONDS
//     CONCURRENCY chains in flight for SECONDS, each an order going round:
//     CreateOrder (a resident, in the communities of COMMUNITIES_FILE, one
//     community id a line, in turn) -> DispatchOrder (the branch, matched by
//     dualreg) -> TakeOrder (by the first member it was offered to) ->
//     CompleteOrder -> ConfirmOrder (the resident who ordered it). Prints
//     "orders_per_second p50_ms p99_ms errors write_calls_per_second", the
//     latencies of whole chains; an error is a chain cut short.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grassroots/dualreg/v1/order.grpc.pb.h"
#include "grassroots/dualreg/v1/registration.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/bench/closed_loop.h"
#include "tests/bench/fields_file.h"

namespace {

namespace dualreg = grassroots::dualreg::v1;
namespace volunteer = grassroots::volunteer::v1;
using grassroots::bench::ReadFields;
using grassroots::bench::SignedPrincipal;
using grassroots::bench::UnitLoop;

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

struct SeedState {
  volunteer::CreateVolunteerRequest create;
  volunteer::Volunteer volunteer;
  dualreg::RegisterMemberRequest reg;
  dualreg::MemberRegistration registration;
};

int Seed(const std::string& dualreg_target, const std::string& volunteer_target,
         const std::string& members_file, int concurrency) {
  const auto members = ReadFields(members_file, 4);
  if (members.empty()) return 2;
  const std::string admin = SignedPrincipal({"volunteer.admin"}, "bench-admin");
  const std::string branch = SignedPrincipal({"dualreg.branch"}, "bench-branch");
  if (admin.empty() || branch.empty()) return 2;
  auto volunteers = volunteer::VolunteerService::NewStub(ChannelTo(volunteer_target));
  auto registrations = dualreg::RegistrationService::NewStub(ChannelTo(dualreg_target));
  using Loop = UnitLoop<SeedState>;
  Loop loop({
      {"CreateVolunteer", admin,
       [&](int64_t n, SeedState& s, grpc::ClientContext* context, Loop::Done done) {
         const auto& m = members[n];
         s.create.mutable_volunteer()->set_community_path(m[3]);
         s.create.mutable_volunteer()->set_name("党员志愿者");
         s.create.mutable_volunteer()->set_member_id(m[0]);
         s.create.set_request_id(absl::StrCat("bench-seed-", m[0]));
         volunteers->async()->CreateVolunteer(context, &s.create, &s.volunteer, std::move(done));
       }},
      {"RegisterMember", branch,
       [&](int64_t n, SeedState& s, grpc::ClientContext* context, Loop::Done done) {
         const auto& m = members[n];
         dualreg::MemberRegistration* r = s.reg.mutable_registration();
         r->set_member_id(m[0]);
         r->set_employer_organisation_id(m[1]);
         r->set_community_id(m[2]);
         r->add_skills("repair");
         for (int day = 1; day <= 7; ++day) {
           dualreg::AvailabilitySlot* slot = r->add_availability();
           slot->set_weekday(day);
           slot->set_start_minute(0);
           slot->set_end_minute(1440);
         }
         r->set_volunteer_id(s.volunteer.id());
         s.reg.set_request_id(absl::StrCat("bench-seed-", m[0]));
         registrations->async()->RegisterMember(context, &s.reg, &s.registration, std::move(done));
       }},
  });
  auto summary = loop.Run(concurrency, /*seconds=*/3600, static_cast<int64_t>(members.size()));
  if (!summary) return 1;
  std::printf("%.0f %lld\n", summary->units_per_second, static_cast<long long>(summary->errors));
  return summary->units == static_cast<int64_t>(members.size()) ? 0 : 1;
}

struct OrderState {
  dualreg::CreateOrderRequest create;
  dualreg::DispatchOrderRequest dispatch;
  dualreg::TakeOrderRequest take;
  dualreg::CompleteOrderRequest complete;
  dualreg::ConfirmOrderRequest confirm;
  dualreg::Order order;  // the answer of each step in turn
};

int Orders(const std::string& dualreg_target, const std::string& communities_file, int concurrency,
           int seconds) {
  const auto communities = ReadFields(communities_file, 1);
  if (communities.empty()) return 2;
  // The resident who orders is the one who confirms; the branch dispatches
  // and, for its member, takes and completes.
  const std::string resident = SignedPrincipal({"dualreg.resident"}, "bench-resident");
  const std::string branch = SignedPrincipal({"dualreg.branch"}, "bench-branch");
  if (resident.empty() || branch.empty()) return 2;
  auto orders = dualreg::OrderService::NewStub(ChannelTo(dualreg_target));
  const std::string run = grassroots::bench::RunTag();
  // Tomorrow, 10:00 to 11:00 at UTC+8 (dualreg's default local time).
  const int64_t day = absl::ToUnixSeconds(absl::Now()) / 86400 + 1;
  const int64_t requested = day * 86400 + 7200;  // 02:00 UTC
  using Loop = UnitLoop<OrderState>;
  Loop loop({
      {"CreateOrder", resident,
       [&](int64_t n, OrderState& s, grpc::ClientContext* context, Loop::Done done) {
         dualreg::Order* o = s.create.mutable_order();
         o->set_community_id(communities[n % communities.size()][0]);
         o->set_household_id(absl::StrCat("hh-bench-", n % 5000));
         o->set_skill("repair");
         o->set_description("bench: the kitchen tap drips");
         o->mutable_requested_time()->set_seconds(requested);
         o->set_duration_minutes(60);
         s.create.set_request_id(absl::StrCat("bench-", run, "-", n));
         orders->async()->CreateOrder(context, &s.create, &s.order, std::move(done));
       }},
      {"DispatchOrder", branch,
       [&](int64_t, OrderState& s, grpc::ClientContext* context, Loop::Done done) {
         s.dispatch.set_id(s.order.id());
         s.dispatch.set_etag(s.order.etag());
         orders->async()->DispatchOrder(context, &s.dispatch, &s.order, std::move(done));
       }},
      {"TakeOrder", branch,
       [&](int64_t, OrderState& s, grpc::ClientContext* context, Loop::Done done) {
         if (s.order.offered_registration_ids().empty()) {
           done(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                             absl::StrCat("order ", s.order.id(), " was dispatched to no one (",
                                          dualreg::OrderState_Name(s.order.state()), ")")));
           return;
         }
         s.take.set_id(s.order.id());
         s.take.set_registration_id(s.order.offered_registration_ids(0));
         orders->async()->TakeOrder(context, &s.take, &s.order, std::move(done));
       }},
      {"CompleteOrder", branch,
       [&](int64_t, OrderState& s, grpc::ClientContext* context, Loop::Done done) {
         s.complete.set_id(s.order.id());
         s.complete.set_minutes(60);
         orders->async()->CompleteOrder(context, &s.complete, &s.order, std::move(done));
       }},
      {"ConfirmOrder", resident,
       [&](int64_t, OrderState& s, grpc::ClientContext* context, Loop::Done done) {
         s.confirm.set_id(s.order.id());
         orders->async()->ConfirmOrder(context, &s.confirm, &s.order, std::move(done));
       }},
  });
  auto summary = loop.Run(concurrency, seconds);
  if (!summary) return 1;
  std::printf("%.1f %.2f %.2f %lld %.0f\n", summary->units_per_second, summary->p50_ms,
              summary->p99_ms, static_cast<long long>(summary->errors), summary->calls_per_second);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  int concurrency = 0, seconds = 0;
  if (mode == "seed" && argc == 6 && absl::SimpleAtoi(argv[5], &concurrency) && concurrency > 0) {
    return Seed(argv[2], argv[3], argv[4], concurrency);
  }
  if (mode == "orders" && argc == 6 && absl::SimpleAtoi(argv[4], &concurrency) &&
      absl::SimpleAtoi(argv[5], &seconds) && concurrency > 0 && seconds > 0) {
    return Orders(argv[2], argv[3], concurrency, seconds);
  }
  std::fprintf(stderr,
               "usage: %s seed DUALREG VOLUNTEER MEMBERS_FILE CONCURRENCY\n"
               "       %s orders DUALREG COMMUNITIES_FILE CONCURRENCY SECONDS\n",
               argv[0], argv[0]);
  return 2;
}
