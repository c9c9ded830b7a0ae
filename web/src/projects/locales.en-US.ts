// Messages of the secretaries' breakthrough projects (en-US).
export default {
  projects: {
    title: 'Breakthrough projects', link: 'Breakthrough projects', year: 'Year', propose: 'Propose a project', edit: 'Edit and resubmit', none: 'No project this year',
    counts: 'At a glance', total: 'Projects', children: 'Projects below', due: 'Milestones due soon', noDue: 'No milestone due within 30 days', list: 'Projects',
    state: { proposed: 'Proposed', returned: 'Returned', approved: 'Approved', rejected: 'Rejected', closed: 'Closed', carried: 'Carried over' },
    problem: 'Problem', goal: 'Goal', measures: 'Measures', responsible: 'Responsible', milestones: 'Milestones', reason: 'Reason',
    midComment: 'Mid-year check', evaluation: 'Year-end evaluation', grade: 'Grade', carriedFrom: 'Carried over from last year', carriedTo: 'Carried over to next year',
    overdue: 'Overdue', late: 'Done late', done: 'Done', open: 'Open', dueOn: 'by {date}', doneOn: 'done {date}', link2: 'Evidence',
    decision: { approve: 'Approve', return: 'Return', reject: 'Reject', comment: 'Mid-year comment', evaluate: 'Evaluate' },
    progress: 'Report progress', carry: 'Carry over to next year', example: 'Example', export: 'Export to Excel',
    form: {
      title: 'Title', problem: 'Problem', goal: 'Goal', measures: 'Measures', responsible: 'Responsible', milestones: 'Milestones',
      mTitle: 'Milestone', mDue: 'Date', addMilestone: '+ Add a milestone', remove: 'Remove', ok: 'Submit', cancel: 'Cancel', saved: 'Submitted for approval',
      note: 'Progress note', link: 'Evidence link (optional)', isDone: 'This milestone is done', doneDate: 'Done on', reason: 'Reason', comment: 'Comment', grade: 'Grade',
    },
  },
}
