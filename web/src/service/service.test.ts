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

import zh from './locales.zh-CN'
import en from './locales.en-US'

const pages = import.meta.glob('./*.vue', { query: '?raw', import: 'default', eager: true }) as Record<string, string>

function has(catalog: unknown, key: string): boolean {
  return typeof key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), catalog) === 'string'
}

describe('service messages', () => {
  it('every service.* key the pages use exists in both languages', () => {
    const keys = new Set<string>()
    for (const src of Object.values(pages)) for (const m of src.matchAll(/t\('(service\.[\w.]+)'/g)) keys.add(m[1])
    expect(keys.size).toBeGreaterThan(20)
    const missing = [...keys].filter((k) => !has(zh, k) || !has(en, k))
    expect(missing).toEqual([])
  })
})
