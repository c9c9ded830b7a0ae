import { describe, expect, it } from 'vitest'
import { durationParts, formatDate, formatDateTime, formatNumber, formatPercent } from './format'

describe('locale formatting', () => {
  it('formats numbers per locale', () => {
    expect(formatNumber(20000, 'zh-CN')).toBe('20,000')
    expect(formatNumber(1234567, 'en-US')).toBe('1,234,567')
    expect(formatNumber(undefined, 'en-US')).toBe('—')
  })
  it('formats percentages', () => {
    expect(formatPercent(1, 3, 'en-US')).toBe('33.3%')
    expect(formatPercent(1, 0, 'en-US')).toBe('—')
  })
  it('formats business dates without shifting the day', () => {
    expect(formatDate('2026-11-22', 'zh-CN')).toBe('2026年11月22日')
    expect(formatDate('2026-11-22', 'en-US')).toBe('Nov 22, 2026')
    expect(formatDate('2026-01-01', 'en-US')).toBe('Jan 1, 2026')
    expect(formatDate('1985', 'zh-CN')).toBe('1985年')
    expect(formatDate('1985', 'en-US')).toBe('1985')
    expect(formatDate('', 'en-US')).toBe('—')
    expect(formatDate('not a date', 'en-US')).toBe('not a date')
  })
  it('shows instants in China Standard Time', () => {
    // 16:30 UTC is 00:30 the next day in Beijing.
    expect(formatDateTime('2026-11-22T16:30:00Z', 'zh-CN')).toBe('2026/11/23 00:30')
    expect(formatDateTime('2026-11-22T16:30:00Z', 'en-US')).toBe('11/23/2026, 00:30')
    expect(formatDateTime(null, 'en-US')).toBe('—')
  })
  it('rounds durations up to a sensible unit', () => {
    expect(durationParts(42)).toEqual({ unit: 'seconds', n: 42 })
    expect(durationParts(61)).toEqual({ unit: 'minutes', n: 2 })
    expect(durationParts(900)).toEqual({ unit: 'minutes', n: 15 })
    expect(durationParts(3601)).toEqual({ unit: 'hours', n: 2 })
  })
})
