import { describe, expect, it } from 'vitest'
import { isIsoDate, parseTypedDate } from './typedDate'

describe('parseTypedDate', () => {
  it('accepts the forms the import accepts', () => {
    for (const s of ['1985/03/12', '1985-3-12', '1985.03.12', '19850312', '1985年3月12日', ' 1985 / 3 / 12 ', '1985-03-12T08:00:00Z', '1985-03-12 10:00']) {
      expect(parseTypedDate(s), s).toBe('1985-03-12')
    }
  })
  it('leaves what is not a day unchanged for the form to report', () => {
    expect(parseTypedDate('1985-02-30')).toBe('1985-02-30')
    expect(parseTypedDate('19851332')).toBe('19851332')
    expect(parseTypedDate('85/3/12')).toBe('85/3/12')
    expect(parseTypedDate('1985')).toBe('1985')
    expect(parseTypedDate('  ')).toBe('')
  })
  it('knows leap days', () => {
    expect(parseTypedDate('2000/2/29')).toBe('2000-02-29')
    expect(parseTypedDate('1900/2/29')).toBe('1900/2/29')
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2023-02-29')).toBe(false)
  })
})
