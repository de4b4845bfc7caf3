#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "common/import/record_parser.h"
#include "grassroots/common/v1/import.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

struct OrganisationFilter {
  std::string parent_id;  // empty: the roots the scope can see
  bool subtree = false;
  v1::OrganisationKind kind = v1::ORGANISATION_KIND_UNSPECIFIED;
  std::string area_id;
  bool include_dissolved = false;
  // The tree as it stood then, instead of now.
  std::optional<absl::Time> as_of;
};

// An active organisation with its member counts, for the formation rules.
struct OrganisationWithCounts {
  v1::Organisation organisation;
  int full_members = 0;
  int probationary_members = 0;
  // Places in its care (organisation_places).
  int covered_places = 0;
  // For the committee rule (branch-level organisations only): the full
  // members on its roster that day, its party groups' included, and the
  // committee seats they hold.
  int roster_full_members = 0;
  int committee_seats = 0;
};

struct CountsPage {
  std::vector<OrganisationWithCounts> organisations;
  std::string last_path;  // empty when this was the last page
};

struct OrganisationPage {
  std::vector<v1::Organisation> organisations;
  std::string last_path;  // empty when this was the last page
};

// The only code that speaks SQL about organisations. Every query carries
// the caller's scope as a condition on the organisation's place (area_path),
// and an organisation outside the scope looks exactly like one that does not
// exist: PERMISSION_DENIED for a scoped caller.
class OrganisationStore {
 public:
  OrganisationStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // Checks the placement rules against the parent and the place, in the
  // transaction that inserts. Idempotent when write.request_id is set.
  absl::StatusOr<v1::Organisation> Create(const std::string& scope, const WriteContext& write,
                                          const v1::Organisation& requested);
  // With `as_of`, the organisation as it stood then (scope applies to its
  // place then).
  absl::StatusOr<v1::Organisation> Get(const std::string& scope, const std::string& id,
                                       std::optional<absl::Time> as_of = std::nullopt);
  // Every line in one transaction: parents by path (existing, or earlier in
  // the file) and places by jurisdiction path, both within the scope; every
  // organisation is created or none is. Idempotent when write.request_id is set.
  absl::StatusOr<common::v1::ImportResult> Import(
      const std::string& scope, const WriteContext& write,
      const std::vector<ImportLine<v1::OrganisationImportRecord>>& lines);
  // In tree (path) order after `after_path`.
  absl::StatusOr<OrganisationPage> List(const std::string& scope, const OrganisationFilter& filter,
                                        int page_size, const std::string& after_path);
  // Active organisations below `parent_id` (or all in scope), in tree order
  // after `after_path`, each with its full and probationary member counts
  // and, for branches, its committee's size on `day`.
  absl::StatusOr<CountsPage> ListWithCounts(const std::string& scope, const std::string& parent_id,
                                            int page_size, const std::string& after_path,
                                            absl::CivilDay day);
  // Sets the fields named in `fields` ("display_name", "unit_name").
  absl::StatusOr<v1::Organisation> Update(const std::string& scope, const WriteContext& write,
                                          const v1::Organisation& changes,
                                          const std::vector<std::string>& fields);
  // Moves a subtree under a new parent: the organisation's place must lie
  // within the new parent's place and the placement rules must hold.
  absl::StatusOr<v1::Organisation> Move(const std::string& scope, const WriteContext& write,
                                        const std::string& id, const std::string& new_parent_id,
                                        const std::string& etag);
  // FAILED_PRECONDITION (ORGANISATION_HAS_CHILDREN) while active children exist.
  absl::StatusOr<v1::Organisation> Dissolve(const std::string& scope, const WriteContext& write,
                                            const std::string& id, const std::string& etag,
                                            const std::string& reason);

  // For the area store, inside its own transactions (the two tables share
  // the schema; this class stays the only code that writes organisations).
  //
  // After areas under `old_path` moved to `new_path`: the organisations bound
  // there follow (their area_path, so scope checks stay right), each with a
  // change row.
  static void FollowAreaMove(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                             const std::string& old_path, const std::string& new_path);
  // An active organisation inside the scope (for the member store), locked
  // in share mode so it cannot be dissolved or moved meanwhile.
  static std::optional<v1::Organisation> FindActiveInScope(db::Connection& c,
                                                           const std::string& scope,
                                                           const std::string& id);
  // The same, by the organisation's path (share mode).
  static std::optional<v1::Organisation> FindActiveByPathInScope(db::Connection& c,
                                                                 const std::string& scope,
                                                                 const std::string& path);
  // The same, locked for update: for changes to what the organisation
  // covers, which must not interleave (a joint branch's unit limit).
  static std::optional<v1::Organisation> LockActiveInScope(db::Connection& c,
                                                           const std::string& scope,
                                                           const std::string& id);
  // An organisation a caller may list below (members, dues): inside its
  // scope, or above it on the way to the root; the scope condition of the
  // listing then limits what is seen. INVALID_ARGUMENT (ORGANISATION_NOT_FOUND)
  // for an unscoped caller, PERMISSION_DENIED for a scoped one.
  static absl::StatusOr<v1::Organisation> FindListable(db::Connection& c, const std::string& scope,
                                                       const std::string& id);
  // Whether any organisation, dissolved ones included, is bound to the area.
  static bool AnyBoundTo(db::Connection& c, const std::string& area_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
