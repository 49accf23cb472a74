#pragma once
// A blocking connection to the registry: what `sky`, clients and tests use to
// read it (find, lists) and what registrars use to write it (put, remove).
//
// Every call is one or a few pipelined round trips, each bounded by
// options::command_timeout. Failures from the network are results, never
// exceptions: unavailable (Redis unreachable, timed out, connection lost),
// unauthorized (AUTH refused), bad_request (bad URL), service_error (Redis
// answered with an error). After an unavailable error the connection is
// broken() and every later call fails at once: open a new one.
//
// Not thread-safe: one thread uses a connection at a time. Move-only.
//
// Keys (prefix P): P instance:<id> hashes under a lease, the P instances zset
// of lease expiries, P index:<field>:<value> zsets that narrow a query, the
// P values:<field> catalogues behind the lists, and the P events channel
// ("added <id>", "updated <id>", "removed <id>"). src/scripts.hpp has the
// details; Lua scripts keep them consistent, reading Redis's clock.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/registry/query.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

// What a put did, as the event it published says.
enum class put_outcome { added, updated, refreshed };

// What a prune found.
struct prune_outcome {
    std::vector<std::string> removed;  // ids whose lease ran out, now gone
    // Time until the next lease in the registry runs out; nothing if empty.
    std::optional<std::chrono::milliseconds> next_expiry;
};

class connection {
public:
    // Connects within connect_timeout, authenticates and selects the db.
    static bus::result<connection> open(const options& opts);

    connection(connection&&) noexcept;
    connection& operator=(connection&&) noexcept;
    ~connection();

    // Every live instance the query matches, in no particular order. Prunes
    // expired ids first (publishing their `removed` events). A record that
    // does not decode is skipped and logged, so that one bad writer cannot
    // hide everyone else.
    bus::result<std::vector<instance>> find(const query& q = {});
    // The live record with this id; nothing if there is none. bad_request if
    // the stored record does not decode.
    bus::result<std::optional<instance>> get(std::string_view id);
    // The live records with these ids, in their order; nothing for an id
    // without a live (or decodable) record. One pipelined round trip.
    bus::result<std::vector<std::optional<instance>>> get(std::span<const std::string> ids);

    // Sorted names of live instances' services, hosts and regions, and the
    // versions of one service. Exact: a name goes when its last instance does.
    bus::result<std::vector<std::string>> services();
    bus::result<std::vector<std::string>> versions(std::string_view service);
    bus::result<std::vector<std::string>> hosts();
    bus::result<std::vector<std::string>> regions();

    // Writes `record` under a lease of `lease` from now (Redis time),
    // publishing `added` or `updated` when its content changed.
    bus::result<put_outcome> put(const instance& record, std::chrono::milliseconds lease);
    // Deletes the record; true if there was one (then `removed` was published).
    // With a pid, only while the record is that process's: a successor
    // under the same id (a restarted managed process) stays.
    bus::result<bool> remove(std::string_view id, std::int64_t pid = 0);
    // Removes ids whose lease ran out and publishes their `removed` events.
    // Any reader may call it; concurrent prunes report each id once.
    bus::result<prune_outcome> prune();

    bool broken() const noexcept;
    const options& settings() const noexcept;

private:
    struct impl;
    explicit connection(std::unique_ptr<impl> state);
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::registry
