#include "scripts.hpp"

#include <array>
#include <string>

namespace skynet::registry::detail {

namespace {

// Shared by every script: the clock, key names, and removal.
constexpr std::string_view prelude = R"lua(
local prefix = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fields = {'region', 'host', 'service', 'kind', 'registered', 'release'}
local function record_key(id) return prefix .. 'instance:' .. id end
local function index_key(f, v) return prefix .. 'index:' .. f .. ':' .. v end
local function values_key(f) return prefix .. 'values:' .. f end
local function read_record(id)
  local key = record_key(id)
  local kind = redis.call('TYPE', key)['ok']
  if kind ~= 'hash' then
    if kind ~= 'none' then redis.call('DEL', key) end
    return nil
  end
  local flat = redis.call('HGETALL', key)
  local rec = {}
  for i = 1, #flat, 2 do rec[flat[i]] = flat[i + 1] end
  return rec
end
local function index_value(rec, f)
  if f == 'release' then
    if rec.service == nil then return nil end
    return rec.service .. '@' .. (rec.version or '')
  end
  return rec[f]
end
-- A value's catalogue score and its index key's TTL follow the latest lease
-- in the index, so that a value goes when its last instance does.
local function settle(f, v)
  local k = index_key(f, v)
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
  local top = redis.call('ZRANGE', k, -1, -1, 'WITHSCORES')
  if #top == 0 then
    redis.call('ZREM', values_key(f), v)
  else
    redis.call('ZADD', values_key(f), top[2], v)
    redis.call('PEXPIREAT', k, top[2])
  end
end
local function leave(id, rec, f)
  local v = index_value(rec, f)
  if v ~= nil then
    redis.call('ZREM', index_key(f, v), id)
    settle(f, v)
  end
end
local function forget(id, rec)
  if rec ~= nil then
    for _, f in ipairs(fields) do leave(id, rec, f) end
  end
  redis.call('DEL', record_key(id))
  local gone = redis.call('ZREM', prefix .. 'instances', id)
  if rec == nil and gone == 0 then return false end
  redis.call('PUBLISH', prefix .. 'events', 'removed ' .. id)
  return true
end
)lua";

constexpr std::string_view put_source = R"lua(
local id, expiry = ARGV[2], now + tonumber(ARGV[3])
local old = read_record(id)
local new, changed = {}, old == nil
for i = 4, #ARGV, 2 do
  new[ARGV[i]] = ARGV[i + 1]
  if old ~= nil and old[ARGV[i]] ~= ARGV[i + 1] then changed = true end
end
if old ~= nil then
  for k in pairs(old) do if new[k] == nil then changed = true end end
  for _, f in ipairs(fields) do
    if index_value(old, f) ~= index_value(new, f) then leave(id, old, f) end
  end
end
for _, f in ipairs(fields) do
  local v = index_value(new, f)
  if v ~= nil then
    redis.call('ZADD', index_key(f, v), expiry, id)
    settle(f, v)
  end
end
local key = record_key(id)
if changed then
  redis.call('DEL', key)
  redis.call('HSET', key, unpack(ARGV, 4))
end
-- Redis keeps a key through its expiry millisecond, the index does not: one
-- millisecond earlier, so that no reader sees a record its index calls dead.
redis.call('PEXPIREAT', key, expiry - 1)
redis.call('ZADD', prefix .. 'instances', expiry, id)
if old == nil then
  redis.call('PUBLISH', prefix .. 'events', 'added ' .. id)
  return 'added'
end
if changed then
  redis.call('PUBLISH', prefix .. 'events', 'updated ' .. id)
  return 'updated'
end
return 'refreshed'
)lua";

// ARGV[3], when given, is the pid the record must still hold: a successor
// that registered under the same id first is not the one to remove.
constexpr std::string_view remove_source = R"lua(
local rec = read_record(ARGV[2])
if ARGV[3] ~= nil and rec ~= nil and rec.pid ~= ARGV[3] then return 0 end
if forget(ARGV[2], rec) then return 1 end
return 0
)lua";

// A record still present when its index entry has expired would outlive its
// lease: it goes too (read_record sees an expired hash as absent anyway).
constexpr std::string_view prune_source = R"lua(
local ids = redis.call('ZRANGEBYSCORE', prefix .. 'instances', '-inf', now,
                      'LIMIT', 0, tonumber(ARGV[2]))
local removed = {}
for _, id in ipairs(ids) do
  if forget(id, read_record(id)) then table.insert(removed, id) end
end
local first = redis.call('ZRANGE', prefix .. 'instances', 0, 0, 'WITHSCORES')
local next_in = -1
if #first > 0 then next_in = math.max(0, tonumber(first[2]) - now) end
return {next_in, removed}
)lua";

constexpr std::string_view candidates_source = R"lua(
local live = string.format('(%d', now)
local best, best_n = prefix .. 'instances', nil
for i = 2, #ARGV do
  local k = prefix .. 'index:' .. ARGV[i]
  local n = redis.call('ZCOUNT', k, live, '+inf')
  if n == 0 then return {} end
  if best_n == nil or n < best_n then best, best_n = k, n end
end
return redis.call('ZRANGEBYSCORE', best, live, '+inf')
)lua";

constexpr std::string_view list_source = R"lua(
local k = values_key(ARGV[2])
redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
return redis.call('ZRANGE', k, 0, -1)
)lua";

}  // namespace

std::string_view script_source(script_id id) noexcept {
    // Built once, on first use (thread-safe static initialisation).
    static const std::array<std::string, script_count> sources = {
        std::string(prelude).append(put_source),   std::string(prelude).append(remove_source),
        std::string(prelude).append(prune_source), std::string(prelude).append(candidates_source),
        std::string(prelude).append(list_source),
    };
    return sources[static_cast<std::size_t>(id)];
}

}  // namespace skynet::registry::detail
