import { describe, expect, test } from 'vitest'
import {
  clockSkew, cstDateOf, followUpAccess, formatCountdown, isSignedIn, mergePolledAttendance, nextPollDelay, rectMark, rectProgress,
  rectState, remainingMs, signedInCount, talkCoverage, talkMemberOptions, type AttRow,
} from './followup'

const SIGNED = 'signed in'

describe('rectification', () => {
  const done = { done_at: '2026-11-20T02:00:00Z', overdue: false }
  const late = { done_at: null, overdue: true }
  const open = { done_at: '', overdue: false }
  test('state: done wins over the overdue flag; empty done_at is not done', () => {
    expect(rectState(done)).toBe('done')
    expect(rectState({ done_at: '2026-11-20T02:00:00Z', overdue: true })).toBe('done')
    expect(rectState(late)).toBe('overdue')
    expect(rectState(open)).toBe('open')
    expect(rectState({ overdue: false })).toBe('open')
    expect([rectMark('done'), rectMark('overdue'), rectMark('open')]).toEqual(['✓', '✗', '…'])
  })
  test('progress counts', () => {
    expect(rectProgress([])).toEqual({ total: 0, done: 0, overdue: 0, open: 0 })
    expect(rectProgress([done, late, open, open, done])).toEqual({ total: 5, done: 2, overdue: 1, open: 2 })
  })
  test('completion date in China Standard Time', () => {
    expect(cstDateOf('2026-11-20T16:30:00Z')).toBe('2026-11-21')
    expect(cstDateOf('2026-11-20T15:59:59Z')).toBe('2026-11-20')
    expect(cstDateOf(null)).toBe('')
    expect(cstDateOf('nonsense')).toBe('')
  })
  test('who may add and mark done', () => {
    const can = (o: Partial<{ edit: boolean; submit: boolean; review: boolean; amend: boolean }>) => ({ edit: false, submit: false, review: false, amend: false, ...o })
    // held / returned: can.edit
    expect(followUpAccess({ state: 'held', can: can({ edit: true, submit: true }) }, true)).toEqual({ add: true, done: true })
    // accepted: rectification goes on after acceptance (can.amend)
    expect(followUpAccess({ state: 'accepted', can: can({ amend: true }) }, true)).toEqual({ add: true, done: true })
    // a viewer: nothing, whatever the state
    expect(followUpAccess({ state: 'accepted', can: can({}) }, false)).toEqual({ add: false, done: false })
    expect(followUpAccess({ state: 'submitted', can: can({}) }, false)).toEqual({ add: false, done: false })
    // submitted: can says nothing, the write permission decides (the server's 403 otherwise)
    expect(followUpAccess({ state: 'submitted', can: can({ review: true }) }, true)).toEqual({ add: true, done: true })
    // superseded: no additions, completing the old items stays possible
    expect(followUpAccess({ state: 'accepted', superseded_by: 9, can: can({}) }, true)).toEqual({ add: false, done: true })
    // the reviewer of an accepted record without write permission
    expect(followUpAccess({ state: 'accepted', can: can({}) }, false).add).toBe(false)
    expect(followUpAccess({ state: 'cancelled', can: can({}) }, true)).toEqual({ add: false, done: false })
  })
})

describe('谈心谈话', () => {
  const list = {
    members_total: 4,
    not_talked: [{ member_id: 3, name: '王五' }, { member_id: 4, name: '赵六' }],
    items: [
      { member_id: 2, member_name: '李四' },
      { member_id: 1, member_name: '张三' },
      { member_id: 2, member_name: '李四' },
    ],
  }
  test('coverage', () => {
    expect(talkCoverage(list)).toEqual({ talked: 2, total: 4, left: 2, complete: false, share: 0.5 })
    expect(talkCoverage({ ...list, not_talked: [] })).toMatchObject({ talked: 4, left: 0, complete: true, share: 1 })
    expect(talkCoverage({ members_total: 0, not_talked: [], items: [] })).toMatchObject({ talked: 0, total: 0, complete: false, share: 0 })
  })
  test('picker: not yet talked with first, then the others once each', () => {
    const o = talkMemberOptions(list)
    expect(o.slice(0, 2)).toEqual([{ member_id: 3, name: '王五', talked: false }, { member_id: 4, name: '赵六', talked: false }])
    expect(o.slice(2).map((x) => x.member_id).sort()).toEqual([1, 2])
    expect(o.slice(2).every((x) => x.talked)).toBe(true)
    expect(new Set(o.map((x) => x.member_id)).size).toBe(o.length)
  })
})

