#include "common/crypto/personal_fields.h"

#include <cppconn/datatype.h>

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"

namespace grassroots {
namespace {

const char* HashKind(PersonalKind kind) {
  return kind == PersonalKind::kPhone ? "phone" : "id_number";
}

}  // namespace

SealedValue Seal(const PersonalDataCipher& cipher, PersonalKind kind, const std::string& record_id,
                 absl::string_view field, const std::string& clear) {
  SealedValue sealed;
  if (clear.empty()) return sealed;
  sealed.cipher = cipher.Encrypt(clear, absl::StrCat(record_id, "/", field));
  switch (kind) {
    case PersonalKind::kName:
      sealed.masked = MaskName(clear);
      break;
    case PersonalKind::kPhone:
      sealed.masked = MaskPhone(clear);
      sealed.hash = cipher.KeyedHash(HashKind(kind), clear);
      break;
    case PersonalKind::kIdNumber:
      sealed.masked = MaskIdNumber(clear);
      sealed.hash = cipher.KeyedHash(HashKind(kind), clear);
      break;
  }
  return sealed;
}

std::string SearchHash(const PersonalDataCipher& cipher, PersonalKind kind,
                       const std::string& normalised) {
  return cipher.KeyedHash(HashKind(kind), normalised);
}

int BindSealed(sql::PreparedStatement& statement, int index, const SealedValue& value,
               bool with_hash) {
  if (value.cipher) {
    statement.setString(index++, *value.cipher);
  } else {
    statement.setNull(index++, sql::DataType::VARBINARY);
  }
  statement.setString(index++, value.masked);
  if (with_hash) {
    if (value.hash) {
      statement.setString(index++, *value.hash);
    } else {
      statement.setNull(index++, sql::DataType::CHAR);
    }
  }
  return index;
}

absl::StatusOr<std::string> Unseal(const PersonalDataCipher& cipher, sql::ResultSet& row,
                                   int column, const std::string& record_id,
                                   absl::string_view field) {
  if (row.isNull(column)) return std::string();
  return cipher.Decrypt(row.getString(column).asStdString(), absl::StrCat(record_id, "/", field));
}

void RecordPersonalDataRead(db::Connection& c, const WriteContext& reader, absl::string_view action,
                            absl::string_view resource_type, const std::string& resource_id,
                            absl::string_view fields, const std::string& purpose) {
  auto& insert = c.Prepare(
      "INSERT INTO personal_data_reads (actor, request_id, action, resource_type, resource_id,"
      " fields, purpose, read_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.setString(1, reader.actor);
  insert.setString(2, reader.request_id);
  insert.setString(3, std::string(action));
  insert.setString(4, std::string(resource_type));
  if (resource_id.empty()) {
    insert.setNull(5, sql::DataType::VARCHAR);
  } else {
    insert.setString(5, resource_id);
  }
  insert.setString(6, std::string(fields));
  insert.setString(7, purpose);
  insert.setString(8, db::ToDbTime(reader.now));
  insert.executeUpdate();
}

}  // namespace grassroots
