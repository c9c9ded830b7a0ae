// Messages of the points year end (en-US): the same keys as zh-CN.
import type { Widen } from '@/shared/i18n/widen'
import type zh from './yearend.locales.zh-CN'

export default {
  yearend: {
    subtree: 'Confirmed in the subtree', openAppeals: '{n} appeals waiting',
    title: 'Year-end rating', my: 'My year rating', appeals: 'Points appeals', year: 'Year {year}', org: 'Organization',
    state: { none: 'Not started', review: 'In review', publicity: 'In public notice', confirmed: 'Confirmed' },
    ratingState: { proposed: 'To review', reviewed: 'Reviewed', confirmed: 'Confirmed' },
    compute: 'Compute totals and proposed stars', recompute: 'Recompute', acceptAll: 'Accept the rest as proposed', startPublicity: 'Start the public notice', confirm: 'Confirm the ratings',
    scheme: 'Scheme: {name} ({version})', days: 'Public notice: {n} working days', noDays: 'The scheme sets no notice days', members: '{n} members', unreviewed: '{n} not reviewed',
    unreviewedList: 'Not reviewed: {names}', total: '{n} points', proposed: 'Proposed {stars}', given: 'Given {stars}', vetoed: 'Veto',
    withdrawn: 'Stars withdrawn', adjust: 'Adjust', asProposed: 'As proposed', stars: 'Stars', noStars: 'No stars', reason: 'Reason', reasonHint: 'A changed rating needs a reason',
    save: 'Save', window: 'Public notice: {from} to {to} ({n} working days)', inWindow: 'In the notice window: objections are open', ended: 'The notice window is over', closed: 'Confirmed',
    object: 'Object', objectTitle: 'Object to the rating of {name}', objectText: 'Objection', objected: 'Objection sent; the branch will answer',
    objections: 'Objections', noObjections: 'No objections', objectionState: { open: 'Open', upheld: 'Upheld', dismissed: 'Dismissed' },
    answer: 'Answer', uphold: 'Uphold and change', dismiss: 'Dismiss', answerText: 'Answer', answered: 'Answered', mine: 'Mine',
    confirmed: 'The ratings are confirmed', withdraw: 'Withdraw stars', restore: 'Restore stars', withdrawn_ok: 'Stars withdrawn', restored: 'Stars restored',
    history: 'Rating history', event: { review: 'Reviewed', objection: 'Objection upheld', confirm: 'Confirmed', withdraw: 'Withdrawn', restore: 'Restored', appeal: 'Changed on appeal' },
    noRating: 'No rating published for this year yet', openPublicity: 'See the branch notice', appealRating: 'Appeal my year rating', appealEntry: 'Appeal',
    appealText: 'Grounds', appealSent: 'Appeal sent to the level above', myAppeals: 'My appeals', noAppeals: 'No appeals',
    appealState: { open: 'Open', upheld: 'Upheld', changed: 'Changed' }, target: { entry: 'Entry', rating: 'Year rating' },
    entries: 'Entries you may appeal', keep: 'Uphold', change: 'Change', points: 'Points it should have', newStars: 'Stars it should give', decided: 'Decided',
    none: 'No appeals waiting', inbox: 'Appeals', toYearEnd: 'Year-end rating', toAppeals: 'Points appeals', toRating: 'My year rating',
    shareWarn: '{name}: {count} of {of} ({pct}%), above the suggested share {share} (a warning only)',
  },
} satisfies Widen<typeof zh>
