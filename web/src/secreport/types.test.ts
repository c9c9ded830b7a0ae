import { describe, expect, test } from 'vitest'
import { lastYear, stateTag, tallies, voteGrid } from './types'

describe('secreport helpers', () => {
  const rules = { version: 'v', name: 'n', source: 's', groups: [{ code: 'a', name: 'A', weight: 1 }, { code: 'b', name: 'B', weight: 2 }],
    grades: [{ code: 'good', name: '好', score: 100, min: 90 }, { code: 'poor', name: '差', score: 0, min: 0 }] }
  test('votes round-trip through the grid, zeros left out', () => {
    const grid = voteGrid(rules, [{ group: 'b', grade: 'good', n: 3 }])
    expect(grid).toEqual({ a: { good: 0, poor: 0 }, b: { good: 3, poor: 0 } })
    grid.a.poor = 2
    expect(tallies(grid)).toEqual([{ group: 'a', grade: 'poor', n: 2 }, { group: 'b', grade: 'good', n: 3 }])
  })
  test('state tags: overdue shows before open', () => {
    expect(stateTag('open', true)).toBe('danger')
    expect(stateTag('closed', true)).toBe('success')
    expect(stateTag('submitted', false)).toBe('primary')
  })
  test('last year is by China time', () => {
    expect(lastYear(Date.parse('2026-12-31T16:30:00Z'))).toBe(2026) // already 2027-01-01 in Beijing
    expect(lastYear(Date.parse('2026-12-31T15:30:00Z'))).toBe(2025)
  })
})
