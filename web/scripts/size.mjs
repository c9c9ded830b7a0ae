// Reports the gzip size of the JavaScript the login page loads (index.html's scripts and
// modulepreloads plus the login route's chunk and its static imports) against the budget, and the
// largest lazy chunk. Builds first when web/dist is missing or older than the sources.
// Writes web/test-output/size.json.
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(web, 'dist')
const BUDGET_KB = 250

function newest(dir) {
  let t = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    // the .d.ts files are written by the build itself (unplugin), tests are not shipped
    if (!e.isDirectory() && /\.(d|test)\.ts$/.test(e.name)) continue
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)
  }
  return t
}
const indexHtml = path.join(dist, 'index.html')
const srcTime = Math.max(newest(path.join(web, 'src')), fs.statSync(path.join(web, 'index.html')).mtimeMs, fs.statSync(path.join(web, 'vite.config.ts')).mtimeMs)
if (!fs.existsSync(indexHtml) || fs.statSync(indexHtml).mtimeMs < srcTime || !fs.readFileSync(indexHtml, 'utf8').includes('/assets/')) {
  console.log('building…')
  execSync('npm run build', { cwd: web, stdio: 'inherit' })
}

const html = fs.readFileSync(indexHtml, 'utf8')
const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length
const raw = (f) => fs.statSync(path.join(dist, f)).size

// 1. What index.html loads.
const login = new Set()
for (const m of html.matchAll(/<script[^>]*\ssrc="\/?([^"]+\.js)"/g)) login.add(m[1])
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/?([^"]+\.js)"/g)) login.add(m[1])
// 2. The login route's chunk, and (for it and the entry) every chunk imported statically, which the
//    browser must load before the page runs. Dynamic import("…") is lazy and not followed.
const loginChunk = fs.readdirSync(path.join(dist, 'assets')).find((f) => /^Login-[\w-]+\.js$/.test(f))
if (!loginChunk) throw new Error('no Login-*.js chunk in dist/assets')
login.add(`assets/${loginChunk}`)
const staticImport = /(?:\bimport|\bfrom)\s*["']\.\/([^"']+\.js)["']/g
const queue = [...login]
while (queue.length) {
  const f = queue.shift()
  const code = fs.readFileSync(path.join(dist, f), 'utf8')
  for (const m of code.matchAll(staticImport)) {
    const dep = path.posix.join(path.posix.dirname(f), m[1])
    if (!login.has(dep)) {
      login.add(dep)
      queue.push(dep)
    }
  }
}

const rows = [...login].sort().map((f) => ({ file: f, raw: raw(f), gzip: gz(f) }))
const loginGzip = rows.reduce((s, r) => s + r.gzip, 0)
const allJs = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`)
const lazy = allJs.filter((f) => !login.has(f)).map((f) => ({ file: f, raw: raw(f), gzip: gz(f) })).sort((a, b) => b.gzip - a.gzip)
const totalGzip = allJs.reduce((s, f) => s + gz(f), 0)

const kb = (n) => (n / 1024).toFixed(1)
console.log('\nJavaScript loaded by the login page')
console.log('  file'.padEnd(52) + 'raw KB'.padStart(10) + 'gzip KB'.padStart(10))
for (const r of rows) console.log(`  ${r.file}`.padEnd(52) + kb(r.raw).padStart(10) + kb(r.gzip).padStart(10))
console.log('  TOTAL'.padEnd(52) + kb(rows.reduce((s, r) => s + r.raw, 0)).padStart(10) + kb(loginGzip).padStart(10) + `   budget ${BUDGET_KB} KB: ${loginGzip / 1024 <= BUDGET_KB ? 'OK' : 'OVER'}`)
console.log('\nLargest lazy chunks')
for (const r of lazy.slice(0, 5)) console.log(`  ${r.file}`.padEnd(52) + kb(r.raw).padStart(10) + kb(r.gzip).padStart(10))
console.log(`\nAll JavaScript: ${allJs.length} files, ${kb(totalGzip)} KB gzip`)

const out = {
  budget_kb: BUDGET_KB,
  login_js_gzip_kb: +kb(loginGzip),
  within_budget: loginGzip / 1024 <= BUDGET_KB,
  login_files: rows,
  largest_lazy_chunk: lazy[0] ?? null,
  largest_lazy_chunks: lazy.slice(0, 5),
  all_js_gzip_kb: +kb(totalGzip),
}
fs.mkdirSync(path.join(web, 'test-output'), { recursive: true })
fs.writeFileSync(path.join(web, 'test-output', 'size.json'), JSON.stringify(out, null, 2) + '\n')
