// Browser tests of organizational life (三会一课, 主题党日…): a branch secretary plans and records
// an activity with attendance, the level above returns and accepts it.
// Needs the same as app.test.mjs: web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser
let admin

before(async () => ({ server, browser, admin } = await startSuite()))
after(() => stopSuite({ server, browser }))

async function statusOf(page, rule, period) {
  const el = page.locator(`details.finding[data-rule="${rule}"][data-period="${period}"]`).first()
  await el.waitFor()
  return el.getAttribute('data-status')
}

/** Chooses an option of an Element Plus select by its text. */
async function choose(page, selectTestId, text) {
  await page.locator(`[data-testid=${selectTestId}]`).click()
  await page.keyboard.type(text)
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

/**
 * Clicks 报送. The server asks to confirm a record without attendance or a second record of a
 * kind that day (the demo branch may already have one): the warnings must match `warning` when
 * given; they are confirmed and the record is submitted.
 */
async function submitRecord(page, warning) {
  await page.click('[data-testid=activity-submit]')
  await page.locator('.submit-confirm, [data-testid=activity-state]:has-text("已报送")').first().waitFor()
  const box = page.locator('.submit-confirm')
  if (await box.isVisible()) {
    if (warning) assert.match(await box.locator('[data-testid=submit-warnings]').innerText(), warning)
    await box.locator('.el-button--primary').click()
  } else assert.equal(warning, undefined, 'the submission was not asked to be confirmed')
  await page.locator('[data-testid=activity-state]', { hasText: '已报送' }).waitFor()
}

describe('organizational life', () => {
  let activityId
  let branch
  let exempted // member exempted before the activity
  let onLeave // member on leave at the activity
  const comment = '会议记录过于简略，请补充讨论内容。'

  test('the branch secretary plans and records a 主题党日 that is also a 党课, with attendance', async () => {
    const zhibu = await apiSession(server.base, 'zhibu')
    branch = (await zhibu.get('/api/v1/me')).scope[0]
    const roster = (await admin.get(`/api/v1/members?org=${branch.id}&subtree=true&page_size=200`)).items
    const exempt = new Set((await admin.get(`/api/v1/exemptions?org=${branch.id}`)).items.filter((x) => !x.revoked_at).map((x) => x.member_id))
    const free = roster.filter((m) => !exempt.has(m.id) && m.org_id === branch.id)
    assert.ok(free.length >= 2, 'two members without exemptions')
    ;[exempted, onLeave] = free
    const now = Date.now()
    const year = cstDate(now).slice(0, 4)
    // yesterday (CST) at 09:00, or 1 January if today is the first day of the year
    const day = cstDate(now).endsWith('-01-01') ? cstDate(now) : cstDate(now - 86_400_000)

    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    // the menu entry opens the life view of the secretary's branch
    await page.click('nav a[href="/life"]')
    await page.waitForURL(new RegExp(`/orgs/${branch.id}/life$`))
    await page.locator('[data-testid=branch-life]').waitFor()
    assert.equal(await page.getAttribute('#tab-life', 'aria-selected'), 'true')
    const before = await statusOf(page, 'theme_day.month', day.slice(0, 7))
    console.log(`# theme day ${day.slice(0, 7)} before: ${before}`)

    // a standing exemption first
    await page.click('[data-testid=exemption-add]')
    await page.locator('[data-testid=exemption-dialog]').waitFor()
    await choose(page, 'exemption-member', exempted.name)
    await page.fill('[data-testid=exemption-reason]', '长期住院治疗')
    const from = page.locator('[data-testid=exemption-from] input')
    await from.fill(`${year}-01-01`)
    await from.press('Enter')
    await page.click('[data-testid=exemption-save]')
    await page.locator('[data-testid=exemptions] tr', { hasText: exempted.name }).waitFor()

    // plan: kinds 主题党日 + 党课, not yet held
    await page.click('[data-testid=life-new]')
    const form = page.locator('[data-testid=activity-form]')
    await form.waitFor()
    await form.locator('[data-kind=theme_day]').click()
    await form.locator('[data-kind=party_lecture]').click()
    assert.equal(await form.locator('.el-checkbox.is-checked').count(), 2)
    await form.locator('[data-testid=activity-held]').click() // off: planned
    await page.fill('[data-testid=activity-topic]', '学习贯彻党的二十届四中全会精神')
    const starts = form.locator('[data-testid=activity-starts] input')
    await starts.fill(`${day} 09:00`)
    await starts.press('Enter')
    await page.fill('[data-testid=activity-place]', '社区党群服务中心')
    await page.click('[data-testid=activity-save]')
    await page.waitForURL(/\/activities\/\d+$/)
    activityId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.locator('[data-testid=activity-state]', { hasText: '计划' }).waitFor()
    const a = await admin.get(`/api/v1/activities/${activityId}`)
    assert.deepEqual([...a.kinds].sort(), ['party_lecture', 'theme_day'])
    assert.equal(a.starts_at.slice(0, 10) <= day, true)

    // record: held, without a speaker the form says so at the field
    await page.click('[data-testid=activity-edit]')
    await form.waitFor()
    await form.locator('[data-testid=activity-held]').click()
    await page.click('[data-testid=activity-save]')
    await form.locator('.el-form-item.is-error', { hasText: '授课人' }).waitFor()
    await page.fill('[data-testid=activity-speaker]', branch.secretary || '李书记')
    await page.fill('[data-testid=activity-minutes]', '书记讲党课，党员交流学习体会。')
    await page.click('[data-testid=activity-save]')
    await page.locator('[data-testid=activity-state]', { hasText: '已开展' }).waitFor()

    // attendance: the exempted member is pre-filled as 免参加; all present; one on leave with a reason
    const rowOf = (m) => page.locator(`[data-testid=attendance-row][data-member-id="${m.id}"]`)
    await rowOf(exempted).waitFor()
    assert.equal(await rowOf(exempted).getAttribute('data-state'), 'exempt')
    await rowOf(exempted).locator('[data-testid=from-exemption]').waitFor()
    await page.click('[data-testid=attendance-all-present]')
    assert.equal(await rowOf(exempted).getAttribute('data-state'), 'exempt')
    await rowOf(onLeave).locator('.el-radio-button[data-state=leave]').click()
    await rowOf(onLeave).locator('[data-testid=attendance-reason]').fill('出差')
    await page.click('[data-testid=guest-add]')
    await page.locator('[data-testid=guest-row] input').first().fill('王社工')
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/activities/${activityId}/attendance`) && r.request().method() === 'PUT' && r.ok()),
      page.click('[data-testid=attendance-save]'),
    ])
    const att = await admin.get(`/api/v1/activities/${activityId}/attendance`)
    const by = Object.fromEntries(att.items.map((i) => [i.member_id, i]))
    assert.equal(by[exempted.id].state, 'exempt')
    assert.equal(by[onLeave.id].state, 'leave')
    assert.equal(by[onLeave.id].reason, '出差')
    assert.ok(att.exempt >= 1)
    assert.equal(att.present, att.items.length - att.exempt - 1)
    assert.equal(att.guests.length, 1)
    const rate = await page.locator('[data-testid=attendance-rate]').innerText()
    const want = `${(Math.round((att.present / (att.items.length - att.exempt)) * 1000) / 10).toString()}%`
    assert.ok(rate.includes(want), `${rate} shows ${want}`)
    await shot(page, 'life-activity')

    // the branch's compliance: the month's 主题党日 is now met (the national pack sets no 党课
    // count for a branch: 支部条例 第十六条)
    await page.click('[data-testid=activity-back]')
    await page.waitForURL(new RegExp(`/orgs/${branch.id}/life$`))
    await page.locator(`[data-testid=life-month] [data-activity-id="${activityId}"]`).waitFor()
    const month = day.slice(0, 7)
    await page.locator(`details.finding[data-rule="theme_day.month"][data-period="${month}"][data-status=met]`).first().waitFor()
    assert.match(await page.locator(`details.finding[data-rule="theme_day.month"][data-period="${month}"]`).first().innerText(), /已完成/)
    await shot(page, 'life-branch')

    // submit
    await page.goto(`/activities/${activityId}`)
    await submitRecord(page)
    assert.equal(await page.locator('[data-testid=activity-edit]').count(), 0)
    await context.close()
  })

  test('the level above returns it with a comment and sees the summary', async () => {
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'shequ')
    await page.goto(`/activities/${activityId}`)
    await page.click('[data-testid=activity-return]')
    await page.locator('[data-testid=return-dialog]').waitFor()
    await page.click('[data-testid=return-confirm]') // empty: refused at the field
    await page.locator('[data-testid=return-dialog] .el-form-item.is-error').waitFor()
    await page.fill('[data-testid=return-comment]', comment)
    await page.click('[data-testid=return-confirm]')
    await page.locator('[data-testid=activity-state]', { hasText: '已退回' }).waitFor()

    // the committee's summary: chart, table, organizations, members at risk
    const shequ = (await (await apiSession(server.base, 'shequ')).get('/api/v1/me')).scope[0]
    await page.goto(`/orgs/${shequ.id}/life`)
    await page.locator('[data-testid=life-overview]').waitFor()
    await page.locator('[data-testid=life-chart] canvas').waitFor()
    assert.ok((await page.locator('[data-testid=life-summary-table] tbody tr').count()) > 0)
    await page.locator('[data-testid=life-orgs-table] tbody tr').first().waitFor()
    // the list is filtered and paged by the server: its count is the API's, every row shows what is missing
    const period = cstDate(Date.now()).slice(0, 7) // the overview opens on the current month
    const api = await apiSession(server.base, 'shequ')
    const q = `/api/v1/compliance?org=${shequ.id}&period=${period}&subtree=true&page_size=1`
    const [all, unmet] = [(await api.get(q)).total, (await api.get(`${q}&unmet=true`)).total]
    await page.locator('[data-testid=life-orgs-total]', { hasText: `(${all})` }).waitFor()
    // every period of the current month's report is still running: in progress, not unmet
    await page.locator('[data-testid=summary-status]', { hasText: '进行中' }).first().waitFor()
    assert.equal(await page.locator('[data-testid=life-summary-table] tbody tr[data-status=ended]').count(), 0)
    assert.equal(unmet, 0, 'nothing is unmet in a month still running')
    await page.click('[data-testid=only-unmet]')
    await page.locator('[data-testid=life-orgs-total]', { hasText: '(0)' }).waitFor()
    // last month has ended: its shortfalls are unmet
    const [y, m] = period.split('-').map(Number)
    const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
    const unmetPrev = (await api.get(`/api/v1/compliance?org=${shequ.id}&period=${prev}&subtree=true&page_size=1&unmet=true`)).total
    await choose(page, 'period', prev)
    await page.locator('[data-testid=life-orgs-total]', { hasText: `(${unmetPrev})` }).waitFor()
    assert.ok(unmetPrev > 0 && unmetPrev <= all, `unmet ${unmetPrev} of ${all} in ${prev}`)
    assert.equal(await page.locator('[data-testid=life-orgs-table] tbody tr', { hasText: '均已完成' }).count(), 0)
    await page.locator(`[data-testid=life-summary-table] tbody tr[data-period="${prev}"][data-status=ended]`).first().waitFor()
    await page.click('[data-testid=only-unmet]')
    await page.locator('[data-testid=life-orgs-total]', { hasText: `(${all})` }).waitFor()
    // the 6-month rule: the article's text, and each member's consequence (取消预备党员资格 for a 预备党员)
    await page.locator('[data-testid=life-at-risk]').waitFor()
    const risk = (await api.get(`/api/v1/compliance/members?org=${shequ.id}&page_size=100`)).items
    if (risk.length) {
      await page.locator('[data-testid=lapse-rule]', { hasText: '第九条' }).waitFor()
      const first = page.locator('[data-testid=life-at-risk] .consequence').first()
      assert.equal(await first.innerText(), risk[0].consequence === 'probation' ? '取消预备党员资格' : risk[0].consequence_text)
    }
    // lost and suspended members are in their own process, not in the lapse list
    await page.locator('[data-testid=life-lost]').waitFor()
    const lost = (await api.get(`/api/v1/compliance/lost?org=${shequ.id}&page_size=100`))
    await page.locator('[data-testid=life-lost] h3', { hasText: `(${lost.total})` }).waitFor()
    assert.ok(!risk.some((r) => lost.items.some((l) => l.member_id === r.member_id)), 'a lost member in the lapse list')
    await page.evaluate(() => window.scrollTo(0, 0))
    await shot(page, 'life-summary')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=life-export]')])
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    // each organization links to its life view
    await page.locator(`[data-testid=life-orgs-table] a[href="/orgs/${branch.id}/life"]`).click()
    await page.locator('[data-testid=branch-life]').waitFor()
    await context.close()
  })

  test('the secretary sees the comment, edits the minutes and resubmits; the level above accepts', async () => {
    let { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/activities/${activityId}`)
    assert.match(await page.locator('[data-testid=review-comment]').innerText(), new RegExp(comment))
    await page.click('[data-testid=activity-edit]')
    await page.fill('[data-testid=activity-minutes]', '书记讲党课；党员逐一交流学习体会，讨论为民办实事项目三项。')
    await page.click('[data-testid=activity-save]')
    await page.locator('[data-testid=activity-minutes-text]', { hasText: '为民办实事项目三项' }).waitFor()
    await submitRecord(page)
    await context.close()

    ;({ context, page } = await newPage(browser, server.base))
    await login(page, 'shequ')
    await page.goto(`/activities/${activityId}`)
    await page.click('[data-testid=activity-accept]')
    await page.locator('[data-testid=activity-state]', { hasText: '已通过' }).waitFor()
    assert.equal((await admin.get(`/api/v1/activities/${activityId}`)).state, 'accepted')
    await context.close()
  })

  test('a record is not accepted by whoever recorded or submitted it; an administrator may, giving a reason', async () => {
    const day = cstDate(Date.now() - 3 * 86400_000)
    const recordAndSubmit = async (session) => {
      const res = await session.call('/api/v1/activities', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ org_id: branch.id, kinds: ['theme_day'], topic: '本人报送的记录', starts_at: `${day}T09:00:00+08:00`, place: '', host: '', recorder: '', speaker: '', minutes: '', resolutions: '', held: true }),
      })
      if (!res.ok) assert.fail(`create: ${res.status} ${await res.text()}`)
      const { id } = await res.json()
      const sub = await session.call(`/api/v1/activities/${id}/submit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ confirm: true }) })
      if (!sub.ok) assert.fail(`submit: ${sub.status} ${await sub.text()}`)
      return id
    }
    const own = await recordAndSubmit(await apiSession(server.base, 'shequ'))
    let { context, page } = await newPage(browser, server.base)
    await login(page, 'shequ')
    await page.goto(`/activities/${own}`)
    await page.locator('[data-testid=accept-own-hint]').waitFor()
    assert.equal(await page.locator('[data-testid=activity-accept]').count(), 0)
    assert.equal(await page.locator('[data-testid=activity-return]').count(), 1)
    await context.close()

    const adminsOwn = await recordAndSubmit(admin)
    ;({ context, page } = await newPage(browser, server.base))
    await login(page, 'admin')
    await page.goto(`/activities/${adminsOwn}`)
    await page.click('[data-testid=activity-accept]')
    const box = page.locator('.el-message-box')
    await box.locator('.el-button--primary').click() // no reason: refused in the box
    await box.locator('.el-message-box__errormsg', { hasText: '请填写理由' }).waitFor()
    await box.locator('input').fill('街道党工委暂无其他审核人员')
    await box.locator('.el-button--primary').click()
    await page.locator('[data-testid=activity-state]', { hasText: '已通过' }).waitFor()
    assert.equal((await admin.get(`/api/v1/activities/${adminsOwn}`)).state, 'accepted')
    await context.close()
  })

  test('a secretary cannot open another branch’s activity', async () => {
    const branches = (await admin.get('/api/v1/orgs?kind=branch&page_size=200')).items
    const other = branches.find((o) => !o.path.startsWith(branch.path) && !branch.path.startsWith(o.path))
    const acts = (await admin.get(`/api/v1/activities?org=${other.id}&page_size=1`)).items
    assert.ok(acts.length, 'the other branch has an activity')
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/activities/${acts[0].id}`)
    await page.locator('[data-testid=not-found]').waitFor()
    assert.equal(await page.locator('[data-testid=activity-title]').count(), 0)
    await context.close()
  })

  test('notices: the bell counts unread reminders and links to their page', async () => {
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'shequ')
    const s = await apiSession(server.base, 'shequ')
    const unread = (await s.get('/api/v1/notices?unread=true')).total
    await page.locator('[data-testid=notice-bell]').waitFor()
    if (unread > 0) assert.equal(await page.locator('[data-testid=notice-count]').innerText(), String(Math.min(unread, 99)))
    await page.click('[data-testid=notice-bell]')
    await page.waitForURL(/\/notices$/)
    await page.locator('[data-testid=notices-list]').waitFor()
    if (unread > 0) {
      const first = page.locator('[data-testid=notices-list] li a').first()
      const href = await first.getAttribute('href')
      await first.click()
      await page.waitForURL((u) => u.pathname === href)
      assert.equal(await page.locator('[data-testid=not-found]').count(), 0)
      assert.equal((await s.get('/api/v1/notices?unread=true')).total, unread - 1)
    }
    await context.close()
  })

  test('record book, attachments (photos optional) and the attendance rate in the summary', async () => {
    const zhibu = await apiSession(server.base, 'zhibu')
    const now = Date.now()
    const year = cstDate(now).slice(0, 4)
    const day = cstDate(now).endsWith('-01-01') ? cstDate(now) : cstDate(now - 86_400_000)
    const topic = '记录本与附件测试：学习党章'
    const res = await zhibu.call('/api/v1/activities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ org_id: branch.id, kinds: ['theme_day'], topic, starts_at: `${day}T10:00:00+08:00`, place: '党员活动室', host: '', recorder: '', speaker: '', minutes: '', resolutions: '', held: true }),
    })
    if (!res.ok) assert.fail(`create: ${res.status} ${await res.text()}`)
    const act = await res.json()

    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    // the record book: a print page in a new tab with the activity, and an .xlsx download
    await page.goto(`/orgs/${branch.id}/life`)
    await page.locator('[data-testid=branch-life]').waitFor()
    assert.equal(await page.getAttribute('[data-testid=record-book-print]', 'href'), `/api/v1/orgs/${branch.id}/record-book?year=${year}`)
    const [book] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid=record-book-print]')])
    await book.waitForLoadState()
    assert.ok((await book.content()).includes(topic), 'the record book lists the activity')
    // its print button is the page's one inline handler, allowed by the policy (by hash)
    await book.evaluate(() => {
      window.print = () => (window.__printed = true)
    })
    await book.getByRole('button', { name: '打印 / Print' }).click()
    await book.waitForFunction(() => window.__printed === true)
    await book.close()
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=record-book-export]')])
    assert.match(xlsx.suggestedFilename(), /\.xlsx$/)

    // attachments: optional, a PNG uploads with a thumbnail, a wrong type is refused
    await page.goto(`/activities/${act.id}`)
    await page.locator('[data-testid=attachments-optional]', { hasText: '可选' }).waitFor()
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    await page.setInputFiles('[data-testid=attachment-input]', { name: '活动照片.png', mimeType: 'image/png', buffer: png })
    const item = page.locator('[data-testid=attachment]', { hasText: '活动照片.png' })
    await item.waitFor()
    const thumb = item.locator('[data-testid=attachment-thumb]')
    await thumb.waitFor()
    await thumb.scrollIntoViewIfNeeded()
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle())
    const list = await zhibu.get(`/api/v1/activities/${act.id}/attachments`)
    assert.equal(list.items.length, 1)
    assert.equal(list.items[0].has_thumb, true)
    // a file the server refuses by its content: its field message is shown
    await page.setInputFiles('[data-testid=attachment-input]', { name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') })
    await page.locator('[data-testid=attachment-error]').waitFor()
    assert.ok((await page.locator('[data-testid=attachment-error]').innerText()).length > 0)
    await shot(page, 'life-attachments')
    // self sign-in: the meeting was yesterday, its sign-in window closed at midnight, so no code
    // opens and the panel says why (codes within the window: followup.test.mjs, the phone test below)
    if (day !== cstDate(now)) {
      await page.click('[data-testid=checkin-open]')
      await page.locator('[data-testid=checkin-panel] [role=alert]', { hasText: '签到已结束' }).waitFor()
      assert.equal(await page.locator('[data-testid=checkin-code]').count(), 0)
    }
    // remove the file
    await item.locator('[data-testid=attachment-remove]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await item.waitFor({ state: 'detached' })
    await context.close()

    // the level above: attendance rate of the year in the summary
    const shequS = await apiSession(server.base, 'shequ')
    const shequ = (await shequS.get('/api/v1/me')).scope[0]
    const sum = await shequS.get(`/api/v1/compliance/summary?org=${shequ.id}&period=${year}`)
    const c2 = await newPage(browser, server.base)
    await login(c2.page, 'shequ')
    await c2.page.goto(`/orgs/${shequ.id}/life`)
    await c2.page.locator('[data-testid=life-overview]').waitFor()
    await c2.page.locator('[data-testid=period-kind] .el-radio-button', { hasText: '年' }).click()
    const want = sum.attendance.expected ? new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(sum.attendance.rate) : '—'
    await c2.page.locator('[data-testid=life-attendance-rate]', { hasText: want }).waitFor()
    const text = await c2.page.locator('[data-testid=life-attendance]').innerText()
    assert.match(text, /出席率/)
    assert.ok(text.includes(`应到 ${sum.attendance.expected.toLocaleString('zh-CN')} 人次`), text)
    console.log(`# attendance ${year}: ${text.replace(/\s+/g, ' ')}`)
    await c2.context.close()
  })

  test('a member signs in with the code on the phone', async () => {
    const me = await (await apiSession(server.base, 'dangyuan')).get('/api/v1/me')
    assert.ok(me.user.member_id, 'dangyuan is a member')
    const member = await admin.get(`/api/v1/members/${me.user.member_id}`)
    const day = cstDate(Date.now())
    const res = await admin.call('/api/v1/activities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ org_id: member.org_id, kinds: ['theme_day'], topic: '签到测试', starts_at: `${day}T00:30:00+08:00`, place: '', host: '', recorder: '', speaker: '', minutes: '', resolutions: '', held: true }),
    })
    if (!res.ok) assert.fail(`create: ${res.status} ${await res.text()}`)
    const act = await res.json()
    const cr = await admin.call(`/api/v1/activities/${act.id}/checkin-code`, { method: 'POST' })
    assert.equal(cr.status, 201)
    const code = await cr.json()

    const { context, page } = await newPage(browser, server.base, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await login(page, 'dangyuan')
    // a wrong code: the server's message at the field
    const wrong = code.code === '000000' ? '111111' : '000000'
    await page.goto(`/checkin?activity=${act.id}&code=${wrong}`)
    await page.click('[data-testid=checkin-confirm]')
    await page.locator('[data-testid=checkin-page] .el-form-item.is-error').waitFor()
    await page.goto(code.url)
    assert.equal(await page.inputValue('[data-testid=checkin-input]'), code.code)
    await page.click('[data-testid=checkin-confirm]')
    await page.locator('[data-testid=checkin-done]').waitFor()
    await shot(page, 'life-checkin-phone')
    const att = await admin.get(`/api/v1/activities/${act.id}/attendance`)
    assert.equal(att.items.find((i) => i.member_id === me.user.member_id)?.state, 'present')
    await context.close()
  })

  test('民主评议: more 优秀 than ⌊n/3⌋ of the full members asks for a reason and saves', async () => {
    const zhibu = await apiSession(server.base, 'zhibu')
    const day = cstDate(Date.now())
    const res = await zhibu.call('/api/v1/activities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ org_id: branch.id, kinds: ['life_meeting', 'member_review'], topic: '民主评议测试', starts_at: `${day}T00:10:00+08:00`, place: '', host: '', recorder: '', speaker: '', minutes: '', resolutions: '', held: true }),
    })
    if (!res.ok) assert.fail(`create: ${res.status} ${await res.text()}`)
    const act = await res.json()
    // the cap (⌊n/3⌋ of the full members in good standing) graded 优秀 already: allowed without a reason
    const ap = await zhibu.get(`/api/v1/activities/${act.id}/reviews`)
    const gradable = ap.items.filter((i) => i.gradable)
    assert.equal(ap.excellent_cap, Math.floor(gradable.length / 3))
    const put = await zhibu.call(`/api/v1/activities/${act.id}/reviews`, { method: 'PUT', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: gradable.slice(0, ap.excellent_cap).map((i) => ({ member_id: i.member_id, grade: 'excellent' })) }) })
    assert.equal(put.status, 200)
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/activities/${act.id}`)
    const grades = page.locator('[data-testid=reviews-table] [data-testid=review-grade]')
    await grades.first().waitFor()
    assert.equal(await grades.count(), gradable.length, 'a grade to choose only for full members in good standing')
    // The points rating shows beside the grades as a reference, one per rated member.
    assert.equal(await page.locator('[data-testid=reviews-table] [data-testid=review-points-stars]').count(), ap.items.filter((i) => i.points_stars).length)
    await shot(page, 'life-reviews-desktop')
    // one more 优秀: over the cap
    await grades.nth(ap.excellent_cap).click()
    await page.locator('.el-select-dropdown__item:visible:not(.is-selected)', { hasText: '优秀' }).first().click()
    await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' })
    await page.locator('[data-testid=review-over-cap]').waitFor()
    await page.click('[data-testid=reviews-save]')
    await page.locator('[data-testid=override-dialog] [data-testid=override-message]').waitFor()
    await page.fill('[data-testid=override-reason]', '两名同志在防汛抢险中表现突出')
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/activities/${act.id}/reviews`) && r.request().method() === 'PUT' && r.ok()),
      page.click('[data-testid=override-confirm]'),
    ])
    const saved = await zhibu.get(`/api/v1/activities/${act.id}/reviews`)
    assert.equal(saved.counts.excellent, ap.excellent_cap + 1)
    assert.equal(saved.override_reason, '两名同志在防汛抢险中表现突出')
    await context.close()
  })

  test('the secretary subscribes a calendar to the branch, sees it read, and revokes it', async () => {
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/orgs/${branch.id}/life`)
    await page.click('[data-testid=life-calendar]')
    await page.locator('[data-testid=calendar-dialog] [data-testid=calendar-none]').waitFor()
    assert.equal(await page.locator('[data-testid=calendar-revoke]').count(), 0)
    await page.click('[data-testid=calendar-create]')
    const url = await page.locator('input[data-testid=calendar-url]').inputValue()
    const feed = await fetch(url)
    assert.equal(feed.status, 200)
    assert.match(feed.headers.get('content-type'), /^text\/calendar/)
    assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\n/)
    // reopened: the address itself is not shown again, but that it is in use is
    await page.keyboard.press('Escape')
    await page.locator('[data-testid=calendar-dialog]').waitFor({ state: 'hidden' })
    await page.click('[data-testid=life-calendar]')
    const feeds = page.locator('[data-testid=calendar-feeds]')
    await feeds.locator('li', { hasText: '日历最近读取' }).waitFor()
    assert.equal(await feeds.locator('li').count(), 1)
    assert.equal(await page.locator('input[data-testid=calendar-url]').count(), 0)
    // a second address; the first one is revoked alone and the second keeps working
    await page.click('[data-testid=calendar-create]')
    const second = await page.locator('input[data-testid=calendar-url]').inputValue()
    await feeds.locator('li').nth(1).waitFor()
    await feeds.locator('li', { hasText: '日历最近读取' }).locator('[data-testid=calendar-revoke-one]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await feeds.locator('li', { hasText: '日历最近读取' }).waitFor({ state: 'detached' })
    assert.equal(await feeds.locator('li').count(), 1)
    assert.equal((await fetch(url)).status, 404)
    assert.equal((await fetch(second)).status, 200)
    await page.click('[data-testid=calendar-revoke]')
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-testid=calendar-dialog] [data-testid=calendar-none]').waitFor()
    assert.equal((await fetch(second)).status, 404)
    await context.close()
  })

  test('a member sees their own organizational life on the phone', async () => {
    const { context, page } = await newPage(browser, server.base, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await login(page, 'dangyuan')
    await page.locator('[data-testid=my-life] li').first().waitFor()
    await shot(page, 'life-my-phone')
    await context.close()
  })
  test('a record without attendance is submitted only once the secretary confirms the warning', async () => {
    const zhibu = await apiSession(server.base, 'zhibu')
    const branchId = (await zhibu.get('/api/v1/me')).scope[0].id
    const yesterday = cstDate(Date.now() - 86_400_000)
    const res = await zhibu.call('/api/v1/activities', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ org_id: branchId, kinds: ['branch_general_meeting'], topic: '未记出勤的党员大会', starts_at: `${yesterday}T15:00:00+08:00`, held: true }),
    })
    assert.equal(res.status, 201)
    const { id } = await res.json()
    const { context, page } = await newPage(browser, server.base, { viewport: { width: 360, height: 740 } })
    await login(page, 'zhibu')
    await page.goto(`/activities/${id}`)
    await page.click('[data-testid=activity-submit]')
    const box = page.locator('.submit-confirm')
    await box.locator('[data-testid=submit-warnings]', { hasText: '尚未记录任何出勤情况' }).waitFor()
    await shot(page, 'life-submit-confirm')
    await box.locator('.el-button:not(.el-button--primary)').click() // cancel: nothing changes
    await box.waitFor({ state: 'hidden' })
    assert.equal((await zhibu.get(`/api/v1/activities/${id}`)).state, 'held')
    await submitRecord(page, /尚未记录任何出勤情况/)
    assert.equal((await zhibu.get(`/api/v1/activities/${id}`)).state, 'submitted')
    await context.close()
  })
})
