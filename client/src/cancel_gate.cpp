// Cancelling a call (docs/design.md, "Cancellation"), the caller's side: a
// handle's cancel travels to the driving thread through the engine's
// mailbox, behind the call it names, and is decided there, where replies
// are (call_endings.cpp): whichever comes first ends the call, and the
// other finds its slot moved on. So a call ends exactly once however the
// two race.
#include "cancel_gate.hpp"

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

}  // namespace skynet::client_detail
