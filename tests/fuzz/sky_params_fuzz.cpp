// Fuzz target: the JSON that `sky call SERVICE METHOD 'JSON'` takes as params,
// along the path it travels. sky/cli/call.cpp parses it with
// bus::bson_doc::from_json (libbson's parser) and exits 2 on an error; the
// client copies the document's bytes into the params frame; the worker reads
// that frame with bson_view::from_frame; and sky prints a reply's result
// document with to_json.
//
// Oracles beyond "no crash": a document the parser accepted must have a
// length prefix that agrees with its bytes (else the worker answers
// BAD_REQUEST to a call sky thought well-formed), and a document that passes
// validation must print as JSON that parses again (else sky could print a
// reply it cannot be given back as params).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "skynet/bus/bson.hpp"

namespace {

using skynet::bus::bson_doc;
using skynet::bus::bson_view;

// What a handler typically does with params: typed reads that must stay in
// bounds whatever the document holds.
void read_like_a_handler(const bson_view& params) {
    (void)params.get_string("name");
    (void)params.get_int64("n");
    (void)params.get_int32("n");
    (void)params.get_double("x");
    (void)params.get_bool("flag");
    (void)params.has("$numberLong");
    if (auto inner = params.get_document("inner")) {
        (void)inner->get_string("name");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A command-line argument cannot hold a NUL, but `sky cli` lines and
    // scripts feeding it can: take the bytes as they are.
    std::string text(reinterpret_cast<const char*>(data), size);
    auto parsed = bson_doc::from_json(text);
    if (!parsed.ok()) {
        (void)parsed.err().detail.size();
        return 0;
    }
    // The params frame as the client builds it (client.cpp copies the bytes).
    const bson_view built = parsed->view();
    zmq::message_t frame(built.data(), built.size());
    auto received = bson_view::from_frame(frame);
    if (!received.ok()) {
        __builtin_trap();  // sky sent a document no worker can read
    }
    read_like_a_handler(*received);
    if (!received->validate().ok()) {
        return 0;  // e.g. "\u0000" in a string: the worker's typed reads cope
    }
    auto printed = received->to_json();
    if (!bson_doc::from_json(printed).ok()) {
        __builtin_trap();  // sky printed JSON it would refuse as params
    }
    return 0;
}
