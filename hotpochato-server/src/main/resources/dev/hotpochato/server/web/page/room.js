// One room as its member sees it: members in turn order, the holder, the current turn's deadline,
// rebuilt from each Joined snapshot and kept up to date by the room's events. No DOM here.

const REASONS = {
  LEFT: 'left',
  DISCONNECTED: 'left (connection lost)',
  TIMED_OUT: 'left (timed out)',
  KICKED: 'was removed by the server',
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
    const deadline = Number(snapshot.deadlineMs || 0);
    this.deadline = this.holder && deadline ? performance.now() + Math.max(0, deadline - serverNow()) : 0;
  }

  get myTurn() {
    return !this.closed && this.holder === this.me;
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
        if (this.holder === e.name || this.members.length < 2) {
          this.stopTurn();
        }
        return system(`${e.name} ${REASONS[e.reason] || 'left'}`);
      case 'turnGranted':
        this.holder = e.holder;
        this.turn = Number(e.turn || 0);
        this.turnTimeoutMs = Number(e.durationMs || 0);
        this.deadline = this.turnTimeoutMs ? performance.now() + this.turnTimeoutMs : 0;
        return null;
      case 'said':
        this.stopTurn();
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
        return system(`the room is closed: ${e.reason}`);
      default:
        return null;
    }
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

function system(text) {
  return {kind: 'system', text};
}
