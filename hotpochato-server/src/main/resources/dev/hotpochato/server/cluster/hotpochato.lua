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

-- ------------------------------------------------------------------------------------------------
-- Sessions, node liveness and fencing (docs/cluster.md, "Sessions, liveness and fencing").
--
-- hp:session:<sid>   hash: n = display name, o = generation of the node that owns the session,
--                    t.<token hash> = a resume token that takes it back, r.<room> = a room it is in,
--                    c.<room> = a room that closed while it was away (told once it is back).
--                    r. and c. are written by hp_commit_live, with the room's commit: never apart from it.
--                    No expiry while its owner has it connected; the rest of the resume grace once away.
-- hp:node:<gen>      a node's heartbeat, set with a time to live; gone = the node is not alive
-- hp:node:<gen>:s    set of the session ids a node owns (what is marked away if it dies)
-- hp:node:<gen>:c    the node's channel: 'moved <sid>' when another node took one of its sessions
-- hp:nodes           set of the generations of the nodes that heartbeat
-- hp:nodes:dead      set of the generations declared dead: they may never heartbeat or commit again
-- A function that is not the owner's changes nothing and returns 0: a session belongs to one node.

local function owned(key, gen)
  local o = redis.call('HGET', key, 'o')
  return o == gen, o
end

-- {1, name, remaining grace in ms, owner, how many rooms, the rooms it is in..., the rooms that
-- closed while it was away...}
local function session_view(key, owner)
  local rooms, closed = {}, {}
  for _, f in ipairs(redis.call('HKEYS', key)) do
    local kind = string.sub(f, 1, 2)
    if kind == 'r.' then
      table.insert(rooms, string.sub(f, 3))
    elseif kind == 'c.' then
      table.insert(closed, string.sub(f, 3))
    end
  end
  local out = {1, redis.call('HGET', key, 'n'), redis.call('PTTL', key), owner, #rooms}
  for _, r in ipairs(rooms) do
    table.insert(out, r)
  end
  for _, r in ipairs(closed) do
    table.insert(out, r)
  end
  return out
end

-- KEYS[1] hp:session:<sid>, KEYS[2] hp:node:<gen>:s; ARGV sid, name, gen, '+' or '-', token hash
local function session_token(keys, args)
  local mine, o = owned(keys[1], args[3])
  if args[4] == '+' then
    if o and not mine then
      return 0
    end
    if not o then
      redis.call('HSET', keys[1], 'n', args[2], 'o', args[3])
      redis.call('SADD', keys[2], args[1])
    end
    redis.call('HSET', keys[1], 't.' .. args[5], '1')
    return 1
  end
  if not mine then
    return 0
  end
  redis.call('HDEL', keys[1], 't.' .. args[5])
  return 1
end

-- KEYS[1] hp:session:<sid>; ARGV gen, grace in ms (0: connected again, no expiry; the client has
-- been told of the rooms that closed while it was away, so they are forgotten)
local function session_away(keys, args)
  if not owned(keys[1], args[1]) then
    return 0
  end
  if tonumber(args[2]) > 0 then
    redis.call('PEXPIRE', keys[1], args[2])
  else
    redis.call('PERSIST', keys[1])
    for _, f in ipairs(redis.call('HKEYS', keys[1])) do
      if string.sub(f, 1, 2) == 'c.' then
        redis.call('HDEL', keys[1], f)
      end
    end
  end
  return 1
end

-- The owner ends the session: 1 if it may leave its rooms (it was still the owner, or the record
-- expired, so no other node can have taken it), 0 if another node took it.
-- KEYS[1] hp:session:<sid>, KEYS[2] hp:node:<gen>:s; ARGV sid, gen
local function session_end(keys, args)
  local mine, o = owned(keys[1], args[2])
  redis.call('SREM', keys[2], args[1])
  if not o then
    return 1
  end
  if not mine then
    return 0
  end
  redis.call('DEL', keys[1])
  return 1
end

-- A Resume on node <gen> with a token of the session: if the token still takes it back, the node
-- becomes its owner (the former owner hears 'moved <sid>' on its channel) and gets
-- {1, name, remaining grace in ms, former owner, rooms...}; else {0}. The token is not used up here:
-- the new owner voids it once the client has the next one (docs/protocol.md section 15).
-- KEYS[1] hp:session:<sid>, KEYS[2] hp:node:<gen>:s; ARGV sid, token hash, gen, grace in ms
local function session_claim(keys, args)
  local o = redis.call('HGET', keys[1], 'o')
  if not o or redis.call('HEXISTS', keys[1], 't.' .. args[2]) == 0 then
    return {0}
  end
  if o ~= args[3] then
    redis.call('HSET', keys[1], 'o', args[3])
    redis.call('SREM', 'hp:node:' .. o .. ':s', args[1])
    redis.call('SADD', keys[2], args[1])
    redis.call('PUBLISH', 'hp:node:' .. o .. ':c', 'moved ' .. args[1])
  end
  if redis.call('PTTL', keys[1]) < 0 then
    redis.call('PEXPIRE', keys[1], args[4])
  end
  return session_view(keys[1], o)
end

-- The name of the session a token still takes back, or '' (to authenticate a Resume before it
-- claims anything). KEYS[1] hp:session:<sid>; ARGV token hash
local function session_peek(keys, args)
  if redis.call('HEXISTS', keys[1], 't.' .. args[1]) == 0 then
    return ''
  end
  return redis.call('HGET', keys[1], 'n') or ''
end

-- A live node takes over a session of the dead node <dead>: as session_claim, without a token.
-- KEYS[1] hp:session:<sid>, KEYS[2] hp:node:<gen>:s; ARGV sid, dead gen, gen, grace in ms
local function session_adopt(keys, args)
  local o = redis.call('HGET', keys[1], 'o')
  if o ~= args[2] then
    return {0}
  end
  redis.call('HSET', keys[1], 'o', args[3])
  redis.call('SREM', 'hp:node:' .. o .. ':s', args[1])
  redis.call('SADD', keys[2], args[1])
  if redis.call('PTTL', keys[1]) < 0 then
    redis.call('PEXPIRE', keys[1], args[4])
  end
  return session_view(keys[1], o)
end

-- A new node's generation. KEYS[1] hp:node:generation. A counter that is missing (a new cluster,
-- or a Redis that restarted without its data while nodes run) starts from Redis's clock in
-- seconds since 2026-01-01, not from 0: a generation a running node still has was handed out
-- before the data was lost, so it is below that unless nodes started faster than one a second
-- on average since the counter began. Fits 31 bits until 2094 (session ids are gen << 32).
local GENERATION_EPOCH = 1767225600
local function new_generation(keys, args)
  if redis.call('EXISTS', keys[1]) == 0 then
    local t = redis.call('TIME')
    redis.call('SET', keys[1], tonumber(t[1]) - GENERATION_EPOCH)
  end
  return redis.call('INCR', keys[1])
