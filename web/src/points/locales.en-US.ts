import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  points: {
    my: 'My points', inbox: 'Points claims', year: '{year}', total: 'Points this year', base: 'Base {base}', earned: 'Earned {n}',
    vetoed: 'A veto item applies this year: the total counts as 0', noScheme: 'No points scheme applies this year', stars: '{name} ({n} stars)', noStar: 'No star yet',
    byCategory: 'By category', byItem: 'By item', entries: 'Entries', noEntries: 'No entries yet', claims: 'My claims', noClaims: 'No claims yet',
    capOf: 'cap {cap}', times: '{n}×', reversal: 'Reversal', reversed: 'Reversed', requested: 'asked {n}',
    claim: 'Claim points', resubmit: 'Correct and send again', resubmitTitle: 'Correct and send the claim again', claimTitle: 'Claim points', pickItem: 'Choose an item', date: 'Date', note: 'Note (optional)', submit: 'Submit',
    submitted: 'Submitted; the branch will review it', perEvent: '{n} each', evidenceRecord: 'Link an activity you attended',
    evidenceAttachment: 'Proof needed (describe it in the note)',
    state: { pending: 'Pending', returned: 'Returned', approved: 'Approved', rejected: 'Rejected' },
    cat: { basic: 'Basic', reward: 'Reward', deduct: 'Deduction', veto: 'Veto' },
    source: { claim: 'Claim', branch: 'Entered by the branch', attendance: 'Attended organizational life' },
    onBehalf: 'Filed on behalf', selectAll: 'Select all', approveSelected: 'Approve selected ({n})', approve: 'Approve', return: 'Return', reject: 'Reject',
    reason: 'Reason', reasonRequired: 'Give a reason', approved: '{n} approved', decided: 'Done', none: 'No claims waiting',
  },
}
export default enUS
