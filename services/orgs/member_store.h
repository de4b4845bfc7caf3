#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/crypto/personal_data.h"
#include "common/db/connection_pool.h"
#include "common/import/record_parser.h"
#include "grassroots/common/v1/import.pb.h"
#include "grassroots/orgs/v1/member.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

struct MemberPage {
  std::vector<v1::Member> members;
  std::string last_id;  // empty when this was the last page
};

// Why personal data is being read, for its audit row.
struct PersonalDataUse {
  std::string purpose;
};

// The only code that speaks SQL about members. Personal data goes in
// encrypted and comes out masked; clear values leave only through Reveal,
// and Reveal and Find each write a personal_data_reads row in the
// transaction that reads, so no read goes unrecorded. Scope is a condition
// on the member's place (its organisation's).
class MemberStore {
 public:
  MemberStore(db::ConnectionPool& pool, const ChangeLog& changes, const PersonalDataCipher& cipher)
      : pool_(pool), changes_(changes), cipher_(cipher) {}

  // `member` carries normalised clear values; the answer is masked.
  // ALREADY_EXISTS (MEMBER_EXISTS) when the ID number is registered already.
  absl::StatusOr<v1::Member> Add(const std::string& scope, const WriteContext& write,
                                 const v1::Member& member);
  // Every line in one transaction (each record's organisation_path names
  // its organisation, which must lie in the scope): every member is added or
  // none is. Idempotent when write.request_id is set.
  absl::StatusOr<common::v1::ImportResult> Import(const std::string& scope,
                                                  const WriteContext& write,
                                                  const std::vector<ImportLine<v1::Member>>& lines);
  absl::StatusOr<v1::Member> Get(const std::string& scope, const std::string& id);
  // Checks the conversion against the stored status and probation end.
  absl::StatusOr<v1::Member> ConvertToFull(const std::string& scope, const WriteContext& write,
                                           const std::string& id, const std::string& etag,
                                           absl::CivilDay conversion, absl::CivilDay today);
  absl::StatusOr<MemberPage> List(const std::string& scope, const std::string& organisation_id,
                                  bool subtree, int page_size, const std::string& after_id);
  // `kind` is "phone" or "id_number"; `value` normalised.
  absl::StatusOr<std::vector<v1::Member>> FindByContact(const std::string& scope,
                                                        const WriteContext& reader,
                                                        const std::string& kind,
                                                        const std::string& value,
                                                        const PersonalDataUse& use);
  absl::StatusOr<v1::MemberContact> Reveal(const std::string& scope, const WriteContext& reader,
                                           const std::string& id, const PersonalDataUse& use);

  // For the transfer store, inside its transaction: moves the member to
  // `organisation` (its place and its dues payments' place follow) with a
  // change row holding the masked member before and after. False when the
  // member is no longer in `from_organisation_id`.
  // For the organisation store: the ids of the organisation's members,
  // locked for update.
  static std::vector<std::string> LockMembersOf(db::Connection& c,
                                                const std::string& organisation_id);
  static bool MoveToOrganisation(db::Connection& c, const ChangeLog& changes,
                                 const WriteContext& write, const std::string& member_id,
                                 const std::string& from_organisation_id,
                                 const v1::Organisation& organisation);

 private:
  // The member row (encrypted, masked, hashed), its change row and its first
  // roster period, for Add and Import alike.
  absl::StatusOr<v1::Member> Insert(db::Connection& c, const WriteContext& write,
                                    const v1::Member& requested,
                                    const v1::Organisation& organisation) const;

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const PersonalDataCipher& cipher_;
};

}  // namespace grassroots::orgs
