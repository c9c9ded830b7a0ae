// Shared pieces of the browser tests: the real server (demo data), Chromium, logging in.
import assert from 'node:assert/strict'
import { spawn, spawnSync, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'node:test'
import { chromium } from 'playwright-core'
import { CHROMIUM, checkChromium } from './browser.mjs'

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const OUT = path.join(WEB, 'test-output')
export const SHOTS = path.join(OUT, 'screenshots')
export const PASSWORD = 'demo-pass-2026'
export const BIN = path.resolve(WEB, process.env.DANGJIAN_BIN || '../bin/dangjian')

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

/** Whether a subcommand has a flag (Go's flag package prints its usage on stderr). */
function hasFlag(cmd, flag) {
  const r = spawnSync(BIN, [cmd, '--help'], { encoding: 'utf8' })
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.includes(`-${flag}`)
}

/**
 * Creates the demo district in a temporary database and serves it; stop() ends the server.
 * loginRateUser is its per-username login limit (a minute). A server that does not come up, or
 * serves another build, is stopped before the error is thrown; one left running when the test
 * process exits (a crash, a timeout) is killed then, so nothing keeps the run from ending.
 */
export async function startServer({ loginRateUser = 600 } = {}) {
  if (!fs.existsSync(BIN)) throw new Error(`no server binary at ${BIN} (set DANGJIAN_BIN, or run: go build -o bin/dangjian ./cmd/dangjian)`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-e2e-'))
  const db = path.join(dir, 'e2e.db')
  const dataArgs = (cmd) => (hasFlag(cmd, 'data-dir') ? ['--data-dir', path.join(dir, 'data')] : [])
  const t0 = Date.now()
  try {
    execFileSync(BIN, ['demo', '--db', db, '--password', PASSWORD, '--seed', '1', ...dataArgs('demo')], { stdio: ['ignore', 'pipe', 'inherit'] })
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw e
  }
  console.log(`# demo data created in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  // Every browser test logs in from 127.0.0.1, as the same few users, far more often than a
  // person would; the suite that tests the per-username limit keeps it.
  const loginArgs = hasFlag('serve', 'login-rate-ip') ? ['--login-rate-ip', '600', '--login-rate-user', String(loginRateUser)] : []
  const proc = spawn(BIN, ['serve', '--db', db, '--addr', `127.0.0.1:${port}`, ...dataArgs('serve'), ...loginArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DANGJIAN_ADMIN_PASSWORD: PASSWORD },
  })
  const killOnExit = () => proc.exitCode === null && proc.kill('SIGKILL')
  process.once('exit', killOnExit)
  let log = ''
  proc.stdout.on('data', (d) => (log += d))
  proc.stderr.on('data', (d) => (log += d))
  async function stop() {
    process.off('exit', killOnExit)
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitReady(proc, base, () => log)
    await checkFreshUi(base)
  } catch (e) {
    await stop()
    throw e
  }
  return { base, log: () => log, stop }
}

/** Waits for the server's /readyz (60 s at most). */
async function waitReady(proc, base, log) {
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${log()}`)
    try {
      const r = await fetch(`${base}/readyz`)
      if (r.status === 200) return
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`server not ready in 60 s:\n${log()}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** The binary embeds web/dist at build time: make sure it serves the UI that was just built. */
async function checkFreshUi(base) {
  const served = await (await fetch(`${base}/`)).text()
  const local = path.join(WEB, 'dist', 'index.html')
  const script = (html) => /<script[^>]*src="([^"]+)"/.exec(html)?.[1]
  if (!fs.existsSync(local)) throw new Error('web/dist is not built: run npm run build first')
  const want = script(fs.readFileSync(local, 'utf8'))
  if (script(served) !== want) {
    throw new Error(`the server serves another build of the UI (${script(served)}, web/dist has ${want}): rebuild the binary after npm run build (go build -o bin/dangjian ./cmd/dangjian)`)
  }
}

/** An API session for checks made beside the browser (Bearer token). */
export async function apiSession(base, username) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`)
  const { token } = await r.json()
  const call = async (p, init = {}) => {
    const res = await fetch(`${base}${p}`, { ...init, headers: { Authorization: `Bearer ${token}`, Origin: base, ...(init.headers ?? {}) } })
    return res
  }
  return {
    token,
    call,
    async get(p) {
      const res = await call(p)
      if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`)
      return res.json()
    },
  }
}

/** "YYYY-MM-DD" of an instant in China Standard Time. */
export const cstDate = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)

/**
 * What every browser-test file starts with: the demo server, Chromium and an admin API session.
 * Without Chromium it fails at once, before starting anything; when a later step fails, what was
 * started is stopped before the error is thrown (the test's after() never sees it).
 */
export async function startSuite(opts) {
  fs.mkdirSync(OUT, { recursive: true })
  checkChromium()
  const server = await startServer(opts)
  let browser
  try {
    browser = await launch()
    return { server, browser, admin: await apiSession(server.base, 'admin') }
  } catch (e) {
    await stopSuite({ server, browser })
    throw e
  }
}

export async function stopSuite({ server, browser }) {
  await browser?.close()
  await server?.stop()
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

/**
 * Content-Security-Policy violations seen by any page of any test: the built app must run
 * under the server's policy. Every test fails that leaves one here (tests that provoke one
 * on purpose take it out with takeCspViolations).
 */
const cspViolations = []
export function takeCspViolations() {
  return cspViolations.splice(0)
}
afterEach(() => {
  const seen = takeCspViolations()
  assert.deepEqual(seen, [], `Content-Security-Policy violations:\n${JSON.stringify(seen, null, 2)}`)
})

export async function newPage(browser, base, opts = {}) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 860 }, acceptDownloads: true, ...opts })
  context.setDefaultTimeout(20_000)
  // every page of the context (new tabs too) reports its violations, and keeps them in window.__csp
  await context.exposeBinding('__cspViolation', (_source, v) => {
    console.log(`# CSP violation: ${JSON.stringify(v)}`)
    cspViolations.push(v)
  })
  await context.addInitScript(() => {
    window.__csp = []
    document.addEventListener('securitypolicyviolation', (e) => {
      const v = { directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample, page: location.pathname }
      window.__csp.push(v)
      window.__cspViolation?.(v)
    })
  })
  context.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push({ console: m.text() })
  })
  const page = await context.newPage()
  page.on('pageerror', (e) => console.log(`# page error: ${e.message}`))
  return { context, page }
}

