// hongbao classroom: one page for students, the teacher, the projector and
// the debrief. Plain JavaScript, no library, nothing fetched from outside
// this server. Every string from the server goes through textContent.
"use strict";

const app = document.getElementById("app");
const connEl = document.getElementById("conn");

// h builds an element: h("div", {class: "card", onclick: f}, child, ...).
function h(tag, attrs, ...kids) {
  const svg = ["svg", "path", "line", "circle", "text", "g", "rect", "polyline"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "style") Object.assign(el.style, v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
function pct(x) { return (100 * x).toFixed(1) + "%"; }
function yuan(x) { return "¥" + Math.round(x).toLocaleString("en-US"); }
function num(x) { return Math.round(x).toLocaleString("en-US"); }
function last(a) { return a && a.length ? a[a.length - 1] : 0; }

async function api(method, path, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await res.json(); } catch (e) { data = { error: "the server answered " + res.status }; }
  if (!res.ok) throw new Error((data && data.error) || ("HTTP " + res.status));
  return data;
}

// live opens the session's websocket, sends the token, calls onView with
// every view pushed, and reconnects by itself with backoff (0.5 s doubling
// to 8 s) when the connection drops: a server restart or a phone that slept.
function live(code, token, onView, onRefused) {
  let delay = 500, stopped = false, ws = null;
  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(proto + "//" + location.host + "/api/sessions/" + code + "/ws");
    ws.onopen = () => { ws.send(JSON.stringify({ token: token || "" })); };
    ws.onmessage = (ev) => {
      delay = 500;
      connEl.textContent = "live"; connEl.className = "conn";
      onView(JSON.parse(ev.data));
    };
    ws.onclose = (ev) => {
      if (stopped) return;
      if (ev.code === 1008) { stopped = true; onRefused && onRefused(ev.reason); return; }
      connEl.textContent = "reconnecting…"; connEl.className = "conn down";
      setTimeout(connect, delay);
      delay = Math.min(8000, delay * 2);
    };
  }
  connect();
  return { stop() { stopped = true; ws && ws.close(); } };
}

// lineChart draws series [{label, color, values, dash}] over days as SVG.
function lineChart(series, opt) {
  opt = opt || {};
  const W = opt.width || 640, H = opt.height || 240, L = 54, R = 10, T = 10, B = 24;
  const days = opt.days || Math.max(1, ...series.map((s) => s.values.length));
  let lo = opt.min, hi = opt.max;
  if (lo === undefined || hi === undefined) {
    const all = series.flatMap((s) => s.values).filter((v) => isFinite(v));
    if (lo === undefined) lo = Math.min(0, ...all);
    if (hi === undefined) hi = Math.max(1e-9, ...all);
  }
  if (hi <= lo) hi = lo + 1;
  const x = (d) => L + (W - L - R) * (d / Math.max(1, days - 1));
  const y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  const svg = h("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opt.title || "chart" });
  for (let i = 0; i <= 4; i++) {
    const v = lo + (hi - lo) * i / 4;
    svg.append(h("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e5e7eb" }));
    svg.append(h("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", text: opt.fmt ? opt.fmt(v) : v.toFixed(2) }));
  }
  for (const b of opt.rounds || []) {
    svg.append(h("line", { x1: x(b), x2: x(b), y1: T, y2: H - B, stroke: "#9ca3af", "stroke-dasharray": "3 3" }));
  }
  if (opt.labels) {
    for (const [d, s] of opt.labels) svg.append(h("text", { x: x(d), y: H - 6, "text-anchor": "middle", text: s }));
  }
  for (const s of series) {
    if (!s.values.length) continue;
    const pts = s.values.map((v, d) => `${x(d).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    svg.append(h("polyline", { points: pts, fill: "none", stroke: s.color || "#333", "stroke-width": s.width || 2, "stroke-dasharray": s.dash || null }));
  }
  for (const p of opt.points || []) {
    if (p.day < 0) continue;
    svg.append(h("circle", { cx: x(p.day), cy: y(p.value), r: 5, fill: p.color || "#000", stroke: "#fff" }));
  }
  return svg;
}

function legend(items) {
  return h("div", { class: "legend" }, items.map((it) => h("span", {}, h("span", { class: "swatch", style: { background: it.color } }), it.label)));
}

function roundLines(v) {
  const out = [];
  for (let r = 1; r < v.rounds; r++) out.push(r * v.round_days);
  return out;
}

function dateLabels(dates) {
  if (!dates || !dates.length) return [];
  const n = dates.length, out = [];
  for (let i = 0; i < 5; i++) { const d = Math.round((n - 1) * i / 4); out.push([d, dates[d]]); }
  return out;
}

function phaseText(v) {
  if (v.phase === "lobby") return "waiting for the teacher to start";
  if (v.phase === "deciding") return `round ${v.round + 1} of ${v.rounds}: decide`;
  if (v.phase === "stepping") return `round ${v.round + 1} of ${v.rounds}: the market is moving (day ${v.day})`;
  return "the game is over";
}

// countdown keeps a timer element up to date with the view's deadline.
let timerTick = null;
function countdown(el, v) {
  clearInterval(timerTick);
  if (!v.deadline_ms) { el.textContent = ""; return; }
  const tick = () => {
    const s = Math.max(0, Math.round((v.deadline_ms - Date.now()) / 1000));
    el.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")} left`;
  };
  tick();
  timerTick = setInterval(tick, 500);
}

