// A HotPochato session over a WebSocket (subprotocol hotpochato.v1.json, docs/protocol.md §17):
// the handshake, the heartbeat, and what keeps a conversation whole across a lost connection:
// automatic reconnection with back-off, Resume with the last seq seen in each room, and dropping
// any event already seen, so that nothing is missing or doubled.
//
// Events (this is an EventTarget; each event's detail says more):
//   state    {state}   'connecting' | 'open' | 'reconnecting' | 'closed'
//   welcome  {welcome, resumed, restarted}   restarted: the old session could not be resumed
//   frame    {frame}   a server frame for the application, duplicates removed
//   fatal    {error}   the server ended the session for good (or refused it)

export const SUBPROTOCOL = 'hotpochato.v1.json';

const SEQUENCED = ['memberJoined', 'memberLeft', 'turnGranted', 'said', 'passed', 'turnExpired',
  'turnSkipped', 'memberAway', 'memberBack', 'roomClosed', 'floorUpdate', 'floorIdle', 'chairChanged', 'memberMuted',
  'memberMoved'];

// Fatal errors after which the session may be taken back with Resume (docs/protocol.md §15).
const RESUMABLE = new Set(['IDLE_TIMEOUT', 'SLOW_CONSUMER', 'INTERNAL', 'TOO_MANY_CONNECTIONS']);
// Fatal errors after which a new session (Hello) is the way back.
const START_OVER = new Set(['SERVER_SHUTTING_DOWN', 'RESUME_FAILED']);

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;
// A connection that has not completed its handshake by then is given up and tried again.
const HANDSHAKE_TIMEOUT_MS = 10000;

/** The frame's body: its one field other than requestId. */
export function bodyOf(frame) {
  for (const key of Object.keys(frame)) {
    if (key !== 'requestId') {
      return [key, frame[key]];
    }
  }
  return [null, null];
}

export class Session extends EventTarget {
  /** @param url the WebSocket address; @param name the display name; @param authToken may be '' */
  constructor(url, name, authToken = '') {
    super();
    this.url = url;
    this.name = name;
    this.authToken = authToken;
    this.state = 'closed';
    this.welcome = null;
    this.limits = {};
    this.lastSeq = new Map();     // room -> last seq seen
    this.pending = new Map();     // requestId -> {resolve, reject, expect}
    this.nextRequestId = 1;
    this.ws = null;
    this.retries = 0;
    this.retryTimer = null;
    this.heartbeatTimer = null;
    this.lastSentAt = 0;
    this.unansweredSince = 0;     // when a frame was sent that nothing has been received after
    this.clockOffsetMs = 0;       // server clock - local clock, from Pongs
    this.pingSentAt = new Map();  // nonce -> local time
    this.wanted = false;          // false once the user closed the session
    this.startOver = false;       // the next connection sends Hello, not Resume
  }

  start() {
    this.wanted = true;
    this.startOver = true;
    this.connect();
  }

