// The classroom as a teacher and three students live it, in real headless
// Chromium: create a session, join from three browsers, decide, advance, a
// student closes the tab and rejoins (same device, then another device),
// the server is killed with SIGKILL and restarted mid-session, the pages
// reconnect, the game ends and the debrief renders. Screenshots are
// checked for content: the text on the page, and the platforms' colours
// among the pixels of the charts.
//
//   HONGBAO_BIN=... SHOTS=dir node classroom.mjs
//
// Run by scripts/test-classroom.sh, which installs playwright-core (never
// a browser: Debian's chromium is used).
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import net from "node:net";

const bin = process.env.HONGBAO_BIN;
const shots = process.env.SHOTS || mkdtempSync(join(tmpdir(), "classroom-shots-"));
const data = mkdtempSync(join(tmpdir(), "classroom-data-"));
const WECHAT = [0x1a, 0xad, 0x19], ALIPAY = [0x16, 0x77, 0xff];
let passed = 0, failed = 0;
const started = Date.now();
function step(name) { console.log(`== ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`); }

async function freePort() {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); }); });
}

// startServer runs hongbao classroom and resolves with the teacher token.
function startServer(port) {
  const proc = spawn(bin, ["classroom", "--addr", `127.0.0.1:${port}`, "--data", data], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("no teacher URL within 30 s")), 30000);
    proc.stdout.on("data", (b) => {
      out += b.toString();
      const m = out.match(/http:\/\/localhost:\d+\/teacher#([A-Za-z0-9_-]+)/);
      if (m) { clearTimeout(timer); resolve({ proc, token: m[1] }); }
    });
    proc.on("exit", (c) => reject(new Error("server exited " + c)));
  });
}

// shot saves a screenshot and checks that the page shows each text and
// each colour (an [r,g,b] within 8 per channel) among its pixels.
async function shot(page, name, texts, colours) {
  const file = join(shots, name + ".png");
  const png = await page.screenshot({ path: file, fullPage: true });
  const body = await page.locator("body").innerText();
  // Case-insensitive: CSS capitalises some labels, and innerText follows.
  for (const t of texts) assert.ok(body.toLowerCase().includes(t.toLowerCase()), `${name}: the page does not show "${t}"`);
  if (colours && colours.length) {
    const found = await page.evaluate(async ({ b64, colours }) => {
      const img = new Image();
      img.src = "data:image/png;base64," + b64;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width; c.height = img.height;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      return colours.map((col) => {
        let n = 0;
        for (let i = 0; i < px.length; i += 4) {
          if (Math.abs(px[i] - col[0]) <= 8 && Math.abs(px[i + 1] - col[1]) <= 8 && Math.abs(px[i + 2] - col[2]) <= 8) n++;
        }
        return n;
      });
    }, { b64: png.toString("base64"), colours });
    colours.forEach((col, i) => assert.ok(found[i] > 50, `${name}: colour rgb(${col}) drawn on ${found[i]} pixels only`));
  }
  console.log(`   ${name}.png checked`);
}

