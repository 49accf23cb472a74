#pragma once
// How long a registry thread waits before it tries Redis again: 100 ms after
// the first failure, doubling up to a ceiling, and back to 100 ms once a try
// succeeds, so that a registry that comes back is found again quickly and one
// that stays away is not hammered.

#include <algorithm>
#include <chrono>

namespace skynet::registry {

class retry_backoff {
public:
    explicit retry_backoff(std::chrono::milliseconds ceiling) : ceiling_(ceiling) {}

    // The wait before the next try; the one after it is twice as long.
    std::chrono::milliseconds next() {
        auto wait = current_;
        current_ = std::min(current_ * 2, ceiling_);
        return wait;
    }

    // A try succeeded: the next failure waits the shortest time again.
    void reset() { current_ = first; }

private:
    static constexpr std::chrono::milliseconds first{100};
    std::chrono::milliseconds ceiling_;
    std::chrono::milliseconds current_ = first;
};

}  // namespace skynet::registry
