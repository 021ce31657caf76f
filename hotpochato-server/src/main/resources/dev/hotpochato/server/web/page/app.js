// The page: a lobby to join a room or be paired with a stranger, then the room: members in turn
// order, whose turn it is and for how long, the conversation, and a composer that keeps what is
// typed out of turn and sends it when the turn comes. Everything from the server is put in the
// document as text (textContent), never as HTML; the page's Content-Security-Policy also forbids
// every HTML sink (Trusted Types), so a mistake here would fail rather than run someone's markup.

import {Session} from './session.js';
import {Room, POLICIES, REQUEST_STATES} from './room.js';

const $ = (id) => document.getElementById(id);
const ui = {
  connection: $('connection'), sound: $('sound'),
  lobby: $('lobby'), joinForm: $('join-form'), name: $('name'), room: $('room'), token: $('token'), join: $('join'),
  match: $('match'), lobbyError: $('lobby-error'), matching: $('matching'), cancelMatch: $('cancel-match'),
  roomList: $('room-list'), roomsNote: $('rooms-note'), refreshRooms: $('refresh-rooms'),
  chat: $('chat'), roomTitle: $('room-title'), turn: $('turn'), turnText: $('turn-text'),
  turnMeter: $('turn-meter'), leave: $('leave'), banner: $('banner'), members: $('members'),
  transcript: $('transcript'), composer: $('composer'), queue: $('queue'), input: $('input'),
  send: $('send'), pass: $('pass'), hint: $('hint'), announcer: $('announcer'), favicon: $('favicon'),
  policy: $('policy'), audience: $('audience'), membersTitle: $('members-title'),
  floor: $('floor'), floorStatus: $('floor-status'), hand: $('hand'), withdraw: $('withdraw'), hands: $('hands'),
  chair: $('chair'), chairMember: $('chair-member'), chairReason: $('chair-reason'), chairTalk: $('chair-talk'),
  newRoom: $('new-room'), turnSeconds: $('turn-seconds'), messagesPerTurn: $('messages-per-turn'),
  warningSeconds: $('warning-seconds'), revokeGraceSeconds: $('revoke-grace-seconds'), endTurns: $('end-turns'),
  endMinutes: $('end-minutes'), stopPhrase: $('stop-phrase'), endWhen: $('end-when'), roomRules: $('room-rules'),
};

const MAX_QUEUED = 10;
const OPEN_TIMEOUT_MS = 15000;
const MAX_TRANSCRIPT_LINES = 1000;
const TITLE = 'HotPochato';

let session = null;
let room = null;          // the Room shown, or null in the lobby
let partner = '';         // the stranger of a private room
let drafts = [];          // lines typed out of turn, sent one per turn
let pendingSay = null;    // {rid, room, text}: sent, not yet seen as Said
let lastAnnouncedTurn = -1;
let audio = null;

const timeFormat = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit'});

// --- session ---

function webSocketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * The open session for `name`, made (or remade, for another name or token) when needed. The token
 * is sent in Hello (and Resume) only: nothing is stored, no cookie is set.
 */
function sessionFor(name) {
  const token = ui.token.value;
  if (session && session.name === name && session.authToken === token && session.state !== 'closed') {
    return session.isOpen ? Promise.resolve(session) : whenOpen(session);
  }
  if (session) {
    session.close();
  }
  session = new Session(webSocketUrl(), name, token);
  session.addEventListener('state', (e) => showConnection(e.detail.state));
  session.addEventListener('welcome', (e) => welcomed(e.detail));
  session.addEventListener('frame', (e) => received(e.detail));
  session.addEventListener('fatal', (e) => fatal(e.detail.error));
  const open = whenOpen(session);
  session.start();
  return open;
}

/** Resolves once `s` is welcomed; rejects if the server refuses it, or does not answer in time (it keeps trying). */
function whenOpen(s) {
  return new Promise((resolve, reject) => {
    const onWelcome = () => { cleanup(); resolve(s); };
    const onFatal = (e) => { cleanup(); reject(Object.assign(new Error(e.detail.error.message), e.detail.error)); };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error('The server does not answer. Still trying; try again in a moment.'));
    }, OPEN_TIMEOUT_MS);
    const cleanup = () => {
      clearTimeout(timer);
      s.removeEventListener('welcome', onWelcome);
      s.removeEventListener('fatal', onFatal);
    };
    s.addEventListener('welcome', onWelcome);
    s.addEventListener('fatal', onFatal);
  });
}

