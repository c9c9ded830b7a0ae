import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './locales'
import { router, safeRedirect } from './router'
import { setApiHooks } from './api/client'
import { useAuthStore } from './stores/auth'
import { useLocaleStore } from './stores/locale'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(router)

const locale = useLocaleStore(pinia)
const auth = useAuthStore(pinia)
setApiHooks({
  language: () => locale.locale,
  // Any 401 means the session is gone: back to the login page, and afterwards back here.
  unauthorized: () => {
    const wasIn = !!auth.me
    auth.clear()
    const here = router.currentRoute.value
    if (here.name === 'login') return
    const redirect = safeRedirect(here.fullPath)
    void router.replace({ name: 'login', query: { ...(redirect ? { redirect } : {}), ...(wasIn ? { expired: '1' } : {}) } })
  },
})

app.mount('#app')
