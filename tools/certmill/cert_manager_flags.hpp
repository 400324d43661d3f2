// The flags of cert-manager v1.21's controller that certmill did not have,
// so that cert-manager's Helm chart, with only its image swapped, starts
// certmill: each takes cert-manager's syntax (pflag's comma-separated lists,
// `A=true,B=false` gates, Go durations and booleans); those that certmill
// acts on keep their meaning, the others are accepted and named in one
// startup log line saying why they change nothing. Pure logic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/duration.hpp"
#include "tools/certmill/cert_manager_controllers.hpp"
#include "tools/cli/flags.hpp"

namespace certmill::cmd {

// A pflag string slice: comma-separated, the first value given replaces the
// default and later ones add to it.
struct FlagList {
  std::vector<std::string> items = {};
  bool replace_next = true;
};

struct CertManagerFlags {
  std::string config = {};            // --config: a ControllerConfiguration file
  std::optional<int> verbosity = {};  // --v, klog's level
  FlagList controllers = {{"*"}};
  FeatureGates feature_gates = {};
  unsigned max_concurrent_challenges = 60;
  bool enable_certificate_owner_ref = false;
  FlagList extra_certificate_annotations = {};
  FlagList auto_certificate_annotations = {{"kubernetes.io/tls-acme"}};
  FlagList copied_annotation_prefixes = {
      {"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"}};
  FlagList dns01_recursive_nameservers = {};
  bool dns01_recursive_nameservers_only = false;
  Duration dns01_check_retry_period = std::chrono::seconds(10);
  // Stored for the DNS-01 providers that draw on ambient credentials.
  bool issuer_ambient_credentials = false;
  bool cluster_issuer_ambient_credentials = true;
  // Flags given that change nothing in certmill, in the order first given.
  std::vector<std::string> ignored = {};
};

// Adds every cert-manager flag `flags` does not have yet. --logging-format
// sets `log_format` (certmill's --log-format) and the chart's hidden
// --internal-healthz-listen-address sets `healthz_address`.
void add_cert_manager_flags(cli::FlagSet& flags, CertManagerFlags& settings,
                            std::string* log_format, std::string* healthz_address);

// Call between the configuration file and the command line: a list on the
// command line then replaces the file's instead of adding to it.
void start_command_line(CertManagerFlags& settings);

// certmill's --log-level for klog's --v: cert-manager logs errors at 0,
// warnings at 1, information at 2 and 3, debug from 4.
std::string log_level_for_verbosity(int verbosity);

// The startup log line's list: each ignored flag with why, then `more`
// (what choose_controllers did not honour); empty when there is none.
std::string ignored_flags_text(const CertManagerFlags& settings,
                               const std::vector<std::string>& more);

}  // namespace certmill::cmd
