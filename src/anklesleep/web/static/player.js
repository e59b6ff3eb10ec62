// The audio-first player. Everything on screen is derived from audio.currentTime and the
// timeline the track was mixed from: no counting timers, no speech synthesis. The audio file
// is the clock, so the screen can be locked and the lock-screen controls still work; the
// picture moves once per cue, in phase with the tones, and stands still while paused.
// When the sound fails (a media error, no progress while playing, the device pausing it) the
// player stops, says so plainly and offers Retry: the screen never counts on without sound.
import { api, clock } from "./api.js";

const cfg = JSON.parse(document.getElementById("player-config").textContent);
const L = cfg.labels;
const $ = (id) => document.getElementById(id);
const audio = $("audio");
const ui = {
  app: $("player-app"), status: $("status"), total: $("total"), where: $("where"),
  instruction: $("instruction"), instructionMore: $("instruction-more"), picture: $("picture"),
  ring: $("ring"), ringFill: $("ring-fill"), pausedBadge: $("paused-badge"), count: $("count"),
  countLabel: $("count-label"), bar: $("bar"), thumb: $("thumb"), progress: $("progress"),
  elapsed: $("elapsed"), remaining: $("remaining"), next: $("next"), prev: $("prev"),
  play: $("play"), nextStep: $("next-step"), stop: $("stop"), download: $("download"),
  more: $("more"), done: $("done"), stopped: $("stopped"), resumeCard: $("resume-card"),
  downloadOther: $("download-other"), trouble: $("trouble"), troubleText: $("trouble-text"),
  retry: $("retry"), iconPlay: $("icon-play"), iconPause: $("icon-pause"), stage: $("stage"), chapters: $("chapters"),
};
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

let track = null;        // the /api/track answer: timeline (cues, chapters) and audio URL
let starts = [];         // cue start times, for binary search
let query = { ...cfg.query };
let extra = { ...(cfg.options.extra_circles || {}) };
let session = null;      // the session's uuid once playback has started
let creating = null;     // the pending POST that creates it
let replaces = null;     // an unfinished session set aside by "Start over"
const visited = new Set();
let shownChapter = -1;
let shownCue = -1;
let finished = false;    // the end was reached and reported
let wakeLock = null;
let frame = 0;
let swapping = false;
let lastReport = 0;
let format = "mp3";      // the format this engine plays: Opus where it can, else MP3
let trouble = null;      // what stopped the sound: "error", "stalled" or "interrupted"
let pausing = false;     // the page itself asked the audio to pause
let lastShown = 0;       // the moment last drawn from a working audio element
const noted = [];        // interruptions not yet reported: {at, kind}
const STALL_MS = 2000;   // no progress for this long while playing, with data, is a stall
const WAIT_MS = 1000;    // ...and after this long the page says it is waiting for the audio
const LOADING_MS = 10000;  // ...and for this long while the data is still coming

// --- what was really played: stretches of the track, split by every seek --------------------

const played = { done: [], from: null, to: null };

function observe() {
  if (played.from === null || audio.seeking) return;
  const t = audio.currentTime;
  if (t >= played.to) played.to = t;
}

function openStretch() {
  played.from = played.to = audio.currentTime;
}

function closeStretch() {
  observe();
  if (played.from !== null && played.to > played.from) played.done.push([played.from, played.to]);
  played.from = played.to = null;
}

// The stretches not yet reported; the open one is reported up to now and carries on from there.
function takeStretches() {
  observe();
  const out = played.done.splice(0);
  if (played.from !== null && played.to > played.from) {
    out.push([played.from, played.to]);
    played.from = played.to;
  }
  // an Opus file runs a few milliseconds past the timeline (encoder padding): clip to it
  const end = track ? track.timeline.total_seconds : Infinity;
  return out
    .map(([a, b]) => [round3(Math.min(a, end)), round3(Math.min(b, end))])
    .filter(([a, b]) => b > a);
}

function giveBack(stretches) {
  played.done.unshift(...stretches);
}

const round3 = (x) => Math.round(x * 1000) / 1000;

// --- the timeline ------------------------------------------------------------------------

function cueAt(t) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= t) lo = mid; else hi = mid - 1;
  }
  return lo;
}

function fmt(text, values) {
  return together(
    text.replace(/%\((\w+)\)[sd]/g, (_, key) => String(values[key])).replace(/%%/g, "%"),
  );
}