function welcomed({restarted}) {
  if (!restarted || !room) {
    return;
  }
  // The old session could not be resumed (the server restarted, or the grace period ended).
  const lost = room;
  if (lost.isPrivate) {
    line({kind: 'system', text: 'reconnected, but the private room is gone'});
    room.closed = true;
    render();
    return;
  }
  line({kind: 'system', text: 'reconnected as a new session; joining again'});
  session.request('join', {room: lost.name}, ['joined'])
    .then((frame) => enterRoom(frame.joined.room, false))
    .catch((err) => line({kind: 'error', text: `could not join again: ${err.message}`}));
}

function fatal(error) {
  if (room) {
    line({kind: 'error', text: `disconnected by the server: ${error.message}`});
    room.closed = true;
    render();
  } else {
    ui.lobbyError.textContent = error.message;
  }
}

function received({frame, kind, body}) {
  switch (kind) {
    case 'paired':
      partner = body.partner;
      showMatching(false);
      return;
    case 'joined':
      // After Paired, or a fresh snapshot after HistoryLost; the answer to our own Join is handled
      // where it was asked for.
      if (frame.requestId === undefined || frame.requestId === '0') {
        enterRoom(body.room, !room || room.name !== body.room.name);
      }
      return;
    case 'historyLost':
      if (room && body.room === room.name) {
        line({kind: 'system', text: 'some of what was said while you were away is no longer kept'});
      }
      return;
    case 'roomList':
      showRooms(body.rooms || []);
      return;
    case 'error':
      refused(frame, body);
      return;
    case 'left':
      if (body.reason !== 'REMOVED') {
        return; // the answer to our own Leave
      }
      break;
    default:
      break;
  }
  if (!room || body.room !== room.name) {
    return;
  }
  const shown = room.apply(kind, body);
  if (shown) {
    line(shown);
  }
  if (kind === 'said' && body.speaker === session.name) {
    confirmSaid(body);
  }
  if (kind === 'memberBack' && body.name === session.name) {
    resumed();
  }
  render();
  if (kind === 'turnGranted' && room.myTurn) {
    myTurnBegins();
  }
}

// --- lobby ---

ui.joinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = ui.name.value.trim();
  const roomName = ui.room.value.trim();
  if (!name || !roomName) {
    return;
  }
  remember(name);
  busy(true);
  const join = {room: roomName};
  if (ui.audience.checked) {
    join.audience = true;
  }
  sessionFor(name)
    .then((s) => {
      const options = newRoomOptions(s.limits); // only a new room takes them; an existing one keeps its own
      if (options) {
        join.options = options;
      }
      return s.request('join', join, ['joined']);
    })
    .then((frame) => enterRoom(frame.joined.room, true))
    .catch((err) => { ui.lobbyError.textContent = err.message; })
    .finally(() => busy(false));
});

// A field of the new room's options that the browser finds invalid is inside a closed <details>:
// open it, so that the browser can point at the field instead of refusing without a word.
ui.joinForm.addEventListener('invalid', (e) => {
  const details = e.target.closest('details');
  if (details) {
    details.open = true;
  }
}, true);

/**
 * The RoomOptions a new room asks for, from the form: only what differs from the defaults, so that
 * a plain Join stays plain; null for none. Throws an Error that says what to fix for what the
 * server would refuse (the limits are the Welcome's; protocol.md §10 and §18).
 */
