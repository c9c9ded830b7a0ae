// Which Chromium the browser tests drive (playwright-core never downloads one), and the check
// that fails at once, saying what to do, when there is none. Also run alone before the suite
// (npm's pretest:e2e), so that a missing browser is one clear line, not a failure per file.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

export function checkChromium() {
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK)
  } catch {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary`)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    checkChromium()
  } catch (e) {
    console.error(`browser tests: ${e.message}`)
    process.exit(1)
  }
}
