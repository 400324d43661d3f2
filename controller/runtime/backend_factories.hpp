// The issuer types a shard signs with, registered by name with its Signers:
// SelfSigned and CA sign on the worker pool, ACME through an order on the
// Issuer's account.
#pragma once

#include "controller/runtime/acme_accounts.hpp"
#include "controller/runtime/shard_context.hpp"
#include "controller/runtime/signers.hpp"

namespace certmill::controller {

void add_backend_factories(Signers& signers, ShardContext& shard, AcmeAccounts& accounts);

}  // namespace certmill::controller
