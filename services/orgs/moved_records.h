#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "common/changes/change_log.h"
#include "common/db/connection.h"

namespace grassroots::orgs {

// How the records of linkage, evaluation and admission lists follow an area
// move (called from the area store's move transaction): their place path is
// rewritten in one UPDATE per table, and each record gets a MOVED change row
// holding it before and after, as organisations do.

// Rewrites `path_column` of every row at or below `old_path` to lie under
// `new_path`, adding one to `version_column`; sets `update_time_column`
// (when not null) to the write's time.
void RewritePaths(db::Connection& c, const char* table, const char* path_column,
                  const char* version_column, const char* update_time_column,
                  const WriteContext& write, const std::string& old_path,
                  const std::string& new_path);

// One MOVED change row per record, in multi-row INSERTs. `move` turns a copy
// of the record into its moved state and returns its new path.
template <typename Message, typename Move>
void AppendMoved(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                 const std::vector<Message>& before, Move move) {
  constexpr size_t kBatch = 500;
  for (size_t start = 0; start < before.size(); start += kBatch) {
    const size_t end = std::min(before.size(), start + kBatch);
    std::vector<Message> after(before.begin() + start, before.begin() + end);
    std::vector<ChangeLog::Entry> entries;
    entries.reserve(after.size());
    for (size_t i = 0; i < after.size(); ++i) {
      const std::string path = move(after[i]);
      ChangeRecord record{after[i].id(), common::v1::Change::MOVED, path, &after[i],
                          &before[start + i]};
      record.carries_request_id = false;
      entries.push_back({&write, record});
    }
    changes.AppendAll(c, entries);
  }
}

}  // namespace grassroots::orgs
