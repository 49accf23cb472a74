#pragma once
// Changes other threads ask of the network thread: the set of brokers to
// serve on (from registry discovery) and whether to take new requests (sky
// register/unregister). The latest request of each kind wins; an eventfd
// among the loop's poll items says there is something to take.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace skynet::worker_detail {

class control_box {
public:
    control_box();
    ~control_box();
    control_box(const control_box&) = delete;
    control_box& operator=(const control_box&) = delete;

    // Any thread.
    void set_brokers(std::vector<std::string> endpoints);
    void set_registered(bool registered);

    struct changes {
        std::optional<std::vector<std::string>> brokers;
        std::optional<bool> registered;
    };
    // The network thread: what was asked since the last take.
    changes take();
    int fd() const noexcept { return fd_; }

private:
    void wake() noexcept;

    std::mutex mutex_;
    changes pending_;  // guarded by mutex_
    int fd_;
};

}  // namespace skynet::worker_detail
