#include "services/volunteer/paging.h"

#include "absl/strings/numbers.h"
#include "common/paging/page_token.h"
#include "common/status/errors.h"

namespace grassroots::volunteer {

absl::StatusOr<Page> OpenPage(std::string query, int32_t page_size, const std::string& token) {
  Page page;
  auto size = EffectivePageSize(page_size);
  if (!size.ok()) return size.status();
  page.size = *size;
  if (!token.empty()) {
    auto after = DecodePageToken(token, query);
    if (!after.ok()) return after.status();
    page.after = *std::move(after);
  }
  page.query = std::move(query);
  return page;
}

absl::StatusOr<int64_t> AfterSequence(const Page& page) {
  int64_t sequence = 0;
  if (page.after.empty()) return sequence;
  if (!absl::SimpleAtoi(page.after, &sequence) || sequence <= 0) {
    return InvalidField("page_token", "PAGE_TOKEN_INVALID", "is not a token this query returned");
  }
  return sequence;
}

std::string TokenAfter(const Page& page, const std::string& last_key) {
  return last_key.empty() ? "" : EncodePageToken(page.query, last_key);
}

}  // namespace grassroots::volunteer