function marketCard(v) {
  const shares = v.platforms.map((p) => ({ label: p.label, color: p.color, values: p.share }));
  return h("div", { class: "card", id: "market" },
    h("h2", {}, "Market: share of wallet payments (public)"),
    legend(v.platforms.map((p) => ({ label: `${p.label} ${pct(last(p.share))}`, color: p.color }))),
    lineChart(shares, { min: 0, max: 1, days: v.days, rounds: roundLines(v), labels: dateLabels(v.dates), fmt: pct, title: "market shares" }),
    offersTable(v));
}

function offersTable(v) {
  const rows = v.platforms.map((p) => {
    const lastOffer = p.offers && p.offers.length ? p.offers[p.offers.length - 1] : null;
    const offer = lastOffer && Object.keys(lastOffer).length
      ? Object.entries(lastOffer).map(([k, x]) => (k === "campaign" ? (x >= 1 && p.menu ? "campaign " + p.menu[x - 1] : "no campaign") : `${k.replace(/_/g, " ")} ${x}`)).join(", ")
      : (p.team ? "as scheduled" : "bot: " + p.bot);
    return h("tr", {},
      h("td", {}, h("span", { class: "swatch", style: { background: p.color } }), p.label),
      h("td", { class: "num" }, pct(last(p.share))),
      h("td", { class: "num" }, "¥" + last(p.headline).toFixed(1)),
      h("td", {}, offer),
      h("td", {}, p.team ? (p.submitted ? h("span", { class: "pill ok" }, "submitted") : h("span", { class: "pill wait" }, "deciding")) : h("span", { class: "pill" }, "bot")));
  });
  return h("table", {}, h("tr", {}, h("th", {}, "platform"), h("th", { class: "num" }, "share"), h("th", { class: "num" }, "advertised cashback"), h("th", {}, "last round's public offer"), h("th", {}, "status")), rows);
}

function booksCard(p, v, title) {
  const b = p.books;
  if (!b) return null;
  return h("div", { class: "card books" },
    h("h2", {}, title || `${p.label}: your books (private)`),
    h("div", { class: "grid" },
      h("div", {}, h("div", { class: "muted" }, "treasury"), h("div", { class: "big" }, yuan(last(b.treasury)))),
      h("div", {}, h("div", { class: "muted" }, "spent on subsidies, last day"), h("div", { class: "big" }, yuan(last(b.subsidy)))),
      h("div", {}, h("div", { class: "muted" }, "card-bound users"), h("div", { class: "big" }, num(last(b.card_bound)))),
      h("div", {}, h("div", { class: "muted" }, "monthly actives"), h("div", { class: "big" }, num(last(b.mau))))),
    lineChart([{ label: "subsidies a day", color: "#b91c1c", values: b.subsidy }, { label: "fees a day", color: "#15803d", values: b.fees }],
      { days: v.days, rounds: roundLines(v), labels: dateLabels(v.dates), fmt: (x) => yuan(x), title: "burn" }),
    legend([{ label: "subsidies paid a day (burn)", color: "#b91c1c" }, { label: "fees earned a day", color: "#15803d" }]));
}

// ---- student -------------------------------------------------------------

function seatKey(code) { return "hongbao.seat." + code; }

