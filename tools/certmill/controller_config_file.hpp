// cert-manager's ControllerConfiguration file (--config; the chart mounts
// one when its `config` value is set): each field set through the flag that
// cert-manager gives the same meaning, so that the file and the flags agree
// and the command line, parsed after it, wins. Errors are one line naming the
// file and the field. Pure logic, but for reading the file.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "tools/cli/flags.hpp"

namespace certmill::cmd {

inline constexpr std::string_view kControllerConfigApiVersion =
    "controller.config.cert-manager.io/v1alpha1";

// The --config value among `args` (`--config=F`, `--config F`, one dash or
// two), the last one given; none when absent or given no value.
std::optional<std::string> config_path(std::span<const std::string> args);

// Sets `flags` from the YAML text of a ControllerConfiguration read from `path`.
Status apply_config_file(std::string_view yaml, const std::string& path, cli::FlagSet& flags);

// Reads `path`, then apply_config_file.
Status load_config_file(const std::string& path, cli::FlagSet& flags);

}  // namespace certmill::cmd
