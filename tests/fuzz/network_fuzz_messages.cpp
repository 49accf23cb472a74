#include "network_fuzz_messages.hpp"

#include "skynet/bus/envelope.hpp"

namespace skynet::testing {

namespace {

const std::string client_header = "MDPC01";
const std::string worker_header = "MDPW01";
const std::vector<std::string> headers = {
    client_header, worker_header, "MDPC02", "MDPW00", "mdpc01", "MDPC0", "MDPW011", "MDP", ""};
const std::vector<std::string> mmi_names = {"mmi.service", "mmi.services", "mmi.credit",
                                            "mmi.pause",   "mmi.resume",   "mmi.stats",
                                            "mmi.",        "mmi.nothing"};
// Enough names to make the broker create (and later forget) thousands of
// service entries per round.
constexpr std::size_t made_up_names = 5000;
// Names fake workers announce: a small pool, so that a second READY and
// requests to a fake worker's service both happen often.
constexpr std::size_t fake_worker_names = 50;
// The empty BSON document: a valid params frame.
const std::string empty_document("\x05\0\0\0\0", 5);

std::string command(std::uint8_t c) {
    return std::string(1, static_cast<char>(c));
}

}  // namespace

message_fuzzer::message_fuzzer(std::uint64_t seed, std::size_t sockets,
                               std::vector<std::string> services)
    : state_(seed), sockets_(sockets), services_(std::move(services)) {}

std::uint64_t message_fuzzer::random() {
    // splitmix64: the same numbers from the same seed on every platform,
    // unlike the standard distributions.
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::string message_fuzzer::bytes(std::size_t max_length) {
    std::string out(below(max_length + 1), '\0');
    for (auto& c : out) {
        c = static_cast<char>(random());
    }
    return out;
}

std::string message_fuzzer::service_name() {
    switch (below(4)) {
        case 0:
            return services_[below(services_.size())];
        case 1:
            return "fz.w" + std::to_string(below(fake_worker_names));
        case 2:
            return "fz.s" + std::to_string(below(made_up_names));
        default:
            return bytes(40);
    }
}

std::string message_fuzzer::envelope_header() {
    bus::rpc::request_header h;
    h.method = one_in(2) ? "Add" : "Echo";
    h.request_id = "fz-request";
    h.origin = "fuzz/1/network";
    h.timeout_ms = static_cast<std::int64_t>(below(3000));
    h.idempotent = one_in(2);
    auto frame = bus::rpc::encode_request_header(h);
    return frame.to_string();
}

frame_list message_fuzzer::random_frames() {
    frame_list frames(1 + below(8));
    for (auto& f : frames) {
        f = bytes(64);
    }
    if (one_in(2)) {
        frames[0].clear();  // past the delimiter check, into the decoders
    }
    return frames;
}

frame_list message_fuzzer::wrong_header() {
    return {"", headers[2 + below(headers.size() - 2)], service_name(), bytes(16)};
}

frame_list message_fuzzer::truncated() {
    auto frames = valid_message();
    frames.resize(below(frames.size()));  // keeps at least nothing, at most all but one
    if (!frames.empty() && one_in(2)) {
        auto& last = frames.back();
        last.resize(below(last.size() + 1));
    }
    return frames;
}

frame_list message_fuzzer::oversized_message() {
    ++oversized_;
    if (one_in(2)) {
        // A service name past the codec's 255 bytes.
        return {"", client_header, std::string(256 + below(4096), 'n'), "x"};
    }
    // A body frame of 64-256 KiB to a real or a made-up service.
    return {"", client_header, service_name(), std::string((64 + below(193)) << 10, 'b')};
}

frame_list message_fuzzer::corrupt_envelope() {
    auto header = one_in(4) ? bytes(64) : envelope_header();
    for (std::size_t flips = 1 + below(4); flips > 0 && !header.empty(); --flips) {
        header[below(header.size())] ^= static_cast<char>(1u << below(8));
    }
    if (one_in(3) && !header.empty()) {
        header.resize(below(header.size()));
    }
    const auto& service = services_[below(services_.size())];
    return {"", client_header, service, header, one_in(2) ? bytes(32) : empty_document};
}

frame_list message_fuzzer::wrong_order() {
    auto frames = valid_message();
    for (std::size_t swaps = 1 + below(3); swaps > 0 && frames.size() > 1; --swaps) {
        std::swap(frames[below(frames.size())], frames[below(frames.size())]);
    }
    return frames;
}

frame_list message_fuzzer::worker_command_from_stranger() {
    switch (below(4)) {
        case 0:
            return {"", worker_header, command(4)};  // HEARTBEAT
        case 1:
            return {"", worker_header, command(5)};  // DISCONNECT
        case 2: {
            // REPLY with a forged 8-byte in-flight token.
            return {"", worker_header, command(3), bytes(8), "", bytes(16)};
        }
        default:
            return {"", worker_header, command(static_cast<std::uint8_t>(random()))};
    }
}

frame_list message_fuzzer::made_up_service() {
    return {"", client_header, "fz.s" + std::to_string(below(made_up_names)), bytes(16)};
}

frame_list message_fuzzer::mmi_abuse() {
    frame_list frames{"", client_header, mmi_names[below(mmi_names.size())]};
    if (!one_in(5)) {
        frames.push_back(one_in(2) ? std::to_string(random() % 100000) : bytes(12));
    }
    return frames;
}

frame_list message_fuzzer::valid_request() {
    return {"", client_header, services_[below(services_.size())], envelope_header(),
            empty_document};
}

frame_list message_fuzzer::valid_message() {
    switch (below(5)) {
        case 0:
            return valid_request();
        case 1:
            return {"", worker_header, command(1),
                    "fz.w" + std::to_string(below(fake_worker_names))};
        case 2:
            return {"", worker_header, command(3), bytes(8), "", "body"};
        case 3:
            return {"", worker_header, command(4)};
        default:
            return made_up_service();
    }
}

void message_fuzzer::mutate(frame_list& frames) {
    switch (below(5)) {
        case 0:
            if (!frames.empty()) {
                auto& f = frames[below(frames.size())];
                if (!f.empty()) {
                    f[below(f.size())] ^= static_cast<char>(1u << below(8));
                }
            }
            break;
        case 1:
            if (!frames.empty()) {
                frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(below(frames.size())));
            }
            break;
        case 2:
            if (!frames.empty() && frames.size() < 16) {
                frames.push_back(frames[below(frames.size())]);
            }
            break;
        case 3:
            frames.insert(frames.begin() + static_cast<std::ptrdiff_t>(below(frames.size() + 1)),
                          "");
            break;
        default:
            frames.push_back(bytes(24));
            break;
    }
}

void message_fuzzer::queue_double_ready(std::size_t socket) {
    // 7/MDP: a second READY from the same connection is a protocol error.
    auto name = "fz.w" + std::to_string(below(fake_worker_names));
    pending_.push_back({socket, {"", worker_header, command(1), name}});
    pending_.push_back({socket, {"", worker_header, command(1), one_in(2) ? name : "fz.other"}});
}

fuzz_message message_fuzzer::next() {
    if (pending_.empty()) {
        const auto socket = below(sockets_);
        frame_list frames;
        switch (below(20)) {
            case 0:
                frames = random_frames();
                break;
            case 1:
                frames = wrong_header();
                break;
            case 2:
            case 3:
                frames = truncated();
                break;
            case 4:
                // One in 40 messages: enough bytes that a broker keeping
                // them would show in its memory, few enough to stay quick.
                frames = one_in(2) ? oversized_message() : wrong_header();
                break;
            case 5:
            case 6:
                frames = corrupt_envelope();
                break;
            case 7:
                frames = wrong_order();
                break;
            case 8:
                queue_double_ready(socket);
                return next();
            case 9:
            case 10:
                frames = worker_command_from_stranger();
                break;
            case 11:
            case 12:
            case 13:
            case 14:
                frames = made_up_service();
                break;
            case 15:
                frames = mmi_abuse();
                break;
            case 16:
                frames = valid_request();
                break;
            default:
                frames = valid_message();
                break;
        }
        if (one_in(4)) {
            mutate(frames);
        }
        if (frames.empty()) {
            frames.push_back("");  // ZeroMQ sends no message of zero frames
        }
        return {socket, std::move(frames)};
    }
    auto message = std::move(pending_.front());
    pending_.pop_front();
    return message;
}

}  // namespace skynet::testing
