// The load drivers' input files: a line a record, its fields separated by
// spaces (ids and paths written by the benchmark scripts).
#pragma once

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"

namespace grassroots::bench {

// Every non-empty line of `file` as its `fields` fields; empty, with the
// offending line on stderr, when a line has another number of them.
inline std::vector<std::vector<std::string>> ReadFields(const std::string& file, size_t fields) {
  std::vector<std::vector<std::string>> lines;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (parts.empty()) continue;
    if (parts.size() != fields) {
      std::fprintf(stderr, "%s: \"%s\" does not have %zu fields\n", file.c_str(), line.c_str(),
                   fields);
      return {};
    }
    lines.push_back(std::move(parts));
  }
  return lines;
}

}  // namespace grassroots::bench
