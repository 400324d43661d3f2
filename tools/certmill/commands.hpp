// The certmill commands. Each takes its arguments after the command name and
// returns the process exit code.
#pragma once

#include "tools/cli/command.hpp"

namespace certmill::cmd {

int controller(Args args);
int version(Args args);
// The operator commands (tools/certmill/ops/).
int status(Args args);
int inspect(Args args);
int list(Args args);
int get(Args args);
int renew(Args args);
int approve(Args args);
int deny(Args args);
int create(Args args);
int check(Args args);
int check_dns(Args args);  // `check dns`, which check hands over to
int budgets(Args args);

}  // namespace certmill::cmd
