#include "broker_core.hpp"

#include <variant>

#include "skynet/runtime/logging.hpp"

namespace skynet::broker_detail {

namespace mdp = bus::mdp;

broker_core::broker_core(const broker_options& options, zmq::socket_ref router, counters& stats)
    : options_(options),
      expiry_window_(options.heartbeat * options.liveness),
      stats_(stats),
      out_(router, stats),
      log_(runtime::logger_for("broker")),
      clients_(options.max_clients, options.max_client_requests),
      // A batch stays well under what the ROUTER reads at all (four times
      // the largest message), even with one record past the limit.
      batch_limit_(std::min(bus::batch::default_limit, options.max_message_size)) {
    out_.set_batch_limit(batch_limit_);
}

broker_core::~broker_core() = default;

void broker_core::on_message(bus::frames& message, time_point now) {
    if (message.empty()) {
        return;
    }
    handle(message, now);
}

void broker_core::handle(bus::frames& message, time_point now) {
    auto& identity = message[0];
    const auto peer = bus::view_of(identity);
    auto decoded = mdp::decode_at_broker(std::span(message).subspan(1));
    if (!decoded) {
        malformed(peer, decoded.err(), now);
        // 7/MDP: treat a peer that sends invalid messages as invalid. A worker
        // is dropped, so that what it holds is recovered rather than left to
        // its clients' deadlines.
        if (auto* w = find_worker(peer)) {
            protocol_error(*w, "malformed message", now);
        }
        return;
    }
    std::visit(
        [&](auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, mdp::client_message>) {
                on_client_request(identity, m, now);
            } else if constexpr (std::is_same_v<T, mdp::ready>) {
                on_ready(peer, m.service, now);
            } else {
                auto* w = find_worker(peer);
                if (w == nullptr) {
                    if constexpr (!std::is_same_v<T, mdp::disconnect>) {
                        on_unknown_peer(peer);
                    }
                    return;
                }
                if constexpr (std::is_same_v<T, mdp::reply>) {
                    on_reply(*w, m, now);
                } else if constexpr (std::is_same_v<T, mdp::heartbeat>) {
                    on_heartbeat(*w, now);
                } else {
                    on_disconnect(*w, now);
                }
            }
        },
        *decoded);
}

void broker_core::malformed(std::string_view identity, const bus::error& why, time_point now) {
    stats_.malformed.add();
    if (malformed_log_.allow(now)) {
        log_->warn("dropped malformed message peer_bytes={} reason=\"{}\" suppressed={}",
                   identity.size(), why.detail, malformed_log_.suppressed());
    }
}

worker_peer* broker_core::find_worker(std::string_view identity) noexcept {
    auto it = workers_.find(identity);
    return it == workers_.end() ? nullptr : it->second.get();
}

service* broker_core::service_named(std::string_view name, time_point now) {
    if (auto it = services_.find(name); it != services_.end()) {
        return it->second.get();
    }
    // A bound on what peers can make us remember: names are capped at 255
    // bytes by the codec, their number here.
    constexpr std::size_t max_services = 100000;
    if (services_.size() >= max_services) {
        return nullptr;
    }
    auto created = std::make_unique<service>(std::string(name));
    created->no_workers_since = now;
    auto* raw = created.get();
    services_.emplace(raw->name, std::move(created));
    stats_.services.set(services_.size());
    return raw;
}

}  // namespace skynet::broker_detail
