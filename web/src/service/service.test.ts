import { describe, expect, it } from 'vitest'
import { byMember, hours, stateType, type Commitment } from './service'

describe('service helpers', () => {
  it('writes hours as people do', () => {
    expect(hours(2)).toBe('2')
    expect(hours(1.5)).toBe('1.5')
  })
  it('colours states', () => {
    expect(stateType('kept')).toBe('success')
    expect(stateType('not_kept')).toBe('danger')
    expect(stateType('draft')).toBe('warning')
    expect(stateType('withdrawn')).toBe('info')
  })
  it('groups a board by member, keeping its order', () => {
    const c = (id: number, member_name: string) => ({ id, member_name }) as Commitment
    const g = byMember([c(1, '甲'), c(2, '甲'), c(3, '乙')])
    expect(g.map((x) => [x.member, x.items.length])).toEqual([['甲', 2], ['乙', 1]])
  })
})