function newRoomOptions(limits) {
  const fields = [ui.turnSeconds, ui.messagesPerTurn, ui.warningSeconds, ui.revokeGraceSeconds, ui.endTurns,
    ui.endMinutes, ui.stopPhrase];
  for (const input of fields) {
    if (!input.checkValidity()) {
      ui.newRoom.open = true;
      throw new Error(`${input.labels[0].textContent.trim()}: ${input.validationMessage}`);
    }
  }
  const number = (input) => Number(input.value || 0);
  const options = {};
  if (ui.policy.value !== 'ROUND_ROBIN') {
    options.policy = ui.policy.value;
  }
  const cap = Number(limits.maxTurnTimeoutMs || 0);
  let turnMs = null; // unset: the server's default
  if (ui.turnSeconds.value.trim() !== '') {
    turnMs = number(ui.turnSeconds) * 1000;
    if (cap > 0 && (turnMs === 0 || turnMs > cap)) {
      throw new Error(`Seconds a turn: from 1 to ${Math.floor(cap / 1000)} on this server.`);
    }
    options.turnTimeoutMs = turnMs;
  }
  if (number(ui.messagesPerTurn) > 1) {
    options.messagesPerTurn = number(ui.messagesPerTurn);
  }
  const warningMs = number(ui.warningSeconds) * 1000;
  if (warningMs > 0) {
    if (turnMs && warningMs >= turnMs) {
      throw new Error('Warn fewer seconds before the end than a turn lasts.');
    }
    options.warningMs = warningMs;
  }
  if (number(ui.revokeGraceSeconds) > 0) {
    options.revokeGraceMs = number(ui.revokeGraceSeconds) * 1000;
  }
  const end = {};
  if (number(ui.endTurns) > 0) {
    end.afterTurns = number(ui.endTurns);
  }
  if (number(ui.endMinutes) > 0) {
    end.afterMs = number(ui.endMinutes) * 60000;
  }
  const phrase = ui.stopPhrase.value;
  if (phrase.trim() === '' && phrase !== '') {
    throw new Error('A stop phrase cannot be only spaces.');
  }
  if (phrase) {
    end.stopPhrase = phrase;
  }
  if (Object.keys(end).length > 0) {
    end.all = ui.endWhen.value === 'all';
    options.end = end;
  }
  return Object.keys(options).length > 0 ? options : null;
}

ui.match.addEventListener('click', () => {
  const name = ui.name.value.trim();
  if (!name) {
    ui.lobbyError.textContent = 'Type your name first.';
    ui.name.focus();
    return;
  }
  remember(name);
  busy(true);
  sessionFor(name)
    .then((s) => {
      showMatching(true);
      return s.request('match', {}, ['paired']);
    })
    .catch((err) => {
      showMatching(false);
      if (err.code !== 'NOT_MATCHING') {
        ui.lobbyError.textContent = err.message;
      }
    })
    .finally(() => busy(false));
});

ui.cancelMatch.addEventListener('click', () => {
  if (session) {
    session.request('cancelMatch', {}, ['matchCancelled']).catch(() => {}).finally(() => showMatching(false));
  }
});

ui.refreshRooms.addEventListener('click', () => refreshRooms());

function refreshRooms() {
  const name = ui.name.value.trim();
  if (!name) {
    ui.roomsNote.textContent = 'Type your name, then Refresh to see the rooms.';
    return;
  }
  sessionFor(name)
    .then((s) => s.send('listRooms'))
    .catch((err) => { ui.roomsNote.textContent = err.message; });
}

function showRooms(rooms) {
  ui.roomList.replaceChildren();
  ui.roomsNote.textContent = rooms.length ? '' : 'No public room yet: name one above to create it.';
  for (const r of rooms) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'room-entry';
    const title = document.createElement('span');
    title.className = 'room-name';
    title.textContent = r.name;
    const about = document.createElement('span');
    about.className = 'room-about';
    const count = Number(r.members || 0);
    const parts = [`${count} ${count === 1 ? 'member' : 'members'}`];
    parts.push(r.holder ? `${r.holder}'s turn` : 'waiting');
    if (r.policy && r.policy !== 'ROUND_ROBIN') parts.push(POLICIES[r.policy] || r.policy);
    if (r.password) parts.push('password');
    if (r.inviteOnly) parts.push('invite only');
    about.textContent = parts.join(' · ');
    button.append(title, about);
    button.addEventListener('click', () => {
      ui.room.value = r.name;
      ui.joinForm.requestSubmit();
    });
    li.append(button);
    ui.roomList.append(li);
  }
}

