import { describe, expect, it } from 'vitest'
import { reasonOf, signed } from './points'

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