// A number and its per cent sign never part at the end of a line.
const together = (text) => text.replace(/(\d) %/g, "$1\u00a0%");

function chapterTitle(ch) {
  const cue = track.timeline.cues[ch.first_cue];
  if (ch.kind === "switch" || ch.kind === "done") return cue.text;
  const foot = ch.foot ? ` · ${L[ch.foot]}` : "";
  return `${cue.text.replace(/[.。]$/, "")}${foot}`;
}

function whereText(cue) {
  const parts = [];
  if (cue.section) parts.push(L[cue.section]);
  if (cue.foot) parts.push(L[cue.foot]);
  return parts.join(" · ");
}

// --- the picture: one movement per cue, from the audio's own time ---------------------------

const pictures = new Map();
let shownPicture = "";
let mover = null;        // the element that turns or rocks in the shown picture

async function showPicture(step, foot) {
  const key = step && foot ? `${step}/${foot}` : "";
  if (key === shownPicture) return;
  shownPicture = key;
  mover = null;
  if (!key) { ui.picture.replaceChildren(); return; }
  let svg = pictures.get(key);
  if (!svg) {
    const response = await fetch(`/pictures/${key}.svg`);
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
    svg = document.importNode(doc.documentElement, true);
    pictures.set(key, svg);
  }
  if (shownPicture !== key) return;
  ui.picture.replaceChildren(svg);
  ui.picture.dataset.shown = key;
  mover = svg.querySelector(".as-turn, .as-rock");
  drawPicture();
}

const ease = (x) => 0.5 - 0.5 * Math.cos(Math.PI * x);

// The phase (0..1) of the movement under way at `t`, or null outside circles and tilts.
function movement(cue, t) {
  if (cue.kind !== "circle" && cue.kind !== "tilt") return null;
  return Math.min(1, Math.max(0, (t - cue.start) / cue.duration));
}

function drawPicture() {
  if (!track) return;
  const t = audio.currentTime || 0;
  const cue = track.timeline.cues[cueAt(t)];
  const phase = movement(cue, t);
  ui.picture.dataset.phase = phase === null ? "" : phase.toFixed(3);
  if (mover) {
    let angle = 0;
    if (phase !== null && !reducedMotion.matches) {
      if (mover.classList.contains("as-rock")) {
        // one tilt per cue, out on odd counts and back on even ones
        const from = cue.rep % 2 ? -7 : 7;
        angle = from - 2 * from * ease(phase);
      } else {
        angle = (mover.classList.contains("as-turn-in") ? -360 : 360) * phase;
      }
    } else if (phase !== null && mover.classList.contains("as-rock")) {
      angle = cue.rep % 2 ? 7 : -7;  // a still picture: where this tilt ends
    }
    mover.style.transform = `rotate(${angle.toFixed(2)}deg)`;
    ui.picture.dataset.angle = angle.toFixed(2);
  }
  // holds and rests: a ring that fills while the hold lasts and empties during the rest
  const timed = cue.kind === "hold" || cue.kind === "release";
  ui.ring.toggleAttribute("hidden", !timed);
  if (timed) {
    const share = Math.min(1, Math.max(0, (t - cue.start) / cue.duration));
    const fill = cue.kind === "hold" ? share : 1 - share;
    ui.ringFill.style.strokeDashoffset = String(100 - 100 * fill);
    ui.ring.dataset.kind = cue.kind;
    ui.ring.dataset.fill = fill.toFixed(3);
  }
}

// --- drawing ---------------------------------------------------------------------------------

function setInstruction(text) {
  ui.instruction.textContent = text;
  ui.instruction.classList.remove("open");
  ui.instructionMore.setAttribute("aria-expanded", "false");
  ui.instructionMore.textContent = L.more;
  requestAnimationFrame(() => {
    const clipped = ui.instruction.scrollHeight > ui.instruction.clientHeight + 1;
    ui.instructionMore.hidden = !clipped;
  });
}

// Whole seconds left, never 0 while the cue or step still runs.
const secondsLeft = (left) => Math.max(1, Math.ceil(left - 0.001));

