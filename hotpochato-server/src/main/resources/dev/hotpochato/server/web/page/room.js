// One room as its member sees it: members in turn order, the holder, the current turn's deadline,
// and its floor (policy, chairs, raised hands, muted members, audience), rebuilt from each Joined
// snapshot and kept up to date by the room's events. No DOM here.

const REASONS = {
  LEFT: 'left',
  DISCONNECTED: 'left (connection lost)',
  TIMED_OUT: 'left (timed out)',
  KICKED: 'was removed by the server',
};

/** How a room shares its floor, in the user's words. */
export const POLICIES = {
  ROUND_ROBIN: 'round robin',
  QUEUE: 'raise a hand (queue)',
  MODERATED: 'moderated (a chair gives the floor)',
};

const END_RULES = {AFTER_TURNS: 'turn count', AFTER_TIME: 'time', STOP_PHRASE: 'stop phrase'};

// The state of a floor request (FloorUpdate.state), as shown beside it.
export const REQUEST_STATES = {
  PENDING: 'waiting',
  GRANTED: 'speaking',
  RELEASED: 'done',
  REVOKED: 'revoked',
  DENIED: 'denied',
  WITHDRAWN: 'withdrawn',
  ACCEPTED: 'accepted',
};

export class Room {
  /**
   * @param snapshot Joined.room (canonical JSON: 64-bit numbers are strings)
   * @param me       this client's display name
   * @param serverNow a function returning the server's clock, for the snapshot's deadline
   */
  constructor(snapshot, me, serverNow) {
    this.me = me;
    this.name = snapshot.name;
    this.isPrivate = !!snapshot.private;
    this.members = (snapshot.members || []).map((m) => ({name: m.name, away: !!m.away}));
    this.holder = snapshot.waiting ? '' : (snapshot.holder || '');
    this.turn = Number(snapshot.turn || 0);
    this.closed = false;
    const options = snapshot.options || {};
    this.turnTimeoutMs = Number(options.turnTimeoutMs || 0);
    this.snapshotTurnTimeoutMs = this.turnTimeoutMs; // the room's; turnTimeoutMs follows each grant's
    this.policy = options.policy || 'ROUND_ROBIN';
    this.messagesPerTurn = Math.max(1, Number(options.messagesPerTurn || 1));
    this.warningMs = Number(options.warningMs || 0);
    this.revokeGraceMs = Number(options.revokeGraceMs || 0);
    this.end = options.end || {};
    this.saidThisTurn = 0;   // (a page that joins mid-turn counts from its join)
    this.chairs = snapshot.chairs || [];
    this.queue = snapshot.queue || [];
    this.muted = snapshot.muted || [];
    this.audience = snapshot.audience || [];
    // name -> {state, by, reason}: the latest FloorUpdate of each member's request, for "state"
    this.requests = new Map(this.queue.map((n) => [n, {state: 'PENDING', by: '', reason: ''}]));
    this.removedBy = null;    // {by, message} once a chair removed this member
    const deadline = Number(snapshot.deadlineMs || 0);
    this.deadline = this.holder && deadline ? performance.now() + Math.max(0, deadline - serverNow()) : 0;
  }

  get myTurn() {
    return !this.closed && this.holder === this.me;
  }

  get amChair() {
    return this.chairs.includes(this.me);
  }

  get amAudience() {
    return this.audience.includes(this.me);
  }

  get amMuted() {
    return this.muted.includes(this.me);
  }

  /**
   * The room's rules in one line, from the options of its Joined: how long a turn lasts (and its
   * warning), messages a turn, the grace after a revoke, and the end rules, e.g.
   * "30 s a turn, warned 5 s before · 2 messages a turn · ends after 3 turns or when someone says “bye”".
   */
  get rulesText() {
    const parts = [];
    const turn = this.snapshotTurnTimeoutMs;
    parts.push(turn ? `${duration(turn)} a turn${this.warningMs && this.warningMs < turn
      ? `, warned ${duration(this.warningMs)} before` : ''}` : 'turns without a time limit');
    parts.push(this.messagesPerTurn === 1 ? '1 message a turn' : `${this.messagesPerTurn} messages a turn`);
    if (this.revokeGraceMs) {
      parts.push(`${duration(this.revokeGraceMs)} to finish after a revoke`);
    }
    const ends = [];
    if (Number(this.end.afterTurns || 0)) {
      ends.push(`after ${this.end.afterTurns} turns`);
    }
    if (Number(this.end.afterMs || 0)) {
      ends.push(`after ${duration(Number(this.end.afterMs))}`);
    }
    if (this.end.stopPhrase) {
      ends.push(`when someone says “${this.end.stopPhrase}”`);
    }
    if (ends.length) {
      parts.push(`ends ${ends.join(this.end.all ? ' and ' : ' or ')}`);
    }
    return parts.join(' · ');
  }

