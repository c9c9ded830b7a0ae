import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  quarterly: {
    nav: 'Quarterly review', title: '{org}: quarterly review {quarter}', quarter: 'Quarter', print: 'Print', export: 'Export to Excel',
    hint: 'Every figure is the dashboards\' own, generated from the records; each measure ranks on its own, with no weights.',
    rankBy: 'Rank by:', rank: 'Rank', nth: 'no. {n}', none: 'This organization has no child organizations.',
    comment: 'Comment', addComment: 'Add a comment', editComment: 'Edit the comment', saved: 'Comment saved',
  },
}
export default enUS
