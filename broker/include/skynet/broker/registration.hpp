#pragma once
// A broker in the registry (docs/design.md "Registry details"), for any
// broker: skynet-broker's --redis, a broker embedded in a test or in the host
// daemon. Its record: kind broker, the endpoint clients and workers dial, its
// region and host, and the services it has workers for, kept up to date; a
// worker of ours that the broker saw die through heartbeats is removed from
// the registry at once rather than when its lease runs out; sky stop and
// restart drain the broker. Everything goes through the registrar's thread:
// the broker's loop never waits on Redis.
//
//   broker_options options;
//   broker_registration registration(settings, options);  // hooks `options`
//   broker b(options, context);                            // binds
//   registration.start(b);                                 // registers b
//   b.run();                                               // any thread
//   // to leave: registration.draining(); b.stop();

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "skynet/broker/broker.hpp"

namespace skynet {

struct broker_registration_options {
    std::string redis = {};                // registry URL: redis://[:password@]host:port[/db]
    std::string redis_prefix = "skynet:";  // of every registry key
    std::string region = "local";
    std::string host = {};  // empty: this machine's name
    // What clients and workers dial. Empty: the bound endpoint, with a
    // wildcard address (tcp://*:5555, tcp://0.0.0.0:5555) replaced by `host`.
    std::string advertise = {};
    // How soon the registry drops the record of a broker that died without a word.
    std::chrono::milliseconds lease{10000};
    // The record's id; empty: a fresh one. skyd gives each process it runs
    // an id of its own (SKYNET_INSTANCE_ID) and names itself in `managed_by`
    // (SKYNET_MANAGED_BY): registered under them, a broker that skyd runs
    // counts as started once registered, and `sky` shows its daemon.
    std::string instance_id = {};
    std::string managed_by = {};
};

class broker_registration {
public:
    // Sets broker_options::on_services_changed, on_worker_lost and on_tick
    // to keep the record up to date (chaining to hooks already there): on
    // tick, about once a second, the broker's load (registry::
    // broker_load_record) when it changed. Registers
    // nothing yet: the endpoint is known once the broker has bound. Throws
    // std::invalid_argument for an unusable redis URL or a lease under 100 ms.
    broker_registration(broker_registration_options options, broker_options& hooked);
    // Removes the record. The broker hooked must no longer run.
    ~broker_registration();
    broker_registration(const broker_registration&) = delete;
    broker_registration& operator=(const broker_registration&) = delete;

    // Registers `b` (built with the options hooked above) with its endpoint;
    // sky stop and restart then drain it (draining(), then b.stop()). `b`
    // must outlive this object. Call it once, before or while b runs.
    void start(broker& b);

    // The broker is closing: its record says registered=false, which takes
    // it off the lists clients and workers choose brokers from while it
    // drains. The record goes with this object. Any thread.
    void draining();

    // The record's id ("broker-<host>-<pid>-<hex>"), and the endpoint it
    // advertises; both empty before start().
    std::string id() const;
    std::string endpoint() const;

private:
    struct impl;
    std::shared_ptr<impl> impl_;  // shared with the hooks set on broker_options
};

}  // namespace skynet