  /** Ends the session for good: no reconnection. The caller leaves its rooms first if it wants. */
  close() {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.handshakeTimer);
    this.stopHeartbeat();
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close(1000);
      this.ws = null;
    }
    this.failPending(new Error('the session is closed'));
    this.setState('closed');
  }

  get isOpen() {
    return this.state === 'open';
  }

  /** Server time now, estimated from the Pongs. */
  serverNow() {
    return Date.now() + this.clockOffsetMs;
  }

  /**
   * Sends a frame with the body {kind: fields}; returns its request id, or 0 if the session is
   * not open (the caller keeps what it wanted to send).
   */
  send(kind, fields = {}) {
    if (!this.isOpen) {
      return 0;
    }
    const requestId = this.nextRequestId++;
    this.transmit({requestId: String(requestId), [kind]: fields});
    return requestId;
  }

  /**
   * Sends a request and resolves with the reply's frame (of one of the kinds in `expect`), or
   * rejects with the server's Error (err.code) or a lost connection.
   */
  request(kind, fields, expect) {
    const requestId = this.send(kind, fields);
    if (!requestId) {
      return Promise.reject(new Error('not connected'));
    }
    return new Promise((resolve, reject) => this.pending.set(String(requestId), {resolve, reject, expect}));
  }

  /** Checks the connection at once (after a laptop wakes, say) instead of at the next heartbeat. */
  probe() {
    if (this.isOpen) {
      this.ping();
    } else if (this.state === 'reconnecting') {
      clearTimeout(this.retryTimer);
      this.connect();
    }
  }

  // --- connection ---

  connect() {
    clearTimeout(this.retryTimer);
    this.setState(this.welcome ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.url, SUBPROTOCOL);
    } catch (e) {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.handshakeTimer = setTimeout(() => this.lost(), HANDSHAKE_TIMEOUT_MS);
    ws.onopen = () => this.handshake();
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = () => this.lost();
    ws.onerror = () => { /* onclose follows */ };
  }

  handshake() {
    this.lastReceivedAt = performance.now();
    if (this.startOver || !this.welcome || !this.welcome.resumeToken) {
      this.transmit({requestId: '0', hello: {protocolVersion: 'PROTOCOL_VERSION_1', displayName: this.name,
        authToken: this.authToken}});
    } else {
      const lastSeq = {};
      for (const [room, seq] of this.lastSeq) {
        lastSeq[room] = String(seq);
      }
      this.transmit({requestId: '0', resume: {protocolVersion: 'PROTOCOL_VERSION_1',
        resumeToken: this.welcome.resumeToken, lastSeq, authToken: this.authToken}});
    }
  }

  transmit(frame) {
    this.ws.send(JSON.stringify(frame));
    const now = performance.now();
    this.lastSentAt = now;
    if (!this.unansweredSince) {
      this.unansweredSince = now;
    }
  }

  /** The connection closed or died: try again, resuming, unless the session is over. */
  lost() {
    clearTimeout(this.handshakeTimer);
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.onmessage = null;
      try {
        this.ws.close();
      } catch (e) { /* already closing */ }
      this.ws = null;
    }
    this.stopHeartbeat();
    this.failPending(new Error('connection lost'));
    if (!this.wanted) {
      this.setState('closed');
      return;
    }
    this.setState(this.welcome ? 'reconnecting' : 'connecting');
    this.scheduleRetry();
  }

  scheduleRetry() {
    const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.retries);
    this.retries++;
    this.retryTimer = setTimeout(() => this.connect(), base / 2 + Math.random() * base / 2);
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return; // not from a HotPochato server
    }
    this.lastReceivedAt = performance.now();
    this.unansweredSince = 0;
    const [kind, body] = bodyOf(frame);
    if (kind === 'welcome') {
      this.welcomed(frame, body);
      return;
    }
    if (kind === 'pong') {
      this.ponged(body);
      return;
    }
    if (kind === 'error' && body.fatal) {
      this.fatal(body);
      return;
    }
    if (SEQUENCED.includes(kind) && !this.fresh(body)) {
      return; // seen before the connection was lost: the replay repeats it
    }
    if (kind === 'joined') {
      this.lastSeq.set(body.room.name, Number(body.room.lastSeq || 0));
    } else if (kind === 'left') {
      this.lastSeq.delete(body.room);
    } else if (kind === 'roomClosed') {
      this.lastSeq.delete(body.room);
    }
    this.settle(frame, kind, body);
    this.dispatchEvent(new CustomEvent('frame', {detail: {frame, kind, body}}));
  }

  /** Whether a sequenced event is new: its seq is above the last one seen in its room. */
  fresh(body) {
    const seq = Number(body.seq || 0);
    if (seq === 0) {
      return true; // RoomClosed for a room closed while away
    }
    const last = this.lastSeq.get(body.room);
    if (last === undefined) {
      return true;
    }
    if (seq <= last) {
      return false;
    }
    this.lastSeq.set(body.room, seq);
    return true;
  }

  welcomed(frame, welcome) {
    clearTimeout(this.handshakeTimer);
    const restarted = this.welcome !== null && !welcome.resumed;
    if (restarted) {
      this.lastSeq.clear();
    }
    this.welcome = welcome;
    this.limits = welcome.limits || {};
    this.retries = 0;
    this.startOver = false;
    this.setState('open');
    this.startHeartbeat();
    this.ping(); // also estimates the clock offset for countdowns from snapshots
    this.dispatchEvent(new CustomEvent('welcome', {detail: {welcome, resumed: !!welcome.resumed, restarted}}));
  }

  fatal(error) {
    this.failPending(Object.assign(new Error(error.message), {code: error.code}));
    if (this.wanted && (RESUMABLE.has(error.code) || START_OVER.has(error.code)) && this.welcome) {
      this.startOver = START_OVER.has(error.code);
      return; // the close follows; lost() reconnects
    }
    this.wanted = false;
    this.dispatchEvent(new CustomEvent('fatal', {detail: {error}}));
  }

  /** Resolves or rejects the request a reply answers. */
  settle(frame, kind, body) {
    const rid = String(frame.requestId || '0');
    const waiting = this.pending.get(rid);
    if (rid === '0' || !waiting) {
      return;
    }
    if (kind === 'error') {
      this.pending.delete(rid);
      waiting.reject(Object.assign(new Error(body.message), {code: body.code, room: body.room}));
    } else if (waiting.expect.includes(kind)) {
      this.pending.delete(rid);
      waiting.resolve(frame);
    }
  }

  failPending(error) {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) {
      w.reject(error);
    }
  }

  // --- heartbeat and liveness ---

  startHeartbeat() {
    this.stopHeartbeat();
    const interval = Number(this.welcome.heartbeatIntervalMs) || 10000;
    // A frame sent and nothing at all received for this long: the connection is dead (a laptop
    // that slept, a network that vanished without a reset). The server answers a Ping at once.
    this.deadAfterMs = Math.max(2000, interval);
    this.heartbeatTimer = setInterval(() => this.beat(interval), Math.max(250, interval / 4));
  }

  stopHeartbeat() {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  beat(interval) {
    const now = performance.now();
    if (this.unansweredSince && now - this.unansweredSince > this.deadAfterMs) {
      this.lost();
      return;
    }
    if (now - this.lastSentAt >= interval * 0.75) {
      this.ping();
    }
  }

  ping() {
    const nonce = this.nextRequestId++;
    this.pingSentAt.set(String(nonce), Date.now());
    this.transmit({requestId: String(nonce), ping: {nonce: String(nonce)}});
  }

  ponged(pong) {
    const sentAt = this.pingSentAt.get(String(pong.nonce));
    this.pingSentAt.delete(String(pong.nonce));
    if (sentAt !== undefined && pong.timeMs) {
      const now = Date.now();
      this.clockOffsetMs = Number(pong.timeMs) - (sentAt + now) / 2;
    }
  }

  setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.dispatchEvent(new CustomEvent('state', {detail: {state}}));
    }
  }
}
