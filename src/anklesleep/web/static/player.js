// The audio-first player. Everything on screen is derived from audio.currentTime and the
// timeline the track was mixed from: no counting timers, no speech synthesis. The audio file
// is the clock, so the screen can be locked and the lock-screen controls still work.
import { api, clock } from "./api.js";

const cfg = JSON.parse(document.getElementById("player-config").textContent);
const L = cfg.labels;
const $ = (id) => document.getElementById(id);
const audio = $("audio");
const ui = {
  status: $("status"), total: $("total"), where: $("where"), instruction: $("instruction"),
  picture: $("picture"), count: $("count"), countLabel: $("count-label"), bar: $("bar"),
  progress: $("progress"), elapsed: $("elapsed"), remaining: $("remaining"), next: $("next"),
  prev: $("prev"), play: $("play"), nextStep: $("next-step"), stop: $("stop"),
  download: $("download"), more: $("more"), done: $("done"), stopped: $("stopped"),
  iconPlay: $("icon-play"), iconPause: $("icon-pause"), stage: $("stage"),
};

let track = null;        // the /api/track answer: timeline (cues, chapters) and audio URL
let starts = [];         // cue start times, for binary search
let query = { ...cfg.query };
let extra = { ...(cfg.options.extra_circles || {}) };
let session = null;      // the session's uuid once playback has started
let creating = null;     // the pending POST that creates it
const visited = new Set();
let shownChapter = -1;
let shownCue = -1;
let finished = false;
let wakeLock = null;
let frame = 0;
let swapping = false;

// --- the timeline ------------------------------------------------------------------------

function cueAt(t) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= t) lo = mid; else hi = mid - 1;
  }
  return lo;
}

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

// --- drawing ---------------------------------------------------------------------------------

const pictures = new Map();
let shownPicture = "";

async function showPicture(step, foot) {
  const key = step && foot ? `${step}/${foot}` : "";
  if (key === shownPicture) return;
  shownPicture = key;
  if (!key) { ui.picture.replaceChildren(); return; }
  let svg = pictures.get(key);
  if (!svg) {
    const response = await fetch(`/pictures/${key}.svg`);
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
    svg = document.importNode(doc.documentElement, true);
    pictures.set(key, svg);
  }
  if (shownPicture === key) ui.picture.replaceChildren(svg);
}

