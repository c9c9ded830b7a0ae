// Dates as people type them. The same forms the member import accepts (internal/member sheet.go
// parseDate): 2006-01-02, 2006/1/2, 2006.01.02, 2006年1月2日, 20060102 and an ISO instant. Keep the
// two in step.

const YMD = /^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$/

function ymd(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d))
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/**
 * The date typed as YYYY-MM-DD; text that is not one of the accepted forms (or no real day, such
 * as 1985-02-30) comes back unchanged (trimmed), for the form or the server to report.
 */
export function parseTypedDate(input: string): string {
  const s = input.trim()
  if (s === '') return ''
  if (/^[0-9]{8}$/.test(s)) return ymd(+s.slice(0, 4), +s.slice(4, 6), +s.slice(6, 8)) ?? s
  const m = YMD.exec(s)
  if (m) return ymd(+m[1], +m[2], +m[3]) ?? s
  if (s.length > 10 && (s[10] === 'T' || s[10] === ' ') && isIsoDate(s.slice(0, 10))) return s.slice(0, 10)
  return s
}

/** Whether s is a real day written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s)
  return !!m && ymd(+m[1], +m[2], +m[3]) === s
}
