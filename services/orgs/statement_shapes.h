#pragma once

#include <vector>

namespace grassroots::orgs {

// Sessions cache every prepared statement by its text, so an IN list or a
// multi-row INSERT with one text per length would fill the cache with
// thousands of shapes. Lists are padded, and inserts split, to powers of
// two instead: at most a dozen shapes each. Pure.

// The padded length of an IN list of `n` values (n >= 1): the next power of two.
int PaddedListSize(int n);

// `n` rows split into batches of descending powers of two (37 -> 32, 4, 1).
std::vector<int> PowerOfTwoBatches(int n);

}  // namespace grassroots::orgs
