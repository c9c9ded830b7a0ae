// Organizational life: periods in China Standard Time (UTC+8, no daylight saving), activities by
// month, compliance findings by period, attendance rates.

import type { Facts } from '@/shared/api/types'

const CST_MS = 8 * 3600_000

export type PeriodKind = 'month' | 'quarter' | 'year'

/** The wall-clock parts of an instant in China Standard Time. */
export function cstParts(d: Date): { y: number; m: number; d: number; hh: number; mm: number } {
  const s = new Date(d.getTime() + CST_MS)
  return { y: s.getUTCFullYear(), m: s.getUTCMonth() + 1, d: s.getUTCDate(), hh: s.getUTCHours(), mm: s.getUTCMinutes() }
}

const p2 = (n: number) => String(n).padStart(2, '0')

/** "2026-07" (month), "2026-Q3" (quarter) or "2026" (year) of an instant in CST. */
export function periodOf(d: Date, kind: PeriodKind): string {
  const c = cstParts(d)
  if (kind === 'year') return String(c.y)
  if (kind === 'quarter') return `${c.y}-Q${Math.ceil(c.m / 3)}`
  return `${c.y}-${p2(c.m)}`
}

export function periodKind(period: string): PeriodKind | undefined {
  if (/^\d{4}$/.test(period)) return 'year'
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter'
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return 'month'
  return undefined
}

/** The quarter "2026-Q3" a month "2026-07" belongs to. */
export function quarterOfMonth(month: string): string {
  const [y, m] = month.split('-')
  return `${y}-Q${Math.ceil(Number(m) / 3)}`
}