function draw() {
  if (!track) return;
  const cues = track.timeline.cues;
  const total = track.timeline.total_seconds;
  const t = Math.min(audio.currentTime || 0, total);
  const i = cueAt(t);
  const cue = cues[i];
  const chapter = track.timeline.chapters[cue.chapter];
  if (!audio.paused) visited.add(cue.chapter);

  if (i !== shownCue) {
    shownCue = i;
    ui.where.textContent = whereText(cue);
    ui.instruction.textContent = cue.text;
    showPicture(cue.step, cue.foot);
  }
  let count = "", label = "";
  const left = Math.max(0, cue.start + cue.duration - t);
  if (cue.kind === "hold" || cue.kind === "release") {
    count = String(Math.ceil(left - 0.05) || 0);
    label = `${L[cue.kind]} · ${cue.rep} / ${cue.reps}`;
  } else if (cue.kind === "circle" || cue.kind === "tilt") {
    count = `${cue.rep}`;
    label = `${L[cue.kind]} ${cue.rep} / ${cue.reps}`;
  } else if (cue.kind !== "done") {
    count = String(Math.ceil(chapter.end - t - 0.05) || 0);
    label = L.seconds_left;
  }
  if (ui.count.textContent !== (count || "\u00a0")) ui.count.textContent = count || "\u00a0";
  if (ui.countLabel.textContent !== label) ui.countLabel.textContent = label;

  const share = total > 0 ? t / total : 0;
  ui.bar.style.width = `${(share * 100).toFixed(2)}%`;
  ui.progress.setAttribute("aria-valuenow", String(Math.round(share * 100)));
  ui.elapsed.textContent = clock(t);
  ui.remaining.textContent = `−${clock(total - t)}`;

  if (cue.chapter !== shownChapter) {
    const before = shownChapter;
    shownChapter = cue.chapter;
    const next = track.timeline.chapters[cue.chapter + 1];
    ui.next.textContent = next ? `${L.next}: ${chapterTitle(next)}` : L.last;
    ui.prev.disabled = false;
    ui.nextStep.disabled = !next;
    updateMediaSession(cue, chapter);
    if (before >= 0 && !audio.paused) checkpoint();
  }
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

async function ensureSession() {
  if (session || creating) return creating;
  creating = api("POST", "/api/sessions", {
    routine: cfg.routine,
    options: track.timeline.options,
    planned_seconds: track.timeline.total_seconds,
  }).then((record) => { session = record.uuid; return session; })
    .catch((error) => { creating = null; ui.status.textContent = error.message; });
  return creating;
}

function progress() {
  return { completed_seconds: Math.min(audio.currentTime, track.timeline.total_seconds), steps_done: stepsDone(false) };
}

function checkpoint(keepalive = false) {
  if (!session || finished) return;
  api("POST", `/api/sessions/${session}/checkpoint`, progress(), keepalive).catch(() => {});
}

async function finish(completed) {
  if (finished) return;
  await creating;
  if (!session) return;
  finished = completed;
  const body = completed
    ? { completed: true, completed_seconds: track.timeline.total_seconds, steps_done: stepsDone(true) }
    : { completed: false, ...progress() };
  await api("POST", `/api/sessions/${session}/finish`, body);
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

function updateMediaSession(cue, chapter) {
  if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
  navigator.mediaSession.metadata = new MediaMetadata({
    title: chapter.kind === "switch" || chapter.kind === "done" ? cue.text : `${cue.text}`,
    artist: whereText(cue) || "anklesleep",
    album: `anklesleep · ${cfg.name}`,
    artwork: [{ src: "/static/icon.svg", sizes: "any", type: "image/svg+xml" }],
  });
}

function setupMediaSession() {
  if (!("mediaSession" in navigator)) return;
  const handlers = {
    play: () => start(), pause: () => audio.pause(),
    previoustrack: () => previous(), nexttrack: () => next(), stop: () => stop(),
  };
  for (const [action, handler] of Object.entries(handlers)) {
    try { navigator.mediaSession.setActionHandler(action, handler); } catch { /* unsupported */ }
  }
}

// --- controls ---------------------------------------------------------------------------------

async function start() {
  if (!track) return;
  ui.stopped.hidden = true;
  try {
    await audio.play();
  } catch (error) {
    ui.status.textContent = error.message;
  }
}

function seek(seconds) {
  audio.currentTime = Math.max(0, Math.min(seconds, track.timeline.total_seconds));
  draw();
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

async function stop() {
  if (!track) return;
  audio.pause();
  await finish(false).catch((error) => { ui.status.textContent = error.message; });
  ui.stopped.hidden = false;
  ui.stopped.focus();
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
    const at = audio.currentTime;
    extra = wanted;
    query = { ...query, extra_circles: spec };
    await useTrack(fresh, at);
    if (wasPlaying) await audio.play();
    ui.status.textContent = L.added;
  } catch (error) {
    ui.status.textContent = `${L.failed}: ${error.message}`;
  } finally {
    swapping = false;
    draw();
  }
}

// --- loading ------------------------------------------------------------------------------------

async function fetchTrack(params) {
  const search = new URLSearchParams({ routine: cfg.routine, ...params });
  return api("GET", `/api/track?${search}`);
}

function useTrack(fresh, at = 0) {
  track = fresh;
  starts = track.timeline.cues.map((c) => c.start);
  shownCue = -1;
  shownChapter = -1;
  ui.total.textContent = clock(track.timeline.total_seconds);
  ui.download.href = track.download_url;
  ui.download.removeAttribute("aria-disabled");
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
  try {
    await useTrack(await fetchTrack(query));
  } catch (error) {
    ui.status.textContent = `${L.failed}: ${error.message}`;
    return;
  }
  ui.status.textContent = L.ready;
  ui.play.disabled = false;
  ui.stop.disabled = false;
  setupMediaSession();
  if (new URLSearchParams(location.search).get("autoplay") === "1") start();
}

audio.addEventListener("play", () => {
  playing(true);
  ensureSession();
  holdScreen(true);
  ui.status.textContent = "";
  if (!frame) frame = requestAnimationFrame(loop);
});
audio.addEventListener("pause", () => {
  playing(false);
  if (!swapping && !audio.ended) { holdScreen(false); checkpoint(); }
  draw();
});
audio.addEventListener("timeupdate", draw);
audio.addEventListener("seeked", draw);
audio.addEventListener("ended", async () => {
  playing(false);
  holdScreen(false);
  draw();
  try {
    await finish(true);
    ui.done.hidden = false;
    ui.done.focus();
  } catch (error) {
    ui.status.textContent = error.message;
  }
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !audio.paused) holdScreen(true);
});
window.addEventListener("pagehide", () => checkpoint(true));

ui.play.addEventListener("click", () => (audio.paused ? start() : audio.pause()));
ui.prev.addEventListener("click", previous);
ui.nextStep.addEventListener("click", next);
ui.stop.addEventListener("click", stop);
$("resume").addEventListener("click", () => { finished = false; start(); });
for (const button of ui.more.querySelectorAll("button[data-direction]")) {
  button.addEventListener("click", () => addCircles(button.dataset.direction));
}
document.addEventListener("keydown", (event) => {
  if (event.target.closest("button, a, input, select, textarea")) return;
  if (event.key === " ") { event.preventDefault(); ui.play.click(); }
  else if (event.key === "ArrowRight") next();
  else if (event.key === "ArrowLeft") previous();
});

load();
