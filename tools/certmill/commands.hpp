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

}  // namespace certmill::cmd