function showMatching(on) {
  ui.matching.hidden = !on;
  ui.match.disabled = on;
  ui.join.disabled = on;
  if (on) {
    ui.cancelMatch.focus();
  }
}

function busy(on) {
  ui.join.disabled = on;
  if (on) {
    ui.lobbyError.textContent = '';
  }
}

function remember(name) {
  try {
    localStorage.setItem('hotpochato.name', name);
  } catch (e) { /* private mode */ }
}

// --- the room ---

function enterRoom(snapshot, fresh) {
  room = new Room(snapshot, session.name, () => session.serverNow());
  if (fresh) {
    ui.transcript.replaceChildren();
    drafts = [];
    pendingSay = null;
    lastAnnouncedTurn = -1;
    line({kind: 'system', text: room.isPrivate ? `you are paired with ${partner}` : `you joined ${room.name}`});
  }
  ui.lobby.hidden = true;
  ui.chat.hidden = false;
  showMatching(false);
  history.replaceState(null, '', room.isPrivate ? location.pathname : `#${encodeURIComponent(room.name)}`);
  render();
  ui.input.focus();
}

function exitToLobby() {
  room = null;
  partner = '';
  drafts = [];
  pendingSay = null;
  ui.chat.hidden = true;
  ui.lobby.hidden = false;
  history.replaceState(null, '', location.pathname);
  attention(false);
  refreshRooms();
  ui.room.focus();
}

ui.leave.addEventListener('click', () => {
  if (!room) {
    return;
  }
  if (room.closed || !session || !session.isOpen) {
    if (session && !session.isOpen) {
      session.close(); // cannot say goodbye now; the others see us away, then gone
    }
    exitToLobby();
    return;
  }
  session.request('leave', {room: room.name}, ['left']).catch(() => {}).finally(exitToLobby);
});

function refused(frame, error) {
  if (pendingSay && String(pendingSay.rid) === String(frame.requestId)) {
    const text = pendingSay.text;
    pendingSay = null;
    if (error.code === 'NOT_YOUR_TURN') {
      drafts.unshift(text); // the turn ended just before; it goes on the next one
    } else {
      ui.input.value = text; // too long or empty: back to the editor to change
    }
    hint(error.message, true);
    render();
    return;
  }
  if (room) {
    line({kind: 'error', text: error.message});
  }
}

// --- composing ---

ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  }
});

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  submit();
});

ui.pass.addEventListener('click', () => pass());

function submit() {
  const text = ui.input.value;
  if (!room || room.closed || !text.trim()) {
    return;
  }
  if (text.trim() === '/pass') {
    ui.input.value = '';
    pass();
    return;
  }
  const max = Number(session.limits.maxTextBytes || 4096);
  if (new TextEncoder().encode(text).length > max) {
    hint(`That is longer than the ${max} bytes a message may have.`, true);
    return;
  }
  ui.input.value = '';
  if (canSayNow()) {
    say(text);
  } else if (drafts.length >= MAX_QUEUED) {
    ui.input.value = text;
    hint(`${MAX_QUEUED} lines are waiting already.`, true);
  } else {
    drafts.push(text);
    hint('Not your turn yet: the line is queued and goes out when your turn comes.');
  }
  render();
}

function canSayNow() {
  return room && room.myTurn && session.isOpen && !pendingSay;
}

function say(text) {
  const rid = session.send('say', {room: room.name, text});
  if (rid) {
    pendingSay = {rid, room: room.name, text};
    hint('');
  } else {
    drafts.unshift(text);
  }
}

function pass() {
  if (!room || !room.myTurn || !session.isOpen || pendingSay) {
    return;
  }
  session.send('pass', {room: room.name});
}

function confirmSaid(said) {
  if (pendingSay && pendingSay.text === said.text) {
    pendingSay = null;
  }
}

/** Our MemberBack ends the replay after a Resume: a Say not in it never reached the room. */
function resumed() {
  if (pendingSay) {
    drafts.unshift(pendingSay.text);
    pendingSay = null;
    hint('Your last line was not delivered before the connection dropped; it is queued again.', true);
  }
}

