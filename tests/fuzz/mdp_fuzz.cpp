// Fuzz target: every 7/MDP decoder, on arbitrary multipart messages. They
// must return an error for anything malformed and never crash or read out
// of bounds.
#include <cstddef>
#include <cstdint>

#include "fuzz_frames.hpp"
#include "skynet/bus/mdp.hpp"

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
    }
    return 0;
}
