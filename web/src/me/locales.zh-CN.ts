// Chinese messages of sign-in and my page: keys login.*, my.*.
// locales.en-US.ts must have the same keys (checked by vue-tsc); merged in shared/i18n.
export default {
  login: {
    title: '登录党建工作平台', username: '用户名', password: '密码', submit: '登录',
    invalid: '用户名或密码错误。', locked: '登录失败次数过多，此账户在本设备上已暂时锁定，请在 {time} 后重试。',
    rateLimited: '登录尝试过于频繁，请稍后再试（{time} 后）。',
    lockedUntil: '账户已锁定，解锁时间：{time}。', expired: '登录已过期，请重新登录。',
    loggedOut: '您已退出登录。', network: '无法连接服务器，请稍后重试。',
  },
  my: {
    title: '我的', greeting: '您好，{name}', record: '我的党员信息', noRecord: '您的账户没有关联党员信息，请联系支部书记。',
    upcoming: '近期会议', noUpcoming: '近期没有计划的会议', checkin: '签到', signed: '已签到',
    participation: '本年参加组织生活', participationOf: '{attended}/{held} 次', partyAge: '党龄', partyAgeYears: '{n} 年', probationary: '预备党员（{date} 入党）',
    noRecordSecretary: '您的账户还没有关联党员信息。您可以在“账户管理”中为账户关联党员，或请上级管理员关联。',
    monthsSecretary: '支部开展组织生活的月份中，您已有 {n} 个月未参加。',
    password: '修改密码', oldPassword: '原密码', newPassword: '新密码', changePassword: '修改密码',
    passwordChanged: '密码已修改。您在其他设备上的登录和 API 令牌已全部失效。',
  },
} as const