  /** Whether this member may raise a hand: a queue or moderated room, or the audience of any. */
  get handsUp() {
    return this.policy !== 'ROUND_ROBIN' || this.amAudience;
  }

  /** 1-based position of `name`'s raised hand, or 0. */
  position(name) {
    return this.queue.indexOf(name) + 1;
  }

  /** Milliseconds left in the current turn, or null when there is no holder or no limit. */
  remainingMs() {
    if (!this.holder || !this.deadline) {
      return null;
    }
    return Math.max(0, this.deadline - performance.now());
  }

  /** The fraction of the turn left, 0..1, or null. */
  remainingFraction() {
    const left = this.remainingMs();
    return left === null || !this.turnTimeoutMs ? null : Math.min(1, left / this.turnTimeoutMs);
  }

  /**
   * Applies one event; returns the line it puts in the transcript, if any:
   * {kind: 'said' | 'system', speaker, text, timeMs, mine}.
   */
  apply(kind, e) {
    switch (kind) {
      case 'memberJoined':
        this.members.push({name: e.name, away: false});
        return system(`${e.name} joined`);
      case 'memberLeft':
        this.members = this.members.filter((m) => m.name !== e.name);
        this.forget(e.name);
        if (this.holder === e.name || (this.policy === 'ROUND_ROBIN' && this.members.length < 2)) {
          this.stopTurn();
        }
        if (e.reason === 'REMOVED') {
          return system(`${e.name} was removed by ${e.by}${because(e.message)}`);
        }
        return system(`${e.name} ${REASONS[e.reason] || 'left'}`);
      case 'left': // unsolicited: a chair removed us
        this.closed = true;
        this.stopTurn();
        this.removedBy = {by: e.by || '', message: e.message || ''};
        return system(`you were removed by ${e.by}${because(e.message)}`);
      case 'floorUpdate':
        return this.floorUpdate(e);
      case 'floorIdle':
        this.stopTurn();
        return system(this.policy === 'QUEUE' ? 'the floor is free: raise a hand to speak'
          : 'the floor is free: a chair gives it next');
      case 'chairChanged':
        if (e.steppedDown) {
          this.chairs = this.chairs.filter((n) => n !== e.name);
          return system(`${e.name === this.me ? 'you' : e.name} stepped down as chair`);
        }
        if (!Number(e.seq || 0)) {
          return null; // the answer to a lone chair's step-down: nothing changed
        }
        if (!this.chairs.includes(e.name)) {
          this.chairs = [...this.chairs, e.name];
        }
        return system(e.by ? `${e.by} made ${e.name} a chair` : `${e.name} is the chair now (the last chair left)`);
      case 'memberMuted':
        this.muted = e.muted ? [...this.muted.filter((n) => n !== e.name), e.name]
          : this.muted.filter((n) => n !== e.name);
        return system(`${e.by} ${e.muted ? 'muted' : 'unmuted'} ${e.name === this.me ? 'you' : e.name}`);
      case 'memberMoved':
        this.audience = e.audience ? [...this.audience.filter((n) => n !== e.name), e.name]
          : this.audience.filter((n) => n !== e.name);
        return system(`${e.name === this.me ? 'you' : e.name} ${e.name === this.me ? 'were' : 'was'} moved to the `
          + `${e.audience ? 'audience' : 'speakers'}${e.by ? ` by ${e.by}` : ''}`);
      case 'turnWarning':
        return system(`your turn ends in ${Math.ceil(Number(e.remainingMs || 0) / 1000)} s`);
      case 'turnGranted':
        this.holder = e.holder;
        this.turn = Number(e.turn || 0);
        this.turnTimeoutMs = Number(e.durationMs || 0);
        this.deadline = this.turnTimeoutMs ? performance.now() + this.turnTimeoutMs : 0;
        this.saidThisTurn = 0;
        return null;
      case 'said':
        if (++this.saidThisTurn >= this.messagesPerTurn) {
          this.stopTurn(); // with more messages per turn, the holder keeps it until the last or a Pass
        }
        return {kind: 'said', speaker: e.speaker, text: e.text, timeMs: Number(e.timeMs || 0),
          mine: e.speaker === this.me};
      case 'passed':
        this.stopTurn();
        return system(e.name === this.me ? 'you passed' : `${e.name} passed`);
      case 'turnExpired':
        this.stopTurn();
        return system(e.name === this.me ? 'your turn expired' : `${e.name}'s turn expired`);
      case 'turnSkipped':
        return system(`${e.name} is away: turn skipped`);
      case 'memberAway':
        this.mark(e.name, true);
        if (this.holder === e.name) {
          this.stopTurn();
        }
        return system(e.name === this.me ? 'you were away' : `${e.name} is away`);
      case 'memberBack':
        this.mark(e.name, false);
        return system(e.name === this.me ? 'you are back' : `${e.name} is back`);
      case 'roomClosed':
        this.closed = true;
        this.stopTurn();
        if (e.endedBy && END_RULES[e.endedBy]) {
          // The server's reason already says which rule ended it ("the room ended after 2 turns").
          return system(e.reason || `the room ended by its ${END_RULES[e.endedBy]} rule`);
        }
        return system(`the room is closed: ${e.reason}`);
      default:
        return null;
    }
  }

