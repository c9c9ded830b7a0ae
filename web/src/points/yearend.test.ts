import { describe, expect, it } from 'vitest'
import { starOptions, starsText } from './yearend'

describe('year end helpers', () => {
  it('shows stars, or a dash for none', () => {
    expect(starsText(3)).toBe('★★★')
    expect(starsText(0)).toBe('—')
  })
  it('offers the bands’ levels, highest first, then none', () => {
    expect(starOptions([{ stars: 1 }, { stars: 5 }, { stars: 3 }, { stars: 5 }, { stars: 0 }])).toEqual([5, 3, 1, 0])
    expect(starOptions([])).toEqual([0])
  })
})
