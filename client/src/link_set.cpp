// The client's brokers and their sockets (link_set.hpp).
#include "link_set.hpp"

#include <algorithm>

#include "skynet/runtime/check_endpoint.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::client_detail {

broker_link& link_set::add(const std::string& endpoint, bus::time_point now) {
    // The connection first: a link is never left without one.
    auto watched = watched_dealer(endpoint);
    auto& link = links_.emplace_back();
    link.endpoint = endpoint;
    link.last_heard = now;
    link.connection = std::move(watched);
    return link;
}

bool link_set::reconnect(broker_link& link) noexcept {
    try {
        auto watched = watched_dealer(link.endpoint);
        link.connection = std::move(watched);  // stops the old one's monitor first
        link.out.reset();
        return true;
    } catch (const std::exception& e) {
        // Out of descriptors, say: the old connection stays, and ZeroMQ
        // keeps reconnecting it by itself.
        log_->error("broker reconnect failed broker={} error=\"{}\"", link.endpoint, e.what());
        return false;
    }
}

void link_set::apply_directory(std::vector<registry::broker_entry>& brokers, bus::time_point now) {
    for (auto& link : links_) {
        link.retired = true;  // unless the registry still has it, below
    }
    for (auto& entry : brokers) {
        auto it = std::find_if(links_.begin(), links_.end(),
                               [&](const broker_link& l) { return l.endpoint == entry.endpoint; });
        if (it == links_.end()) {
            // Registry records come from other processes: one that names
            // no usable endpoint is skipped, never thrown on this thread.
            if (auto problem = runtime::endpoint_problem(entry.endpoint)) {
                log_->warn("registry broker ignored broker=\"{}\" reason=\"{}\"", entry.endpoint,
                           *problem);
                continue;
            }
            try {
                add(entry.endpoint, now);
            } catch (const std::exception& e) {
                log_->warn("registry broker ignored broker={} error=\"{}\"", entry.endpoint,
                           e.what());
                continue;
            }
            log_->debug("broker found broker={} region={}", entry.endpoint, entry.region);
            it = links_.end() - 1;
        }
        it->retired = entry.vanished;
        it->weight = registry::load_weight(entry.load);
        it->region = std::move(entry.region);
        it->services = std::move(entry.services);
        std::sort(it->services.begin(), it->services.end());
    }
}

void link_set::count(int& counted, int now) noexcept {
    if (counted == now) {
        return;
    }
    if (counted >= 0) {
        --links_[static_cast<std::size_t>(counted)].outstanding;
    }
    if (now >= 0) {
        ++links_[static_cast<std::size_t>(now)].outstanding;
    }
    counted = now;
}

void link_set::heard(std::size_t index, bus::time_point now) {
    auto& link = links_[index];
    link.last_heard = now;
    link.unreachable = false;
    if (!link.up) {
        link.up = true;
        log_->info("broker answering again broker={}", link.endpoint);
    }
}

zmq::socket_t link_set::connect_dealer(const std::string& endpoint) {
    auto options = base_;  // linger 0: what a dead broker did not take is dropped
    // Sends fail at once while not connected, instead of queueing for a
    // broker that may never come back; the call goes to another broker.
    options.immediate = true;
    auto socket = runtime::connect_dealer(context_, endpoint, options);
    items_dirty_ = true;
    return socket;
}

runtime::monitored_socket link_set::watched_dealer(const std::string& endpoint) {
    const int events =
        ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_CONNECT_RETRIED;
    return runtime::monitored_socket(context_, connect_dealer(endpoint), events);
}

link_set::connection link_set::read_monitor(std::size_t index) {
    auto& watched = *links_[index].connection;
    bool lost = false;
    bool made = false;
    bool refused = false;
    // Until empty: its fd is edge-triggered.
    for (int event = watched.read_event(); event != 0; event = watched.read_event()) {
        lost = lost || event == ZMQ_EVENT_DISCONNECTED;
        made = made || event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
        refused = refused || event == ZMQ_EVENT_CONNECT_RETRIED;
    }
    if (lost || made) {
        return lost ? connection::lost : connection::made;
    }
    return refused ? connection::refused : connection::unchanged;
}

int link_set::acquire_raw(int link) {
    for (std::size_t k = 0; k < idle_raw_.size(); ++k) {
        const int index = idle_raw_[k];
        if (raw(index).link == link) {
            idle_raw_.erase(idle_raw_.begin() + static_cast<std::ptrdiff_t>(k));
            return index;
        }
    }
    raw_sockets_.push_back(std::make_unique<raw_socket>(
        raw_socket{connect_dealer(links_[static_cast<std::size_t>(link)].endpoint), link, {}}));
    return static_cast<int>(raw_sockets_.size() - 1);
}

void link_set::release_raw(int index, bool reusable) {
    auto& socket = raw(index);
    socket.call = {};
    if (!reusable) {
        // A late reply could still arrive on it: start over on a new socket.
        socket.socket = connect_dealer(links_[static_cast<std::size_t>(socket.link)].endpoint);
    }
    idle_raw_.push_back(index);
}

void link_set::poll(const zmq_pollitem_t& wake, bus::time_point until) {
    if (items_dirty_) {
        rebuild_poll_items(wake);
    }
    bus::poll_until(items_, until);
}

void link_set::rebuild_poll_items(const zmq_pollitem_t& wake) {
    items_.clear();
    items_.push_back(wake);
    for (auto& link : links_) {
        items_.push_back({link.socket().handle(), 0, ZMQ_POLLIN, 0});
    }
    for (auto& link : links_) {
        // Its ZMQ_FD, polled as a plain fd: zmq_poll would ask a socket for
        // ZMQ_EVENTS before and after every wait, two syscalls each time,
        // for events that come once per connection. The fd tells only that
        // something may have come; read_monitor reads until nothing is
        // left, so that it tells again, and nothing is ever sent on it.
        items_.push_back({nullptr, link.connection->events().get(zmq::sockopt::fd), ZMQ_POLLIN, 0});
    }
    polled_links_ = links_.size();
    for (auto& raw : raw_sockets_) {
        items_.push_back({raw->socket.handle(), 0, ZMQ_POLLIN, 0});
    }
    items_dirty_ = false;
}

}  // namespace skynet::client_detail
