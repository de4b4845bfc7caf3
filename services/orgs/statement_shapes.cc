#include "services/orgs/statement_shapes.h"

namespace grassroots::orgs {

int PaddedListSize(int n) {
  int size = 1;
  while (size < n) size <<= 1;
  return size;
}

std::vector<int> PowerOfTwoBatches(int n) {
  std::vector<int> batches;
  for (int bit = 1 << 30; bit > 0; bit >>= 1) {
    if (n & bit) batches.push_back(bit);
  }
  return batches;
}

}  // namespace grassroots::orgs
