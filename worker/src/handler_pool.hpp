#pragma once
// The handler threads: blocking handlers run here, off the network thread,
// and their replies go back through the completion queue.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "handler_table.hpp"
#include "shared_state.hpp"

namespace skynet::worker_detail {

struct job {
    reply_route route;
    request req;
    const handler_entry* entry;
};

class handler_pool {
public:
    handler_pool(int threads, std::shared_ptr<shared_state> state);
    ~handler_pool();  // runs what is queued, then joins
    handler_pool(const handler_pool&) = delete;
    handler_pool& operator=(const handler_pool&) = delete;

    void submit(job&& j);

private:
    void serve();
    void run(job&& j);

    const std::shared_ptr<shared_state> state_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<job> jobs_;   // guarded by mutex_
    bool stopping_ = false;  // guarded by mutex_
    std::vector<std::thread> threads_;
};

}  // namespace skynet::worker_detail
