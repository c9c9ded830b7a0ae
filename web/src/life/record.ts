// The fast record (RecordSheet): attendance taps and the items sent to the server.
import type { components } from '@/shared/api/schema'
import type { AttendanceItem } from '@/shared/api/types'
import { cstParts, cstToday } from './life'

/** A roster row of the fast record: what the secretary sees and taps. */
export interface QuickRow {
  member_id: number
  name: string
  state: 'present' | 'leave' | 'absent' | 'exempt'
  reason: string
  from_exemption: boolean
}

/** One tap on a name: 出席 → 请假 → 缺席 → 出席 (a standing exemption is not tapped). */
export function nextState(s: QuickRow['state']): QuickRow['state'] {
  if (s === 'present') return 'leave'
  if (s === 'leave') return 'absent'
  if (s === 'absent') return 'present'
  return s
}

/**
 * The attendance to record, from the server's roster (which has the standing exemptions and
 * second affiliates) and the rows the secretary tapped: a tapped member as tapped, an exempted
 * one stays exempt, everyone else present (attendance starts as all present).
 */
export function quickItems(server: AttendanceItem[], rows: QuickRow[]): AttendanceItem[] {
  const mine = new Map(rows.map((r) => [r.member_id, r]))
  return server.map((it) => {
    const r = mine.get(it.member_id)
    if (r && r.state !== 'exempt' && r.state !== 'present') return { ...it, state: r.state, reason: r.state === 'leave' ? r.reason.trim() : '' }
    if (it.state === 'exempt' || it.from_exemption) return it
    if (r?.state === 'exempt') return { ...it, state: 'exempt', reason: r.reason }
    return { ...it, state: 'present', reason: '' }
  })
}

const p2 = (n: number) => String(n).padStart(2, '0')

/**
 * The start time to fill in for a record held on date: today, the last half hour at least an
 * hour ago (a meeting just held; never in the future); another day, 09:00.
 */
export function defaultTime(date: string, now: Date): string {
  if (date !== cstToday(now)) return '09:00'
  const c = cstParts(new Date(now.getTime() - 3600_000))
  if (cstToday(new Date(now.getTime() - 3600_000)) !== date) return '00:00'
  return `${p2(c.hh)}:${c.mm >= 30 ? '30' : '00'}`
}

/** Counts of the rows by state. */
export function quickCounts(rows: { state: string }[]): Record<QuickRow['state'], number> {
  const out = { present: 0, leave: 0, absent: 0, exempt: 0 }
  for (const r of rows) if (r.state in out) out[r.state as QuickRow['state']]++
  return out
}

export type Todo = components['schemas']['Todo']
export type TodoRule = components['schemas']['TodoRule']
export type CheckinInfo = components['schemas']['CheckinInfo']

/** Whole years of 党龄 on today: from the day a member became a full member (none when not yet). */
export function partyYears(fullDate: string | null | undefined, today: string): number | null {
  if (!fullDate || !/^\d{4}-\d{2}-\d{2}$/.test(fullDate) || fullDate > today) return null
  let y = Number(today.slice(0, 4)) - Number(fullDate.slice(0, 4))
  if (today.slice(5) < fullDate.slice(5)) y--
  return y
}

/** A member's meetings: the coming ones (soonest first) and how many of this year's they attended. */
export function myYear<T extends { starts_at: string; state: string; my_state: string }>(items: T[], now: Date) {
  const year = cstToday(now).slice(0, 4)
  const upcoming = items.filter((a) => new Date(a.starts_at).getTime() >= now.getTime() - 3 * 3600_000 && a.state === 'planned')
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at))
  const thisYear = items.filter((a) => a.state !== 'planned' && cstToday(new Date(a.starts_at)).startsWith(year))
  return { upcoming, held: thisYear.length, attended: thisYear.filter((a) => a.my_state === 'present').length }
}
