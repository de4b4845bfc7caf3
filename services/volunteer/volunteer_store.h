#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/crypto/personal_data.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/volunteer.pb.h"

namespace grassroots::volunteer {

struct VolunteerPage {
  std::vector<v1::Volunteer> volunteers;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about volunteers and teams. Names are
// sealed here (encrypted, bound to the row) and only their masked form
// leaves: no method answers a name in clear, so none needs a read audit.
class VolunteerStore {
 public:
  VolunteerStore(db::ConnectionPool& pool, const ChangeLog& changes,
                 const PersonalDataCipher& cipher)
      : pool_(pool), changes_(changes), cipher_(cipher) {}

  // The volunteer and its points account, in one transaction.
  absl::StatusOr<v1::Volunteer> Create(const std::string& scope, const WriteContext& write,
                                       const v1::Volunteer& requested);
  absl::StatusOr<v1::Volunteer> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<VolunteerPage> List(const std::string& scope, const std::string& community_path,
                                     int page_size, const std::string& after_id);
  absl::StatusOr<v1::Team> CreateTeam(const std::string& scope, const WriteContext& write,
                                      const v1::Team& requested);
  absl::StatusOr<v1::Team> GetTeam(const std::string& scope, const std::string& id);

  // For other stores inside their transactions: the volunteer (without its
  // service minutes) when it lies in the scope.
  static std::optional<v1::Volunteer> FindInScope(db::Connection& c, const std::string& scope,
                                                  const std::string& id);
  static std::optional<v1::Team> FindTeamInScope(db::Connection& c, const std::string& scope,
                                                 const std::string& id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const PersonalDataCipher& cipher_;
};

}  // namespace grassroots::volunteer
