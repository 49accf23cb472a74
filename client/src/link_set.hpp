#pragma once
// The client's brokers and every socket it has to them: one DEALER per
// broker for envelope calls (many in flight, matched by request_id), its
// disconnect monitor, and a pool of DEALERs for raw calls, one call each
// (plain MDP has nothing to match by); and the poll items over all of them.
// Links are never erased: calls and raw sockets name them by index.

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "broker_link.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/registry/broker_directory.hpp"
#include "skynet/runtime/slot_table.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::client_detail {

struct raw_socket {
    zmq::socket_t socket;
    int link = -1;
    runtime::slot_token call;  // of the call using it; none while idle
};

class link_set {
public:
    // `base`: what every broker connection is set to (its CURVE keys).
    link_set(zmq::context_t& context, std::shared_ptr<spdlog::logger> log,
             runtime::socket_options base)
        : context_(context), base_(std::move(base)), log_(std::move(log)) {}

    std::size_t size() const noexcept { return links_.size(); }
    broker_link& operator[](std::size_t i) noexcept { return links_[i]; }
    const broker_link& operator[](std::size_t i) const noexcept { return links_[i]; }
    auto begin() noexcept { return links_.begin(); }
    auto end() noexcept { return links_.end(); }
    auto begin() const noexcept { return links_.begin(); }
    auto end() const noexcept { return links_.end(); }
    std::size_t index_of(const broker_link& link) const noexcept {
        return static_cast<std::size_t>(&link - links_.data());
    }

    // A new link, connected. Throws zmq::error_t for an endpoint ZeroMQ
    // refuses (check it first: runtime::endpoint_problem).
    broker_link& add(const std::string& endpoint, bus::time_point now);
    // A new connection for `link`: the broker forgot us with the old one.
    // Whoever answers on it is asked about batches again. Never throws:
    // false (logged) if no new socket could be made; the old one stays.
    bool reconnect(broker_link& link) noexcept;
    // The brokers the registry knows now: new ones get a link; links to
    // brokers gone from it are retired (they take no new calls).
    void apply_directory(std::vector<registry::broker_entry>& brokers, bus::time_point now);
    // A call's copy counted on link `counted` (-1: none) is out on `now`
    // instead: each link's `outstanding` follows, and `counted` becomes `now`.
    void count(int& counted, int now) noexcept;
    // Something came from link i: it is alive.
    void heard(std::size_t index, bus::time_point now);

    // `refused`: an attempt to connect failed (nothing listens there now);
    // ZeroMQ tries again by itself.
    enum class connection { unchanged, made, lost, refused };
    // What link i's monitor reported since the last look: a loss wins, then
    // a connection made, then a refusal.
    connection read_monitor(std::size_t index);

    // A raw call's socket to link `link`: an idle one, or a new one.
    int acquire_raw(int link);
    // Back to the pool; one that may still get a late reply is replaced.
    void release_raw(int index, bool reusable);
    raw_socket& raw(int index) noexcept { return *raw_sockets_[static_cast<std::size_t>(index)]; }

    // Waits until `until` for anything on `wake` or any socket.
    void poll(const zmq_pollitem_t& wake, bus::time_point until);
    bool woken() const noexcept { return (items_[0].revents & ZMQ_POLLIN) != 0; }
    // After poll(): calls on_link(i), on_monitor(i) or on_raw(i) for each
    // socket with something to read.
    template <class OnLink, class OnMonitor, class OnRaw>
    void for_each_ready(OnLink&& on_link, OnMonitor&& on_monitor, OnRaw&& on_raw) {
        for (std::size_t i = 1; i < items_.size(); ++i) {
            if ((items_[i].revents & ZMQ_POLLIN) == 0) {
                continue;
            }
            if (i <= polled_links_) {
                on_link(i - 1);
            } else if (i <= 2 * polled_links_) {
                on_monitor(i - 1 - polled_links_);
            } else {
                on_raw(static_cast<int>(i - 1 - 2 * polled_links_));
            }
        }
    }

private:
    zmq::socket_t connect_dealer(const std::string& endpoint);
    runtime::monitored_socket watched_dealer(const std::string& endpoint);
    void rebuild_poll_items(const zmq_pollitem_t& wake);

    zmq::context_t& context_;
    runtime::socket_options base_;
    std::shared_ptr<spdlog::logger> log_;
    std::vector<broker_link> links_;
    std::vector<std::unique_ptr<raw_socket>> raw_sockets_;
    std::vector<int> idle_raw_;
    std::vector<zmq_pollitem_t> items_;
    bool items_dirty_ = true;
    // Links when items_ was built: [wake, link sockets, link monitors, raw sockets].
    std::size_t polled_links_ = 0;
};

}  // namespace skynet::client_detail