async function check(name, f) {
  try { await f(); passed++; console.log(`--- PASS: ${name}`); }
  catch (e) { failed++; console.log(`--- FAIL: ${name}\n${e.stack}`); throw e; }
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let server = await startServer(port);
process.on("exit", () => server.proc.kill("SIGKILL"));
// launch() gives Chromium a fresh temporary profile (its --user-data-dir)
// each run and removes it afterwards.
let browser;
const timeout = 20000;
let code;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const teacherCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Errors in any page are printed: a broken page fails with its reason.
  browser.on("disconnected", () => console.log("chromium disconnected"));
  teacherCtx.on("weberror", (e) => console.log("page error:", e.error().message));
  const teacher = await teacherCtx.newPage();
  teacher.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
  teacher.setDefaultTimeout(timeout);

  await check("teacher creates a session", async () => {
    step("teacher");
    await teacher.goto(`${base}/teacher#${server.token}`);
    await teacher.waitForSelector("#create");
    await teacher.selectOption("#scenario", "taxi-war-2014");
    await teacher.fill("#users", "2000");
    await teacher.fill("#round_days", "10");
    await teacher.fill("#rounds", "3");
    await teacher.fill("#timer_sec", "0");
    await teacher.check("#lv-campaign"); // the campaign menu too
    await teacher.click("#createbtn");
    await teacher.waitForSelector("#joincode");
    code = (await teacher.textContent("#joincode")).trim();
    assert.match(code, /^[A-Z0-9]{6}$/);
    await teacher.waitForFunction(() => document.querySelector("img") && document.querySelector("img").naturalWidth > 0);
    await shot(teacher, "teacher-lobby", [code, "waiting for the teacher to start", "Didi (WeChat Pay)"]);
  });

  const students = [];
  await check("three students join from their own browsers", async () => {
    step("students join");
    for (const name of ["Ada", "Bo", "Cy"]) {
      const ctx = await browser.newContext({ viewport: { width: 420, height: 900 }, isMobile: name === "Bo" });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${base}/join/${code}`);
      await page.fill("#name", name);
      await page.click("#join");
      await page.waitForURL(`**/play/${code}`);
      await page.waitForSelector("#phase");
      students.push({ name, ctx, page });
    }
    // The teacher's roster shows them.
    await teacher.waitForFunction(() => document.body.innerText.includes("Cy"));
    await shot(students[0].page, "student-lobby", ["You are Ada", "waiting for the teacher"]);
  });

  await check("round 1: decide and advance when every team has submitted", async () => {
    step("round 1");
    await teacher.click("#start");
    const [ada, bo] = students.map((s) => s.page);
    await ada.waitForSelector("#submit:not([disabled])");
    await ada.fill("#lever-cashback", "10");
    await ada.click("#submit");
    await ada.waitForSelector("#pending");
    await bo.waitForSelector("#submit:not([disabled])");
    await bo.fill("#lever-cashback", "12");
    await bo.fill("#lever-merchant_bonus", "5");
    await bo.selectOption("#lever-campaign", "1"); // Kuaidi's first campaign of the menu
    await bo.click("#submit");
    for (const s of students) await s.page.waitForFunction(() => document.querySelector("#phase").textContent.includes("round 2 of 3: decide"));
    await shot(ada, "student-round2", ["round 2 of 3", "your books", "Market", "Campaign this round"], [WECHAT, ALIPAY]);
    // Ada sees Kuaidi's public offer of round 1: its campaign, by name.
    assert.match(await ada.locator("#market").innerText(), /campaign kuaidi/i);
  });

  await check("a student closes the tab and rejoins, then from another device", async () => {
    step("rejoin");
    const cy = students[2];
    const team = await cy.page.locator("h1").first().innerText();
    const rejoin = await cy.page.locator("code.tok").textContent();
    await cy.page.close();
    const again = await cy.ctx.newPage();
    again.setDefaultTimeout(timeout);
    await again.goto(`${base}/join/${code}`);
    await again.waitForURL(`**/play/${code}`);
    await again.waitForSelector("#phase");
    assert.equal(await again.locator("h1").first().innerText(), team);
    assert.ok((await again.locator("body").innerText()).includes("You are Cy"));
    cy.page = again;
    const other = await browser.newContext({ viewport: { width: 800, height: 900 } });
    const p2 = await other.newPage();
    p2.setDefaultTimeout(timeout);
    await p2.goto(rejoin);
    await p2.waitForSelector("#phase");
    assert.ok((await p2.locator("body").innerText()).includes("You are Cy"));
    await other.close();
  });

  await check("the server is killed and restarted mid-session; pages reconnect", async () => {
    step("kill -9");
    const ada = students[0].page;
    await ada.fill("#lever-cashback", "6");
    await ada.click("#submit");
    await ada.waitForSelector("#pending");
    server.proc.kill("SIGKILL");
    await ada.waitForFunction(() => document.querySelector("#conn").innerText.includes("reconnecting"));
    await shot(ada, "student-reconnecting", ["reconnecting"]);
    step("restart");
    const again = await startServer(port);
    assert.equal(again.token, server.token, "the teacher's token changed");
    server = again;
    for (const s of students) await s.page.waitForFunction(() => document.querySelector("#conn").innerText === "live", null, { timeout: 30000 });
    await teacher.waitForFunction(() => document.querySelector("#conn").innerText === "live", null, { timeout: 30000 });
    // Ada's decision survived the crash.
    await ada.waitForSelector("#pending");
    assert.ok((await ada.locator("#pending").innerText()).includes("cashback 6"));
    assert.ok((await ada.locator("#phase").textContent()).includes("round 2 of 3"));
  });

  await check("the teacher forces the last rounds; the debrief renders", async () => {
    step("round 2 and 3");
    const bo = students[1].page;
    await bo.fill("#lever-cashback", "8");
    await bo.click("#submit");
    await teacher.waitForFunction(() => document.querySelector("#phase").textContent.includes("round 3 of 3: decide"));
    await shot(teacher, "teacher-round3", ["round 3 of 3", "Didi (WeChat Pay)", "Kuaidi (Alipay)", "teacher's view"], [WECHAT, ALIPAY]);
    await teacher.click("#advance");
    await teacher.waitForSelector("#debrieflink");
    step("debrief");
    await teacher.click("#debrieflink");
    await teacher.waitForSelector("#equilibria", { timeout: 120000 });
    await shot(teacher, "debrief", ["Debrief", "Your decisions, round by round", "Bots only", "What really happened", "How far from equilibrium", "Nash equilibria", "as wechat played"], [WECHAT, ALIPAY]);
    // A fork at round 2.
    await teacher.selectOption("#forkround", "1");
    await teacher.fill("#fork-cashback", "0");
    await teacher.click("#fork button");
    await teacher.waitForSelector("#forkout svg", { timeout: 60000 });
    await shot(teacher, "debrief-fork", ["from round 2", "dashed: the fork"]);
    // Students see the debrief too once the game is over.
    const ada = students[0].page;
    await ada.waitForSelector("#debrieflink");
  });
} catch (e) {
  if (!failed) { failed++; console.log(`--- FAIL: set-up\n${e.stack}`); }
} finally {
  if (browser) await browser.close();
  server.proc.kill("SIGKILL");
  writeFileSync(join(shots, "result.txt"), `${passed} passed, ${failed} failed\n`);
  console.log(`${passed} passed, ${failed} failed`);
  console.log(`screenshots in ${shots} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
process.exit(failed ? 1 : 0);
