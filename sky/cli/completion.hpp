#pragma once
// Completion for the shell and for bash: what the word being typed can be,
// given the words before it, with live names read from the registry.

#include <string>
#include <vector>

#include "session.hpp"

namespace skynet::sky {

// The candidates for the last (partial) word of `line`, the text before the
// cursor, sorted; those starting with the partial word. A partial word
// "--service=fi" completes its value, as bash splits it. `in_shell` adds
// the shell's own commands (set, unset, filters, help, exit). Quiet: an
// unreachable registry gives no names, never an error.
std::vector<std::string> complete_line(session& s, const std::string& line, bool in_shell);

// The live names of one kind: "services", "versions", "hosts", "regions",
// "methods" (of `f.service` if set). Empty if the registry cannot be read.
std::vector<std::string> live_names(session& s, const std::string& kind, const filters& f);

// The shell's filter names: service, version, host, region, kind, registered.
const std::vector<std::string>& filter_names();

}  // namespace skynet::sky
