import { describe, expect, it } from 'vitest'
import { bandLabel, bandShare, reasonOf, signed } from './points'

describe('points helpers', () => {
  it('signs points as the ledger shows them', () => {
    expect(signed(2)).toBe('+2')
    expect(signed(-5)).toBe('−5')
    expect(signed(0)).toBe('0')
  })
  it('gives the reason in the reader’s language', () => {
    const e = { reason: '本项年度上限 8 分，已得 8 分', reason_en: "this item's yearly cap is 8, 8 already earned" }
    expect(reasonOf(e, 'zh-CN')).toBe(e.reason)
    expect(reasonOf(e, 'en-US')).toBe(e.reason_en)
    expect(reasonOf({ reason: '', reason_en: '' }, 'en-US')).toBe('')
  })
})

describe('bands', () => {
  const t = (k: string) => (k === 'points.noStar' ? '未达星级' : k)
  it('labels a band by its name, by stars without one, and 0 as no star', () => {
    expect(bandLabel({ stars: 5, name: '五星' }, t)).toBe('五星')
    expect(bandLabel({ stars: 3, name: '' }, t)).toBe('3★')
    expect(bandLabel({ stars: 0, name: '' }, t)).toBe('未达星级')
  })
  it('gives a share in whole percent, 0% of none', () => {
    expect(bandShare(1, 3)).toBe('33%')
    expect(bandShare(0, 0)).toBe('0%')
  })
})
