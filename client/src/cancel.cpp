// Cancelling a call (docs/design.md, "Cancellation"). A handle's cancel
// travels to the driving thread through the engine's mailbox, behind the
// call it names, and is decided there, where replies are: whichever comes
// first ends the call, and the other finds its slot moved on. So a call
// ends exactly once however the two race. Cancels are rare: the call is
// found by scanning the calls in flight, and nothing is added to a call's
// own path but its id.
#include <algorithm>

#include "cancel_gate.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet {

void call_handle::cancel() const noexcept {
    if (id_ == 0) {
        return;
    }
    if (auto gate = gate_.lock()) {
        gate->cancel(id_);
    }
}

std::future<call_result> client::call_future(std::string_view service, std::string_view method,
                                             bus::bson_doc params, const call_options& options,
                                             call_handle& handle) {
    std::promise<call_result> promise;
    auto future = promise.get_future();
    handle =
        call_async(service, method, std::move(params), options,
                   [p = std::move(promise)](call_result r) mutable { p.set_value(std::move(r)); });
    return future;
}

}  // namespace skynet

namespace skynet::client_detail {

void cancel_gate::cancel(std::uint64_t id) noexcept {
    std::lock_guard lock(mutex_);
    if (target_ == nullptr) {
        return;
    }
    try {
        submission s;
        s.cancel_of = id;
        s.done = [](call_result) {};  // answered only if the client is closing
        target_->submit(std::move(s));
    } catch (const std::exception&) {
        // Out of memory for the mailbox: the call runs to its own end.
    }
}

void engine::cancel_call(std::uint64_t id, time_point now) {
    (void)now;
    pending_call* found = nullptr;
    calls_.for_each([&](pending_call& call) {
        if (call.call_id == id) {
            found = &call;
        }
    });
    if (found == nullptr) {
        early_cancels_.push_back(id);  // ended already, or starts later this turn
        return;
    }
    auto& call = *found;
    if (!call.raw) {
        char hex[runtime::slot_token::hex_size];
        const auto request_id = call.token().to_hex(hex);
        for (int link : {call.link, call.hedge_link}) {
            if (link >= 0) {
                tell_broker_cancelled(static_cast<std::size_t>(link), request_id);
            }
        }
    }
    finish(call, bus::error{bus::errc::cancelled, "cancelled by the caller"});
}

// The request may still be staged in this link's batch: it leaves first, so
// that the broker knows it when the cancel comes. A broker that does not
// know mmi.cancel answers 501, which the reply path ignores like any mmi.*
// answer; so do ours ("200", "404").
void engine::tell_broker_cancelled(std::size_t index, std::string_view request_id) {
    auto& link = links_[index];
    if (!link.out.flush(*link.socket)) {
        unsend(link, bus::clock::now());
    }
    out_.clear();
    bus::mmi::put_cancel_request(out_, request_id);
    (void)bus::send_frames(*link.socket, out_, true);  // lost: the handler runs on, that is all
    out_.clear();
}

bool engine::cancelled_before_start(submission& s) {
    if (early_cancels_.empty() || s.call_id == 0) {
        return false;
    }
    const auto it = std::find(early_cancels_.begin(), early_cancels_.end(), s.call_id);
    if (it == early_cancels_.end()) {
        return false;
    }
    early_cancels_.erase(it);
    stats_.calls.fetch_add(1, std::memory_order_relaxed);
    stats_.errors.fetch_add(1, std::memory_order_relaxed);
    auto done = std::move(s.done);
    try {
        done(bus::error{bus::errc::cancelled, "cancelled by the caller before it started"});
    } catch (const std::exception& e) {
        log_->error("call callback threw error=\"{}\"", e.what());
    }
    return true;
}

}  // namespace skynet::client_detail
