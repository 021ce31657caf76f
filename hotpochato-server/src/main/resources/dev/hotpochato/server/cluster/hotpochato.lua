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

-- The lobby: strangers waiting to be paired, across nodes (see ClusterMatchmaker).
--
-- KEYS[1] hp:lobby         list of waiters, longest first: '<generation>:<session>:<request>:<name>'
-- KEYS[2] hp:lobby:leases  hash: node generation -> until when (ms, Redis time) its waiters count
-- KEYS[3] hp:lobby:claims  hash: session -> the pair room made for it by another node
--
-- hp_match ARGV: the caller's entry, its generation, session, name, lease (ms), and the name of the
-- room it would make. Renews the caller's lease. Takes out the longest waiter of a live node with
-- another session and another name and returns it; a waiter of another node is told the room's
-- name (claims, then '<session>:<room>' on channel hp:lobby:<generation>). With no such waiter the caller waits
-- (its entry is appended) and nil is returned. Waiters of nodes whose lease ran out are dropped.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function match(keys, args)
  local now = now_ms()
  redis.call('HSET', keys[2], args[2], now + tonumber(args[5]))
  local waiting = redis.call('LRANGE', keys[1], 0, -1)
  for _, e in ipairs(waiting) do
    local gen, sid, _, name = string.match(e, '^(%d+):(%d+):(%d+):(.*)$')
    if tonumber(redis.call('HGET', keys[2], gen) or '0') < now then
      redis.call('LREM', keys[1], 1, e) -- its node stopped renewing: gone
    elseif sid ~= args[3] and name ~= args[4] then
      redis.call('LREM', keys[1], 1, e)
      if gen ~= args[2] then
        redis.call('HSET', keys[3], sid, args[6])
        redis.call('PUBLISH', 'hp:lobby:' .. gen, sid .. ':' .. args[6])
      end
      return e
    end
  end
  redis.call('RPUSH', keys[1], args[1])
  return false
end

-- hp_lease ARGV: generation, lease (ms): the node's waiters count for that long more.
local function lease(keys, args)
  redis.call('HSET', keys[1], args[1], now_ms() + tonumber(args[2]))
  return 1
end

redis.register_function('hp_match', match)
redis.register_function('hp_lease', lease)
