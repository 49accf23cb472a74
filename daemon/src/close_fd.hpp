#pragma once
// Closing a descriptor the supervisor holds.

namespace skynet::daemon::detail {

// Closes `fd` if open and sets it to -1.
void close_fd(int& fd) noexcept;

}  // namespace skynet::daemon::detail