function draw() {
  if (!track) return;
  observe();
  const cues = track.timeline.cues;
  const total = track.timeline.total_seconds;
  const t = Math.min(audio.currentTime || 0, total);
  if (!audio.error && audio.readyState > 0) lastShown = t;
  const i = cueAt(t);
  const cue = cues[i];
  const chapter = track.timeline.chapters[cue.chapter];
  if (!audio.paused) visited.add(cue.chapter);

  if (i !== shownCue) {
    shownCue = i;
    ui.where.textContent = whereText(cue);
    if (ui.instruction.textContent !== cue.text) setInstruction(cue.text);
    showPicture(cue.step, cue.foot);
  }
  let count = "", label = "";
  const ended = audio.ended || t >= total;
  if (cue.kind === "hold" || cue.kind === "release") {
    count = String(secondsLeft(cue.start + cue.duration - t));
    label = `${L[cue.kind]} · ${cue.rep} / ${cue.reps}`;
  } else if (cue.kind === "circle" || cue.kind === "tilt") {
    count = `${cue.rep}`;
    label = `${L[cue.kind]} ${cue.rep} / ${cue.reps}`;
  } else if (cue.kind !== "done" && !ended) {
    count = String(secondsLeft(chapter.end - t));
    label = L.seconds_left;
  }
  if (ui.count.textContent !== (count || "\u00a0")) ui.count.textContent = count || "\u00a0";
  if (ui.countLabel.textContent !== label) ui.countLabel.textContent = label;
  drawPicture();

  const share = total > 0 ? t / total : 0;
  ui.bar.style.width = `${(share * 100).toFixed(2)}%`;
  ui.thumb.style.left = `${(share * 100).toFixed(2)}%`;
  ui.progress.setAttribute("aria-valuenow", String(Math.round(t)));
  ui.progress.setAttribute("aria-valuetext", fmt(L.position, { at: clock(t), total: clock(total) }));
  ui.elapsed.textContent = clock(t);
  ui.remaining.textContent = ended ? clock(total) : `−${clock(secondsLeft(total - t))}`;

  if (cue.chapter !== shownChapter) {
    const before = shownChapter;
    shownChapter = cue.chapter;
    const next = track.timeline.chapters[cue.chapter + 1];
    ui.next.textContent = next ? `${L.next}: ${chapterTitle(next)}` : L.last;
    ui.prev.disabled = false;
    ui.nextStep.disabled = !next;
    updateMediaSession(cue, chapter);
    if (before >= 0 && !audio.paused) checkpoint();
  } else if (lockedOnLeadIn && cue !== track.timeline.cues[0]) {
    updateMediaSession(cue, chapter);  // the lead-in is over: name the first step
  }
  if (!audio.paused && performance.now() - lastReport > 15000) checkpoint();
  const canAdd = cue.section === "ankle" && (cue.step === "A1" || cue.step === "A2")
    && !extra[cue.foot] && !finished && !swapping;
  ui.more.hidden = !canAdd;
  if (canAdd) ui.more.dataset.foot = cue.foot;
}

function loop() {
  draw();
  frame = audio.paused ? 0 : requestAnimationFrame(loop);
}

function playing(isPlaying) {
  // SVG elements have no `hidden` property: toggle the attribute itself.
  ui.iconPlay.toggleAttribute("hidden", isPlaying);
  ui.iconPause.toggleAttribute("hidden", !isPlaying);
  ui.play.setAttribute("aria-label", isPlaying ? L.pause : L.play);
  const paused = !isPlaying && session !== null && !finished && !audio.ended;
  ui.app.dataset.state = trouble && !isPlaying ? trouble
    : isPlaying ? "playing" : paused ? "paused" : audio.ended ? "ended" : "ready";
  ui.pausedBadge.hidden = !paused && !(trouble && !isPlaying);
  if ("mediaSession" in navigator) navigator.mediaSession.playbackState = isPlaying ? "playing" : "paused";
}

// --- the session record ----------------------------------------------------------------------

function stepsDone(includeCurrent) {
  const chapters = track.timeline.chapters;
  return [...visited]
    .filter((c) => includeCurrent || c !== shownChapter)
    .sort((a, b) => a - b)
    .map((c) => chapters[c].title);
}

function extraSpec() {
  return ["left", "right"].map((f) => `${f}=${extra[f] || "none"}`).join(",");
}

async function ensureSession() {
  if (session || creating) return creating;
  creating = api("POST", "/api/sessions", {
    routine: cfg.routine,
    options: track.timeline.options,
    planned_seconds: track.timeline.total_seconds,
    ...(replaces ? { replaces } : {}),
  }).then((record) => { session = record.uuid; replaces = null; return session; })
    .catch((error) => { creating = null; ui.status.textContent = error.message; });
  return creating;
}

