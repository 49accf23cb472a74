#include "sentinel_watch.hpp"

#include <sstream>
#include <string>

#include "peers.hpp"
#include "redis_direct.hpp"

namespace skynet::bench {

sentinel_watch::sentinel_watch(const std::vector<int>& sentinel_ports) {
    for (int port : sentinel_ports) {
        threads_.emplace_back([this, port] { listen(port); });
    }
}

sentinel_watch::~sentinel_watch() {
    leaving_ = true;
    for (auto& t : threads_) {
        t.join();
    }
}

void sentinel_watch::listen(int port) {
    auto link = redis_direct::open("127.0.0.1", port, std::chrono::milliseconds(1000));
    if (!link || !link->send({"SUBSCRIBE", "+odown", "+switch-master", "+tilt"})) {
        return;
    }
    while (!leaving_.load()) {
        auto push = link->next_push(std::chrono::milliseconds(100));
        const auto when = std::chrono::steady_clock::now();
        if (!push || push->empty()) {
            continue;
        }
        if ((*push)[0] == "subscribe") {
            confirmed_.fetch_add(1);
        } else if ((*push)[0] == "message" && push->size() == 3) {
            note(*push, when);
        }
    }
}

// "+odown": "master <name> <ip> <port> #quorum 2/2"; "+switch-master":
// "<name> <old ip> <old port> <new ip> <new port>".
void sentinel_watch::note(const std::vector<std::string>& push, time_point when) {
    std::lock_guard lock(mutex_);
    if (push[1] == "+tilt") {
        ++tilts_;
    } else if (push[1] == "+odown" && push[2].starts_with("master ") && !odown_) {
        odown_ = when;
    } else if (push[1] == "+switch-master" && !switch_) {
        std::istringstream words(push[2]);
        std::string name, old_ip, old_port, new_ip;
        int new_port = 0;
        if (words >> name >> old_ip >> old_port >> new_ip >> new_port) {
            switch_ = when;
            new_port_ = new_port;
        }
    }
}

bool sentinel_watch::wait_subscribed(std::chrono::milliseconds limit) const {
    const int expected = 3 * static_cast<int>(threads_.size());
    return wait_until([&] { return confirmed_.load() >= expected; }, limit);
}

bool sentinel_watch::wait_switch(std::chrono::milliseconds limit) const {
    return wait_until([&] { return switch_at().has_value(); }, limit);
}

std::optional<sentinel_watch::time_point> sentinel_watch::odown_at() const {
    std::lock_guard lock(mutex_);
    return odown_;
}

std::optional<sentinel_watch::time_point> sentinel_watch::switch_at() const {
    std::lock_guard lock(mutex_);
    return switch_;
}

int sentinel_watch::tilts() const {
    std::lock_guard lock(mutex_);
    return tilts_;
}

int sentinel_watch::new_master_port() const {
    std::lock_guard lock(mutex_);
    return new_port_;
}

}  // namespace skynet::bench
