#pragma once
// The client a worker's handlers call other services with
// (request::client()): made on first use, once per worker, on the worker's
// ZeroMQ context, brokers and registry; destroyed by the worker once its
// handlers have all returned, before the context it shares.

#include <atomic>
#include <memory>
#include <mutex>

#include "skynet/client/client.hpp"

namespace skynet::worker_detail {

class nested_client {
public:
    nested_client() = default;
    ~nested_client() { close(); }
    nested_client(const nested_client&) = delete;
    nested_client& operator=(const nested_client&) = delete;

    // Before the worker starts: what the client is made with.
    void configure(client_options options) { options_ = std::move(options); }

    // The client, made on the first call (any thread; after that, one
    // atomic load). Throws std::logic_error once closed, and what the
    // client's constructor throws.
    client& get();
    // Null once closed: for answering a call without throwing.
    client* get_if_open() noexcept;

    // Destroys the client: its calls still running end UNAVAILABLE, their
    // callbacks run. Not under the lock, so that a callback that asks for
    // the client meanwhile is told it is closed instead of waiting on us.
    void close() noexcept;

private:
    std::atomic<client*> ready_{nullptr};
    std::mutex mutex_;
    client_options options_;          // guarded by mutex_ once started
    std::unique_ptr<client> client_;  // guarded by mutex_
    bool closed_ = false;             // guarded by mutex_
};

}  // namespace skynet::worker_detail
