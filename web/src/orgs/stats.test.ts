import { describe, expect, it } from 'vitest'
import { countRows } from './stats'

const order = [
  { code: 'full', label: '正式党员' },
  { code: 'probationary', label: '预备党员' },
]

describe('stats rows', () => {
  it('follows the enumeration order, labels codes and keeps zeros', () => {
    expect(countRows({ probationary: 3 }, order)).toEqual([
      { key: 'full', label: '正式党员', value: 0 },
      { key: 'probationary', label: '预备党员', value: 3 },
    ])
  })
  it('puts unknown codes last, by count, and names the empty code', () => {
    const rows = countRows({ full: 1, x: 2, '': 5 }, order, '未填')
    expect(rows.map((r) => r.label)).toEqual(['正式党员', '预备党员', '未填', 'x'])
  })
  it('drops zero rows of long enumerations', () => {
    const long = Array.from({ length: 56 }, (_, i) => ({ code: String(i + 1).padStart(2, '0'), label: `民族${i + 1}` }))
    expect(countRows({ '01': 10, '03': 1 }, long).map((r) => r.key)).toEqual(['01', '03'])
  })
})
