#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/committee.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "services/orgs/committee_rules.h"

namespace grassroots::orgs {

struct SeatPage {
  std::vector<v1::CommitteeSeat> seats;
  std::string last_key;  // "start_date|id"; empty when this was the last page
};

// The only code that speaks SQL about committee seats and terms. Seats and
// terms carry their organisation's place (area_path) and every query puts
// the caller's scope on it. Every change first takes the organisation's
// committee lock, so the one-secretary rule holds under concurrent writes.
class CommitteeStore {
 public:
  CommitteeStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // The holder must be a full member on the roster of `seat.start_date`.
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::CommitteeSeat> Appoint(const std::string& scope, const WriteContext& write,
                                            const v1::CommitteeSeat& seat);
  absl::StatusOr<v1::CommitteeSeat> EndSeat(const std::string& scope, const WriteContext& write,
                                            const std::string& id, const std::string& etag,
                                            absl::CivilDay end, v1::CommitteeSeat::EndReason reason,
                                            absl::CivilDay today);
  // The committee of `day`, with its findings; `today` decides whether the
  // term is over.
  absl::StatusOr<v1::Committee> Get(const std::string& scope, const std::string& organisation_id,
                                    absl::CivilDay day, absl::CivilDay today);
  // Seats by start date, then id, after `after_key`.
  absl::StatusOr<SeatPage> List(const std::string& scope, const std::string& organisation_id,
                                int page_size, const std::string& after_key);
  // Ends the previous term and the seats still held from before `start`,
  // in the transaction that starts the new term. Idempotent when
  // write.request_id is set.
  absl::StatusOr<v1::CommitteeTerm> StartTerm(const std::string& scope, const WriteContext& write,
                                              const std::string& organisation_id,
                                              absl::CivilDay start, absl::CivilDay today);

  // For the meeting store, inside its transactions: the seats of each
  // organisation (ended ones included), and the seats held on one day.
  static std::vector<SeatSpan> SeatsOf(db::Connection& c, const std::string& organisation_id);
  static absl::flat_hash_map<std::string, std::vector<SeatSpan>> SeatsOfAll(
      db::Connection& c, const std::vector<std::string>& organisation_ids);

  // For the coverage engine, inside the organisation store's transaction:
  // per organisation id, what BranchCommitteeSizeFinding takes on `day`,
  // counted as Get counts it (the roster, party groups' members included,
  // and the seats its full members hold).
  struct CommitteeSize {
    int roster_full_members = 0;
    int seats = 0;
  };
  static absl::flat_hash_map<std::string, CommitteeSize> SizesOn(
      db::Connection& c, const std::vector<v1::Organisation>& organisations, absl::CivilDay day);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
