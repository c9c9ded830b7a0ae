import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  assess: {
    nav: 'Star ratings', title: 'Assessments and star ratings', rounds: 'Rounds', noRounds: 'No rounds yet', open: 'Open a round', openTitle: 'Open an assessment round',
    set: 'Indicator set', noSets: 'No indicator set applies here yet (published here or above)', name: 'Name', selfTo: 'Self-assessment until', reviewTo: 'Review until', awardOn: 'Award on',
    opened: 'Opened; bound indicators computed from our records', example: 'Example', year: 'Year',
    state: { pending: 'Not started', returned: 'Returned', submitted: 'Self-assessed', reviewed: 'Reviewed', awarded: 'Awarded' },
    roundState: { open: 'Open', publicity: 'In 公示', awarded: 'Awarded' },
    progress: 'Progress', selfDone: 'Self-assessed', reviewDone: 'Reviewed', awardDone: 'Awarded', ofTotal: '{n} / {total}',
    distribution: 'Stars', none: 'No star', ranking: 'Ranking', rank: 'Rank', org: 'Organization', selfTotal: 'Self', reviewTotal: 'Review', total: 'Total', stars: 'Stars',
    vetoed: 'Veto', export: 'Export to Excel', sheet: 'Sheet', report: 'Print report', maxTotal: 'Out of {n}',
    dim: 'Dimension', indicator: 'Indicator', max: 'Max', data: 'Data', self: 'Self', review: 'Review', score: 'Score', records: 'Records', target: 'Target {n}',
    formula: 'Formula: {f}', rubric: 'Rubric', evidence: 'Evidence', note: 'Note', changed: 'Changed in review', value: 'Value',
    method: { yesno: 'Yes/no', count: 'Count', formula: 'Formula', manual: 'Scored', veto: 'Veto' },
    evidenceNeed: { none: 'No evidence', record: 'A record', attachment: 'A document' },
    saveSelf: 'Save', submit: 'Submit', saveReview: 'Save review', approve: 'Approve', return: 'Return', returnReason: 'Reason for returning',
    returned: 'Returned: {reason}', submitted: 'Submitted', saved: 'Saved', approved: 'Approved', vetoApplied: 'Veto: {name}', vetoNote: 'Reason',
    yes: 'Yes', no: 'No', deadline: 'Self-assessment until {self}, review until {review}',
    publicity: '公示 (publication)', startPublicity: 'Start 公示', publicityWindow: '{from} to {to} ({n} working days)', noPublicity: 'Not published yet',
    objections: 'Objections', noObjections: 'No objections', object: 'Object', objectTo: 'Organization', objectText: 'Objection', answer: 'Answer', uphold: 'Uphold', dismiss: 'Dismiss',
    objState: { open: 'Open', upheld: 'Upheld', dismissed: 'Dismissed' }, award: 'Close 公示 and award', awarded: 'Awarded',
    star: 'Star', noStar: 'No valid star', validUntil: 'Valid until {d}', withdrawn: 'Withdrawn', expired: 'Expired', history: 'Star history',
    withdraw: 'Withdraw', restore: 'Restore', reason: 'Reason', reasonRequired: 'Give the reason',
    event: { award: 'Awarded', withdraw: 'Withdrawn', restore: 'Restored' },
    warnings: 'Share warnings', backToRound: 'Back to the round', status: 'State',
  },
}
export default enUS
