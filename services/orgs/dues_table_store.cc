#include "services/orgs/dues_table_store.h"

#include <limits>
#include <optional>

#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {
namespace {

constexpr int64_t kOpen = std::numeric_limits<int64_t>::max();

std::vector<DuesBracket> FromProto(const google::protobuf::RepeatedPtrField<v1::DuesBracket>& in) {
  std::vector<DuesBracket> out;
  for (const auto& b : in)
    out.push_back({b.up_to_fen() == 0 ? kOpen : b.up_to_fen(), b.basis_points()});
  return out;
}

void ToProto(const std::vector<DuesBracket>& in,
             google::protobuf::RepeatedPtrField<v1::DuesBracket>* out) {
  for (const auto& b : in) {
    auto* p = out->Add();
    p->set_up_to_fen(b.up_to_fen == kOpen ? 0 : b.up_to_fen);
    p->set_basis_points(b.basis_points);
  }
}

// The latest table of a year up to `year`, with its year and version.
struct Stored {
  int year = 0;
  int64_t version = 0;
  DuesTable table;
};

std::optional<Stored> LatestUpTo(db::Connection& c, int year, const char* lock) {
  auto& head = c.Prepare(std::string("SELECT year, flat_fen, version FROM dues_tables WHERE year "
                                     "<= ? ORDER BY year DESC LIMIT 1") +
                         lock);
  head.setInt(1, year);
  Stored stored;
  {
    auto rows = c.Query(head);
    if (!rows->next()) return std::nullopt;
    stored.year = rows->getInt(1);
    stored.table.flat_fen = rows->getInt64(2);
    stored.version = rows->getInt64(3);
  }
  auto& brackets = c.Prepare(
      "SELECT category, up_to_fen, basis_points FROM dues_table_brackets WHERE year = ?"
      " ORDER BY category, position");
  brackets.setInt(1, stored.year);
  auto rows = c.Query(brackets);
  while (rows->next()) {
    DuesBracket b{rows->isNull(2) ? kOpen : rows->getInt64(2), rows->getInt(3)};
    (rows->getInt(1) == v1::RETIRED ? stored.table.retired : stored.table.employed).push_back(b);
  }
  return stored;
}

}  // namespace

DuesTable FromProto(const v1::DuesTable& table) {
  return DuesTable{FromProto(table.employed()), FromProto(table.retired()), table.flat_fen()};
}

v1::DuesTable ToProto(const DuesTable& table) {
  v1::DuesTable out;
  ToProto(table.employed, out.mutable_employed());
  ToProto(table.retired, out.mutable_retired());
  out.set_flat_fen(table.flat_fen);
  return out;
}

absl::StatusOr<v1::DuesTable> DuesTableStore::InForce(int year) const {
  v1::DuesTable out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto stored = LatestUpTo(c, year, "");
    out = ToProto(stored ? stored->table : StandardDuesTable());
    out.set_year(year);
    out.set_source_year(stored ? stored->year : 0);
    if (stored && stored->year == year) out.set_etag(EtagOf(stored->version));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::DuesTable> DuesTableStore::Set(const WriteContext& write,
                                                  const v1::DuesTable& table,
                                                  const std::string& etag) {
  const DuesTable rules = FromProto(table);
  if (auto s = ValidateDuesTable(rules); !s.ok()) return s;
  v1::DuesTable out;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto current = LatestUpTo(c, table.year(), " FOR UPDATE");
    const bool own = current && current->year == table.year();
    if (!etag.empty()) {
      if (auto s = CheckEtag("etag", etag, own ? current->version : 0); !s.ok()) return s;
    }
    const int64_t version = own ? current->version + 1 : 1;
    auto& upsert = c.Prepare(
        "INSERT INTO dues_tables (year, flat_fen, version, update_time) VALUES (?, ?, ?, ?)"
        " ON DUPLICATE KEY UPDATE flat_fen = VALUES(flat_fen), version = VALUES(version),"
        " update_time = VALUES(update_time)");
    upsert.setInt(1, table.year());
    upsert.setInt64(2, rules.flat_fen);
    upsert.setInt64(3, version);
    upsert.setString(4, db::ToDbTime(write.now));
    upsert.executeUpdate();
    auto& clear = c.Prepare("DELETE FROM dues_table_brackets WHERE year = ?");
    clear.setInt(1, table.year());
    clear.executeUpdate();
    auto& insert = c.Prepare(
        "INSERT INTO dues_table_brackets (year, category, position, up_to_fen, basis_points)"
        " VALUES (?, ?, ?, ?, ?)");
    for (const auto& [category, brackets] :
         {std::pair{v1::EMPLOYED, &rules.employed}, std::pair{v1::RETIRED, &rules.retired}}) {
      int position = 0;
      for (const DuesBracket& b : *brackets) {
        insert.setInt(1, table.year());
        insert.setInt(2, category);
        insert.setInt(3, position++);
        if (b.up_to_fen == kOpen) {
          insert.setNull(4, sql::DataType::BIGINT);
        } else {
          insert.setInt64(4, b.up_to_fen);
        }
        insert.setInt(5, b.basis_points);
        insert.executeUpdate();
      }
    }
    out = ToProto(rules);
    out.set_year(table.year());
    out.set_source_year(table.year());
    out.set_etag(EtagOf(version));
    changes_.Append(
        c, write,
        {std::to_string(table.year()),
         own ? common::v1::Change::UPDATED : common::v1::Change::CREATED, "", &out, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace grassroots::orgs
