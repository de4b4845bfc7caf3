#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/crypto/personal_data.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/key_person.pb.h"

namespace grassroots::grid {

struct KeyPersonPage {
  std::vector<v1::KeyPerson> key_persons;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about key persons. Personal data as the
// household store keeps it: encrypted in, masked out, clear only through
// Reveal with an audit row in the same transaction. Scope is a condition
// on the grid path.
class KeyPersonStore {
 public:
  KeyPersonStore(db::ConnectionPool& pool, const ChangeLog& changes,
                 const PersonalDataCipher& cipher)
      : pool_(pool), changes_(changes), cipher_(cipher) {}

  // `requested` holds normalised clear values. ALREADY_EXISTS
  // (KEY_PERSON_EXISTS) when the ID number is followed in the grid already.
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::KeyPerson> Create(const std::string& scope, const WriteContext& write,
                                       const v1::KeyPerson& requested);
  absl::StatusOr<v1::KeyPerson> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<KeyPersonPage> List(const std::string& scope, const std::string& grid_id,
                                     v1::KeyPersonCategory category, int page_size,
                                     const std::string& after_id);
  absl::StatusOr<v1::KeyPerson> Update(const std::string& scope, const WriteContext& write,
                                       const v1::KeyPerson& changes,
                                       const std::vector<std::string>& fields);
  absl::StatusOr<v1::KeyPersonContact> Reveal(const std::string& scope, const WriteContext& reader,
                                              const std::string& id, const std::string& purpose);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const PersonalDataCipher& cipher_;
};

}  // namespace grassroots::grid