function report(includeCurrent) {
  return {
    played: takeStretches(),
    position_seconds: round3(Math.min(audio.currentTime, track.timeline.total_seconds)),
    steps_done: stepsDone(includeCurrent),
    planned_seconds: track.timeline.total_seconds,
    extra_circles: extraSpec(),
    track: track.id,
    interruptions: noted.splice(0),
  };
}

// Where this device last was in the session, kept in the browser too: the last report, sent
// as the page closes, can reach the server after a reload has already asked where to resume.
const KEPT = `anklesleep.position.${cfg.routine}`;

function keepPosition() {
  try {
    if (!session || finished) localStorage.removeItem(KEPT);
    else localStorage.setItem(KEPT, JSON.stringify({ uuid: session, position: round3(audio.currentTime) }));
  } catch { /* storage refused: the server's position is used */ }
}

function keptPosition(uuid) {
  try {
    const kept = JSON.parse(localStorage.getItem(KEPT) || "null");
    return kept && kept.uuid === uuid && Number.isFinite(kept.position) ? kept.position : null;
  } catch { return null; }
}

function checkpoint(keepalive = false) {
  keepPosition();
  if (!session || finished) return;
  lastReport = performance.now();
  const body = report(false);
  api("POST", `/api/sessions/${session}/checkpoint`, body, keepalive)
    .catch(() => { giveBack(body.played); noted.unshift(...body.interruptions); });
}

async function finish(reachedEnd) {
  await creating;
  if (!session || finished) return null;
  closeStretch();
  const body = { completed: reachedEnd, ...report(reachedEnd) };
  const record = await api("POST", `/api/sessions/${session}/finish`, body);
  finished = reachedEnd;
  keepPosition();
  return record;
}

// --- wake lock and lock-screen controls --------------------------------------------------------

async function holdScreen(on) {
  if (!("wakeLock" in navigator)) return;
  try {
    if (on && !wakeLock) {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; });
    } else if (!on && wakeLock) {
      await wakeLock.release();
      wakeLock = null;
    }
  } catch { wakeLock = null; }  // refused (not a secure context, low battery): carry on
}

let lockedOnLeadIn = false;

function updateMediaSession(cue, chapter) {
  lockedOnLeadIn = cue === track.timeline.cues[0];
  if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
  navigator.mediaSession.metadata = new MediaMetadata({
    title: cue.text,
    artist: whereText(cue) || "anklesleep",
    album: `anklesleep · ${cfg.name}`,
    artwork: [{ src: "/static/icon.svg", sizes: "any", type: "image/svg+xml" }],
  });
  updatePosition();
}

function updatePosition() {
  if (!("mediaSession" in navigator) || !navigator.mediaSession.setPositionState || !track) return;
  try {
    navigator.mediaSession.setPositionState({
      duration: track.timeline.total_seconds,
      playbackRate: audio.playbackRate || 1,
      position: Math.min(audio.currentTime, track.timeline.total_seconds),
    });
  } catch { /* an old browser */ }
}

function setupMediaSession() {
  if (!("mediaSession" in navigator)) return;
  const handlers = {
    play: () => start(), pause: () => pause(),
    previoustrack: () => previous(), nexttrack: () => next(), stop: () => stop(),
    seekto: (details) => seek(details.seekTime),
    seekbackward: (details) => seek(audio.currentTime - (details.seekOffset || 10)),
    seekforward: (details) => seek(audio.currentTime + (details.seekOffset || 10)),
  };
  for (const [action, handler] of Object.entries(handlers)) {
    try { navigator.mediaSession.setActionHandler(action, handler); } catch { /* unsupported */ }
  }
}

// --- controls ---------------------------------------------------------------------------------

function hideCards() {
  for (const card of [ui.stopped, ui.done, ui.resumeCard]) card.hidden = true;
}

async function start() {
  if (!track || swapping) return;
  if (finished) return;
  if (cfg.resume && !session && !replaces && !ui.resumeCard.hidden) session = cfg.resume.uuid;
  hideCards();
  clearTrouble();
  try {
    await audio.play();
  } catch (error) {
    if (error.name === "NotAllowedError") ui.status.textContent = error.message;
    else troubled("error");
  }
}

function seek(seconds) {
  if (!track || !Number.isFinite(seconds)) return;
  const end = track.timeline.total_seconds;
  // a seek to the very end would end the session at once: stop just short of it
  audio.currentTime = Math.max(0, Math.min(seconds, end - 0.05));
  draw();
  updatePosition();
}

