#include "services/grid/list_paging.h"

#include "common/paging/page_token.h"

namespace grassroots::grid {

absl::StatusOr<PageRequest> ReadPage(std::string query, int32_t page_size,
                                     const std::string& page_token) {
  auto size = EffectivePageSize(page_size);
  if (!size.ok()) return size.status();
  PageRequest page;
  page.size = *size;
  page.query = std::move(query);
  if (!page_token.empty()) {
    auto after = DecodePageToken(page_token, page.query);
    if (!after.ok()) return after.status();
    page.after = *std::move(after);
  }
  return page;
}

std::string NextPageToken(const PageRequest& page, const std::string& last_key) {
  if (last_key.empty()) return "";
  return EncodePageToken(page.query, last_key);
}

}  // namespace grassroots::grid
