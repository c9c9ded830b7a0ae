import { ref, shallowRef } from 'vue'

// One page of a server-paged list ({ items, total } answers). An answer to an older request
// is dropped, so clicking through pages quickly never shows a page under the wrong number.
export function usePaged<T>(fetchPage: (page: number, size: number) => Promise<{ items: T[]; total: number }>, size = 20) {
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  let seq = 0
  async function load(p = 1) {
    const mine = ++seq
    const r = await fetchPage(p, size)
    if (mine !== seq) return
    items.value = r.items
    total.value = r.total
    page.value = p
  }
  // clear empties the list (e.g. after a failed load) and drops answers still on the way.
  function clear() {
    seq++
    items.value = []
    total.value = 0
    page.value = 1
  }
  return { items, total, page, size, load, clear }
}
