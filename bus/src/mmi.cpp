#include "skynet/bus/mmi.hpp"

#include <charconv>
#include <optional>
#include <string>

#include "skynet/bus/mdp.hpp"

namespace skynet::bus::mmi {

namespace {

inline constexpr std::string_view batch_term = "batch";
inline constexpr std::string_view heartbeat_term = "heartbeat";
inline constexpr std::string_view liveness_term = "liveness";

error malformed(const char* what) {
    return error{errc::bad_request, what};
}

// A whole decimal number, nothing before or after it.
template <class Number>
bool read_number(std::string_view text, Number& out) noexcept {
    if (text.empty()) {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

std::optional<status> code_of(std::string_view text) noexcept {
    if (text == code::ok) {
        return status::ok;
    }
    if (text == code::bad_request) {
        return status::bad_request;
    }
    if (text == code::not_found) {
        return status::not_found;
    }
    if (text == code::not_implemented) {
        return status::not_implemented;
    }
    return std::nullopt;
}

void push_number(frames& body, std::uint64_t n) {
    body.push_back(frame_of(std::to_string(n)));
}

// Reads the terms after the granted credit; unknown ones are skipped.
void read_terms(std::span<const zmq::message_t> terms, credit_grant& grant) noexcept {
    for (std::size_t i = 0; i + 1 < terms.size(); i += 2) {
        const auto key = view_of(terms[i]);
        const auto value = view_of(terms[i + 1]);
        std::uint64_t n = 0;
        if (!read_number(value, n) || n == 0) {
            continue;
        }
        if (key == batch_term) {
            grant.batch_limit = static_cast<std::size_t>(n);
        } else if (key == heartbeat_term && n <= 24 * 3600 * 1000ULL) {
            grant.heartbeat.interval = std::chrono::milliseconds(n);
        } else if (key == liveness_term && n <= 1000) {
            grant.heartbeat.liveness = static_cast<std::uint32_t>(n);
        }
    }
}

}  // namespace

status status_of(std::span<const zmq::message_t> body) noexcept {
    if (body.empty()) {
        return status::unreadable;
    }
    const auto first = view_of(body.front());
    if (first == code::ok) {
        return status::ok;
    }
    if (auto last = code_of(view_of(body.back()))) {
        return *last;
    }
    return code_of(first).value_or(status::unreadable);
}

void put_credit_request(frames& out, const credit_request& request) {
    mdp::put_client_header(out, credit);
    auto text = std::to_string(request.credit);
    if (request.batch) {
        text.append(" ").append(batch_term);
    }
    out.push_back(frame_of(text));
}

result<credit_request> decode_credit_request(std::span<const zmq::message_t> body) noexcept {
    if (body.empty() || body.size() > 2) {
        return malformed("credit request is not one or two frames");
    }
    credit_request request;
    auto text = view_of(body[0]);
    const auto space = text.find(' ');
    if (!read_number(text.substr(0, space), request.credit) || request.credit == 0) {
        return malformed("credit request does not start with a positive number");
    }
    // Features after the number, one word each; the older form has "batch"
    // as a frame of its own.
    auto features = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    while (!features.empty()) {
        const auto end = features.find(' ');
        request.batch = request.batch || features.substr(0, end) == batch_term;
        features = end == std::string_view::npos ? std::string_view{} : features.substr(end + 1);
    }
    request.batch = request.batch || (body.size() == 2 && view_of(body[1]) == batch_term);
    return request;
}

void put_credit_grant(frames& body, const credit_grant& grant) {
    body.push_back(frame_of(code::ok));
    push_number(body, grant.credit);
    if (grant.batch_limit > 0) {
        body.push_back(frame_of(batch_term));
        push_number(body, grant.batch_limit);
    }
    if (grant.heartbeat.known()) {
        body.push_back(frame_of(heartbeat_term));
        push_number(body, static_cast<std::uint64_t>(grant.heartbeat.interval.count()));
        body.push_back(frame_of(liveness_term));
        push_number(body, grant.heartbeat.liveness);
    }
}

result<credit_grant> decode_credit_grant(std::span<const zmq::message_t> body) noexcept {
    if (body.size() < 2 || view_of(body[0]) != code::ok) {
        return malformed("credit answer is not 200 and a credit");
    }
    credit_grant grant;
    if (!read_number(view_of(body[1]), grant.credit) || grant.credit == 0) {
        return malformed("credit answer's credit is not a positive number");
    }
    read_terms(body.subspan(2), grant);
    return grant;
}

void put_batch_probe(frames& out) {
    mdp::put_client_header(out, batch);
    out.emplace_back();
}

bool is_batch_probe(std::span<const zmq::message_t> body) noexcept {
    return body.size() == 1 && body[0].size() == 0;
}

void put_batch_grant(frames& body, std::size_t limit) {
    body.emplace_back();
    push_number(body, limit);
}

bool is_batch_grant(std::span<const zmq::message_t> body) noexcept {
    return body.size() == 2 && body[0].size() == 0;
}

result<std::size_t> decode_batch_grant(std::span<const zmq::message_t> body) noexcept {
    std::size_t limit = 0;
    if (!is_batch_grant(body) || !read_number(view_of(body[1]), limit) || limit == 0) {
        return malformed("batch answer is not an empty batch and a positive limit");
    }
    return limit;
}

void put_pause(frames& out, bool pausing) {
    mdp::put_client_header(out, pausing ? pause : resume);
    out.emplace_back();
}

void put_cancel_request(frames& out, std::string_view request_id) {
    mdp::put_client_header(out, cancel);
    out.push_back(frame_of(request_id));
}

result<std::span<const zmq::message_t>> decode_cancel_request(
    std::span<const zmq::message_t> body) noexcept {
    if (body.empty()) {
        return error{errc::bad_request, "mmi.cancel names no request"};
    }
    return body;
}

void put_cancel_notice(frames& out, std::string_view worker_address) {
    mdp::put_request_header(out, frame_of(cancel));
    out.push_back(frame_of(worker_address));
}

}  // namespace skynet::bus::mmi
