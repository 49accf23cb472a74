// call SERVICE METHOD [JSON]: one request through a broker the registry says
// serves SERVICE, preferring the --region's brokers and falling back to any
// other region's (skynet/sky/call.hpp). The JSON params become BSON
// (libbson's own parser); the reply's result document is printed as JSON.
// call --raw SERVICE [FRAME...]: the frames go out as they are, to a plain
// 7/MDP service, and the reply's frames are printed one a line.
//
// Exit statuses: 0 with a reply; 2 for malformed JSON or arguments; 3 when
// the registry is unreachable; 10 + the bus error code otherwise: 12 no such
// service (no broker serves it, or UNKNOWN_SERVICE), 13 no such method,
// 14 timeout, 15 unavailable, 18 service error, and so on. A reply that is
// not our envelope (a plain service answering a call without --raw) ends the
// call at once with the client's error.

#include "skynet/sky/call.hpp"

#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/bus/bson.hpp"
#include "skynet/security/keys.hpp"

namespace skynet::sky {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds default_call_timeout{5000};

bus::bson_doc params_of(const invocation& inv) {
    std::string text = inv.args.size() > 2 ? inv.args[2] : "{}";
    auto parsed = bus::bson_doc::from_json(text);
    if (!parsed) {
        throw usage_error("malformed JSON for call: " + parsed.err().detail);
    }
    return std::move(parsed).value();
}

int print_failure(session& s, const bus::error& e) {
    return s.fail(exit_code::call_base + static_cast<int>(e.code),
                  "call failed: " + std::string(bus::to_string(e.code)) +
                      (e.detail.empty() ? "" : ": " + e.detail));
}

int print_outcome(session& s, const call_result& outcome) {
    if (!outcome) {
        return print_failure(s, outcome.err());
    }
    s.out << outcome->result().to_json() << std::endl;
    return exit_code::ok;
}

// A plain reply's frames, one a line, as the bytes they hold.
int print_frames(session& s, const call_result& outcome) {
    if (!outcome) {
        return print_failure(s, outcome.err());
    }
    for (const auto& frame : outcome->frames()) {
        s.out << frame.to_string_view() << '\n';
    }
    s.out.flush();
    return exit_code::ok;
}

// --curve-key and --broker-key, loaded; a key file that cannot be used is
// bad usage, said in the loader's words.
void add_curve_keys(const invocation& inv, call_request& request) {
    if (inv.curve_key.has_value() != inv.broker_key.has_value()) {
        throw usage_error("--curve-key and --broker-key go together");
    }
    if (!inv.curve_key) {
        return;
    }
    try {
        auto own = security::load_secret_key_file(*inv.curve_key);
        request.curve_public_key = std::move(own.public_key);
        request.curve_secret_key = std::move(own.secret_key);
        request.broker_key = security::load_public_key_file(*inv.broker_key);
    } catch (const security::key_error& e) {
        throw usage_error(e.what());
    }
}

void check_arguments(const invocation& inv) {
    if (inv.raw && inv.args.empty()) {
        throw usage_error("usage: call --raw SERVICE [FRAME...]");
    }
    if (!inv.raw && (inv.args.size() < 2 || inv.args.size() > 3)) {
        throw usage_error("usage: call SERVICE METHOD ['JSON params']");
    }
}

}  // namespace

int run_call(session& s, const invocation& inv) {
    check_arguments(inv);
    call_request request{.service = inv.args[0],
                         .version = inv.filter.version,
                         .region = inv.filter.region,
                         .timeout = inv.timeout.value_or(default_call_timeout)};
    add_curve_keys(inv, request);
    auto params = inv.raw ? bus::bson_doc() : params_of(inv);
    auto* c = s.connect();
    if (c == nullptr) {
        return s.connect_failure();
    }
    auto endpoints = brokers_for(*c, request);
    if (!endpoints) {
        return s.fail(exit_code::failed, "registry at " + s.url() + ": " + endpoints.err().detail);
    }
    if (endpoints->empty()) {
        return s.fail(exit_code::call_base + static_cast<int>(bus::errc::unknown_service),
                      "no broker serves " + request.wanted());
    }
    if (inv.raw) {
        bus::frames body;
        for (auto it = inv.args.begin() + 1; it != inv.args.end(); ++it) {
            body.emplace_back(it->data(), it->size());
        }
        return print_frames(s, call_raw_through(*endpoints, request, std::move(body)));
    }
    return print_outcome(s, call_through(*endpoints, request, inv.args[1], params.view()));
}

}  // namespace skynet::sky
