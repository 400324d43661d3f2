// newAccount requests: the payload of §7.3 (with §7.3.4's binding) and the
// account URL from the answer's Location.
#include "issuers/acme/account.hpp"

#include <algorithm>
#include <cctype>

#include "core/acme/jws.hpp"
#include "core/json/writer.hpp"

namespace certmill::issuers::acme {
namespace {

namespace proto = certmill::acme;

asio::awaitable<Result<RegisteredAccount>> new_account(Client& client, std::string payload) {
  auto dir = co_await client.directory();
  if (!dir)
    co_return dir.error();
  auto response = co_await client.post_with_jwk(dir->new_account, std::move(payload));
  if (!response)
    co_return response.error();
  if (response->location.empty())
    co_return Error(Errc::missing_field,
                    "POST " + dir->new_account + ": the CA named no account URL (Location)");
  auto account = proto::decode_account(response->body);
  if (!account)
    co_return account.error();
  client.set_account_url(response->location);
  co_return RegisteredAccount{.url = std::move(response->location),
                              .account = std::move(*account),
                              .created = response->status == 201};
}

}  // namespace

asio::awaitable<Result<RegisteredAccount>> register_account(Client& client,
                                                            const AccountRequest& request) {
  json::JsonWriter w;
  w.begin_object();
  if (!request.emails.empty()) {
    w.key("contact");
    w.begin_array();
    // Lower-cased as cert-manager sends them, so both register the same contact.
    for (std::string email : request.emails) {
      std::transform(email.begin(), email.end(), email.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      w.string("mailto:" + email);
    }
    w.end_array();
  }
  w.key("termsOfServiceAgreed");
  w.boolean(request.terms_of_service_agreed);
  if (const auto& eab = request.external_account_binding) {
    // The binding signs the newAccount URL, so the directory comes first.
    auto dir = co_await client.directory();
    if (!dir)
      co_return dir.error();
    auto binding =
        proto::external_account_binding(eab->key_id, eab->mac_key, dir->new_account, client.jwk());
    if (!binding)
      co_return binding.error();
    w.key("externalAccountBinding");
    w.raw(*binding);
  }
  w.end_object();
  co_return co_await new_account(client, w.take());
}

asio::awaitable<Result<RegisteredAccount>> find_account(Client& client) {
  co_return co_await new_account(client, R"({"onlyReturnExisting":true})");
}

}  // namespace certmill::issuers::acme