end

-- KEYS[1] hp:node:<gen>, KEYS[2] hp:nodes, KEYS[3] hp:nodes:dead, KEYS[4] hp:node:generation;
-- ARGV gen, time to live in ms. Each heartbeat also keeps the generation counter at or above the
-- node's own, so that after Redis lost its data no node started later gets a running node's.
-- 0 if the node was declared dead: it must stop writing. Else Redis's clock (ms), by which the key
-- lapses: a node that sees it jump against its own clock (Redis stalled, its clock stepped, or the
-- node itself was stopped) declares nobody dead until every node has had a timeout to heartbeat.
local function heartbeat(keys, args)
  if redis.call('SISMEMBER', keys[3], args[1]) == 1 then
    return 0
  end
  redis.call('SET', keys[1], '1', 'PX', args[2])
  redis.call('SADD', keys[2], args[1])
  if keys[4] and tonumber(redis.call('GET', keys[4]) or '0') < tonumber(args[1]) then
    redis.call('SET', keys[4], args[1])
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Declares dead every node whose heartbeat has lapsed, once: returns their generations. A caller
-- whose own heartbeat has lapsed declares nobody dead (it may be the one that was paused).
-- KEYS[1] hp:nodes, KEYS[2] hp:nodes:dead; ARGV the caller's gen
local function reap(keys, args)
  local dead = {}
  if redis.call('EXISTS', 'hp:node:' .. args[1]) == 0 then
    return dead
  end
  for _, g in ipairs(redis.call('SMEMBERS', keys[1])) do
    if g ~= args[1] and redis.call('EXISTS', 'hp:node:' .. g) == 0 then
      redis.call('SREM', keys[1], g)
      redis.call('SADD', keys[2], g)
      table.insert(dead, g)
    end
  end
  return dead
