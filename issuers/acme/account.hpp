// ACME accounts (RFC 8555 §7.3): registering the client's key with contact
// addresses, the terms of service agreed and, where the CA requires it, an
// External Account Binding; or looking up the account a key already has.
// Either sets the client's account URL, the kid of every later request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/acme/objects.hpp"
#include "core/result.hpp"
#include "issuers/acme/client.hpp"

namespace certmill::issuers::acme {

// cert-manager's externalAccountBinding: the key ID the CA issued and its MAC
// key, base64url as CAs hand it out (the Secret's value).
struct ExternalAccountBinding {
  std::string key_id;
  std::string mac_key;
};

struct AccountRequest {
  std::vector<std::string> emails;  // sent as lower-case mailto: contacts
  bool terms_of_service_agreed = true;
  std::optional<ExternalAccountBinding> external_account_binding;
};

struct RegisteredAccount {
  std::string url;  // the kid
  certmill::acme::Account account;
  bool created = false;  // false when the key was already registered (200, §7.3.1)
};

// newAccount. Registering a key that already has an account returns that
// account (the CA answers 200 instead of 201), so this is safe to repeat.
asio::awaitable<Result<RegisteredAccount>> register_account(Client& client,
                                                            const AccountRequest& request);

// newAccount with onlyReturnExisting (§7.3.1): the key's account, or the CA's
// accountDoesNotExist problem as the error.
asio::awaitable<Result<RegisteredAccount>> find_account(Client& client);

}  // namespace certmill::issuers::acme
