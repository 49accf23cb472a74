-- candidates: ARGV = prefix, '<field>:<value>', ... -> live ids of the
-- smallest index named.
local live = string.format('(%d', now)
local best, best_n = prefix .. 'instances', nil
for i = 2, #ARGV do
  local k = prefix .. 'index:' .. ARGV[i]
  local n = redis.call('ZCOUNT', k, live, '+inf')
  if n == 0 then return {} end
  if best_n == nil or n < best_n then best, best_n = k, n end
end
return redis.call('ZRANGEBYSCORE', best, live, '+inf')