/** The twelve months of a year: ["2026-01", …, "2026-12"]. */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${p2(i + 1)}`)
}

/** The months of a quarter "2026-Q3": ["2026-07", "2026-08", "2026-09"]. */
export function monthsOfQuarter(q: string): string[] {
  const [y, n] = q.split('-Q')
  const first = (Number(n) - 1) * 3 + 1
  return [0, 1, 2].map((i) => `${y}-${p2(first + i)}`)
}

/** The periods a picker offers around now: the last `back` and next months/quarters/years. */
export function periodChoices(kind: PeriodKind, now: Date, back = 12): string[] {
  const c = cstParts(now)
  const out: string[] = []
  if (kind === 'year') for (let y = c.y; y > c.y - Math.min(back, 5); y--) out.push(String(y))
  else if (kind === 'quarter') {
    let y = c.y
    let q = Math.ceil(c.m / 3)
    for (let i = 0; i < Math.min(back, 8); i++) {
      out.push(`${y}-Q${q}`)
      if (--q === 0) { q = 4; y-- }
    }
  } else {
    let y = c.y
    let m = c.m
    for (let i = 0; i < back; i++) {
      out.push(`${y}-${p2(m)}`)
      if (--m === 0) { m = 12; y-- }
    }
  }
  return out
}

/** "2026-11-20T09:00" (a wall-clock time in CST, as the date picker gives it) → RFC 3339. */
export function cstInputToIso(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2})?$/.exec(v)
  if (!m) return v
  return `${m[1]}T${m[2]}:00+08:00`
}

/** An instant → "2026-11-20T09:00", its wall-clock time in CST (for the date picker). */
export function isoToCstInput(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const c = cstParts(d)
  return `${c.y}-${p2(c.m)}-${p2(c.d)}T${p2(c.hh)}:${p2(c.mm)}`
}

/** The date "2026-11-23" of today in CST. */
export function cstToday(now = new Date()): string {
  const c = cstParts(now)
  return `${c.y}-${p2(c.m)}-${p2(c.d)}`
}

export interface Dated { starts_at: string }

/** Activities of a year by CST month, each month's list in time order. */
export function groupByMonth<T extends Dated>(items: T[], year: number): { month: string; items: T[] }[] {
  const months = monthsOf(year).map((month) => ({ month, items: [] as T[] }))
  for (const a of items) {
    const d = new Date(a.starts_at)
    if (Number.isNaN(d.getTime())) continue
    const c = cstParts(d)
    if (c.y !== year) continue
    months[c.m - 1].items.push(a)
  }
  for (const m of months) m.items.sort((a, b) => a.starts_at.localeCompare(b.starts_at))
  return months
}

export interface FindingLike { period: string; status: string }

/** Findings by their period ("2026", "2026-Q3", "2026-07"). */
export function findingsByPeriod<T extends FindingLike>(findings: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const f of findings) {
    const l = m.get(f.period)
    if (l) l.push(f)
    else m.set(f.period, [f])
  }
  return m
}

export const FINDING_STATUSES = ['missing', 'due_soon', 'pending', 'upcoming', 'met'] as const
export type FindingStatus = (typeof FINDING_STATUSES)[number]

/** The mark shown beside the status text (colour is never the only signal). */
export function statusMark(status: string): string {
  return ({ met: '✓', missing: '✗', due_soon: '⚠', pending: '…', upcoming: '○' } as Record<string, string>)[status] ?? '·'
}
export function statusTagType(status: string): 'success' | 'danger' | 'warning' | 'info' | 'primary' {
  return ({ met: 'success', missing: 'danger', due_soon: 'warning', pending: 'info', upcoming: 'info' } as const)[status as FindingStatus] ?? 'info'
}
/** Findings that need attention first. */
export function sortFindings<T extends FindingLike & { rule_id?: string }>(f: T[]): T[] {
  const rank = (s: string) => {
    const i = (FINDING_STATUSES as readonly string[]).indexOf(s)
    return i < 0 ? 99 : i
  }
  return [...f].sort((a, b) => rank(a.status) - rank(b.status) || (a.rule_id ?? '').localeCompare(b.rule_id ?? ''))
}

export const ACTIVITY_STATES = ['planned', 'held', 'submitted', 'returned', 'accepted'] as const
export function stateTagType(state: string): 'success' | 'danger' | 'warning' | 'info' | 'primary' {
  return ({ planned: 'info', held: 'success', submitted: 'warning', returned: 'danger', accepted: 'success' } as const)[
    state as (typeof ACTIVITY_STATES)[number]
  ] ?? 'info'
}

export type AttendanceState = 'present' | 'leave' | 'absent' | 'exempt'
export interface AttendanceRow { state: string }

/** Counts and the attendance rate (present ÷ expected, exempted members not expected). */
export function attendanceCounts(rows: AttendanceRow[]) {
  const c = { total: rows.length, present: 0, leave: 0, absent: 0, exempt: 0, expected: 0, rate: null as number | null }
  for (const r of rows) {
    if (r.state === 'present' || r.state === 'leave' || r.state === 'absent' || r.state === 'exempt') c[r.state]++
  }
  c.expected = c.total - c.exempt
  c.rate = c.expected > 0 ? c.present / c.expected : null
  return c
}

/** A rate 0…1 as "89.7%" in the locale; "—" when there is none. */
export function formatRate(rate: number | null | undefined, locale: string): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—'
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate)
}

/** Whether an organization of kind holds its own organizational life (the branch view); kinds
 * are the server's (GET /api/v1/meta/facts branch_kinds; none yet loaded: no). */
export function isBranchKind(kind: string, kinds: readonly string[] | undefined): boolean {
  return !!kinds?.includes(kind)
}

// Attachments and self sign-in

/** What the server accepts for an activity's file (GET /api/v1/meta/facts). */
export type AttachmentRules = Pick<Facts, 'attachment_exts' | 'attachment_max_bytes'>

/** Why a chosen file cannot be uploaded ('type' | 'size' | 'empty') under the server's rules, or
 * null when it may be sent. */
export function attachmentProblem(file: { name: string; size: number }, rules: AttachmentRules): 'type' | 'size' | 'empty' | null {
  const dot = file.name.lastIndexOf('.')
  const ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : ''
  if (!rules.attachment_exts.includes(ext)) return 'type'
  if (file.size > rules.attachment_max_bytes) return 'size'
  if (file.size === 0) return 'empty'
  return null
}

/** A byte count as "12 KB", "3.4 MB". */
export function formatSize(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let n = bytes
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i === 0 || n >= 10 ? 0 : 1 }).format(n)} ${units[i]}`
}

/** A sign-in code as the member types it: digits only, at most 6. */
export function normalizeCode(v: string): string {
  return v.replace(/\D/g, '').slice(0, 6)
}

// 民主评议

export const GRADES = ['excellent', 'qualified', 'basic', 'unqualified'] as const

/** 优秀 and graded counts of appraisal rows against the server's cap (⌊n × the pack's share⌋). */
export function reviewTally(items: { grade: string }[], cap: number | undefined) {
  const graded = items.filter((i) => i.grade).length
  const excellent = items.filter((i) => i.grade === 'excellent').length
  // The cap is the rule pack's, from the API answer; without an answer there is none to pass.
  return { graded, excellent, cap, over: cap !== undefined && excellent > cap }
}

/** The offset in text where its 1-based line begins (the end of the text past the last line). */
export function lineStart(text: string, line: number): number {
  let at = 0
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', at)
    if (nl < 0) return text.length
    at = nl + 1
  }
  return at
}
