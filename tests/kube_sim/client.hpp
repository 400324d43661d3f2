// A small HTTPS client for kube-sim's tests: one request per connection, and
// watch streams read line by line. Every wait has a deadline. Beast stays in
// client.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace certmill::test {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lower_name) const;
  std::vector<std::string> all(const std::string& lower_name) const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target;
  std::string body;
  std::string content_type;
  std::string accept = "application/json";
  std::string user_agent = "certmill/0.1 (linux/amd64)";
  std::string token;                                              // bearer token; empty sends none
  std::vector<std::pair<std::string, std::string>> headers = {};  // more, repeats allowed
};

// Throws std::runtime_error when the server cannot be reached in time.
HttpResponse send(unsigned short port, const HttpRequest& request,
                  std::chrono::seconds bound = std::chrono::seconds(20));

// A watch (or any chunked stream): the lines of its body as they arrive.
class LineStream {
 public:
  LineStream(unsigned short port, const HttpRequest& request);
  LineStream(LineStream&&) noexcept;
  LineStream& operator=(LineStream&&) noexcept;
  ~LineStream();
  int status() const;
  // The next line, or nothing when the stream ended or `bound` passed.
  std::optional<std::string> next(std::chrono::milliseconds bound);
  // True once the server ended the stream (after next() returned nothing).
  bool ended() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace certmill::test
