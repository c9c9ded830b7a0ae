import { describe, expect, it } from 'vitest'
import { formatFigure, lastEndedQuarter, sortRows } from './quarterly'
import type { components } from '@/shared/api/schema'

type Row = components['schemas']['ReviewRow']

const share = { key: 'life', title: '组织生活落实率', share: true, higher_better: true }
const count = { key: 'pending', title: '待审核', share: false, higher_better: false }

describe('quarterly', () => {
  it('defaults to the last ended quarter in CST', () => {
    expect(lastEndedQuarter(new Date('2026-11-20T04:00:00Z'))).toBe('2026-Q3')
    expect(lastEndedQuarter(new Date('2026-02-01T04:00:00Z'))).toBe('2025-Q4')
    // 2026-03-31 20:00 UTC is already 1 April in Beijing: Q1 has ended
    expect(lastEndedQuarter(new Date('2026-03-31T20:00:00Z'))).toBe('2026-Q1')
  })
  it('formats shares with their counts and leaves nothing-to-measure blank', () => {
    expect(formatFigure(share, { value: 10 / 12, num: 10, den: 12 })).toBe('83%（10/12）')
    expect(formatFigure(share, { value: 0, num: 0, den: 0 })).toBe('—')
    expect(formatFigure(count, { value: 2, num: 2, den: 0 })).toBe('2')
    expect(formatFigure(count, undefined)).toBe('—')
  })
  it('orders by rank with the unranked last', () => {
    const rows: Row[] = [
      { org_id: 1, name: 'a', kind: 'branch', figures: {}, ranks: {}, comment: '' },
      { org_id: 2, name: 'b', kind: 'branch', figures: {}, ranks: { life: 2 }, comment: '' },
      { org_id: 3, name: 'c', kind: 'branch', figures: {}, ranks: { life: 1 }, comment: '' },
    ]
    expect(sortRows(rows, share).map((r) => r.org_id)).toEqual([3, 2, 1])
  })
})
