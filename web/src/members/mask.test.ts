import { describe, expect, it } from 'vitest'
import { displayMasked, isMasked, isMaskedDate } from './mask'

describe('masking display', () => {
  it('recognises masked values', () => {
    expect(isMasked('3306**********1234')).toBe(true)
    expect(isMasked('330602199001011234')).toBe(false)
    expect(isMasked('')).toBe(false)
    expect(isMasked(undefined)).toBe(false)
  })
  it('shows a dash for empty values', () => {
    expect(displayMasked('')).toEqual({ text: '—', masked: false, spoken: '—' })
    expect(displayMasked(null).text).toBe('—')
  })
  it('keeps the stars on screen but not in speech', () => {
    const d = displayMasked('138****5678')
    expect(d.text).toBe('138****5678')
    expect(d.masked).toBe(true)
    expect(d.spoken).not.toContain('*')
    expect(d.spoken).toContain('138')
    expect(d.spoken).toContain('5678')
  })
  it('shows full values as they are', () => {
    expect(displayMasked('13812345678')).toEqual({ text: '13812345678', masked: false, spoken: '13812345678' })
  })
  it('tells a date masked to its year', () => {
    expect(isMaskedDate('1985')).toBe(true)
    expect(isMaskedDate('1985-07-01')).toBe(false)
    expect(isMaskedDate('')).toBe(false)
  })
})
