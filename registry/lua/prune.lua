-- prune: ARGV = prefix, limit -> {ms to next expiry or -1, {ids}}.
-- A record still present when its index entry has expired would outlive its
-- lease: it goes too (read_record sees an expired hash as absent anyway).
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
