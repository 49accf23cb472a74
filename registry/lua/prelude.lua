-- Shared by every registry script (each file here is run as this prelude
-- followed by the script): the clock, key names, and removal. ARGV[1] is
-- always the key prefix. Used by the C++ registry (embedded at build time)
-- and by the Python package (python/skynet/registration.py).
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
