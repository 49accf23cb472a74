// Fuzz target: every 7/MDP decoder, on arbitrary multipart messages, and
// the mmi.* and routing id decoders on what they yield. They must return
// an error for anything malformed and never crash or read out of bounds.
#include <cstddef>
#include <cstdint>

#include "fuzz_frames.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/bus/worker_routing_id.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace skynet;
    auto frames = fuzz::split_frames(data, size);
    if (auto at_broker = bus::mdp::decode_at_broker(frames); at_broker.ok()) {
        if (auto* ready = std::get_if<bus::mdp::ready>(&*at_broker)) {
            (void)ready->service.size();
        }
    }
    (void)bus::mdp::decode_at_worker(frames).ok();
    if (auto at_client = bus::mdp::decode_at_client(frames); at_client.ok()) {
        for (const auto& frame : at_client->body) {
            (void)frame.size();
        }
        namespace mmi = bus::mmi;
        (void)mmi::status_of(at_client->body);
        (void)mmi::decode_credit_request(at_client->body).ok();
        (void)mmi::decode_credit_grant(at_client->body).ok();
        (void)mmi::decode_batch_grant(at_client->body).ok();
        (void)mmi::is_batch_probe(at_client->body);
    }
    if (!frames.empty()) {
        (void)bus::parse_worker_routing_id(bus::view_of(frames[0])).ok();
    }
    return 0;
}