  floorUpdate(e) {
    this.queue = e.queue || [];
    const state = e.state;
    this.requests.set(e.name, {state, by: e.by || '', reason: e.reason || ''});
    const who = e.name === this.me ? 'you' : e.name;
    const whose = e.name === this.me ? 'your' : `${e.name}'s`;
    switch (state) {
      case 'PENDING':
        return system(`${who} raised a hand (${ordinal(this.position(e.name))} in the queue)`);
      case 'GRANTED':
        return system(`${e.by ? `${e.by} gave the floor to ${who}` : `${who} ${e.name === this.me ? 'have' : 'has'} the floor`}`
          + (Number(e.talkTimeMs || 0) ? ` for ${Math.round(Number(e.talkTimeMs) / 1000)} s` : ''));
      case 'REVOKED':
        if (this.holder === e.name) {
          this.stopTurn();
        }
        return system(`${e.by || 'the server'} revoked ${whose} turn${because(e.reason)}`);
      case 'DENIED':
        return system(`${e.by || 'the server'} denied ${whose} request${because(e.reason)}`);
      case 'WITHDRAWN':
        return system(`${who} withdrew ${e.name === this.me ? 'your' : 'a'} raised hand${e.reason ? ` (${e.reason})` : ''}`);
      case 'ACCEPTED':
        return system(`${e.by} accepted ${whose} raised hand`);
      default: // RELEASED: the Said, Passed or expiry already tells it
        return null;
    }
  }

  forget(name) {
    this.chairs = this.chairs.filter((n) => n !== name);
    this.queue = this.queue.filter((n) => n !== name);
    this.muted = this.muted.filter((n) => n !== name);
    this.audience = this.audience.filter((n) => n !== name);
    this.requests.delete(name);
  }

  stopTurn() {
    this.holder = '';
    this.deadline = 0;
  }

  mark(name, away) {
    const m = this.members.find((x) => x.name === name);
    if (m) {
      m.away = away;
    }
  }

  /** The room is waiting (fewer than two members, or nobody connected to take the turn). */
  get waiting() {
    return !this.closed && !this.holder;
  }
}

function because(reason) {
  return reason ? `: ${reason}` : '';
}

function ordinal(n) {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd'
    : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function system(text) {
  return {kind: 'system', text};
}

/** A duration in ms as people say it: "500 ms", "90 s", "5 min", "1 h 30 min", "2 h". */
function duration(ms) {
  if (ms < 1000 || ms % 1000 !== 0) {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  }
  const seconds = ms / 1000;
  if (seconds < 60 || seconds % 60 !== 0) {
    return `${seconds} s`;
  }
  const minutes = seconds / 60;
  if (minutes < 60) {
    return `${minutes} min`;
  }
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
