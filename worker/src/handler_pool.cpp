#include "handler_pool.hpp"

#include "skynet/bus/envelope.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet::worker_detail {

handler_pool::handler_pool(int threads, std::shared_ptr<shared_state> state)
    : state_(std::move(state)) {
    for (int i = 0; i < threads; ++i) {
        threads_.emplace_back([this] {
            runtime::name_this_thread("skynet-handler");
            for (;;) {
                try {
                    serve();
                    return;
                } catch (...) {
                    log_escaped("handler thread");  // and it serves on
                }
            }
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

        run(std::move(j));
    }
}

void handler_pool::run(job&& j) {
    auto& state = *state_;
    if (j.req.expired()) {
        // Waited for a thread past its deadline: its caller has given up.
        worker_counters::add(state.stats.expired);
        bus::frames body;
        append_reply(body, j.req.request_id(), bus::errc::timeout,
                     "deadline passed before a handler thread was free",
                     bus::rpc::empty_document_frame());
        complete(state, std::move(j.route), j.req, std::move(body), bus::errc::timeout);
        return;
    }
    if (j.entry->type == handler_entry::kind::async) {
        start_async(state_, *j.entry, std::move(j.route), std::move(j.req));
        return;
    }
    run_hook(state.hooks.method_called, "method_called", j.req);
    bus::errc code = bus::errc::ok;
    bus::frames body;
    execute(state, *j.entry, j.req, code, body);
    complete(state, std::move(j.route), j.req, std::move(body), code);
}

}  // namespace skynet::worker_detail
