#pragma once

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/changes/change_log.h"
#include "common/crypto/personal_data.h"
#include "common/db/connection.h"

namespace grassroots {

// Personal data as stores keep it (grid's households and key persons,
// careers' workers): the ciphertext bound to the record id and field (a
// value copied to another row or column does not decrypt), the masked form
// computed at write time for every answer, and for phones and ID numbers
// a keyed hash for exact match. An empty value is stored as no
// ciphertext, "" masked, no hash.
struct SealedValue {
  std::optional<std::string> cipher;
  std::string masked;
  std::optional<std::string> hash;
};

enum class PersonalKind { kName, kPhone, kIdNumber };

SealedValue Seal(const PersonalDataCipher& cipher, PersonalKind kind, const std::string& record_id,
                 absl::string_view field, const std::string& clear);

// The keyed hash a search by `kind` looks for ("phone", "id_number").
std::string SearchHash(const PersonalDataCipher& cipher, PersonalKind kind,
                       const std::string& normalised);

// Binds cipher, masked and (when `with_hash`) hash from `index`; returns
// the next index.
int BindSealed(sql::PreparedStatement& statement, int index, const SealedValue& value,
               bool with_hash);

// The clear value of a ciphertext column (empty when NULL); DATA_LOSS when
// it was altered or moved.
absl::StatusOr<std::string> Unseal(const PersonalDataCipher& cipher, sql::ResultSet& row,
                                   int column, const std::string& record_id,
                                   absl::string_view field);

// The audit row of a read in clear ("reveal") or a search ("search", no
// record id), written in the transaction that reads: a failed audit row is
// a failed read.
void RecordPersonalDataRead(db::Connection& c, const WriteContext& reader, absl::string_view action,
                            absl::string_view resource_type, const std::string& resource_id,
                            absl::string_view fields, const std::string& purpose);

}  // namespace grassroots
