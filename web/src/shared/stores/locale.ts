import { defineStore } from 'pinia'
import { ref } from 'vue'
import { i18n, LOCALE_KEY, initialLocale, type Locale } from '@/shared/i18n'

export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<Locale>(initialLocale())

  function apply(l: Locale) {
    i18n.global.locale.value = l
    if (typeof document !== 'undefined') document.documentElement.lang = l
  }
  function set(l: Locale) {
    locale.value = l
    try {
      localStorage.setItem(LOCALE_KEY, l)
    } catch {
      /* private mode */
    }
    apply(l)
  }
  apply(locale.value)
  return { locale, set }
})
