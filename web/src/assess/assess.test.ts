import { describe, expect, it } from 'vitest'
import { boundValue, byDimension, doneCount, percent, score, starRow, type Line } from './assess'

describe('assess helpers', () => {
  it('shows scores and bound values', () => {
    expect(score(13.456)).toBe('13.46')
    expect(score(null)).toBe('—')
    expect(boundValue(0.6667, 'life.attendance_rate')).toBe('66.7%')
    expect(boundValue(12.5, 'points.avg_earned')).toBe('12.5')
  })
  it('counts progress by stage', () => {
    const p = { pending: 3, returned: 1, submitted: 2, reviewed: 4, awarded: 0 }
    expect(doneCount(p, 'self')).toBe(6)
    expect(doneCount(p, 'review')).toBe(4)
    expect(percent(6, 10)).toBe(60)
    expect(percent(1, 0)).toBe(0)
  })
  it('groups lines by dimension in order', () => {
    const l = (dim: string, code: string) => ({ dim, dim_name: dim.toUpperCase(), code }) as Line
    const g = byDimension([l('a', '1'), l('b', '2'), l('a', '3')])
    expect(g.map((x) => x.dim)).toEqual(['a', 'b'])
    expect(g[0].lines.map((x) => x.code)).toEqual(['1', '3'])
    expect(starRow(3)).toBe('★★★')
    expect(starRow(0)).toBe('—')
  })
})
