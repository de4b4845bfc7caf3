#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "grassroots/orgs/v1/transfer.pb.h"

namespace grassroots::orgs {

// The only code that speaks SQL about transfers of membership. The sending
// side sees and cancels a transfer by the member's place when it was asked,
// the receiving side decides it by the destination's place.
class TransferStore {
 public:
  enum class Decision { kAccept, kReject, kCancel };

  TransferStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // FAILED_PRECONDITION when dues are unpaid up to `current`, a transfer is
  // already pending, or the destination is the member's organisation.
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::Transfer> Request(const std::string& scope, const WriteContext& write,
                                       const std::string& member_id,
                                       const std::string& to_organisation_id,
                                       const std::string& reason, absl::CivilMonth current);
  // Accepting moves the membership in the same transaction.
  absl::StatusOr<v1::Transfer> Decide(const std::string& scope, const WriteContext& write,
                                      const std::string& id, const std::string& etag,
                                      Decision decision);
  absl::StatusOr<v1::Transfer> Get(const std::string& scope, const std::string& id);

  // For the organisation store, inside its transactions (a temporary
  // branch handing its members back when it is dissolved):
  //
  // The organisation the member came from into `organisation_id`, by the
  // latest accepted transfer; nullopt when it joined there directly.
  static std::optional<std::string> CameFrom(db::Connection& c, const std::string& member_id,
                                             const std::string& organisation_id);
  // A transfer decided as it is made, recorded ACCEPTED with its change row;
  // the membership itself is moved by the caller.
  static void RecordCompleted(db::Connection& c, const ChangeLog& changes,
                              const WriteContext& write, const std::string& member_id,
                              const v1::Organisation& from, const v1::Organisation& to,
                              const std::string& reason);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
