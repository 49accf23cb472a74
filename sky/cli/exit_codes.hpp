#pragma once
// sky's exit statuses, documented in `sky help` and sky/README.md, so that
// scripts can tell failures apart. `call` adds its own: 10 + the bus error
// code (12 UNKNOWN_SERVICE, 14 TIMEOUT, 18 SERVICE_ERROR, ...), as
// fibonacci-client does.

namespace skynet::sky {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int failed = 1;         // Redis failed mid-way, or the user said no
inline constexpr int usage = 2;          // unknown command or option, bad argument or JSON
inline constexpr int unreachable = 3;    // the registry could not be reached (within 2 s)
inline constexpr int no_match = 4;       // the filters match no instance
inline constexpr int not_all_acted = 5;  // some instances failed or did not answer in time
inline constexpr int call_base = 10;     // call: 10 + the bus error code
}  // namespace exit_code

}  // namespace skynet::sky
