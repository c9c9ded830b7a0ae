import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ok } from '@/shared/api/client'
import type { ActivityKind } from '@/shared/api/types'
import { i18n } from '@/shared/i18n'

/** The activity kinds of the rule pack in force (GET /api/v1/rulepacks), with their names. */
export const useLifeStore = defineStore('life', () => {
  const kinds = ref<ActivityKind[]>([])
  /** The kinds held for a year (组织生活会, 民主评议) and the first months that count for the year before. */
  const yearFor = ref<{ kinds: string[]; carry_months: number }>({ kinds: [], carry_months: 0 })
  let pending: Promise<void> | null = null

  function load(): Promise<void> {
    if (kinds.value.length) return Promise.resolve()
    if (pending) return pending
    pending = ok(api.GET('/api/v1/rulepacks'))
      .then((p) => {
        kinds.value = p.kinds
        if (p.year_for) yearFor.value = p.year_for
      })
      .finally(() => {
        pending = null
      })
    return pending
  }
  /** Forgets the kinds (a new rule pack was loaded) and reads them again. */
  function reload(): Promise<void> {
    kinds.value = []
    return load()
  }
  function kindName(code: string): string {
    const k = kinds.value.find((x) => x.code === code)
    if (!k) return code
    return String(i18n.global.locale.value).startsWith('zh') ? k.name : k.name_en || k.name
  }
  return { kinds, yearFor, load, reload, kindName }
})