function joinPage(code) {
  const codeIn = h("input", { type: "text", id: "code", value: code || "", autocomplete: "off", maxlength: 6, placeholder: "ABC234" });
  const nameIn = h("input", { type: "text", id: "name", maxlength: 40, placeholder: "your name" });
  const msg = h("p", { class: "err", id: "joinmsg" });
  const go = async (ev) => {
    ev.preventDefault();
    const c = codeIn.value.trim().toUpperCase();
    try {
      const r = await api("POST", "/api/join", { code: c, name: nameIn.value });
      localStorage.setItem(seatKey(r.code), r.token);
      location.href = "/play/" + r.code;
    } catch (e) { msg.textContent = e.message; }
  };
  clear(app);
  app.append(h("div", { class: "card" }, h("h1", {}, "Join the class game"),
    h("form", { onsubmit: go }, h("label", { for: "code" }, "Session code"), codeIn, h("label", { for: "name" }, "Your name"), nameIn,
      h("div", {}, h("button", { type: "submit", id: "join" }, "Join")), msg)),
    h("p", { class: "muted" }, "Teachers: open the teacher link that `hongbao classroom` printed."));
}

function playPage(code) {
  const m = location.hash.match(/seat=([A-Za-z0-9_-]+)/);
  if (m) { localStorage.setItem(seatKey(code), m[1]); history.replaceState(null, "", location.pathname); }
  const token = localStorage.getItem(seatKey(code));
  if (!token) { joinPage(code); return; }
  let draft = null; // the form's values survive re-renders
  let lastRound = -1;
  live(code, token, (v) => {
    if (v.round !== lastRound) { draft = null; lastRound = v.round; }
    renderStudent(v, code, token, () => draft, (d) => { draft = d; });
  }, (reason) => {
    localStorage.removeItem(seatKey(code));
    clear(app);
    app.append(h("div", { class: "card" }, h("p", { class: "err" }, "Your seat is no longer valid: " + reason), h("a", { href: "/join/" + code }, "Join again")));
  });
}

function renderStudent(v, code, token, getDraft, setDraft) {
  const me = v.me, mine = v.platforms[me.team];
  const timer = h("span", { class: "timer", id: "timer" });
  const msg = h("p", { id: "decidemsg" });
  const inputs = {};
  const pending = (mine.books && mine.books.pending) || {};
  const lastPlayed = mine.books && mine.books.played && mine.books.played.length ? mine.books.played[mine.books.played.length - 1] : {};
  const draft = getDraft() || {};
  const form = h("form", { id: "decide", onsubmit: async (ev) => {
    ev.preventDefault();
    const d = {};
    for (const [k, el] of Object.entries(inputs)) if (el.value !== "") d[k] = Number(el.value);
    try {
      await api("POST", `/api/sessions/${code}/decide`, { round: v.round, decision: d }, token);
      msg.textContent = "Submitted for your team. Anyone on the team can change it until the round closes."; msg.className = "ok";
    } catch (e) { msg.textContent = e.message; msg.className = "err"; }
  } });
  for (const li of v.levers) {
    const val = draft[li.lever] !== undefined ? draft[li.lever] : (pending[li.lever] !== undefined ? pending[li.lever] : (lastPlayed[li.lever] !== undefined ? lastPlayed[li.lever] : ""));
    const el = li.lever === "campaign"
      ? h("select", { id: "lever-" + li.lever, name: li.lever }, h("option", { value: "" }, "no campaign"),
        (mine.menu || []).map((m, i) => h("option", { value: i + 1, selected: String(val) === String(i + 1) }, m)))
      : h("input", { type: "number", id: "lever-" + li.lever, name: li.lever, min: li.min, max: li.max, step: li.step, value: val, placeholder: "as scheduled" });
    el.addEventListener(li.lever === "campaign" ? "change" : "input", () => { const d = getDraft() || {}; d[li.lever] = el.value; setDraft(d); });
    inputs[li.lever] = el;
    const range = li.lever === "campaign" ? "" : `${li.unit}, ${li.min}–${li.max}, `;
    form.append(h("label", { for: "lever-" + li.lever }, `${li.label} (${range}${li.public ? "rivals see it" : "private"})`), el);
  }
  const open = v.phase === "deciding";
  form.append(h("div", {}, h("button", { type: "submit", id: "submit", disabled: !open }, "Submit for round " + (v.round + 1))), msg);
  const rejoin = location.origin + "/play/" + code + "#seat=" + token;
  clear(app);
  app.append(
    h("div", { class: "card" },
      h("h1", {}, h("span", { class: "swatch", style: { background: mine.color } }), `${mine.label}`),
      h("div", {}, `You are ${me.name}, with ${mine.students.filter((n) => n !== me.name).join(", ") || "nobody else yet"}.`),
      h("div", { class: "phase", id: "phase" }, phaseText(v)), timer,
      v.error ? h("p", { class: "err" }, v.error) : null,
      Object.keys(pending).length ? h("p", { class: "ok", id: "pending" }, "Your team's submission: " + Object.entries(pending).map(([k, x]) => `${k.replace(/_/g, " ")} ${x}`).join(", ")) : null,
      v.phase === "over" ? h("p", {}, h("a", { href: "/debrief/" + code, id: "debrieflink" }, "Open the debrief")) : form),
    marketCard(v),
    booksCard(mine, v),
    h("details", { class: "card" }, h("summary", {}, "Rejoin from another device"),
      h("p", { class: "muted" }, "Open this link on the other device to take your seat there (keep it to yourself: it is your seat):"), h("code", { class: "tok" }, rejoin)));
  countdown(timer, v);
}

