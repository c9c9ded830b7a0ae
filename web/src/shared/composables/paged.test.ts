import { describe, expect, it } from 'vitest'
import { usePaged } from './paged'

// A fetcher whose answers the test releases in any order.
function deferred() {
  const waiting = new Map<number, (v: { items: number[]; total: number }) => void>()
  const fetchPage = (page: number, size: number) =>
    new Promise<{ items: number[]; total: number }>((resolve) => waiting.set(page, resolve)).then((r) => ({ ...r, items: r.items.slice(0, size) }))
  return { fetchPage, answer: (page: number, items: number[], total: number) => waiting.get(page)!({ items, total }) }
}

describe('usePaged', () => {
  it('shows the page asked for, with its number and the total', async () => {
    const d = deferred()
    const p = usePaged(d.fetchPage, 2)
    const done = p.load(3)
    d.answer(3, [5, 6, 7], 7)
    await done
    expect(p.items.value).toEqual([5, 6])
    expect(p.total.value).toBe(7)
    expect(p.page.value).toBe(3)
  })

  it('drops an older answer that arrives after a newer one', async () => {
    const d = deferred()
    const p = usePaged(d.fetchPage, 20)
    const first = p.load(1)
    const second = p.load(2)
    d.answer(2, [21], 21)
    await second
    d.answer(1, [1, 2], 21)
    await first
    expect(p.page.value).toBe(2)
    expect(p.items.value).toEqual([21])
  })

  it('clear empties the list and ignores answers still on the way', async () => {
    const d = deferred()
    const p = usePaged(d.fetchPage, 20)
    const pending = p.load(4)
    p.clear()
    d.answer(4, [9], 80)
    await pending
    expect(p.items.value).toEqual([])
    expect(p.total.value).toBe(0)
    expect(p.page.value).toBe(1)
  })
})
