import { describe, expect, it } from 'vitest'
import { defaultTime, nextState, quickCounts, quickItems, type QuickRow } from './record'

const item = (member_id: number, state = '', reason = '', from_exemption = false) =>
  ({ member_id, name: `m${member_id}`, state, reason, from_exemption, checked_in: false, affiliation: '' })
const row = (member_id: number, state: QuickRow['state'], reason = '', from_exemption = false): QuickRow =>
  ({ member_id, name: `m${member_id}`, state, reason, from_exemption })

describe('fast record', () => {
  it('one tap cycles present → leave → absent → present; an exemption stays', () => {
    expect(nextState('present')).toBe('leave')
    expect(nextState('leave')).toBe('absent')
    expect(nextState('absent')).toBe('present')
    expect(nextState('exempt')).toBe('exempt')
  })
  it('sends everyone present except the tapped and the exempted', () => {
    const server = [item(1), item(2), item(3, 'exempt', '外出务工', true), item(4), item(5)]
    const rows = [row(1, 'present'), row(2, 'leave', ' 病假 '), row(3, 'exempt', '外出务工', true), row(4, 'absent')]
    const got = quickItems(server, rows)
    expect(got.map((i) => [i.member_id, i.state, i.reason])).toEqual([
      [1, 'present', ''], [2, 'leave', '病假'], [3, 'exempt', '外出务工'], [4, 'absent', ''], [5, 'present', ''],
    ])
  })
  it('fills a time not in the future', () => {
    // 2026-12-02 10:40 CST → 09:30; 00:20 CST → 00:00; another day → 09:00
    expect(defaultTime('2026-12-02', new Date('2026-12-02T02:40:00Z'))).toBe('09:30')
    expect(defaultTime('2026-12-02', new Date('2026-12-01T16:20:00Z'))).toBe('00:00')
    expect(defaultTime('2026-11-20', new Date('2026-12-02T02:40:00Z'))).toBe('09:00')
  })
  it('counts by state', () => {
    expect(quickCounts([row(1, 'present'), row(2, 'leave'), row(3, 'present')])).toEqual({ present: 2, leave: 1, absent: 0, exempt: 0 })
  })
})

describe('my landing', () => {
  it('党龄 counts whole years from the full-member date', async () => {
    const { partyYears } = await import('./record')
    expect(partyYears('2010-06-30', '2026-06-29')).toBe(15)
    expect(partyYears('2010-06-30', '2026-06-30')).toBe(16)
    expect(partyYears('', '2026-06-30')).toBeNull()
  })
  it('splits upcoming meetings and this year’s participation', async () => {
    const { myYear } = await import('./record')
    const now = new Date('2026-12-02T06:00:00Z')
    const a = (starts_at: string, state: string, my_state = '') => ({ starts_at, state, my_state })
    const r = myYear([a('2026-12-10T01:00:00Z', 'planned'), a('2026-12-03T01:00:00Z', 'planned'), a('2026-11-10T01:00:00Z', 'accepted', 'present'),
      a('2026-10-10T01:00:00Z', 'held', 'leave'), a('2025-10-10T01:00:00Z', 'accepted', 'present')], now)
    expect(r.upcoming.map((x) => x.starts_at)).toEqual(['2026-12-03T01:00:00Z', '2026-12-10T01:00:00Z'])
    expect([r.held, r.attended]).toEqual([2, 1])
  })
})