// ---- teacher -------------------------------------------------------------

function teacherToken() {
  const m = location.hash.match(/#(?:token=)?([A-Za-z0-9_-]{20,})/);
  if (m) { localStorage.setItem("hongbao.teacher", m[1]); history.replaceState(null, "", location.pathname + location.search); }
  return localStorage.getItem("hongbao.teacher");
}

async function teacherPage() {
  const token = teacherToken();
  if (!token) { clear(app); app.append(h("p", { class: "err" }, "Open the teacher link printed by `hongbao classroom` (it carries the teacher's token).")); return; }
  const code = new URLSearchParams(location.search).get("s");
  if (code) { teacherSession(code, token); return; }
  let lib, sessions;
  try { [lib, sessions] = await Promise.all([api("GET", "/api/library"), api("GET", "/api/sessions", undefined, token)]); }
  catch (e) { clear(app); app.append(h("p", { class: "err" }, e.message)); return; }
  const d = lib.defaults;
  const scen = h("select", { id: "scenario" }, lib.scenarios.map((s) => h("option", { value: s.name }, `${s.name}: ${s.summary || ""}`)));
  const upload = h("input", { type: "file", id: "upload", accept: ".toml" });
  const users = h("input", { type: "number", id: "users", value: d.users, min: 1000, max: 200000, step: 1000 });
  const seed = h("input", { type: "number", id: "seed", value: d.seed, min: 1 });
  const days = h("input", { type: "number", id: "round_days", value: d.round_days, min: 1, max: 90 });
  const rounds = h("input", { type: "number", id: "rounds", value: d.rounds, min: 1, max: 24 });
  const timerIn = h("input", { type: "number", id: "timer_sec", value: d.timer_sec, min: 0, max: 3600 });
  const leverBoxes = {};
  const levers = await api("GET", "/api/levers");
  const leverDiv = h("div", {}, levers.map((li) => {
    const cb = h("input", { type: "checkbox", id: "lv-" + li.lever, checked: d.levers.includes(li.lever) });
    leverBoxes[li.lever] = cb;
    return h("div", {}, cb, " ", h("span", {}, li.lever === "campaign" ? `${li.label} (each platform's campaigns in the scenario; replaces their dates)` : `${li.label} (${li.min}–${li.max} ${li.unit})`));
  }));
  const seatsDiv = h("div", { id: "seats" });
  const seatSel = {};
  const drawSeats = () => {
    clear(seatsDiv);
    const s = lib.scenarios.find((x) => x.name === scen.value);
    for (const p of (s ? s.platforms : [])) {
      const sel = h("select", { id: "seat-" + p }, h("option", { value: "team" }, "a team of students"), lib.bots.map((b) => h("option", { value: b }, "bot: " + b)));
      seatSel[p] = sel;
      seatsDiv.append(h("label", {}, p), sel);
    }
  };
  scen.addEventListener("change", drawSeats);
  drawSeats();
  const msg = h("p", { class: "err", id: "createmsg" });
  const create = async (ev) => {
    ev.preventDefault();
    const cfg = { scenario: scen.value, users: +users.value, seed: +seed.value, round_days: +days.value, rounds: +rounds.value, timer_sec: +timerIn.value,
      levers: Object.entries(leverBoxes).filter(([, cb]) => cb.checked).map(([l]) => l) };
    if (upload.files.length) {
      const f = upload.files[0];
      if (f.size > 256 * 1024) { msg.textContent = "the file is larger than 256 KB"; return; }
      cfg.upload = await f.text(); cfg.upload_name = f.name;
    } else {
      cfg.seats = Object.entries(seatSel).map(([p, sel]) => (sel.value === "team" ? { platform: p, team: true } : { platform: p, team: false, bot: sel.value }));
    }
    try { const s = await api("POST", "/api/sessions", cfg, token); location.href = "/teacher?s=" + s.code; }
    catch (e) { msg.textContent = e.message; }
  };
  clear(app);
  app.append(
    h("div", { class: "card" }, h("h1", {}, "Sessions"),
      sessions.length ? h("table", {}, sessions.map((s) => h("tr", {}, h("td", {}, h("a", { href: "/teacher?s=" + s.code }, s.code)), h("td", {}, s.scenario), h("td", {}, s.phase), h("td", {}, `${s.students} students`))))
        : h("p", { class: "muted" }, "No session yet.")),
    h("div", { class: "card" }, h("h1", {}, "New session"),
      h("form", { id: "create", onsubmit: create },
        h("div", { class: "grid" },
          h("div", {}, h("label", { for: "scenario" }, "Scenario"), scen, h("label", { for: "upload" }, "…or upload a scenario file (.toml, at most 256 KB; every seat a team)"), upload,
            h("label", { for: "users" }, "Simulated users"), users, h("label", { for: "seed" }, "Seed"), seed),
          h("div", {}, h("label", { for: "round_days" }, "Days per round"), days, h("label", { for: "rounds" }, "Rounds"), rounds,
            h("label", { for: "timer_sec" }, "Round timer, seconds (0: none)"), timerIn),
          h("div", {}, h("label", {}, "Levers the teams control"), leverDiv, h("label", {}, "Seats"), seatsDiv)),
        h("button", { type: "submit", id: "createbtn" }, "Create the session"), msg)));
}

function teacherSession(code, token) {
  live(code, token, (v) => renderTeacher(v, code, token));
}

function renderTeacher(v, code, token) {
  const msg = h("p", { class: "err", id: "teachermsg" });
  const act = (path, body) => async () => {
    try { await api("POST", `/api/sessions/${code}/${path}`, body || {}, token); msg.textContent = ""; } catch (e) { msg.textContent = e.message; }
  };
  const timer = h("span", { class: "timer" });
  const teamOpts = v.platforms.map((p, i) => [i, p]).filter(([, p]) => p.team);
  const roster = v.platforms.map((p, i) => {
    if (!p.team) return h("div", { class: "card" }, h("h2", {}, h("span", { class: "swatch", style: { background: p.color } }), p.label, " — bot: " + p.bot));
    const rows = ((p.books && p.books.roster) || []).map((st) => {
      const sel = h("select", {}, teamOpts.map(([j, q]) => h("option", { value: j, selected: j === i }, q.label)));
      return h("tr", {}, h("td", {}, st.name), h("td", {}, sel),
        h("td", {}, h("button", { class: "secondary", onclick: () => act("move", { seat: st.seat, team: +sel.value })() }, "move"),
          h("button", { class: "danger", onclick: () => { if (confirm("Remove " + st.name + "?")) act("remove", { seat: st.seat })(); } }, "remove")));
    });
    const pend = p.books && p.books.pending && Object.keys(p.books.pending).length ? Object.entries(p.books.pending).map(([k, x]) => `${k} ${x}`).join(", ") : "—";
    return h("div", { class: "card team" }, h("h2", {}, h("span", { class: "swatch", style: { background: p.color } }), p.label, " ",
      p.submitted ? h("span", { class: "pill ok" }, "submitted") : h("span", { class: "pill wait" }, "deciding")),
      h("div", { class: "muted" }, "this round: " + pend),
      rows.length ? h("table", {}, rows) : h("p", { class: "muted" }, "no student yet"));
  });
  clear(app);
  app.append(
    h("div", { class: "card" },
      h("div", { class: "grid" },
        h("div", {}, h("div", { class: "muted" }, "students join at " + (v.join_url || location.origin + "/join/" + code)), h("div", { class: "code", id: "joincode" }, code),
          h("div", { class: "phase", id: "phase" }, phaseText(v)), timer, v.error ? h("p", { class: "err" }, v.error) : null,
          h("div", {},
            v.phase === "lobby" ? h("button", { id: "start", onclick: act("start") }, "Start round 1") : null,
            v.phase === "deciding" ? h("button", { id: "advance", onclick: act("advance", { round: v.round }) }, `Close round ${v.round + 1} now`) : null,
            h("a", { href: "/projector/" + code, target: "_blank" }, h("button", { class: "secondary" }, "Projector view")),
            v.phase === "over" ? h("a", { href: "/debrief/" + code, id: "debrieflink" }, h("button", {}, "Debrief")) : null,
            h("a", { href: `/api/sessions/${code}/export.csv`, id: "csvlink" }, h("button", { class: "secondary" }, "CSV"))),
          msg),
        h("div", {}, h("img", { src: `/api/sessions/${code}/qr.png`, alt: "QR code of the join link", width: 200, height: 200 })))),
    h("div", { class: "grid" }, roster),
    marketCard(v),
    h("div", { class: "grid" }, v.platforms.map((p) => booksCard(p, v, p.label + " (teacher's view)"))));
  countdown(timer, v);
}

function projectorPage(code) {
  live(code, "", (v) => {
    clear(app);
    const timer = h("span", { class: "timer" });
    app.append(h("div", { class: "card" }, h("div", { class: "grid" },
      h("div", {}, h("div", { class: "muted" }, "join at " + (v.join_url || location.origin + "/join/" + code)), h("div", { class: "code" }, code), h("div", { class: "phase" }, phaseText(v)), timer),
      h("img", { src: `/api/sessions/${code}/qr.png`, alt: "QR code", width: 220, height: 220 }))), marketCard(v));
    countdown(timer, v);
  });
}

// ---- debrief -------------------------------------------------------------

async function debriefPage(code) {
  clear(app);
  app.append(h("div", { class: "card" }, h("h1", {}, "Debrief"), h("p", { id: "dbstatus" }, "The model is replaying your game, the bots' and the real one, and solving the game of your strategies…")));
  const token = localStorage.getItem("hongbao.teacher") || localStorage.getItem(seatKey(code)) || "";
  let db;
  for (;;) {
    try { db = await api("GET", `/api/sessions/${code}/debrief`, undefined, token); } catch (e) { app.append(h("p", { class: "err" }, e.message)); return; }
    if (db.status !== "computing") break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (db.status === "failed") { app.append(h("p", { class: "err" }, db.error)); return; }
  renderDebrief(db, code, token);
}

function renderDebrief(db, code, token) {
  const K = db.platforms.length;
  const rounds = []; for (let r = 1; r < db.played.length; r++) rounds.push(r * db.round_days);
  const opt = { min: 0, max: 1, rounds, labels: dateLabels(db.dates), fmt: pct };
  const shareSeries = (run, dash) => run.share.map((v, p) => ({ label: db.labels[p], color: db.colors[p], values: v, dash }));
  const points = (db.record || []).map((rp) => ({ day: rp.day, value: rp.share, color: db.colors[db.platforms.indexOf(rp.platform)] }));
  const plat = db.labels.map((l, p) => ({ label: l, color: db.colors[p] }));
  const lever = (d) => (d && Object.keys(d).length ? Object.entries(d).map(([k, x]) => `${k.replace(/_/g, " ")} ${x}`).join(", ") : "schedule");

  // Timeline and burn against share.
  const timeline = h("table", { id: "timeline" }, h("tr", {}, h("th", {}, "round"), db.labels.map((l) => h("th", {}, l))),
    db.played.map((row, r) => h("tr", {}, h("td", {}, String(r + 1)), row.map((d, p) => h("td", {}, db.teams[p] ? lever(d) : "bot")))));
  const burnShare = (() => {
    const W = 640, H = 260, L = 60, B = 26, T = 10, R = 40;
    const maxBurn = Math.max(1, ...db.class.burn.map(last));
    const svg = h("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, id: "burnshare" });
    const x = (b) => L + (W - L - R) * b / maxBurn, y = (s) => T + (H - T - B) * (1 - s);
    for (let i = 0; i <= 4; i++) {
      svg.append(h("line", { x1: L, x2: W - R, y1: y(i / 4), y2: y(i / 4), stroke: "#e5e7eb" }), h("text", { x: L - 4, y: y(i / 4) + 4, "text-anchor": "end", text: pct(i / 4) }));
      svg.append(h("text", { x: x(maxBurn * i / 4), y: H - 6, "text-anchor": "middle", text: yuan(maxBurn * i / 4) }));
    }
    for (let p = 0; p < K; p++) {
      // One point a round: cumulative burn at the round's end against the share that week.
      const pts = [];
      for (let r = 0; r < db.played.length; r++) {
        const d = Math.min(db.class.share[p].length - 1, (r + 1) * db.round_days - 1);
        const s = db.class.share[p].slice(Math.max(0, d - 6), d + 1);
        pts.push([x(db.class.burn[p][d]), y(s.reduce((a, b) => a + b, 0) / s.length), r + 1]);
      }
      svg.append(h("polyline", { points: pts.map((q) => q[0] + "," + q[1]).join(" "), fill: "none", stroke: db.colors[p], "stroke-width": 2 }));
      for (const q of pts) svg.append(h("circle", { cx: q[0], cy: q[1], r: 4, fill: db.colors[p] }), h("text", { x: q[0] + 6, y: q[1] - 4, text: "r" + q[2] }));
    }
    return svg;
  })();

  // Day by day.
  const daySlider = h("input", { type: "range", min: 0, max: db.dates.length - 1, value: db.dates.length - 1, id: "dayslider" });
  const dayOut = h("div", { id: "dayout" });
  const showDay = () => {
    const d = +daySlider.value, r = Math.min(db.played.length - 1, Math.floor(d / db.round_days));
    clear(dayOut);
    dayOut.append(h("p", {}, `${db.dates[d]} (day ${d}, round ${r + 1})`),
      h("table", {}, h("tr", {}, h("th", {}, "platform"), h("th", { class: "num" }, "share"), h("th", { class: "num" }, "card-bound"), h("th", { class: "num" }, "burn so far"), h("th", {}, "playing")),
        db.labels.map((l, p) => h("tr", {}, h("td", {}, l), h("td", { class: "num" }, pct(db.class.share[p][d])), h("td", { class: "num" }, num(db.class.card_bound[p][d])),
          h("td", { class: "num" }, yuan(db.class.burn[p][d])), h("td", {}, db.teams[p] ? lever(db.played[r][p]) : "bot")))));
  };
  daySlider.addEventListener("input", showDay);
  showDay();

  // Fork.
  const teamSel = h("select", { id: "forkteam" }, db.labels.map((l, p) => (db.teams[p] ? h("option", { value: p }, l) : null)));
  const roundSel = h("select", { id: "forkround" }, db.played.map((_, r) => h("option", { value: r }, "round " + (r + 1))));
  const leverKeys = Array.from(new Set(db.played.flatMap((row) => row.flatMap((d) => Object.keys(d || {})))));
  if (!leverKeys.length) leverKeys.push("cashback");
  const forkIns = {};
  const forkOut = h("div", { id: "forkout" });
  const forkMsg = h("p", { class: "err" });
  const forkForm = h("form", { id: "fork", onsubmit: async (ev) => {
    ev.preventDefault();
    const d = {};
    for (const [k, el] of Object.entries(forkIns)) if (el.value !== "") d[k] = Number(el.value);
    forkMsg.textContent = "simulating…";
    try {
      const run = await api("POST", `/api/sessions/${code}/fork`, { team: +teamSel.value, round: +roundSel.value, decision: d }, token);
      forkMsg.textContent = "";
      clear(forkOut);
      forkOut.append(h("p", {}, run.label + ": payoffs " + run.payoff.map((x, p) => `${db.labels[p]} ${x.toPrecision(4)}`).join(", ") +
        " (class: " + db.class.payoff.map((x, p) => `${db.labels[p]} ${x.toPrecision(4)}`).join(", ") + ")"),
        lineChart([...shareSeries(db.class), ...shareSeries(run, "6 4")], opt), h("p", { class: "muted" }, "solid: the class; dashed: the fork"));
    } catch (e) { forkMsg.textContent = e.message; }
  } }, h("label", {}, "What if"), teamSel, h("label", {}, "from"), roundSel,
  leverKeys.flatMap((k) => { forkIns[k] = h("input", { type: "number", step: "any", placeholder: "schedule", id: "fork-" + k }); return [h("label", {}, k.replace(/_/g, " ")), forkIns[k]]; }),
  h("div", {}, h("button", { type: "submit" }, "Fork the game here")), forkMsg);

  // The game.
  const g = db.game || {};
  const gameCard = h("div", { class: "card", id: "game" }, h("h2", {}, "The game of the strategies you played"));
  if (g.players && g.players.length) {
    gameCard.append(
      h("p", {}, `Every combination of the strategies below was simulated ${g.replicates} times on common seeds at ${num(g.users)} users; payoff: ${g.metric}.`),
      h("table", {}, g.players.map((pl, p) => h("tr", {}, h("th", {}, pl), h("td", {}, g.strategies[p].map((s, i) => (i === g.class[p] ? "▶ " + s + " (played)" : s)).join(" · "))))),
      h("p", { id: "regret" }, h("strong", {}, "How far from equilibrium: "), g.regret > 0 ? `regret ${g.regret.toPrecision(4)} (± ${(1.96 * g.regret_se).toPrecision(2)}). ` : "", g.deviation),
      h("h2", {}, "Nash equilibria"),
      h("table", { id: "equilibria" }, h("tr", {}, h("th", {}, "equilibrium"), h("th", {}, "payoffs"), h("th", {}, "noise")),
        (g.equilibria || []).map((e) => h("tr", {}, h("td", {}, g.players.map((pl, p) => `${pl}: ` + e.mix[p].map((x, i) => (x > 1e-6 ? `${(100 * x).toFixed(0)}% ${g.strategies[p][i]}` : null)).filter(Boolean).join(" + ")).join("; ")),
          h("td", {}, e.payoffs.map((x) => x.toPrecision(4)).join(", ")), h("td", {}, e.not_rejected ? "consistent with the data" : "a deviation pays significantly")))));
  }
  for (const n of g.notes || []) gameCard.append(h("p", { class: "muted" }, n));

  clear(app);
  app.append(
    h("div", { class: "card" }, h("h1", {}, "Debrief"), h("p", { class: "muted" }, `computed in ${db.took}`),
      h("a", { href: `/api/sessions/${code}/export.csv` }, h("button", { class: "secondary" }, "Decisions and outcomes (CSV)")),
      h("a", { href: `/api/sessions/${code}/export.parquet` }, h("button", { class: "secondary" }, "Parquet"))),
    h("div", { class: "card" }, h("h2", {}, "Your decisions, round by round"), timeline),
    h("div", { class: "card" }, h("h2", {}, "Burn against share (one point a round)"), legend(plat), burnShare),
    h("div", { class: "grid" },
      h("div", { class: "card" }, h("h2", {}, "The class"), legend(plat), lineChart(shareSeries(db.class), opt)),
      h("div", { class: "card" }, h("h2", {}, "Bots only"), h("p", { class: "muted" }, db.bots.label), lineChart(shareSeries(db.bots), opt)),
      db.history ? h("div", { class: "card" }, h("h2", {}, "What really happened"), h("p", { class: "muted" }, db.history.label + "; dots: the record"),
        lineChart(shareSeries(db.history), Object.assign({ points }, opt)),
        h("ul", {}, (db.record || []).map((rp) => h("li", { class: "muted" }, `${rp.date}: ${rp.note} (${rp.source})`)))) : null),
    h("div", { class: "card" }, h("h2", {}, "Replay the class's game day by day"), daySlider, dayOut),
    h("div", { class: "card" }, h("h2", {}, "Fork the game at a round"), forkForm, forkOut),
    gameCard);
}

// ---- routes --------------------------------------------------------------

const parts = location.pathname.split("/").filter(Boolean);
if (parts[0] === "teacher") teacherPage();
else if (parts[0] === "play" && parts[1]) playPage(parts[1].toUpperCase());
else if (parts[0] === "join" && parts[1]) {
  const c = parts[1].toUpperCase();
  if (localStorage.getItem(seatKey(c))) location.href = "/play/" + c; else joinPage(c);
}
else if (parts[0] === "projector" && parts[1]) projectorPage(parts[1].toUpperCase());
else if (parts[0] === "debrief" && parts[1]) debriefPage(parts[1].toUpperCase());
else joinPage("");
