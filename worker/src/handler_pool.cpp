#include "handler_pool.hpp"

#include "skynet/bus/envelope.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet::worker_detail {

handler_pool::handler_pool(int threads, shared_state& state) : state_(state) {
    for (int i = 0; i < threads; ++i) {
        threads_.emplace_back([this] {
            runtime::name_this_thread("skynet-handler");
            serve();
        });
    }
}

handler_pool::~handler_pool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) {
        t.join();
    }
}

void handler_pool::submit(job&& j) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(j));
    }
    wake_.notify_one();
}

void handler_pool::serve() {
    for (;;) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) {
            return;  // stopping, and nothing left
        }
        job j = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();

        if (j.req.expired()) {
            // Waited for a thread past its deadline: its caller has given up.
            worker_counters::add(state_.stats.expired);
            bus::frames body;
            append_reply(body, j.req.request_id(), bus::errc::timeout,
                         "deadline passed before a handler thread was free",
                         bus::rpc::empty_document_frame());
            complete(state_, std::move(j.route), j.req, std::move(body), bus::errc::timeout);
            continue;
        }
        if (state_.hooks.method_called) {
            state_.hooks.method_called(j.req);
        }
        bus::errc code = bus::errc::ok;
        bus::frames body;
        execute(*j.entry, j.req, code, body);
        complete(state_, std::move(j.route), j.req, std::move(body), code);
    }
}

}  // namespace skynet::worker_detail