function myTurnBegins() {
  if (drafts.length && canSayNow()) {
    say(drafts.shift());
    render();
  }
}

function removeDraft(i) {
  drafts.splice(i, 1);
  render();
  ui.input.focus();
}

function editDraft(i) {
  const [text] = drafts.splice(i, 1);
  if (ui.input.value.trim()) {
    drafts.splice(i, 0, ui.input.value);
  }
  ui.input.value = text;
  render();
  ui.input.focus();
}

// --- the floor ---

/** Sends a floor request for the room shown; a refusal comes back as an error line. */
function floor(kind, fields = {}) {
  if (!room || room.closed || !session || !session.isOpen) {
    return;
  }
  session.send(kind, {room: room.name, ...fields});
}

ui.hand.addEventListener('click', () => floor('raiseHand'));
ui.withdraw.addEventListener('click', () => floor('withdraw'));

function chairAct(kind, fields) {
  floor(kind, fields);
}

const member = () => ui.chairMember.value;
const reason = () => ui.chairReason.value.trim();

function talkTimeMs() {
  const seconds = Number(ui.chairTalk.value);
  return ui.chairTalk.value && seconds > 0 ? Math.round(seconds * 1000) : 0;
}

$('grant').addEventListener('click', () => chairAct('grant', {member: member(), talkTimeMs: talkTimeMs()}));
$('grant-next').addEventListener('click', () => chairAct('grant', {talkTimeMs: talkTimeMs()}));
$('revoke').addEventListener('click', () => chairAct('revoke', {reason: reason()}));
$('deny').addEventListener('click', () => chairAct('deny', {member: member(), reason: reason()}));
$('mute').addEventListener('click', () => chairAct('mute', {member: member(), muted: true}));
$('unmute').addEventListener('click', () => chairAct('mute', {member: member(), muted: false}));
$('to-speakers').addEventListener('click', () => chairAct('move', {member: member(), audience: false}));
$('to-audience').addEventListener('click', () => chairAct('move', {member: member(), audience: true}));
$('appoint').addEventListener('click', () => chairAct('appointChair', {member: member()}));
$('remove').addEventListener('click', () => chairAct('remove', {member: member(), reason: reason()}));
$('step-down').addEventListener('click', () => chairAct('stepDown'));

// --- rendering ---

function line({kind, speaker, text, timeMs, mine}) {
  const stick = ui.transcript.scrollHeight - ui.transcript.scrollTop - ui.transcript.clientHeight < 40;
  const li = document.createElement('li');
  li.className = kind === 'said' ? (mine ? 'said mine' : 'said') : kind;
  const time = document.createElement('time');
  const when = timeMs ? new Date(timeMs) : new Date();
  time.dateTime = when.toISOString();
  time.textContent = timeFormat.format(when);
  li.append(time);
  if (kind === 'said') {
    const who = document.createElement('span');
    who.className = 'speaker';
    who.textContent = speaker;
    const what = document.createElement('span');
    what.className = 'text';
    what.textContent = text;
    li.append(who, what);
  } else {
    const what = document.createElement('span');
    what.className = 'text';
    what.textContent = text;
    li.append(what);
  }
  ui.transcript.append(li);
  while (ui.transcript.childElementCount > MAX_TRANSCRIPT_LINES) {
    ui.transcript.firstElementChild.remove();
  }
  if (stick) {
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }
}

