#pragma once
// `sky cli`: an interactive shell over libedit (BSD-licensed): line editing,
// a persistent history file, tab completion of commands and live names, and
// filters that stick (`set service fibonacci`, `unset region`, `filters`).
// Without a terminal it reads commands one a line, for scripts.

#include <string>

#include "invocation.hpp"

namespace skynet::sky {

// Runs the shell until `exit`, `quit` or end of input; returns 0.
int run_shell(const invocation& inv, const std::string& url, const std::string& prefix);

}  // namespace skynet::sky
