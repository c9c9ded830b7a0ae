import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ok } from '@/shared/api/client'
import { isApiError } from '@/shared/api/problem'
import type { Me, Org, Role } from '@/shared/api/types'
import { accessOf, landing } from '@/shared/router/pages'

export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null)
  const checked = ref(false)

  const user = computed(() => me.value?.user ?? null)
  const scope = computed<Org[]>(() => me.value?.scope ?? [])
  const roles = computed(() => new Set<Role>((me.value?.grants ?? me.value?.user.grants ?? []).map((g) => g.role as Role)))
  const perms = computed(() => me.value?.permissions)
  const isAdmin = computed(() => perms.value?.is_admin ?? roles.value.has('admin'))
  /** Only the member role: the person sees their own record and nothing else. */
  const isMemberOnly = computed(() =>
    perms.value ? !perms.value.read_orgs && !perms.value.is_admin : roles.value.size > 0 && [...roles.value].every((r) => r === 'member'),
  )
  /** Where the caller lands (the page list decides, from the permissions the server reports). */
  const homeRoute = computed(() => landing(accessOf(me.value)))

  /** Loads the caller (once per page load unless forced); false when not logged in. */
  async function load(force = false): Promise<boolean> {
    if (checked.value && !force) return !!me.value
    try {
      me.value = await ok(api.GET('/api/v1/me'))
    } catch (e) {
      if (!isApiError(e) || e.status !== 401) {
        checked.value = false
        throw e
      }
      me.value = null
    }
    checked.value = true
    return !!me.value
  }

  async function login(username: string, password: string) {
    await ok(api.POST('/api/v1/auth/login', { body: { username, password } }))
    checked.value = false
    await load(true)
  }

  async function logout() {
    try {
      await ok(api.POST('/api/v1/auth/logout'))
    } catch {
      /* the session may already be gone */
    }
    clear()
  }

  function clear() {
    me.value = null
    checked.value = true
  }

  return {
    me, checked, user, scope, roles, isAdmin, isMemberOnly, homeRoute,
    load, login, logout, clear,
  }
})
