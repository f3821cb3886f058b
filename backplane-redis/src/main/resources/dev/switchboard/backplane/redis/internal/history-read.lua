-- Reads a durable topic's position and the entries after an offset, atomically.
-- KEYS[1] the topic's stream, KEYS[2] its meta hash
-- ARGV[1] first entry id to return ('<offset>-0'), ARGV[2] max entries (0: none),
-- ARGV[3] the epoch to start if the meta hash is missing, ARGV[4] idle expiry in ms (0: none)
-- Returns {epoch, last offset, {{id, {field, value, ...}}, ...}, ARGV[3]}: the last element echoes this call's
-- random epoch argument, so that the client can tell this answer from another command's.
local meta = redis.call('HMGET', KEYS[2], 'epoch', 'last')
local epoch = meta[1]
local last = tonumber(meta[2]) or 0
if not epoch then
  -- The epoch is created on first use, by a read as well as by an append.
  epoch = ARGV[3]
  last = 0
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'epoch', epoch, 'last', 0)
  local ttl = tonumber(ARGV[4])
  if ttl > 0 then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end
local entries = {}
local count = tonumber(ARGV[2])
if count > 0 then
  entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', count)
end
return {epoch, last, entries, ARGV[3]}
