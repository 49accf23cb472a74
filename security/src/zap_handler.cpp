#include "skynet/security/zap_handler.hpp"

#include <array>
#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <zmq_addon.hpp>

#include "skynet/bus/frames.hpp"
#include "skynet/runtime/event_fd.hpp"
#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/thread_name.hpp"
#include "skynet/security/zap_request.hpp"

namespace skynet::security {
namespace {

constexpr const char* zap_endpoint = "inproc://zeromq.zap.01";
// A key that keeps knocking is logged once per interval, whatever its rate.
constexpr auto log_interval = std::chrono::seconds(10);
// Past this many keys remembered, forget them all: a flood of made-up keys
// cannot grow the table, it only gets logged a little more.
constexpr std::size_t max_remembered_keys = 4096;

std::string z85_of(std::string_view binary_key) {
    std::array<char, 41> text{};
    if (binary_key.size() != 32 ||
        zmq_z85_encode(text.data(), reinterpret_cast<const std::uint8_t*>(binary_key.data()),
                       binary_key.size()) == nullptr) {
        return {};
    }
    return std::string(text.data(), 40);
}

}  // namespace

struct zap_handler::impl {
    explicit impl(zmq::context_t& context, std::shared_ptr<const allowed_keys> initial)
        : socket(context, zmq::socket_type::router), keys(std::move(initial)) {
        socket.set(zmq::sockopt::linger, 0);
        socket.bind(zap_endpoint);
        thread = std::thread([this] { run(); });
    }

    zmq::socket_t socket;  // the handler thread's alone once it started
    runtime::event_fd stop_signal{"zap handler stop"};
    mutable std::mutex keys_mutex;
    std::shared_ptr<const allowed_keys> keys;  // guarded by keys_mutex; swapped whole
    std::atomic<std::uint64_t> accepted{0};
    std::atomic<std::uint64_t> refused{0};
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> last_logged;
    std::shared_ptr<spdlog::logger> log = runtime::logger_for("zap");
    std::thread thread;  // last: started once everything above is

    std::shared_ptr<const allowed_keys> snapshot() const {
        std::lock_guard lock(keys_mutex);
        return keys;
    }
    void run() noexcept;
    void answer(bus::frames& request);
    void log_refusal(const std::string& key, std::string_view address, std::string_view why);
};

void zap_handler::impl::run() noexcept {
    runtime::name_this_thread("zap");
    std::array<zmq_pollitem_t, 2> items{
        {{socket.handle(), 0, ZMQ_POLLIN, 0}, stop_signal.poll_item()}};
    bus::frames request;
    try {
        while (true) {
            zmq::poll(items.data(), items.size(), std::chrono::milliseconds(-1));
            if (items[1].revents & ZMQ_POLLIN) {
                return;
            }
            while (true) {
                request.clear();
                if (!zmq::recv_multipart(socket, std::back_inserter(request),
                                         zmq::recv_flags::dontwait)) {
                    break;
                }
                answer(request);
            }
        }
    } catch (const std::exception& e) {
        // The context is going away (ETERM), or sends failed: handshakes
        // from now on fail, which is the safe way to fail.
        log->error("zap handler stopped error={}", e.what());
    }
}

void zap_handler::impl::answer(bus::frames& request) {
    if (request.size() < 4) {
        return;  // libzmq never sends this; nothing to answer to
    }
    const auto decoded = decode_zap_request(std::span(request).subspan(1));
    std::string_view request_id = bus::view_of(request[3]);
    std::string name;
    std::string key;
    std::string_view why = "malformed request";
    if (decoded.ok()) {
        request_id = decoded->request_id;
        key = z85_of(decoded->client_key);
        why = "key not allowed";
        if (decoded->mechanism != "CURVE") {
            why = "CURVE required";
        } else if (auto keys_now = snapshot(); keys_now != nullptr) {
            if (auto found = keys_now->find(key); found != keys_now->end()) {
                name = found->second;
            }
        }
    }
    bus::frames reply;
    if (!name.empty()) {
        accepted.fetch_add(1, std::memory_order_relaxed);
        SPDLOG_LOGGER_DEBUG(log, "zap accepted key={} name={}", fingerprint(key), name);
        reply = encode_zap_reply(request_id, "200", "OK", name);
    } else {
        refused.fetch_add(1, std::memory_order_relaxed);
        log_refusal(key, decoded.ok() ? decoded->address : std::string_view("?"), why);
        reply = encode_zap_reply(request_id, "400", why, "");
    }
    reply.insert(reply.begin(), std::move(request[0]));
    zmq::send_multipart(socket, reply);
}

void zap_handler::impl::log_refusal(const std::string& key, std::string_view address,
                                    std::string_view why) {
    const auto now = std::chrono::steady_clock::now();
    const auto print = key.empty() ? std::string("-") : fingerprint(key);
    if (last_logged.size() >= max_remembered_keys) {
        last_logged.clear();
    }
    auto [at, first] = last_logged.try_emplace(print, now);
    if (!first && now - at->second < log_interval) {
        return;
    }
    at->second = now;
    log->warn("connection refused key={} address={} reason=\"{}\" refused_total={}", print, address,
              why, refused.load(std::memory_order_relaxed));
}

zap_handler::zap_handler(zmq::context_t& context, std::shared_ptr<const allowed_keys> keys)
    : impl_(std::make_unique<impl>(context, std::move(keys))) {}

zap_handler::~zap_handler() {
    impl_->stop_signal.signal();
    impl_->thread.join();
}

void zap_handler::set_allowed_keys(std::shared_ptr<const allowed_keys> keys) {
    std::lock_guard lock(impl_->keys_mutex);
    impl_->keys = std::move(keys);
}

std::shared_ptr<const allowed_keys> zap_handler::allowed() const {
    return impl_->snapshot();
}

std::uint64_t zap_handler::accepted() const noexcept {
    return impl_->accepted.load(std::memory_order_relaxed);
}

std::uint64_t zap_handler::refused() const noexcept {
    return impl_->refused.load(std::memory_order_relaxed);
}

}  // namespace skynet::security
