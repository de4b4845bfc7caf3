// The database write limit: N threads, each with its own Connector/C++
// session, INSERT one row per autocommit statement into a copy of TABLE
// (`areas`, the default, grid's `cases`, dualreg's `orders` or volunteer's
// `transfers`), for a fixed time. Prints
// "inserts_per_second p50_ms p99_ms".
#include <cppconn/driver.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/statement.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/ids/id_generator.h"

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    std::fprintf(stderr,
                 "usage: %s PORT USER SCHEMA THREADS SECONDS [areas|cases|orders|transfers]\n",
                 argv[0]);
    return 2;
  }
  const std::string table = argc == 7 ? argv[6] : "areas";
  if (table != "areas" && table != "cases" && table != "orders" && table != "transfers") {
    return 2;
  }
  int port = 0, threads = 0, seconds = 0;
  if (!absl::SimpleAtoi(argv[1], &port) || !absl::SimpleAtoi(argv[4], &threads) ||
      !absl::SimpleAtoi(argv[5], &seconds)) {
    return 2;
  }
  const std::string user = argv[2], schema = argv[3];
  sql::Driver* driver = get_driver_instance();
  {
    std::unique_ptr<sql::Connection> c(
        driver->connect(absl::StrCat("tcp://127.0.0.1:", port), user, ""));
    c->setSchema(schema);
    std::unique_ptr<sql::Statement> s(c->createStatement());
    s->execute(absl::StrCat("DROP TABLE IF EXISTS raw_", table));
    s->execute(absl::StrCat("CREATE TABLE raw_", table, " LIKE ", table));
  }
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::unique_ptr<sql::Connection> c(
          driver->connect(absl::StrCat("tcp://127.0.0.1:", port), user, ""));
      c->setSchema(schema);
      // A row as the service writes it (every column, the same widths): an
      // area as CreateArea, a case as ReportCase, an order as CreateOrder, a
      // transfer's own row as CreateTransfer (without its two entries and the
      // two balances it moves).
      std::unique_ptr<sql::PreparedStatement> insert(c->prepareStatement(
          table == "areas"
              ? "INSERT INTO raw_areas (id, kind, code, display_name, parent_id, path, version,"
                " create_time, update_time) VALUES (?, 4, ?, 'Bench community', 'ar_parent', ?,"
                " 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
          : table == "transfers"
              ? "INSERT INTO raw_transfers (id, debit_account_id, credit_account_id, amount, memo,"
                " reverses_transfer_id, linked_group_id, actor, create_time) VALUES (?, ?, ?, 1,"
                " 'bench: thank you', NULL, id, 'bench-admin', UTC_TIMESTAMP(6))"
          : table == "orders"
              ? "INSERT INTO raw_orders (id, household_id, community_path, community_id, skill,"
                " description, requested_time, duration_minutes, state, ordered_by,"
                " taker_registration_id, taker_member_id, taker_volunteer_id, minutes, rating,"
                " comment, overdue, due_time, dispatch_count, credit_state, need_published,"
                " version, create_time, update_time) VALUES (?, ?, ?, 'ar_community', 'repair',"
                " 'bench: the kitchen tap drips', UTC_TIMESTAMP(6), 60, 1, 'bench-resident', '',"
                " '', '', 0, 0, '', FALSE, NULL, 0, 0, '', 1, UTC_TIMESTAMP(6),"
                " UTC_TIMESTAMP(6))"
              : "INSERT INTO raw_cases (id, kind, source, category_code, grid_id, grid_path,"
                " latitude, longitude, address, description, reporter_ref, details, state,"
                " suspended_from, level, urgent, department_id, step_due_time,"
                " escalation_due_time, suspended_remaining_seconds, overdue, rework_count,"
                " extension_count, extension_minutes, pending_extension_minutes, resolution,"
                " satisfaction, duplicate_reports, step_count, version, create_time,"
                " update_time, close_time, merged_into) VALUES (?, 1, 1, 'BENCH', ?, ?, 30.2,"
                " 120.1, '', 'bench: rubbish by the bus stop', 'bench-worker', '', 1, 0, 1, 0,"
                " '', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1,"
                " UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), NULL, '')"));
      for (int i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const std::string code = absl::StrCat("t", t, "-", i);
        const absl::Time start = absl::Now();
        insert->setString(1, grassroots::NewId(table == "areas"       ? "ar"
                                               : table == "orders"    ? "or_"
                                               : table == "transfers" ? "tr"
                                                                      : "cs",
                                               start));
        insert->setString(2, code);
        insert->setString(3, "bench/raw/" + code);
        insert->executeUpdate();
        latencies[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
      }
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  if (all.empty()) return 1;
  std::printf("%.0f %.2f %.2f\n", all.size() / static_cast<double>(seconds), all[all.size() / 2],
              all[all.size() * 99 / 100]);
  return 0;
}
