// skynet-bench --child echo-workers: our C++ echo workers in a process of
// their own, registered in Redis and serving on every broker of their region
// that the registry lists (the workers find them; nobody names them), so
// that the figures of issue 19 can read their CPU apart from the callers'.
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "child_roles.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::bench {

namespace {

// The brokers each worker has sent READY to, so far.
struct ready_book {
    std::mutex mutex;
    std::vector<std::set<std::string>> brokers;  // guarded by mutex

    std::size_t fewest() {
        std::lock_guard lock(mutex);
        std::size_t least = SIZE_MAX;
        for (const auto& seen : brokers) {
            least = std::min(least, seen.size());
        }
        return brokers.empty() ? 0 : least;
    }
};

std::unique_ptr<worker> echo_worker(const child_options& o, ready_book& book, std::size_t index) {
    worker_options w;
    w.service = o.service.empty() ? "bench-echo" : o.service;
    w.redis = o.endpoint;
    w.region = o.region;
    // Enough credit per broker connection that a broker never waits on this
    // worker's answers to hand it the next requests.
    w.credit = 512;
    w.drain_timeout = std::chrono::milliseconds(500);
    auto made = std::make_unique<worker>(std::move(w));
    made->handle(
        "echo", [](const request& r) { return bus::bson_doc::copy_of(r.params()); },
        run_on::io_thread);
    made->hooks().registered = [&book, index](const std::string& broker) {
        std::lock_guard lock(book.mutex);
        book.brokers[index].insert(broker);
    };
    return made;
}

// True once stdin has closed (the parent is done) within `limit`.
bool parent_left_within(std::chrono::milliseconds limit) {
    pollfd in{0, POLLIN, 0};
    if (poll(&in, 1, static_cast<int>(limit.count())) <= 0) {
        return false;
    }
    char buffer[64];
    return read(0, buffer, sizeof buffer) <= 0;
}

}  // namespace

int run_echo_workers(const child_options& o) {
    ready_book book;
    book.brokers.resize(static_cast<std::size_t>(std::max(o.count, 1)));
    std::vector<std::unique_ptr<worker>> workers;
    std::string ids;
    for (std::size_t i = 0; i < book.brokers.size(); ++i) {
        workers.push_back(echo_worker(o, book, i));
        ids += " " + workers.back()->instance_id();
    }
    for (auto& w : workers) {
        w->start();
    }
    // "ready <ids>" once every worker is on `brokers` brokers; the parent
    // gives up on its own deadline if that never comes.
    bool announced = false;
    while (!parent_left_within(std::chrono::milliseconds(20))) {
        if (!announced && book.fewest() >= static_cast<std::size_t>(o.brokers)) {
            std::printf("ready%s\n", ids.c_str());
            std::fflush(stdout);
            announced = true;
        }
    }
    for (auto& w : workers) {
        w->stop();
    }
    for (auto& w : workers) {
        w->wait();
    }
    return 0;
}

}  // namespace skynet::bench
