-- put: ARGV = prefix, id, lease_ms, field, value, ...
-- -> 'added' | 'updated' | 'refreshed'
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
