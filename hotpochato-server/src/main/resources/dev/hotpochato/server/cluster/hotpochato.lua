#!lua name=hotpochato_v1
--
-- HotPochato's cluster commit: the one way a node changes a room in Redis. Loaded by every node
-- at start with FUNCTION LOAD REPLACE; the library name carries the version of this contract, so
-- nodes of two versions never run each other's code. See docs/cluster.md.
--
-- KEYS[1] hp:{room}:s  hash: v = the room's version, d = its state (empty: no room, a tombstone)
-- KEYS[2] hp:{room}:e  stream of the room's events, id = <seq>-0, field e = the event
-- KEYS[3] hp:rooms     sorted set of public room names (listing)
-- ARGV: expected version, mode, state, message, channel, room, public, history, then each event's seq and bytes
--   mode c: only check that the room is still at the expected version (a refusal is answered from it)
--   mode w: write the new state, append the events, publish the message
--   mode d: the room is gone: leave a tombstone that keeps the version, drop its events, publish
-- Returns {1, new version} or, if another node committed first, {0, current version, current state}.

local function commit(keys, args)
  local current = tonumber(redis.call('HGET', keys[1], 'v') or '0')
  local expected = tonumber(args[1])
  if current ~= expected then
    return {0, current, redis.call('HGET', keys[1], 'd') or ''}
  end
  local mode = args[2]
  if mode == 'c' then
    return {1, current}
  end
  local version = current + 1
  local history = math.max(tonumber(args[8]), 1)
  if mode == 'w' then
    redis.call('HSET', keys[1], 'v', version, 'd', args[3])
    redis.call('PERSIST', keys[1])
    for i = 9, #args, 2 do
      redis.call('XADD', keys[2], 'MAXLEN', history, args[i] .. '-0', 'e', args[i + 1])
    end
    if args[7] == '1' then
      redis.call('ZADD', keys[3], 0, args[6])
    end
  elseif mode == 'd' then
    redis.call('HSET', keys[1], 'v', version, 'd', '')
    redis.call('PEXPIRE', keys[1], 86400000)
    redis.call('DEL', keys[2])
    redis.call('ZREM', keys[3], args[6])
  else
    return redis.error_reply('unknown mode ' .. tostring(mode))
  end
  if #args > 8 then
    redis.call('PUBLISH', args[5], args[4])
  end
  return {1, version}
end

redis.register_function('hp_commit', commit)
