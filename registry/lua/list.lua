-- list: ARGV = prefix, field -> live values of the catalogue.
local k = values_key(ARGV[2])
redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
return redis.call('ZRANGE', k, 0, -1)