function previous() {
  if (!track) return;
  const t = audio.currentTime;
  const chapters = track.timeline.chapters;
  const current = chapters[track.timeline.cues[cueAt(t)].chapter];
  const target = t - current.start > 2 || current.index === 0 ? current : chapters[current.index - 1];
  seek(target.start);
}

function next() {
  if (!track) return;
  const chapters = track.timeline.chapters;
  const current = track.timeline.cues[cueAt(audio.currentTime)].chapter;
  if (chapters[current + 1]) seek(chapters[current + 1].start);
}

function togglePlay() {
  if (audio.paused) start(); else pause();
}

// A pause the page asked for; any other pause came from the browser or the device.
function pause() {
  if (audio.paused) return;
  pausing = true;
  audio.pause();
}

async function stop() {
  if (!track || finished) return;
  pause();
  clearTrouble();
  hideCards();
  await creating;
  if (!session) {
    ui.status.textContent = L.nothing;
    return;
  }
  try {
    const record = await finish(false);
    if (record) {
      ui.stopped.querySelector("#stopped-text").textContent = fmt(L.stopped, {
        at: clock(audio.currentTime),
        played: clock(record.completed_seconds),
        percent: record.percent_played,
      });
    }
  } catch (error) {
    ui.status.textContent = error.message;
    return;
  }
  ui.stopped.hidden = false;
  ui.stopped.focus();
}

async function ended() {
  playing(false);
  holdScreen(false);
  draw();
  try {
    const record = await finish(true);
    if (!record) return;
    await showDone(record);
  } catch (error) {
    ui.status.textContent = error.message;
  }
}

async function showDone(record) {
  hideCards();
  ui.stop.disabled = true;
  const heading = ui.done.querySelector("#done-h");
  const what = ui.done.querySelector("#done-what");
  if (record.completed) {
    what.textContent = fmt(L.done, {
      steps: record.steps_done.length, played: clock(record.completed_seconds),
    });
  } else {
    heading.textContent = L.end_partial;
    what.textContent = fmt(L.short, { percent: record.percent_played });
  }
  try {
    const today = await api("GET", "/api/today");
    ui.done.querySelector("#done-streak").textContent = fmt(L.streak, { streak: today.streak });
  } catch { /* the card still says what was done */ }
  ui.done.hidden = false;
  ui.done.focus();
}

async function addCircles(direction) {
  const foot = ui.more.dataset.foot;
  if (!foot || extra[foot] || swapping) return;
  swapping = true;
  ui.more.hidden = true;
  ui.status.textContent = L.adding;
  const wanted = { ...extra, [foot]: direction };
  const spec = ["left", "right"].map((f) => `${f}=${wanted[f] || "none"}`).join(",");
  try {
    const fresh = await fetchTrack({ ...query, extra_circles: spec });
    // Everything before the new circles is unchanged, so the same moment plays on.
    const wasPlaying = !audio.paused;
    if (wasPlaying) pausing = true;
    closeStretch();
    const at = audio.currentTime;
    extra = wanted;
    query = { ...query, extra_circles: spec };
    await useTrack(fresh, at);
    if (wasPlaying) await audio.play();
    ui.status.textContent = L.added;
    checkpoint();
  } catch (error) {
    ui.status.textContent = `${L.failed}: ${error.message}`;
  } finally {
    swapping = false;
    draw();
  }
}

// --- seeking on the progress bar: pointer, touch and keyboard ----------------------------------

function seekToPointer(event) {
  const box = ui.progress.getBoundingClientRect();
  const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
  seek(share * track.timeline.total_seconds);
}

ui.progress.addEventListener("pointerdown", (event) => {
  if (!track) return;
  ui.progress.setPointerCapture(event.pointerId);
  seekToPointer(event);
});
ui.progress.addEventListener("pointermove", (event) => {
  if (track && ui.progress.hasPointerCapture(event.pointerId)) seekToPointer(event);
});

function sliderKey(event) {
  const step = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -30, PageUp: 30 };
  if (event.key in step) seek(audio.currentTime + step[event.key]);
  else if (event.key === "Home") seek(0);
  else if (event.key === "End") seek(track.timeline.chapters.at(-1).start);
  else return false;
  return true;
}

