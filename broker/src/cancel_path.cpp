// mmi.cancel (docs/design.md, "Cancellation"): a client gave up calls it
// made through this broker. Each one named is dropped from its queue if it
// waits there; if a worker holds it, it is marked, the worker is told when
// it is one of ours, and its reply, which still comes (and still gives the
// worker its credit back), is dropped. An id the broker does not hold (never
// seen, answered already) changes nothing. Cancelling is rare: the request
// is found by scanning, and nothing is added to the request's own path.
#include "broker_core.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

void broker_core::on_mmi_cancel(zmq::message_t& client, bus::mdp::client_message& request,
                                time_point now) {
    auto ids = bus::mmi::decode_cancel_request(request.body);
    if (!ids) {
        out_.mmi_reply(client, request.service, {bus::mmi::code::bad_request});
        return;
    }
    // What this burst staged leaves first, so that a notice never overtakes
    // the request it names on its way to the worker.
    flush(now);
    const auto who = bus::view_of(client);
    bool any = false;
    for (const auto& id : *ids) {
        const auto request_id = bus::view_of(id);
        if (request_id.empty()) {
            continue;
        }
        if (services_.cancel_queued(who, request_id) || cancel_held(who, request_id)) {
            stats_.cancelled.add();
            any = true;
        }
    }
    out_.mmi_reply(client, request.service, {any ? bus::mmi::code::ok : bus::mmi::code::not_found});
}

bool broker_core::cancel_held(std::string_view client, std::string_view request_id) {
    inflight_request* found = nullptr;
    inflight_.for_each([&](inflight_request& slot) {
        if (found != nullptr || slot.cancelled || bus::view_of(slot.terms.client) != client) {
            return;
        }
        auto kept = slot.message.view({});
        auto meta = kept.size() > 0 ? bus::rpc::peek_request(kept[0]) : std::nullopt;
        if (meta && meta->request_id == request_id) {
            found = &slot;
        }
    });
    if (found == nullptr) {
        return false;
    }
    found->cancelled = true;
    if (found->worker != nullptr && found->worker->ours) {
        char bytes[runtime::slot_token::byte_size];
        // A lost notice costs only the handler's chance to stop early.
        (void)out_.cancel_notice(found->worker->identity, found->token().to_bytes(bytes));
    }
    return true;
}

}  // namespace skynet::broker_detail
