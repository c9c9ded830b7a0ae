// The follow-up of organizational life: 组织生活会 problem lists (整改), 谈心谈话 coverage,
// and the live self sign-in (QR code countdown, polled attendance merged into edited rows).
import { cstParts } from './life'

// 整改 (rectification of the problems a 组织生活会 found)

export type RectState = 'done' | 'overdue' | 'open'
export interface RectLike { done_at?: string | null; overdue: boolean }

/** done (a completion time is set) › overdue (the server's flag: past the deadline, not done) › open. */
export function rectState(r: RectLike): RectState {
  if (r.done_at) return 'done'
  return r.overdue ? 'overdue' : 'open'
}

/** The mark shown beside the state text (colour is never the only signal). */
export function rectMark(s: RectState): string {
  return { done: '✓', overdue: '✗', open: '…' }[s]
}

/** Counts for "共 N 项，已完成 M 项，逾期 K 项". */
export function rectProgress(items: RectLike[]) {
  const c = { total: items.length, done: 0, overdue: 0, open: 0 }
  for (const r of items) c[rectState(r)]++
  return c
}

/** The CST calendar date "YYYY-MM-DD" of an instant (a completion time), '' when there is none. */
export function cstDateOf(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const c = cstParts(d)
  return `${c.y}-${String(c.m).padStart(2, '0')}-${String(c.d).padStart(2, '0')}`
}

export interface ActivityAccess {
  state: string
  superseded_by?: number
  can?: { edit: boolean; submit: boolean; review: boolean; amend: boolean }
}

/**
 * Who sees the add / mark-done buttons of the problem list. The server allows both to anyone who
 * may write the activity's organization, in any state (adding also after acceptance, but not on a
 * superseded record; marking done even there). The activity's `can` says "may write" only through
 * edit (planned/held/returned) and amend (accepted); for a submitted or superseded record the
 * caller's `write_members` permission stands in (the activity is visible, so it is in scope) and
 * the server's 403 decides in the rare case of a narrower grant.
 */
export function followUpAccess(a: ActivityAccess, writeMembers: boolean): { add: boolean; done: boolean } {
  if (a.state === 'cancelled') return { add: false, done: false }
  const live = !a.superseded_by
  const write = !!(a.can?.edit || a.can?.submit || a.can?.amend) || ((a.state === 'submitted' || !live) && writeMembers)
  return { add: live && write, done: write }
}

// 谈心谈话

export interface TalkListLike {
  members_total: number
  not_talked: { member_id: number; name: string }[]
  items: { member_id: number; member_name: string }[]
}

/** 已谈 X / 共 Y: members of the roster talked with this year. */
export function talkCoverage(l: TalkListLike) {
  const total = l.members_total
  const left = Math.min(l.not_talked.length, total)
  const talked = total - left
  return { talked, total, left, complete: total > 0 && left === 0, share: total ? talked / total : 0 }
}

export interface TalkOption { member_id: number; name: string; talked: boolean }

/**
 * The member picker of the talk dialog: the members not yet talked with first (the server's
 * roster order), then those already talked with this year (by name, each once). Together they are
 * the whole roster: the server's not_talked is the roster less the members in the year's talks.
 */
export function talkMemberOptions(l: TalkListLike): TalkOption[] {
  const out: TalkOption[] = l.not_talked.map((m) => ({ member_id: m.member_id, name: m.name, talked: false }))
  const seen = new Set(out.map((o) => o.member_id))
  const talked: TalkOption[] = []
  for (const t of l.items) {
    if (seen.has(t.member_id)) continue
    seen.add(t.member_id)
    talked.push({ member_id: t.member_id, name: t.member_name, talked: true })
  }
  talked.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
  return out.concat(talked)
}

// Self sign-in

export interface AttRow { member_id: number; name: string; state: string; reason: string; from_exemption: boolean; checked_in: boolean }

/** Whether the member's current record is their own sign-in with the code (the server's `checked_in`). */
export function isSignedIn(r: { state: string; checked_in: boolean }): boolean {
  return r.state === 'present' && r.checked_in
}

/** Members signed in by themselves, as the server last answered. */
export function signedInCount(items: { state: string; checked_in: boolean }[]): number {
  return items.filter(isSignedIn).length
}

function same(a: AttRow, b: AttRow): boolean {
  return a.state === b.state && a.reason === b.reason && a.checked_in === b.checked_in
}

/**
 * Merges a polled attendance list into the rows on screen. `base` is the server state the rows
 * were last loaded from (or saved to). Only members whose server state changed to present (a
 * sign-in) since `base` are taken, and only where the row on screen is still as loaded: a row the
 * secretary has changed but not saved is never overwritten. Merged members move into the returned
 * base; unchanged rows keep their object (an input being typed in is not replaced). A member new
 * to the roster who signed in is appended.
 */
export function mergePolledAttendance<T extends AttRow>(rows: T[], base: T[], polled: T[]): { rows: T[]; base: T[]; merged: number[] } {
  const baseBy = new Map(base.map((b) => [b.member_id, b]))
  const polledBy = new Map(polled.map((p) => [p.member_id, p]))
  const merged: number[] = []
  const taken = new Map<number, T>()
  for (const p of polled) {
    const b = baseBy.get(p.member_id)
    if (p.state !== 'present' || (b && same(b, p))) continue
    if (b && b.state === 'present') continue // already present when loaded: nothing a sign-in adds
    const r = rows.find((x) => x.member_id === p.member_id)
    if (r && b && !same(r, b)) continue // edited on screen, not saved: the secretary's choice stands
    if (r && !b) continue
    taken.set(p.member_id, p)
    merged.push(p.member_id)
  }
  if (!merged.length) return { rows, base, merged }
  const outRows = rows.map((r) => (taken.has(r.member_id) ? { ...taken.get(r.member_id)! } : r))
  for (const id of merged) if (!rows.some((r) => r.member_id === id)) outRows.push({ ...polledBy.get(id)! })
  const outBase = base.map((b) => (taken.has(b.member_id) ? { ...taken.get(b.member_id)! } : b))
  for (const id of merged) if (!baseBy.has(id)) outBase.push({ ...polledBy.get(id)! })
  return { rows: outRows, base: outBase, merged }
}

/** The difference server clock − local clock in ms, from a response's Date header (0 if unknown). */
export function clockSkew(dateHeader: string | null | undefined, localMs: number): number {
  if (!dateHeader) return 0
  const server = Date.parse(dateHeader)
  if (Number.isNaN(server)) return 0
  const skew = server - localMs
  // The header has whole seconds: ignore differences a round trip explains.
  return Math.abs(skew) < 2000 ? 0 : skew
}

/** Milliseconds a code is still valid at local time `nowMs` (≥ 0). */
export function remainingMs(expiresAt: string, nowMs: number, skewMs = 0): number {
  const end = Date.parse(expiresAt)
  if (Number.isNaN(end)) return 0
  return Math.max(0, end - (nowMs + skewMs))
}

/** A countdown "14:59" (minutes:seconds, rounded up to the second). */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** The delay before the next attendance poll: every `every` ms, a last one right at expiry, then none. */
export function nextPollDelay(leftMs: number, every = 5000): number | null {
  if (leftMs <= 0) return null
  return Math.min(every, leftMs + 250)
}