function render() {
  if (!room) {
    return;
  }
  ui.roomTitle.textContent = room.isPrivate ? `Private room with ${partner || 'a stranger'}` : room.name;
  ui.roomRules.textContent = room.rulesText;
  ui.roomRules.hidden = false;
  ui.members.replaceChildren();
  for (const m of room.members) {
    const li = document.createElement('li');
    li.className = 'member';
    li.classList.toggle('holder', m.name === room.holder);
    li.classList.toggle('away', m.away);
    li.classList.toggle('me', m.name === room.me);
    if (m.name === room.holder) {
      li.setAttribute('aria-current', 'true');
    }
    const name = document.createElement('span');
    name.className = 'member-name';
    name.textContent = m.name;
    li.append(name);
    if (m.name === room.me) {
      li.append(tag('you'));
    }
    if (m.away) {
      li.append(tag('away'));
    }
    if (room.chairs.includes(m.name)) {
      li.append(tag('chair'));
    }
    if (room.audience.includes(m.name)) {
      li.append(tag('audience'));
    }
    if (room.muted.includes(m.name)) {
      li.append(tag('muted'));
    }
    if (room.position(m.name)) {
      li.append(tag(`hand ${room.position(m.name)}`));
    }
    if (m.name === room.holder) {
      li.append(tag('speaking'));
    }
    ui.members.append(li);
  }
  ui.queue.replaceChildren();
  drafts.forEach((text, i) => {
    const li = document.createElement('li');
    const what = document.createElement('span');
    what.className = 'draft';
    what.textContent = text;
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'small secondary';
    edit.textContent = 'Edit';
    edit.setAttribute('aria-label', `Edit queued line ${i + 1}`);
    edit.addEventListener('click', () => editDraft(i));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'small secondary';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove queued line ${i + 1}`);
    remove.addEventListener('click', () => removeDraft(i));
    li.append(what, edit, remove);
    ui.queue.append(li);
  });
  renderFloor();
  const open = session && session.isOpen;
  ui.pass.disabled = !(room.myTurn && open && !pendingSay);
  ui.send.textContent = room.myTurn && open ? 'Send' : 'Queue';
  ui.input.disabled = room.closed;
  ui.leave.textContent = room.closed ? 'Back to lobby' : 'Leave';
  tick();
  attention(room.myTurn && open);
}

/** The floor panel: the policy, my request, the raised hands in order, and a chair's controls. */
function renderFloor() {
  const shown = !room.isPrivate && (room.policy !== 'ROUND_ROBIN' || room.amChair || room.audience.length > 0);
  ui.floor.hidden = !shown;
  ui.membersTitle.textContent = room.policy === 'ROUND_ROBIN' ? 'Turn order' : 'Members';
  if (!shown) {
    return;
  }
  const open = session && session.isOpen && !room.closed;
  const mine = room.position(room.me);
  const last = room.requests.get(room.me);
  let status = `Turns: ${POLICIES[room.policy] || room.policy}.`;
  if (room.amMuted) {
    status += ' You are muted.';
  } else if (mine) {
    status += ` Your hand is up: ${mine} of ${room.queue.length}.`;
  } else if (room.myTurn) {
    status += ' You have the floor.';
  } else if (last && last.state !== 'PENDING' && last.state !== 'GRANTED' && last.state !== 'RELEASED') {
    status += ` Your last request: ${REQUEST_STATES[last.state]}${last.by ? ` by ${last.by}` : ''}`
      + `${last.reason ? ` (${last.reason})` : ''}.`;
  } else if (room.amAudience) {
    status += ' You are in the audience.';
  }
  ui.floorStatus.textContent = status;
  ui.hand.hidden = !room.handsUp;
  ui.withdraw.hidden = !room.handsUp;
  ui.hand.disabled = !open || !!mine || room.myTurn || room.amMuted;
  ui.withdraw.disabled = !open || !mine;
  ui.hands.replaceChildren();
  room.queue.forEach((name, i) => {
    const li = document.createElement('li');
    li.className = 'hand';
    const who = document.createElement('span');
    who.className = 'hand-name';
    who.textContent = name;
    const state = document.createElement('span');
    state.className = 'hand-state';
    state.textContent = `${ordinal(i + 1)} · ${REQUEST_STATES.PENDING}`;
    li.append(who, state);
    ui.hands.append(li);
  });
  if (!room.queue.length) {
    const li = document.createElement('li');
    li.className = 'hand none';
    li.textContent = 'No hands raised';
    ui.hands.append(li);
  }
  ui.chair.hidden = !room.amChair;
  if (room.amChair) {
    const chosen = ui.chairMember.value;
    const names = room.members.map((m) => m.name);
    if (ui.chairMember.options.length !== names.length
        || names.some((n, i) => ui.chairMember.options[i].value !== n)) {
      ui.chairMember.replaceChildren(...names.map((n) => {
        const option = document.createElement('option');
        option.value = n;
        option.textContent = n;
        return option;
      }));
      ui.chairMember.value = names.includes(chosen) ? chosen : (room.queue[0] || names[0] || '');
    }
    for (const button of ui.chair.querySelectorAll('button')) {
      button.hidden = !!button.dataset.policy && button.dataset.policy !== room.policy;
      button.disabled = !open;
    }
  }
}

function ordinal(n) {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd'
    : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function tag(text) {
  const span = document.createElement('span');
  span.className = 'member-tag';
  span.textContent = text;
  return span;
}

/** The turn line and its countdown; runs a few times a second. */
function tick() {
  if (!room) {
    return;
  }
  let state;
  let text;
  const left = room.remainingMs();
  const seconds = left === null ? '' : ` · ${Math.ceil(left / 1000)} s left`;
  if (room.closed) {
    state = 'closed';
    text = 'The room is closed';
  } else if (room.myTurn) {
    state = 'mine';
    text = `Your turn${seconds}`;
  } else if (room.holder) {
    state = 'other';
    text = `${room.holder}'s turn${seconds}`;
  } else {
    state = 'waiting';
    if (room.policy === 'QUEUE') {
      text = 'The floor is free: raise a hand to speak';
    } else if (room.policy === 'MODERATED') {
      text = 'The floor is free: a chair gives it';
    } else {
      text = room.members.length < 2 ? 'Waiting for someone to join' : 'Waiting for a member to come back';
    }
  }
  ui.turn.dataset.state = state;
  ui.turnText.textContent = text;
  const fraction = room.remainingFraction();
  ui.turnMeter.style.width = fraction === null ? '0' : `${(fraction * 100).toFixed(1)}%`;
}

setInterval(tick, 200);

/** Title, favicon, sound and the screen reader's announcement of a turn that is ours. */
function attention(mine) {
  document.body.classList.toggle('my-turn', !!mine);
  ui.favicon.href = mine ? 'favicon-turn.svg' : 'favicon.svg';
  if (!room) {
    document.title = TITLE;
    return;
  }
  const where = room.isPrivate ? 'private room' : room.name;
  document.title = mine ? `● Your turn — ${where} — ${TITLE}` : `${where} — ${TITLE}`;
  if (mine && room.turn !== lastAnnouncedTurn) {
    lastAnnouncedTurn = room.turn;
    const left = room.remainingMs();
    ui.announcer.textContent = `Your turn in ${where}` + (left === null ? '.' : `, ${Math.ceil(left / 1000)} seconds.`);
    beep();
  }
}

function hint(text, problem = false) {
  ui.hint.textContent = text;
  ui.hint.classList.toggle('problem', problem);
}

function showConnection(state) {
  const labels = {connecting: 'connecting…', open: 'connected', reconnecting: 'reconnecting…', closed: 'not connected'};
  ui.connection.dataset.state = state;
  ui.connection.textContent = labels[state] || state;
  ui.banner.hidden = state !== 'reconnecting';
  ui.banner.textContent = state === 'reconnecting'
    ? 'Connection lost. Reconnecting; nothing said meanwhile will be missed.' : '';
  render();
}

// --- sound ---

ui.sound.addEventListener('change', () => {
  if (ui.sound.checked && !audio && window.AudioContext) {
    audio = new AudioContext(); // made on a click, as browsers require
  }
});

function beep() {
  if (!ui.sound.checked || !audio) {
    return;
  }
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.25);
}

// --- waking up ---

window.addEventListener('online', () => session && session.probe());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && session) {
    session.probe();
  }
});

// --- start ---

(function start() {
  let saved = '';
  try {
    saved = localStorage.getItem('hotpochato.name') || '';
  } catch (e) { /* private mode */ }
  ui.name.value = saved;
  if (location.hash.length > 1) {
    ui.room.value = decodeURIComponent(location.hash.slice(1));
  }
  if (saved) {
    refreshRooms();
  }
  (saved ? ui.room : ui.name).focus();
})();
