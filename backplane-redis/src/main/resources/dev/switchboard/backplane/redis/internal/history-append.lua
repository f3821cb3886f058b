-- Appends one message to a durable topic's log, atomically.
-- KEYS[1] the topic's stream, KEYS[2] its meta hash (same hash tag, so the same cluster slot)
-- ARGV[1] message, ARGV[2] max messages, ARGV[3] max age in ms (0: none),
-- ARGV[4] the epoch to start if the meta hash is missing, ARGV[5] idle expiry in ms (0: none)
-- Returns {epoch, offset, ARGV[4]}: the last element echoes this call's random epoch argument, so that the
-- client can tell this answer from another command's.
if redis.replicate_commands then
  -- Redis 5/6: replicate effects, so that TIME may precede writes (a no-op on Redis 7+).
  redis.replicate_commands()
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local epoch = redis.call('HGET', KEYS[2], 'epoch')
if not epoch then
  -- No meta: a new log, or Redis lost it (restarted empty). Old entries must not outlive their epoch.
  epoch = ARGV[4]
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'epoch', epoch, 'last', 0)
end
local offset = redis.call('HINCRBY', KEYS[2], 'last', 1)
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], string.format('%d-0', offset),
  't', string.format('%d', now), 'm', ARGV[1])
local maxAge = tonumber(ARGV[3])
if maxAge > 0 then
  -- Lazy age trimming from the head, a few entries per append (the core also filters by timestamp).
  local cutoff = now - maxAge
  local head = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 16)
  for _, e in ipairs(head) do
    if tonumber(e[2][2]) < cutoff then
      redis.call('XDEL', KEYS[1], e[1])
    else
      break
    end
  end
end
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return {epoch, offset, ARGV[4]}
