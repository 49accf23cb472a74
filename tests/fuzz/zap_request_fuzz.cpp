// Fuzz target: the ZAP handler's request decoder (issue #17) on arbitrary
// multipart messages. What it yields must be views inside the frames, and
// a CURVE request must carry exactly one 32-byte key.
#include <cstddef>
#include <cstdint>

#include "fuzz_frames.hpp"
#include "skynet/security/zap_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace skynet;
    auto frames = fuzz::split_frames(data, size);
    auto request = security::decode_zap_request(frames);
    if (!request.ok()) {
        (void)request.err().detail.size();
        return 0;
    }
    if (request->mechanism == "CURVE" && request->client_key.size() != 32) {
        __builtin_trap();  // the handler would look up a key that is none
    }
    auto reply = security::encode_zap_reply(request->request_id, "400", "no", "");
    if (reply.size() != 7 || bus::view_of(reply[2]) != request->request_id) {
        __builtin_trap();
    }
    return 0;
}
