#pragma once
// A TCP relay for wire tests: accepts on a loopback port, connects each
// accepted connection to `upstream_port`, copies bytes both ways, and keeps
// a copy of every byte that passed, to search for plaintext.

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace skynet::testing {

class tcp_relay {
public:
    explicit tcp_relay(int upstream_port);
    ~tcp_relay();  // stops and joins
    tcp_relay(const tcp_relay&) = delete;
    tcp_relay& operator=(const tcp_relay&) = delete;

    int port() const noexcept { return port_; }
    // Every byte relayed so far, both directions.
    std::string recorded() const;

private:
    void run();
    int upstream_port_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::string recorded_;  // guarded by mutex_
    std::thread thread_;
};

}  // namespace skynet::testing
