// The modes of grassroots-evidence-writer.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "tests/evidence/city_plan.h"
#include "tests/evidence/evidence_client.h"

namespace grassroots::evidence {

struct SetupOptions {
  // Names the run's records: 1-20 of a-z, 0-9 and '-'.
  std::string tag;
  // Keeps the ID numbers of different runs apart: 0 to 49.
  int serial = 0;
  std::string state_path;
};

// Makes, through the gateway, the records one run writes under: in orgs a
// district ev-TAG with a street "load" (the parent of the areas the load
// creates) and a street s1 with a community c1, the organisation tree down
// to an employer in c1 with four members; in grid a grid of c1 with a
// department and a case category of the run; four volunteers of c1 whose
// accounts receive the load's transfers and c1's issuing account; four
// more volunteers, the members', registered in dualreg with c1 (skill
// "repair", every day 08:00-22:00). Writes their ids to the state file.
// Every create carries a request id, so a second setup of the same tag
// finds the same records.
int RunSetup(const Gateway& gateway, const SetupOptions& options);

struct LoadOptions {
  std::string state_path;
  std::string log_path;
  // Writes per second per service, and the clients that share them.
  double rate_per_service = 3;
  int clients_per_service = 2;
  // Stops after this long, or at SIGTERM / SIGINT, whichever comes first;
  // the writes in flight then finish (retried up to give_up).
  absl::Duration duration = absl::Hours(1);
  absl::Duration give_up = absl::Seconds(150);
  // Keeps the ID numbers of two loads of one run apart: 0 to 9.
  int part = 0;
};

// Drives writes through the gateway at a steady rate, each service its own
// clients: orgs CreateArea (a community under the run's street "load"),
// grid ReportCase (in the run's grid, 110 m apart), volunteer
// CreateTransfer (caller-chosen id, from c1's issuing account to one of the
// run's four volunteers), careers CreateWorker (in c1) and dualreg's order
// round (CreateOrder, DispatchOrder to one registration, TakeOrder,
// CompleteOrder, ConfirmOrder). Each write is retried with the same
// request until it is answered; one answered OK is accepted and logged.
// dualreg's steps carry no request id: after a step whose outcome was not
// known (a retried call) is refused FAILED_PRECONDITION, the order is read
// back, and the step counts as made when the order is past it.
// Prints one line of figures: accepted per service, retries by code,
// steps settled by reading the order back, writes abandoned or refused,
// and per service the longest time without an accepted write.
// Exits 1 when a write was refused or abandoned.
int RunLoad(const Gateway& gateway, const LoadOptions& options);

struct VerifyOptions {
  std::string state_path;
  std::string log_path;
  // How long confirmed orders may take to be credited (the outbox).
  absl::Duration credit_wait = absl::Seconds(180);
};

// Reads every logged write back by id through the gateway, lists the run's
// records (areas under the street "load", the grid's cases, the workers of
// c1, the orders of c1, the entries of the run's accounts) and compares
// them with the log, checks every confirmed order credited exactly once
// in volunteer (the credit transfer credit/dualreg/ORDER to the taker's
// account, one entry per order on it), and runs volunteer's
// LedgerService/CheckInvariants. Prints one line per check and a last line
// "verify accepted=A missing=M duplicates=D violations=V"; exits 1 when
// M, D or V is not 0.
int RunVerify(const Gateway& gateway, const VerifyOptions& options);

struct CityLoadOptions {
  CityOptions city;
  // Clients making the creates at once, and the imports at once (each
  // import is one transaction the service works through alone).
  int threads = 8;
  int import_threads = 2;
};

// Loads the synthetic city through the gateway: ImportAreas and
// ImportOrganisations (then their ids listed by path), grid's departments
// and categories, CreateGrid for each grid, ImportMembers a street at a
// time, ImportCases a file at a time, CreateVolunteer, CreateWorker,
// dualreg's RegisterUnit for each street's employer, and for each dual
// registration AddMember, CreateVolunteer and RegisterMember. Every call
// carries a request id made from the tag, the seed and the record, so a
// second load of the same city adds nothing. Prints a line a phase
// ("city phase=cases records=50000 seconds=6.1 per_second=8197") and
// exits 1 at the first call that fails, naming it.
int RunCity(const Gateway& gateway, const CityLoadOptions& options);

}  // namespace grassroots::evidence
