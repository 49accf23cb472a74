#pragma once
// What the registry's listener threads share: a stop flag, and an eventfd
// that ends any wait of theirs at once, so that stopping never waits for a
// Redis timeout.

#include <atomic>
#include <chrono>
#include <optional>

#include "skynet/runtime/event_fd.hpp"

namespace skynet::registry::detail {

class stop_signal {
public:
    // Throws std::system_error if the eventfd cannot be made; `owner` names
    // the caller in that error.
    explicit stop_signal(const char* owner) : wake_(owner) {}

    // Any thread: every wait ends now and later ones return at once.
    void raise() noexcept;
    bool raised() const noexcept { return raised_.load(); }

    // Waits until the socket `fd` is readable (true), the signal is raised,
    // or `limit` passes (none: no limit; negative: do not wait). fd < 0 waits
    // on the signal and the limit only. `also` (if >= 0) ends the wait too
    // when readable, without making it return true: a second socket whose
    // news the caller looks for itself (a sentinel's +switch-master).
    bool wait(int fd, std::optional<std::chrono::milliseconds> limit, int also = -1) const;

private:
    runtime::event_fd wake_;
    std::atomic<bool> raised_{false};
};

}  // namespace skynet::registry::detail
