#pragma once

#include <map>
#include <memory>
#include <string>

namespace grassroots::testing {

struct HttpResult {
  int status = 0;  // 0: no answer (connection failed or closed)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-case
};

// A blocking HTTP/1.1 client over one keep-alive connection (Boost.Beast),
// reconnecting when the server closed it: for end-to-end tests of the
// gateway's JSON edge.
class HttpClient {
 public:
  explicit HttpClient(int port);
  ~HttpClient();

  HttpResult Post(const std::string& target, const std::string& body,
                  const std::map<std::string, std::string>& headers);
  HttpResult Get(const std::string& target);
  // Sends raw bytes on a fresh connection and returns the answer.
  HttpResult Raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace grassroots::testing
