import type { Directive } from 'vue'

/**
 * `v-cards` on an `<el-table>`: on a phone (≤ 600 px, see styles.css `[data-cards]`) the table shows
 * as a list of cards, one per row, each cell preceded by its column's header. The directive copies
 * the header texts onto the cells (`data-label`) whenever the table's rows change.
 */
function label(el: HTMLElement) {
  const heads = Array.from(el.querySelectorAll('.el-table__header-wrapper thead tr:last-child th'), (th) => th.textContent?.trim() ?? '')
  for (const tr of el.querySelectorAll<HTMLElement>('.el-table__body-wrapper tr.el-table__row')) {
    Array.from(tr.children).forEach((td, i) => {
      const l = heads[i] ?? ''
      if (td.getAttribute('data-label') !== l) td.setAttribute('data-label', l)
    })
  }
}

const observers = new WeakMap<HTMLElement, MutationObserver>()

export const vCards: Directive<HTMLElement> = {
  mounted(el) {
    // an attribute, not a class: the table re-renders its own class list
    el.setAttribute('data-cards', '')
    label(el)
    const mo = new MutationObserver(() => label(el))
    mo.observe(el, { childList: true, subtree: true, characterData: true })
    observers.set(el, mo)
  },
  unmounted(el) {
    observers.get(el)?.disconnect()
    observers.delete(el)
  },
}

/**
 * `v-pager-label="text"` on an `<el-pagination>` with `sizes`: Element Plus leaves its page-size
 * select without a label (axe: "Form elements must have labels"); this names it.
 */
export const vPagerLabel: Directive<HTMLElement, string> = {
  mounted(el, b) {
    const name = () => el.querySelectorAll('.el-pagination__sizes input').forEach((i) => i.getAttribute('aria-label') !== b.value && i.setAttribute('aria-label', b.value))
    name()
    const mo = new MutationObserver(name)
    mo.observe(el, { childList: true, subtree: true })
    observers.set(el, mo)
  },
  updated(el, b) {
    el.querySelectorAll('.el-pagination__sizes input').forEach((i) => i.setAttribute('aria-label', b.value))
  },
  unmounted(el) {
    observers.get(el)?.disconnect()
    observers.delete(el)
  },
}

declare module 'vue' {
  interface GlobalDirectives {
    vCards: typeof vCards
    vPagerLabel: typeof vPagerLabel
  }
}