export async function login(page, username, password = PASSWORD) {
  await page.goto('/login')
  await page.fill('#login-username', username)
  await page.fill('#login-password', password)
  await page.click('[data-testid=login-submit]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.waitForLoadState('networkidle')
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

/* Chinese resident ID numbers (GB 11643): 17 digits and a check character. */
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
export function checkChar(first17) {
  const s = [...first17].reduce((a, c, i) => a + Number(c) * W[i], 0)
  return '10X98765432'[s % 11]
}
export function idNumber(birth /* YYYYMMDD */, seq /* 3 digits */, region = '330602') {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`
  return body + checkChar(body)
}
/** The same number with a wrong check character. */
export function breakCheck(id) {
  const good = checkChar(id.slice(0, 17))
  const bad = '10X98765432'.split('').find((c) => c !== good && c !== 'X')
  return id.slice(0, 17) + bad
}

const AXE = path.join(WEB, 'node_modules', 'axe-core', 'axe.min.js')
/**
 * Runs axe-core (the standard automated accessibility checker) on the page and returns its
 * violations of at least `minImpact` ('serious': serious and critical), one line each: rule,
 * impact, help and the first few offending elements. The script is evaluated through the
 * DevTools protocol, so the page's Content-Security-Policy stays as it is.
 */
export async function axeCheck(page, { minImpact = 'serious', disable = [] } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(fs.readFileSync(AXE, 'utf8'))
  const levels = ['minor', 'moderate', 'serious', 'critical']
  const res = await page.evaluate(
    (disabled) => window.axe.run(document, { resultTypes: ['violations'], rules: Object.fromEntries(disabled.map((r) => [r, { enabled: false }])) }),
    disable,
  )
  return res.violations
    .filter((v) => levels.indexOf(v.impact) >= levels.indexOf(minImpact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 4 ? ` (+${v.nodes.length - 4})` : ''}`)
}
