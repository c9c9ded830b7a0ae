import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ok } from '@/shared/api/client'
import type { Notice } from '@/shared/api/types'

/** The caller's notices: the unread count (polled) and the latest ones for the bell's list. */
export const useNoticesStore = defineStore('notices', () => {
  const unread = ref(0)
  const items = ref<Notice[]>([])
  let last = 0

  async function poll(force = false) {
    if (!force && Date.now() - last < 5_000) return
    last = Date.now()
    try {
      const r = await ok(api.GET('/api/v1/notices', { params: { query: { unread: true, page_size: 1 } } }))
      unread.value = r.total
    } catch {
      /* not shown: the bell keeps its last count */
    }
  }
  async function list() {
    const r = await ok(api.GET('/api/v1/notices', { params: { query: { page_size: 20 } } }))
    items.value = r.items
    void poll(true)
  }
  async function markRead(id: number) {
    await ok(api.POST('/api/v1/notices/{id}/read', { params: { path: { id } } }))
    const n = items.value.find((x) => x.id === id)
    if (n && !n.read_at) n.read_at = new Date().toISOString()
    await poll(true)
  }
  async function markAll() {
    await ok(api.POST('/api/v1/notices/{id}/read', { params: { path: { id: 0 } } }))
    for (const n of items.value) if (!n.read_at) n.read_at = new Date().toISOString()
    unread.value = 0
  }
  return { unread, items, poll, list, markRead, markAll }
})
