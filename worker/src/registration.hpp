#pragma once
// A worker in the registry (docs/design.md): its record (kind worker, service,
// version, region, host, pid, the brokers it serves on, its methods), its
// figures every stats_interval, and, when it was given no broker, the
// brokers of its region found there and followed as they come and go.
// Nothing here runs on the network thread: the registrar and the listener
// have threads of their own, and this class one more for the figures.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared_state.hpp"
#include "skynet/registry/broker_follower.hpp"
#include "skynet/registry/registrar.hpp"

namespace skynet::worker_detail {

class registration {
public:
    // Throws std::invalid_argument for an unusable options.redis URL.
    // `stop` asks the worker for a graceful stop (sky stop and restart).
    registration(const worker_options& options, std::vector<std::string> methods,
                 std::shared_ptr<shared_state> state, std::function<void()> stop);
    ~registration();  // removes the record
    registration(const registration&) = delete;
    registration& operator=(const registration&) = delete;

    void set_registered(bool registered) { registrar_->set_registered(registered); }
    registry::registrar& registrar() noexcept { return *registrar_; }

private:
    void take_commands(std::function<void()> stop);
    void publish_figures();
    void serve_on(const std::vector<registry::broker_entry>& brokers);

    const worker_options& options_;
    std::shared_ptr<shared_state> state_;
    std::unique_ptr<registry::registrar> registrar_;

    std::unique_ptr<registry::broker_follower> brokers_;
    // The follower's callback's own (one call at a time): what we serve on.
    std::vector<std::string> endpoints_;

    std::mutex figures_mutex_;
    std::condition_variable figures_wake_;
    bool stopping_ = false;  // guarded by figures_mutex_
    std::thread figures_thread_;
    // The figures thread's own: what it published last, and for how many
    // requests in all.
    latency_histogram::figures last_figures_;
    std::uint64_t last_figures_count_ = 0;
};

}  // namespace skynet::worker_detail
