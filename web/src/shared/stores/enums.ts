import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ok } from '@/shared/api/client'
import type { EnumItem, EnumKind, Enums, Facts } from '@/shared/api/types'
import { i18n } from '@/shared/i18n'

export type { EnumKind }

/** Code → label lists from GET /api/v1/meta/enums, in the UI language (reloaded when it changes),
 * and the server's figures the web must not copy (GET /api/v1/meta/facts, read once). */
export const useEnumsStore = defineStore('enums', () => {
  const data = ref<Partial<Enums>>({})
  const loadedFor = ref('')
  let pending: Promise<void> | null = null
  const facts = ref<Facts | null>(null)
  let factsPending: Promise<void> | null = null

  function loadFacts(): Promise<void> {
    if (facts.value) return Promise.resolve()
    factsPending ??= ok(api.GET('/api/v1/meta/facts'))
      .then((f) => {
        facts.value = f
      })
      .finally(() => {
        factsPending = null
      })
    return factsPending
  }

  async function load() {
    void loadFacts().catch(() => {})
    const lang = String(i18n.global.locale.value)
    if (loadedFor.value === lang) return
    if (pending) return pending
    pending = ok(api.GET('/api/v1/meta/enums'))
      .then((d) => {
        data.value = d
        loadedFor.value = lang
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  function options(kind: EnumKind): EnumItem[] {
    return data.value[kind] ?? []
  }
  function label(kind: EnumKind, code: string | null | undefined): string {
    if (!code) return '—'
    return options(kind).find((o) => o.code === code)?.label ?? code
  }
  return { data, loadedFor, load, options, label, facts, loadFacts }
})
