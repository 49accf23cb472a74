#pragma once
// The Lua scripts that keep the registry's keys consistent (registry/lua/*.lua,
// embedded at build time; python/skynet/registration.py runs the same). Each runs
// atomically in Redis and reads Redis's own clock (TIME), so that leases do
// not depend on the clocks of the hosts that write them.
//
// Key layout (prefix P, default "skynet:"):
//   P instance:<id>          hash, the record (codec.hpp), PEXPIREAT its lease
//   P instances              zset id -> lease expiry (ms, Redis time): the live
//                            set; expired ids are pruned from it
//   P index:<field>:<value>  zset id -> lease expiry, for field in region,
//                            host, service, kind, registered ("1"/"0") and
//                            release ("<service>@<version>"); its TTL follows
//                            its latest lease
//   P values:<field>         zset value -> latest lease of its index: the
//                            catalogue behind services/hosts/regions/versions
//   P events                 channel: "added <id>", "updated <id>",
//                            "removed <id>"
// A query reads the smallest index its filters name (or P instances), then
// the records with pipelined HGETALLs, and filters them again: the hash is the
// truth, an index only narrows the candidates. Not for Redis Cluster: the
// scripts build key names from the prefix.

#include <string_view>

namespace skynet::registry::detail {

enum class script_id { put, remove, prune, candidates, list };
inline constexpr int script_count = 5;

// ARGV of each: prefix first, then
//   put:        id, lease_ms, field, value, ...   -> "added"|"updated"|"refreshed"
//   remove:     id [pid]                          -> 1 if something was removed
//   prune:      limit                             -> {ms to next expiry or -1, {ids}}
//   candidates: "<field>:<value>", ...            -> live ids of the smallest index
//   list:       field                             -> live values of the catalogue
std::string_view script_source(script_id id) noexcept;

}  // namespace skynet::registry::detail
