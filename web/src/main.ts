import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from '@/shared/i18n'
import { router, safeRedirect } from '@/shared/router'
import { setApiHooks } from '@/shared/api/client'
import { sessionLostHandler } from '@/shared/api/sessionLost'
import { useAuthStore } from '@/shared/stores/auth'
import { useLocaleStore } from '@/shared/stores/locale'
import { vCards, vPagerLabel } from '@/shared/components/cards'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(router)
app.directive('cards', vCards)
app.directive('pager-label', vPagerLabel)

const locale = useLocaleStore(pinia)
const auth = useAuthStore(pinia)
setApiHooks({
  language: () => locale.locale,
  // Any 401 means the session is gone: back to the login page, and afterwards back here.
  unauthorized: sessionLostHandler({
    hadSession: () => !!auth.me,
    clear: () => auth.clear(),
    current: () => router.currentRoute.value,
    toLogin: (query) => router.replace({ name: 'login', query }),
    safeRedirect,
  }),
})

app.mount('#app')
