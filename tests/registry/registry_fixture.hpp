#pragma once
// What the registry tests share: a real redis-server per test, options that
// point at it, records to write, and a listener's callbacks recorded in order.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "skynet/registry/codec.hpp"
#include "skynet/registry/connection.hpp"
#include "skynet/registry/instance_listener.hpp"
#include "skynet/registry/registrar.hpp"
#include "support/eventually.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {

// The views decode_instance reads, over the pairs encode_instance wrote.
inline std::vector<registry::field_view> views_of(const std::vector<registry::field_pair>& pairs) {
    std::vector<registry::field_view> out;
    for (const auto& [k, v] : pairs) {
        out.emplace_back(k, v);
    }
    return out;
}

// True if an encoded record has the field `name`.
inline bool has_field(const std::vector<registry::field_pair>& pairs, std::string_view name) {
    return std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == name; });
}

inline registry::instance make_record(std::string id, std::string service = "echo",
                                      std::string version = "1.0", std::string region = "eu",
                                      std::string host = "h1") {
    registry::instance r;
    r.id = std::move(id);
    r.kind = registry::instance_kind::worker;
    r.service = std::move(service);
    r.version = std::move(version);
    r.region = std::move(region);
    r.host = std::move(host);
    r.pid = 1234;
    r.broker = "tcp://127.0.0.1:5555";
    r.started_at = 1700000000000;
    r.updated_at = 1700000000000;
    r.methods = {"echo", "ping"};
    return r;
}

// Short timeouts and intervals, so that outage tests finish quickly.
inline registry::registrar_settings fast_registrar(
    std::chrono::milliseconds lease = std::chrono::milliseconds(1500)) {
    registry::registrar_settings s;
    s.lease = lease;
    s.max_backoff = std::chrono::milliseconds(300);
    return s;
}

inline registry::listener_settings fast_listener() {
    registry::listener_settings s;
    s.max_backoff = std::chrono::milliseconds(300);
    return s;
}

// Every callback of a listener, in order, as "added <id>" and so on.
class event_log {
public:
    registry::listener_callbacks callbacks() {
        return {[this](const registry::instance& r) { push("added", r); },
                [this](const registry::instance& r) { push("updated", r); },
                [this](const registry::instance& r) { push("removed", r); }};
    }
    std::vector<std::string> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    std::vector<registry::instance> records() const {
        std::lock_guard lock(mutex_);
        return records_;
    }
    std::size_t count(const std::string& event) const {
        std::lock_guard lock(mutex_);
        std::size_t n = 0;
        for (const auto& e : events_) {
            n += e == event ? 1 : 0;
        }
        return n;
    }
    bool saw(const std::string& event) const { return count(event) > 0; }

private:
    void push(const char* what, const registry::instance& r) {
        std::lock_guard lock(mutex_);
        events_.push_back(std::string(what) + " " + r.id);
        records_.push_back(r);
    }
    mutable std::mutex mutex_;
    std::vector<std::string> events_;
    std::vector<registry::instance> records_;
};

class RegistryTest : public ::testing::Test {
protected:
    registry::options options(std::string prefix = "test:") const {
        auto opts = registry::options_from_url(redis_.url(), std::move(prefix));
        EXPECT_TRUE(opts.ok());
        opts->connect_timeout = std::chrono::milliseconds(1000);
        opts->command_timeout = std::chrono::milliseconds(1000);
        return opts.value();
    }
    registry::connection connect() {
        auto c = registry::connection::open(options());
        if (!c) {
            throw std::runtime_error("cannot connect: " + c.err().detail);
        }
        return std::move(c).value();
    }
    // The ids a query finds, sorted.
    std::vector<std::string> ids(registry::connection& c, const registry::query& q = {}) {
        auto found = c.find(q);
        EXPECT_TRUE(found.ok()) << (found ? "" : found.err().detail);
        std::vector<std::string> out;
        if (found) {
            for (const auto& r : *found) {
                out.push_back(r.id);
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    redis_server redis_;
};

}  // namespace skynet::testing