end

-- A node stopping gracefully: its sessions end (their members have left their rooms), it stops
-- counting as alive, and it may not write again.
-- KEYS[1] hp:node:<gen>, KEYS[2] hp:nodes, KEYS[3] hp:nodes:dead, KEYS[4] hp:node:<gen>:s; ARGV gen
local function node_stop(keys, args)
  for _, sid in ipairs(redis.call('SMEMBERS', keys[4])) do
    if redis.call('HGET', 'hp:session:' .. sid, 'o') == args[1] then
      redis.call('DEL', 'hp:session:' .. sid)
    end
  end
  redis.call('DEL', keys[1], keys[4])
  redis.call('SREM', keys[2], args[1])
  redis.call('SADD', keys[3], args[1])
  return 1
end

-- Whether a session's member misses what its node would tell it live: it is away (its record has
-- an expiry only then), or its owner is not alive (dead, not adopted yet).
local function unheard(key)
  if redis.call('PTTL', key) >= 0 then
    return true
  end
  local o = redis.call('HGET', key, 'o')
  return not o or redis.call('EXISTS', 'hp:node:' .. o) == 0
end

-- hp_commit, refused to a node that is not alive (its heartbeat lapsed, or it was declared dead):
-- KEYS[4] is the caller's hp:node:<gen>. A paused node that wakes up so writes nothing.
--
-- KEYS[5..] are the records (hp:session:<sid>) of the sessions the commit acts for or whose
-- membership it changes, each with a code in the last ARGV (one per such key, in order, after the
-- events): '!' first if the command is that session's (a Say, a Join, its Away...): refused, with
-- {2, owner}, if another node owns the session now (it resumed there: a node that has not heard yet
-- acts for it no more); then '+' the session is admitted to the room, '-' it left, 'x' it was
-- removed or the room closed. Those are written to its record with the commit, in the same atomic
-- step, so the rooms a record lists are always the rooms that have the session as a member; a room
-- that closed while its member could not hear it is kept as c.<room>, for the RoomClosed it is due.
local function commit_live(keys, args)
  if redis.call('EXISTS', keys[4]) == 0 then
    return redis.error_reply('FENCED this node is not alive in the cluster')
  end
  local sessions = #keys - 4
  if sessions == 0 then
    return commit(keys, args)
  end
  local gen = string.sub(keys[4], 9) -- 'hp:node:<gen>'
  local codes = {}
  local first = #args - sessions
  for i = 1, sessions do
    codes[i] = args[first + i]
  end
  for i = #args, first + 1, -1 do
    args[i] = nil
  end
  for i = 1, sessions do
    if string.sub(codes[i], 1, 1) == '!' then
      local o = redis.call('HGET', keys[4 + i], 'o')
      if o and o ~= gen then
        return {2, o}
      end
    end
  end
  local result = commit(keys, args)
  if result[1] ~= 1 or args[2] == 'c' then
    return result
  end
  local room = args[6]
  for i = 1, sessions do
    local key = keys[4 + i]
    local change = string.sub(codes[i], -1)
    if redis.call('EXISTS', key) == 1 then -- an ended or expired session has no record to keep
      if change == '+' then
        redis.call('HSET', key, 'r.' .. room, '1')
        redis.call('HDEL', key, 'c.' .. room)
      elseif change == '-' then
        redis.call('HDEL', key, 'r.' .. room)
      elseif change == 'x' then
        redis.call('HDEL', key, 'r.' .. room)
        if unheard(key) then
          redis.call('HSET', key, 'c.' .. room, '1')
        end
      end
    end
  end
  return result
end

redis.register_function('hp_session_token', session_token)
redis.register_function('hp_session_away', session_away)
redis.register_function('hp_session_end', session_end)
redis.register_function('hp_session_claim', session_claim)
redis.register_function('hp_session_peek', session_peek)
redis.register_function('hp_session_adopt', session_adopt)
redis.register_function('hp_new_generation', new_generation)
redis.register_function('hp_heartbeat', heartbeat)
redis.register_function('hp_reap', reap)
redis.register_function('hp_node_stop', node_stop)
redis.register_function('hp_commit_live', commit_live)

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
