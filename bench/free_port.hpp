#pragma once
// A loopback TCP port for a process the bench starts.

namespace skynet::bench {

// A loopback port that was free a moment ago, or 0 if none could be had.
// Another process may take it before ours binds it; callers that start a
// server on it check that the server came up, and try another if not.
int free_loopback_port();

}  // namespace skynet::bench