// Space and the arrows work whatever has focus inside the player; fields elsewhere keep them.
function playerKey(event) {
  if (!track || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target instanceof Element ? event.target : document.body;
  if (target.closest("input, select, textarea, [contenteditable]")) return;
  if (target.closest(".end-card") && (event.key === " " || event.key === "Enter")) return;
  if (target === ui.progress && sliderKey(event)) { event.preventDefault(); return; }
  if (event.key === " ") { event.preventDefault(); togglePlay(); }
  else if (event.key === "ArrowRight") { event.preventDefault(); next(); }
  else if (event.key === "ArrowLeft") { event.preventDefault(); previous(); }
}
document.addEventListener("keydown", playerKey);
// A focused button would also click itself on the Space key's release: Space is play/pause.
document.addEventListener("keyup", (event) => {
  if (event.key === " " && event.target instanceof Element
      && event.target.closest("#player-app button")) event.preventDefault();
});

// --- loading ------------------------------------------------------------------------------------

// The smallest track this engine plays: Opus when it says it can, MP3 otherwise.
function playableFormat() {
  const probe = document.createElement("audio");
  return probe.canPlayType('audio/ogg; codecs="opus"') ? "opus" : "mp3";
}

const FORMAT_NAMES = { opus: "Opus", mp3: "MP3" };

async function fetchTrack(params, fmt = format) {
  const search = new URLSearchParams({ routine: cfg.routine, ...params, fmt });
  return api("GET", `/api/track?${search}`);
}

// The download offers both formats: the one playing, and the other made when asked for.
function offerDownloads() {
  const other = format === "opus" ? "mp3" : "opus";
  const label = (name) => fmt(L.download_as, {
    format: name === "opus" ? fmt(L.smaller, { format: FORMAT_NAMES.opus }) : FORMAT_NAMES.mp3,
  });
  ui.download.textContent = FORMAT_NAMES[format];
  ui.download.setAttribute("aria-label", label(format));
  ui.download.title = label(format);
  ui.downloadOther.textContent = FORMAT_NAMES[other];
  ui.downloadOther.setAttribute("aria-label", label(other));
  ui.downloadOther.title = label(other);
  ui.downloadOther.dataset.format = other;
  ui.downloadOther.dataset.query = JSON.stringify(query);
  ui.downloadOther.href = "#";
  ui.downloadOther.hidden = false;
  ui.downloadOther.removeAttribute("aria-disabled");
}

ui.downloadOther.addEventListener("click", async (event) => {
  if (ui.downloadOther.dataset.query === JSON.stringify(query)
      && ui.downloadOther.getAttribute("href") !== "#") return;  // already made: follow it
  event.preventDefault();
  ui.downloadOther.setAttribute("aria-disabled", "true");
  ui.status.textContent = L.preparing;
  try {
    const made = await fetchTrack(query, ui.downloadOther.dataset.format);
    ui.downloadOther.href = made.download_url;
    ui.downloadOther.dataset.query = JSON.stringify(query);
    ui.status.textContent = "";
    location.assign(made.download_url);
  } catch (error) {
    ui.status.textContent = `${L.failed}: ${error.message}`;
  } finally {
    ui.downloadOther.removeAttribute("aria-disabled");
  }
});

function useTrack(fresh, at = 0) {
  track = fresh;
  starts = track.timeline.cues.map((c) => c.start);
  shownCue = -1;
  shownChapter = -1;
  const total = track.timeline.total_seconds;
  ui.total.textContent = clock(total);
  ui.download.href = track.download_url;
  ui.download.removeAttribute("aria-disabled");
  offerDownloads();
  ui.progress.setAttribute("aria-valuemax", String(Math.round(total)));
  ui.progress.removeAttribute("aria-disabled");
  if (track.chapters_url) ui.chapters.src = track.chapters_url;
  return new Promise((resolve) => {
    const ready = () => {
      if (at > 0) audio.currentTime = at;
      draw();
      resolve();
    };
    audio.addEventListener("loadedmetadata", ready, { once: true });
    audio.src = track.audio_url;
    audio.load();
  });
}

async function load() {
  const slow = setTimeout(() => { ui.status.textContent = L.preparing; ui.app.dataset.state = "preparing"; }, 400);
  format = playableFormat();
  try {
    await loadPlayable();
  } catch (error) {
    ui.status.textContent = `${L.failed}: ${error.message}`;
    return;
  } finally {
    clearTimeout(slow);
  }
  ui.status.textContent = trouble ? "" : L.ready;
  ui.play.disabled = false;
  ui.stop.disabled = false;
  ui.app.dataset.state = trouble || "ready";
  setupMediaSession();
  if (cfg.resume) offerResume(cfg.resume);
  else if (new URLSearchParams(location.search).get("autoplay") === "1") start();
}

// The chosen format's track, loaded far enough to know its length. An engine that cannot
// make or decode Opus after all gets the MP3; one that cannot play that either says so.
async function loadPlayable() {
  for (;;) {
    const fresh = await fetchTrack(query).catch((error) => {
      if (format === "mp3") throw error;
      format = "mp3";  // Opus could not be made here: MP3 plays everywhere
      return fetchTrack(query);
    });
    const failed = new Promise((resolve) => audio.addEventListener("error", resolve, { once: true }));
    const outcome = await Promise.race([useTrack(fresh).then(() => "ok"), failed.then(() => "error")]);
    if (outcome === "ok") return;
    if (format === "mp3") { troubled("error"); return; }
    format = "mp3";
  }
}

// A length of time to the second as the server words it: "0:42" in English, "42秒" in Japanese.
const LANG = document.documentElement.lang || "en";
function duration(seconds) {
  const total = Math.round(seconds);
  if (LANG === "en" || LANG.startsWith("en-")) return clock(total);
  try {
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const parts = [[h, "hour"], [m, "minute"], [s, "second"]].filter(([n]) => n);
    const words = (parts.length ? parts : [[0, "second"]]).map(([n, unit]) =>
      new Intl.NumberFormat(LANG, { style: "unit", unit, unitDisplay: "short" }).format(n));
    const text = new Intl.ListFormat(LANG, { style: "short", type: "unit" }).format(words);
    return /^(ja|zh)\b/.test(LANG) ? text.replace(/\s+/g, "") : text;
  } catch { return clock(total); }
}

function offerResume(server) {
  // the browser's own last position wins when it is later than the server's
  const kept = keptPosition(server.uuid);
  const left = kept === null || kept <= server.position ? server : {
    ...server,
    position: kept,
    label: fmt(L.resume_at, { at: duration(kept) }),
    text: fmt(L.left_at, {
      at: duration(kept), total: duration(server.planned), percent: server.percent,
    }),
  };
  ui.resumeCard.querySelector("#resume-text").textContent = together(left.text);
  ui.resumeCard.querySelector("#resume-at").textContent = left.label;
  seek(left.position);
  ui.resumeCard.hidden = false;
  ui.resumeCard.focus();
  $("resume-at").addEventListener("click", () => {
    session = left.uuid;
    seek(left.position);
    start();
  }, { once: true });
  $("start-over").addEventListener("click", () => {
    replaces = left.uuid;
    seek(0);
    start();
  }, { once: true });
}

// --- when the sound fails ----------------------------------------------------------------------

function troubleMessage(kind) {
  if (kind === "interrupted") return L.interrupted;
  if (kind === "stalled") return audio.readyState < 3 ? L.load_failed : L.no_sound;
  const code = audio.error ? audio.error.code : 0;
  if (code === 2) return L.load_failed;  // MEDIA_ERR_NETWORK
  if (code === 3 || code === 4) return L.cannot_play;  // decode, source not supported
  return L.no_sound;
}

// Stop the display where the sound stopped, say why, note it on the session, offer Retry.
function troubled(kind, fromPause = false) {
  if (!track || finished) return;
  if (trouble === kind && !ui.trouble.hidden) return;
  trouble = kind;
  const at = audio.error || audio.readyState === 0 ? lastShown
    : Math.min(audio.currentTime || 0, track.timeline.total_seconds);
  noted.push({ at: round3(at), kind });
  const pauseFollows = !audio.paused;  // its handler sends the report
  if (pauseFollows) { pausing = true; audio.pause(); }
  closeStretch();
  ui.troubleText.textContent = troubleMessage(kind);
  ui.retry.textContent = kind === "interrupted" ? L.resume : L.retry;
  ui.trouble.hidden = false;
  ui.status.textContent = "";
  playing(false);
  draw();
  if (session && !pauseFollows && !fromPause) checkpoint();
}

function clearTrouble() {
  trouble = null;
  ui.trouble.hidden = true;
  stall.since = 0;
}

function retry() {
  if (!track) return;
  const failed = Boolean(audio.error) || audio.readyState === 0;
  clearTrouble();
  if (failed) {
    // the element gave up: load the track again and carry on from the moment last shown
    const at = lastShown;
    audio.addEventListener("loadedmetadata", () => {
      if (at > 0) audio.currentTime = at;
      draw();
    }, { once: true });
    audio.src = track.audio_url;
  }
  start();  // play() at once, inside the tap: some engines refuse it after a wait
}

// No progress while playing: the sound has stopped, whatever the element says. With data in
// hand that is a broken output after STALL_MS; while data is awaited, a lost connection.
const stall = { at: -1, since: 0 };
function watchStall() {
  if (audio.paused || audio.seeking || audio.ended || !track || swapping) {
    stall.since = 0;
    return;
  }
  const now = performance.now();
  if (audio.currentTime !== stall.at || !stall.since) {
    if (stall.since && !trouble && ui.status.textContent === L.waiting) ui.status.textContent = "";
    stall.at = audio.currentTime;
    stall.since = now;
  } else if (now - stall.since >= (audio.readyState >= 3 ? STALL_MS : LOADING_MS)) {
    stall.since = 0;
    troubled("stalled");
  } else if (now - stall.since >= WAIT_MS && !trouble) {
    // playing but not moving, whatever events the engine sends: say so at once
    ui.status.textContent = L.waiting;
  }
}
setInterval(watchStall, 250);

audio.addEventListener("error", () => {
  if (track && ui.app.dataset.state !== "loading" && ui.app.dataset.state !== "preparing") {
    troubled("error");
  }
});
audio.addEventListener("waiting", () => {
  if (!audio.seeking && !trouble) ui.status.textContent = L.waiting;
});
audio.addEventListener("stalled", () => { if (!audio.paused) watchStall(); });

// Bedtime audio: declared as playback (Safari keeps it going with the ringer switch off), and
// a change of output device (headphones out) pauses it and offers to resume.
if ("audioSession" in navigator) {
  try { navigator.audioSession.type = "playback"; } catch { /* read-only here */ }
  navigator.audioSession.addEventListener?.("statechange", () => {
    if (navigator.audioSession.state === "interrupted" && !audio.paused) troubled("interrupted");
  });
}
if (navigator.mediaDevices && "ondevicechange" in navigator.mediaDevices) {
  navigator.mediaDevices.addEventListener("devicechange", () => {
    if (!audio.paused) troubled("interrupted");
  });
}

audio.addEventListener("play", () => {
  // a stretch starts where play was asked for: some engines run the clock before "playing"
  if (played.from === null && !audio.seeking) openStretch();
  playing(true);
  ensureSession();
  holdScreen(true);
  ui.status.textContent = "";
  if (!frame) frame = requestAnimationFrame(loop);
});
audio.addEventListener("playing", () => {
  if (played.from === null) openStretch();
  if (!trouble && ui.status.textContent === L.waiting) ui.status.textContent = "";
  updatePosition();
});
audio.addEventListener("pause", () => {
  // paused by the browser or the device, not by the page: headphones out, a call
  const unasked = !pausing && !swapping && !audio.ended && !trouble && !finished;
  pausing = false;
  closeStretch();
  if (unasked && track && audio.error === null) troubled("interrupted", true);
  playing(false);
  if (!swapping && !audio.ended) { holdScreen(false); checkpoint(); }
  draw();
});
audio.addEventListener("seeking", () => {
  // the stretch played before the jump ends where it was last seen
  if (played.from !== null && played.to > played.from) played.done.push([played.from, played.to]);
  played.from = played.to = null;
});
audio.addEventListener("seeked", () => {
  if (!audio.paused) openStretch();
  draw();
});
audio.addEventListener("timeupdate", draw);
audio.addEventListener("ratechange", updatePosition);
audio.addEventListener("ended", () => {
  played.to = track ? track.timeline.total_seconds : played.to;
  ended();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !audio.paused) holdScreen(true);
});
window.addEventListener("pagehide", () => checkpoint(true));
reducedMotion.addEventListener("change", drawPicture);

ui.play.addEventListener("click", togglePlay);
ui.prev.addEventListener("click", previous);
ui.nextStep.addEventListener("click", next);
ui.stop.addEventListener("click", stop);
ui.instructionMore.addEventListener("click", () => {
  const open = ui.instruction.classList.toggle("open");
  ui.instructionMore.setAttribute("aria-expanded", String(open));
  ui.instructionMore.textContent = open ? L.less : L.more;
});
$("resume").addEventListener("click", () => { hideCards(); start(); });
ui.retry.addEventListener("click", retry);
for (const button of ui.more.querySelectorAll("button[data-direction]")) {
  button.addEventListener("click", () => addCircles(button.dataset.direction));
}

load();