describe('self sign-in', () => {
  // reason SIGNED stands for the member's own sign-in (the server's checked_in)
  const row = (member_id: number, state = '', reason = ''): AttRow =>
    ({ member_id, name: `m${member_id}`, state, reason: reason === SIGNED ? '' : reason, from_exemption: false, checked_in: reason === SIGNED })

  test('a sign-in on the server shows on an untouched row', () => {
    const base = [row(1), row(2, 'absent'), row(3, 'leave', '出差')]
    const rows = base.map((r) => ({ ...r }))
    const polled = [row(1, 'present', SIGNED), row(2, 'present', SIGNED), row(3, 'leave', '出差')]
    const m = mergePolledAttendance(rows, base, polled)
    expect(m.merged).toEqual([1, 2])
    expect(m.rows.map((r) => r.state)).toEqual(['present', 'present', 'leave'])
    expect(m.base.map((r) => r.state)).toEqual(['present', 'present', 'leave'])
    expect(m.rows[2]).toBe(rows[2]) // untouched rows keep their object
    expect(m.rows[0]).not.toBe(polled[0]) // a copy, not the polled object
    // polling again with the same answer changes nothing
    const again = mergePolledAttendance(m.rows, m.base, polled)
    expect(again.merged).toEqual([])
    expect(again.rows).toBe(m.rows)
  })

  test('a row edited on screen and not saved is never overwritten', () => {
    const base = [row(1), row(2)]
    const rows = [row(1, 'leave', '生病'), row(2, 'absent')]
    const m = mergePolledAttendance(rows, base, [row(1, 'present', SIGNED), row(2, 'present', SIGNED)])
    expect(m.merged).toEqual([])
    expect(m.rows).toBe(rows)
    expect(m.rows.map((r) => [r.state, r.reason])).toEqual([['leave', '生病'], ['absent', '']])
    expect(m.base).toBe(base) // still the loaded state: the rows stay "edited"
  })

  test('only changes to present are taken; the secretary’s own states are not', () => {
    const base = [row(1, 'present'), row(2), row(3, 'present', SIGNED)]
    const rows = base.map((r) => ({ ...r }))
    // another device set 2 to leave, 1 to absent: not a sign-in, not merged
    const m = mergePolledAttendance(rows, base, [row(1, 'absent'), row(2, 'leave', '出差'), row(3, 'present', SIGNED)])
    expect(m.merged).toEqual([])
    expect(m.rows.map((r) => r.state)).toEqual(['present', '', 'present'])
  })

  test('a member new on the roster who signed in is added', () => {
    const base = [row(1)]
    const m = mergePolledAttendance([{ ...base[0] }], base, [row(1), row(5, 'present', SIGNED)])
    expect(m.merged).toEqual([5])
    expect(m.rows.map((r) => r.member_id)).toEqual([1, 5])
    expect(m.base.map((r) => r.member_id)).toEqual([1, 5])
  })

  test('signed-in count', () => {
    expect(signedInCount([row(1, 'present', SIGNED), row(2, 'present'), row(3, 'leave', SIGNED), row(4, 'present', SIGNED)])).toBe(2)
    expect(isSignedIn(row(2, 'present', ''))).toBe(false)
  })

  test('countdown, clock skew and when to poll', () => {
    const exp = '2026-11-20T02:15:00Z'
    const t0 = Date.parse('2026-11-20T02:00:00Z')
    expect(remainingMs(exp, t0)).toBe(15 * 60_000)
    expect(remainingMs(exp, t0 + 16 * 60_000)).toBe(0)
    // the local clock is 3 minutes behind the server: the code has 12 minutes left
    const skew = clockSkew('Fri, 20 Nov 2026 02:03:00 GMT', t0)
    expect(skew).toBe(180_000)
    expect(remainingMs(exp, t0, skew)).toBe(12 * 60_000)
    expect(clockSkew('Fri, 20 Nov 2026 02:00:01 GMT', t0)).toBe(0) // within a round trip
    expect(clockSkew(null, t0)).toBe(0)
    expect(clockSkew('garbage', t0)).toBe(0)
    expect(clockSkew('Fri, 20 Nov 2026 02:05:00 GMT', t0)).toBe(300_000)
    expect(formatCountdown(15 * 60_000)).toBe('15:00')
    expect(formatCountdown(61_001)).toBe('1:02')
    expect(formatCountdown(0)).toBe('0:00')
    expect(nextPollDelay(60_000)).toBe(5000)
    expect(nextPollDelay(1000)).toBe(1250) // one last poll just after expiry
    expect(nextPollDelay(0)).toBeNull()
  })
})
