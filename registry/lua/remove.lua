-- remove: ARGV = prefix, id [, pid] -> 1 if something was removed.
-- ARGV[3], when given, is the pid the record must still hold: a successor
-- that registered under the same id first is not the one to remove.
local rec = read_record(ARGV[2])
if ARGV[3] ~= nil and rec ~= nil and rec.pid ~= ARGV[3] then return 0 end
if forget(ARGV[2], rec) then return 1 end
return 0
