// Browser tests of the follow-up of organizational life: the 组织生活会 problem list and its
// rectification, 谈心谈话 coverage, and live self sign-in (QR code, the secretary's list
// refreshing by itself). Needs the same as app.test.mjs: web/dist built, the binary built after
// it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { PASSWORD, apiSession, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser
let admin

before(async () => ({ server, browser, admin } = await startSuite()))
after(() => stopSuite({ server, browser }))

const DAY = 86_400_000

async function post(session, path, body) {
  const res = await session.call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  if (!res.ok) assert.fail(`POST ${path}: ${res.status} ${await res.text()}`)
  return res.status === 204 ? null : res.json()
}

/** An account linked to a member (role member) or with a read-only grant (role viewer). */
async function account(username, role, orgId, memberId = 0) {
  const u = await post(admin, '/api/v1/users', { username, display_name: username, password: PASSWORD, org_id: orgId, ...(memberId ? { member_id: memberId } : {}) })
  await post(admin, `/api/v1/users/${u.id}/grants`, { role, org_id: orgId })
  return u
}

/** Fills an Element Plus date picker inside the element with this test id. */
async function pickDate(scope, testId, date) {
  const input = scope.locator(`[data-testid=${testId}] input`)
  await input.fill(date)
  await input.press('Enter')
}

/** No horizontal scrolling inside a section (phone layout). */
async function fitsWidth(page, testId) {
  return page.locator(`[data-testid=${testId}]`).evaluate((el) => el.scrollWidth <= el.clientWidth + 1)
}

describe('follow-up of organizational life', () => {
  let branch
  let zhibu
  let activityId
  let dangyuan // { user, member_id }

  before(async () => {
    zhibu = await apiSession(server.base, 'zhibu')
    branch = (await zhibu.get('/api/v1/me')).scope[0]
    dangyuan = (await (await apiSession(server.base, 'dangyuan')).get('/api/v1/me')).user
    assert.ok(dangyuan.member_id, 'dangyuan is linked to a member')
  })

  test('组织生活会: the secretary lists problems (error at the field), marks one done and sees the progress', async () => {
    const now = Date.now()
    const yesterday = cstDate(now).endsWith('-01-01') ? cstDate(now) : cstDate(now - DAY)
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')

    // a held 组织生活会, recorded through the form
    await page.goto(`/orgs/${branch.id}/life`)
    await page.locator('[data-testid=branch-life]').waitFor()
    await page.click('[data-testid=life-new]')
    const form = page.locator('[data-testid=activity-form]')
    await form.waitFor()
    await form.locator('[data-kind=life_meeting]').click()
    await page.fill('[data-testid=activity-topic]', '年度组织生活会：对照检查，开展批评和自我批评')
    await pickDate(form, 'activity-starts', `${yesterday} 14:00`)
    await page.fill('[data-testid=activity-minutes]', '书记代表支部委员会作对照检查，党员逐一发言。')
    await page.click('[data-testid=activity-save]')
    await page.waitForURL(/\/activities\/\d+$/)
    activityId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.locator('[data-testid=activity-state]', { hasText: '已开展' }).waitFor()
    assert.deepEqual((await admin.get(`/api/v1/activities/${activityId}`)).kinds, ['life_meeting'])

    const panel = page.locator('[data-testid=rectifications]')
    const summary = panel.locator('[data-testid=rect-summary]')
    await panel.locator('[data-testid=rect-none]').waitFor()
    assert.equal((await summary.innerText()).trim(), '共 0 项，已完成 0 项，逾期 0 项')

    // without a problem the server's message is shown at the problem field
    await panel.locator('[data-testid=rect-add]').click()
    const dialog = page.locator('[data-testid=rect-dialog]')
    await dialog.waitFor()
    await dialog.locator('[data-testid=rect-measure]').fill('建立党员联系群众台账，每月走访')
    await dialog.locator('[data-testid=rect-owner]').fill('李明')
    await pickDate(dialog, 'rect-deadline', cstDate(now + 30 * DAY))
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/activities/${activityId}/rectifications`) && r.request().method() === 'POST'),
      dialog.locator('[data-testid=rect-save]').click(),
    ])
    assert.equal(refused.status(), 422)
    const problemItem = dialog.locator('[data-testid=rect-problem-item]')
    await problemItem.locator('.el-form-item__error').waitFor()
    assert.ok(await problemItem.evaluate((el) => el.classList.contains('is-error')))
    const msg = (await problemItem.locator('.el-form-item__error').innerText()).trim()
    assert.ok(msg.length > 0, 'a message at the problem field')
    console.log(`# problem field: ${msg}`)
    assert.equal(await dialog.locator('.el-form-item.is-error').count(), 1, 'only the problem field is wrong')
    await dialog.locator('[data-testid=rect-problem]').fill('联系服务群众不够经常')
    await dialog.locator('[data-testid=rect-save]').click()
    await dialog.waitFor({ state: 'hidden' })
    await panel.locator('[data-testid=rect-item]').first().waitFor()
    await panel.locator('[data-testid=rect-summary]', { hasText: '共 1 项，已完成 0 项，逾期 0 项' }).waitFor()

    // a second item whose deadline has passed: 逾期, as text and mark
    await panel.locator('[data-testid=rect-add]').click()
    await dialog.waitFor()
    assert.equal(await dialog.locator('[data-testid=rect-problem]').inputValue(), '', 'the form starts empty')
    await dialog.locator('[data-testid=rect-problem]').fill('理论学习缺乏系统性')
    await dialog.locator('[data-testid=rect-measure]').fill('制定年度学习计划')
    await pickDate(dialog, 'rect-deadline', cstDate(now - 2 * DAY))
    await dialog.locator('[data-testid=rect-save]').click()
    await dialog.waitFor({ state: 'hidden' })
    await panel.locator('[data-testid=rect-summary]', { hasText: '共 2 项，已完成 0 项，逾期 1 项' }).waitFor()
    const items = panel.locator('[data-testid=rect-item]')
    assert.equal(await items.count(), 2)
    assert.equal(await items.nth(0).getAttribute('data-state'), 'open')
    assert.match(await items.nth(0).locator('[data-testid=rect-state]').innerText(), /进行中/)
    assert.equal(await items.nth(1).getAttribute('data-state'), 'overdue')
    assert.match(await items.nth(1).locator('[data-testid=rect-state]').innerText(), /✗\s*逾期/)

    // mark the first done: a note is asked for, then the state reads 已完成 with the date and note
    await items.nth(0).locator('[data-testid=rect-done]').click()
    const done = page.locator('[data-testid=rect-done-dialog]')
    await done.waitFor()
    await done.locator('[data-testid=rect-done-confirm]').click()
    await done.locator('.el-form-item.is-error').waitFor()
    await done.locator('[data-testid=rect-done-note-input]').fill('已建立台账，支部委员每月走访 10 户')
    await Promise.all([
      page.waitForResponse((r) => /\/rectifications\/\d+\/done$/.test(r.url()) && r.status() === 204),
      done.locator('[data-testid=rect-done-confirm]').click(),
    ])
    await panel.locator('[data-testid=rect-summary]', { hasText: '共 2 项，已完成 1 项，逾期 1 项' }).waitFor()
    assert.equal(await items.nth(0).getAttribute('data-state'), 'done')
    assert.match(await items.nth(0).locator('[data-testid=rect-state]').innerText(), /✓\s*已完成/)
    assert.match(await items.nth(0).innerText(), /已建立台账，支部委员每月走访 10 户/)
    assert.ok((await items.nth(0).locator('[data-testid=rect-done-on]').innerText()).includes('完成'))
    assert.equal(await items.nth(0).locator('[data-testid=rect-done]').count(), 0, 'no mark-done button on a done item')
    assert.equal(await items.nth(0).locator('[data-testid=rect-edit]').count(), 0, 'a done item stays as recorded')
    // correct the open one: the dialog opens with what it says, the change is shown
    await items.nth(1).locator('[data-testid=rect-edit]').click()
    await dialog.waitFor()
    assert.equal(await dialog.locator('[data-testid=rect-problem]').inputValue(), '理论学习缺乏系统性')
    await dialog.locator('[data-testid=rect-owner]').fill('组织委员')
    await Promise.all([
      page.waitForResponse((r) => /\/rectifications\/\d+$/.test(r.url()) && r.request().method() === 'PATCH' && r.ok()),
      dialog.locator('[data-testid=rect-save]').click(),
    ])
    await dialog.waitFor({ state: 'hidden' })
    await items.nth(1).locator('dd', { hasText: '组织委员' }).waitFor()
    assert.equal(await items.nth(1).getAttribute('data-state'), 'overdue')
    const list = (await zhibu.get(`/api/v1/activities/${activityId}/rectifications`)).items
    assert.equal(list.length, 2)
    assert.ok(list[0].done_at)
    assert.equal(list[0].done_note, '已建立台账，支部委员每月走访 10 户')
    assert.equal(list[1].overdue, true)
    await panel.scrollIntoViewIfNeeded()
    await shot(page, 'followup-rectifications')

    // the progress holds after a reload (it comes from the server)
    await page.reload()
    await page.locator('[data-testid=rect-summary]', { hasText: '共 2 项，已完成 1 项，逾期 1 项' }).waitFor()
    await context.close()
  })

  test('谈心谈话: a talk with a member from the not-yet list raises the count and takes them off it', async () => {
    const year = Number(cstDate(Date.now()).slice(0, 4))
    const before = await zhibu.get(`/api/v1/talks?org=${branch.id}&year=${year}`)
    assert.ok(before.not_talked.length > 0, 'someone is not yet talked with')
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/orgs/${branch.id}/life`)
    const talks = page.locator('[data-testid=talks]')
    const coverage = talks.locator('[data-testid=talk-coverage]')
    const talkedBefore = before.members_total - before.not_talked.length
    await talks.locator('[data-testid=talk-coverage]', { hasText: `${year} 年已谈 ${talkedBefore} / 共 ${before.members_total} 人` }).waitFor()
    assert.match(await talks.innerText(), /每年谈心谈话一般不少于1次（《中国共产党支部工作条例（试行）》第二十条）/)
    assert.match(await talks.locator('[data-testid=talk-state]').innerText(), new RegExp(`还有 ${before.not_talked.length} 人未谈`))

    // a click on a name opens the dialog with that member chosen and the secretary as the talker
    const target = before.not_talked[0]
    await talks.locator(`[data-testid=talk-not-talked-member][data-member-id="${target.member_id}"]`).click()
    const dialog = page.locator('[data-testid=talk-dialog]')
    await dialog.waitFor()
    assert.ok((await dialog.locator('[data-testid=talk-member]').innerText()).includes(target.name), 'the member is chosen')
    const me = (await zhibu.get('/api/v1/me')).user
    assert.equal(await dialog.locator('[data-testid=talk-talker]').inputValue(), me.display_name)
    assert.equal(await dialog.locator('[data-testid=talk-date] input').inputValue(), cstDate(Date.now()))

    // no talker: the server's message at the talker field
    await dialog.locator('[data-testid=talk-talker]').fill('')
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/talks') && r.request().method() === 'POST'),
      dialog.locator('[data-testid=talk-save]').click(),
    ])
    assert.equal(refused.status(), 422)
    await dialog.locator('.el-form-item.is-error', { hasText: '谈话人' }).waitFor()
    await dialog.locator('[data-testid=talk-talker]').fill(me.display_name || '支部书记')
    await dialog.locator('[data-testid=talk-summary]').fill('了解家庭和工作情况，征求对支部工作的意见。')
    await dialog.locator('[data-testid=talk-save]').click()
    await dialog.waitFor({ state: 'hidden' })

    await talks.locator('[data-testid=talk-coverage]', { hasText: `已谈 ${talkedBefore + 1} / 共 ${before.members_total} 人` }).waitFor()
    await talks.locator(`[data-testid=talk-not-talked-member][data-member-id="${target.member_id}"]`).waitFor({ state: 'detached' })
    const item = talks.locator(`[data-testid=talk-item][data-member-id="${target.member_id}"]`)
    await item.waitFor()
    assert.match(await item.innerText(), new RegExp(target.name))
    assert.match(await item.innerText(), /征求对支部工作的意见/)
    const afterList = await zhibu.get(`/api/v1/talks?org=${branch.id}&year=${year}`)
    assert.equal(afterList.not_talked.length, before.not_talked.length - 1)
    assert.ok(afterList.items.some((x) => x.member_id === target.member_id && x.talked_on === cstDate(Date.now())))
    console.log(`# talks: ${(await coverage.innerText()).trim()}`)
    await talks.scrollIntoViewIfNeeded()
    await shot(page, 'followup-talks')

    // the year selection: an earlier year has no talks and counts from zero
    await page.locator('[data-testid=life-year]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: String(year - 1) }).click()
    const lastYear = await zhibu.get(`/api/v1/talks?org=${branch.id}&year=${year - 1}`) // members who had joined by then
    await talks.locator('[data-testid=talk-coverage]', { hasText: `${year - 1} 年已谈 0 / 共 ${lastYear.members_total} 人` }).waitFor()
    await talks.locator('[data-testid=talk-none]').waitFor()
    await context.close()

    // on a phone the section fits the screen
    const phone = await newPage(browser, server.base, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await login(phone.page, 'zhibu')
    await phone.page.goto(`/orgs/${branch.id}/life`)
    await phone.page.locator('[data-testid=talk-coverage]', { hasText: `已谈 ${talkedBefore + 1}` }).waitFor()
    assert.ok(await fitsWidth(phone.page, 'talks'), 'the talks section fits 360 px')
    await phone.context.close()
  })

  test('民主评议: the cap and deadlines come from the rule pack; a 不合格 member gets the branch\'s decision', async () => {
    const now = Date.now()
    const yesterday = cstDate(now).endsWith('-01-01') ? cstDate(now) : cstDate(now - DAY)
    const act = await post(zhibu, '/api/v1/activities', { org_id: branch.id, kinds: ['member_review'], topic: '年度民主评议党员', starts_at: `${yesterday}T02:00:00Z`, held: true })
    const ap = await zhibu.get(`/api/v1/activities/${act.id}/reviews`)
    const target = ap.items.find((i) => i.gradable)
    assert.ok(target, 'a full member in good standing')
    assert.equal(ap.excellent_cap, Math.floor(ap.eligible / 3), 'at most a third, rounded down')
    const res = await zhibu.call(`/api/v1/activities/${act.id}/reviews`, { method: 'PUT', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: [{ member_id: target.member_id, grade: 'unqualified' }] }) })
    assert.equal(res.status, 200)

    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/activities/${act.id}`)
    const reviews = page.locator('[data-testid=reviews]')
    await reviews.locator('[data-testid=reviews-hint]', { hasText: `正式党员 ${ap.eligible} 名，最多 ${ap.excellent_cap} 名，向下取整` }).waitFor()
    assert.match(await reviews.locator('[data-testid=reviews-hint]').innerText(), new RegExp(`默认到 ${ap.correction_default}，最长不超过 ${ap.correction_latest}`))
    await reviews.locator('[data-testid=reviews-incomplete]').waitFor()

    // the decision: a missing body is refused at its field, then 已改正 is recorded
    await reviews.locator('[data-testid=review-decide]').first().click()
    const dialog = page.locator('[data-testid=outcome-dialog]')
    await dialog.waitFor()
    await dialog.locator('[data-testid=outcome-confirm]').click()
    await dialog.locator('.el-form-item__error', { hasText: '决定机构' }).waitFor()
    await pickDate(dialog, 'outcome-date', cstDate(now))
    await dialog.locator('[data-testid=outcome-by]').fill('支部党员大会')
    await dialog.locator('[data-testid=outcome-confirm]').click()
    await reviews.locator('[data-testid=review-outcome]', { hasText: '已改正' }).waitFor()
    await shot(page, 'followup-appraisal-outcome')
    const after = await zhibu.get(`/api/v1/activities/${act.id}/reviews`)
    assert.equal(after.items.find((i) => i.member_id === target.member_id).outcome.decided_by, '支部党员大会')
    await context.close()
  })

  test('the activity form asks which year a 组织生活会 is held for', async () => {
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/orgs/${branch.id}/life`)
    await page.locator('[data-testid=life-todo]').waitFor() // the page has loaded
    await page.locator('[data-testid=life-new]').first().click()
    const form = page.locator('[data-testid=activity-form]')
    await form.waitFor()
    assert.equal(await form.locator('[data-testid=activity-for-year]').count(), 0, 'no year for a 主题党日')
    await form.locator('[data-kind=life_meeting]').click()
    await form.locator('[data-testid=activity-for-year]').waitFor()
    assert.match(await form.innerText(), /1—2 月召开的默认计入上一年度/)
    await context.close()
  })

  test('self sign-in: a QR code, a countdown, and the list refreshes by itself without touching edited rows', async () => {
    // a code works only from shortly before the meeting to its end: the meeting is moved to
    // the last half hour (the server's window, rule pack checkin.opens_minutes_before)
    const moved = await zhibu.call(`/api/v1/activities/${activityId}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ starts_at: new Date(Date.now() - 30 * 60 * 1000).toISOString() }) })
    if (!moved.ok) assert.fail(`move the meeting: ${moved.status} ${await moved.text()}`)
    const roster = (await zhibu.get(`/api/v1/activities/${activityId}/attendance`)).items
    assert.ok(roster.some((r) => r.member_id === dangyuan.member_id), 'dangyuan is on the roster')
    // a second member with an account: the secretary will have changed their row, unsaved
    const other = roster.find((r) => r.member_id !== dangyuan.member_id && r.state === '')
    assert.ok(other, 'another member not yet recorded')
    await account('qiandao2', 'member', branch.id, other.member_id)

    const { context, page } = await newPage(browser, server.base)
    await page.clock.install() // the real time flows; lets the test jump past the expiry at the end
    await login(page, 'zhibu')
    await page.goto(`/activities/${activityId}`)
    const rowOf = (id) => page.locator(`[data-testid=attendance-row][data-member-id="${id}"]`)
    await rowOf(dangyuan.member_id).waitFor()
    assert.equal(await rowOf(dangyuan.member_id).getAttribute('data-state'), '')
    // the secretary marks the other member absent and does not save
    await rowOf(other.member_id).locator('.el-radio-button[data-state=absent]').click()
    assert.equal(await rowOf(other.member_id).getAttribute('data-state'), 'absent')

    const checkin = page.locator('[data-testid=checkin-panel]')
    await checkin.locator('[data-testid=checkin-open]').click()
    const img = checkin.locator('img[data-testid=checkin-qr]')
    await img.waitFor()
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle())
    const box = await img.boundingBox()
    assert.ok(box && box.width >= 150 && box.height >= 150, `QR image ${JSON.stringify(box)}`)
    const code = (await checkin.locator('[data-testid=checkin-code]').innerText()).trim()
    assert.match(code, /^\d{6}$/)
    const link = (await checkin.locator('[data-testid=checkin-link]').innerText()).trim()
    assert.equal(link, `${server.base}/checkin?activity=${activityId}&code=${code}`)
    assert.ok((await img.getAttribute('alt')).includes(link), 'the alt text names the link')
    assert.match(await checkin.locator('[data-testid=checkin-left]').innerText(), /剩余 1[45]:\d\d/)
    await checkin.locator('[data-testid=checkin-count]', { hasText: '已签到 0 人' }).waitFor()
    await shot(page, 'followup-checkin')

    // both members sign in on their phones (through the API)
    for (const username of ['dangyuan', 'qiandao2']) {
      const s = await apiSession(server.base, username)
      const item = await post(s, `/api/v1/activities/${activityId}/checkin`, { code })
      assert.equal(item.state, 'present')
    }
    // without a reload: dangyuan turns 出席 with a 已签到 tag; the edited row stays 缺席
    await page.locator(`[data-testid=attendance-row][data-member-id="${dangyuan.member_id}"][data-state=present]`).waitFor()
    await rowOf(dangyuan.member_id).locator('[data-testid=signed-in]', { hasText: '已签到' }).waitFor()
    assert.equal(await rowOf(dangyuan.member_id).locator('.el-radio-button.is-active').innerText(), '出席')
    await checkin.locator('[data-testid=checkin-count]', { hasText: '已签到 2 人' }).waitFor()
    assert.equal(await rowOf(other.member_id).getAttribute('data-state'), 'absent', 'an unsaved change is not overwritten')
    assert.equal(await page.locator('[data-testid=attendance-save]').isEnabled(), true, 'the change is still to be saved')
    await shot(page, 'followup-checkin-live')

    // the code expires: the page says so, and polling stops
    let polls = 0
    page.on('request', (r) => {
      if (r.method() === 'GET' && r.url().endsWith(`/activities/${activityId}/attendance`)) polls++
    })
    await page.clock.fastForward('16:00')
    await checkin.locator('[data-testid=checkin-expired]', { hasText: '已过期' }).waitFor()
    await checkin.locator('[data-testid=checkin-open]', { hasText: '重新开启签到' }).waitFor()
    const afterExpiry = polls
    await page.clock.runFor('00:30') // 30 simulated seconds: six polls if it had not stopped
    await page.evaluate(() => document.title) // a round trip, so that any request made is reported
    assert.ok(polls - afterExpiry === 0, `no polls after expiry (saw ${polls - afterExpiry})`)
    assert.ok(afterExpiry <= 1, `at most one last poll at expiry (saw ${afterExpiry})`)

    await context.close()
  })

  test('after acceptance the secretary can still add and complete; a viewer sees no write buttons', async () => {
    await post(zhibu, `/api/v1/activities/${activityId}/submit`, { comment: '', confirm: true }) // warnings (e.g. a second record that day) confirmed
    await post(await apiSession(server.base, 'shequ'), `/api/v1/activities/${activityId}/accept`, { comment: '' })
    assert.equal((await admin.get(`/api/v1/activities/${activityId}`)).state, 'accepted')

    let { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto(`/activities/${activityId}`)
    await page.locator('[data-testid=activity-state]', { hasText: '已通过' }).waitFor()
    assert.equal(await page.locator('[data-testid=activity-edit]').count(), 0)
    const panel = page.locator('[data-testid=rectifications]')
    await panel.locator('[data-testid=rect-summary]', { hasText: '共 2 项' }).waitFor()
    await panel.locator('[data-testid=rect-add]').click()
    const dialog = page.locator('[data-testid=rect-dialog]')
    await dialog.locator('[data-testid=rect-problem]').fill('会后整改跟踪不够及时')
    await pickDate(dialog, 'rect-deadline', cstDate(Date.now() + 60 * DAY))
    await dialog.locator('[data-testid=rect-save]').click()
    await dialog.waitFor({ state: 'hidden' })
    await panel.locator('[data-testid=rect-summary]', { hasText: '共 3 项，已完成 1 项，逾期 1 项' }).waitFor()
    // the overdue item is put right after acceptance
    await panel.locator('[data-testid=rect-item][data-state=overdue] [data-testid=rect-done]').click()
    const done = page.locator('[data-testid=rect-done-dialog]')
    await done.locator('[data-testid=rect-done-note-input]').fill('已制定学习计划并执行')
    await done.locator('[data-testid=rect-done-confirm]').click()
    await panel.locator('[data-testid=rect-summary]', { hasText: '共 3 项，已完成 2 项，逾期 0 项' }).waitFor()
    assert.ok(await fitsWidth(page, 'rectifications'))
    await context.close()

    // a viewer of the branch reads the list and the talks, without any write button
    await account('chakan', 'viewer', branch.id)
    ;({ context, page } = await newPage(browser, server.base))
    await login(page, 'chakan')
    await page.goto(`/activities/${activityId}`)
    await page.locator('[data-testid=rectifications] [data-testid=rect-summary]', { hasText: '共 3 项，已完成 2 项' }).waitFor()
    assert.equal(await page.locator('[data-testid=rectifications] [data-testid=rect-item]').count(), 3)
    assert.equal(await page.locator('[data-testid=rect-add]').count(), 0)
    assert.equal(await page.locator('[data-testid=rect-done]').count(), 0)
    assert.equal(await page.locator('[data-testid=checkin-panel]').count(), 0)
    await page.goto(`/orgs/${branch.id}/life`)
    await page.locator('[data-testid=talks] [data-testid=talk-coverage]').waitFor()
    assert.equal(await page.locator('[data-testid=talk-add]').count(), 0)
    assert.equal(await page.locator('[data-testid=talks] button[data-testid=talk-not-talked-member]').count(), 0)
    // and in English
    await page.click('[data-testid=lang-en-US]')
    await page.locator('[data-testid=talks] [data-testid=talk-coverage]', { hasText: /talked with 1 of \d+/ }).waitFor()
    await page.goto(`/activities/${activityId}`)
    await page.locator('[data-testid=rect-summary]', { hasText: '3 items, 2 done, 0 overdue' }).waitFor()
    assert.match(await page.locator('[data-testid=rectifications]').innerText(), /Problems found and their rectification[\s\S]*✓ Done/)
    await context.close()

    // the secretary on a phone: the problem list fits the screen, its buttons are there
    const phone = await newPage(browser, server.base, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await login(phone.page, 'zhibu')
    await phone.page.goto(`/activities/${activityId}`)
    const list = phone.page.locator('[data-testid=rectifications]')
    await list.locator('[data-testid=rect-summary]', { hasText: '共 3 项，已完成 2 项，逾期 0 项' }).waitFor()
    await list.locator('[data-testid=rect-add]').waitFor()
    assert.ok(await fitsWidth(phone.page, 'rectifications'), 'the problem list fits 360 px')
    await list.scrollIntoViewIfNeeded()
    await shot(phone.page, 'followup-rect-phone')
    await phone.context.close()
  })
})

describe('a 流动党员 at the host organization', () => {
  test('the host marks them on its roster; their home branch sees where they took part', async () => {
    // two members of different branches: one is registered at the other's branch as its host (流入地)
    const members = (await admin.get('/api/v1/members?page_size=50&status=active')).items
    const mobile = members[0]
    const host = members.find((m) => m.org_id !== mobile.org_id)
    assert.ok(host, 'a member of another branch')
    await post(admin, '/api/v1/affiliations', { member_id: mobile.id, org_id: host.org_id, kind: 'host', from_date: cstDate(Date.now() - 2 * DAY) })
    const act = await post(admin, '/api/v1/activities', { org_id: host.org_id, kinds: ['theme_day'], topic: '流入党员参加主题党日', starts_at: new Date(Date.now() - 3600_000).toISOString(), held: true })
    const res = await admin.call(`/api/v1/activities/${act.id}/attendance`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ items: [{ member_id: mobile.id, state: 'present' }] }) })
    assert.equal(res.status, 200, await res.text())
    await account('liuru', 'secretary', host.org_id)

    // the host branch's secretary on a phone: the member is on the roster, marked 流入党员
    const { context, page } = await newPage(browser, server.base, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await login(page, 'liuru')
    await page.goto(`/activities/${act.id}`)
    const row = page.locator(`[data-testid=attendance-row][data-member-id="${mobile.id}"]`)
    await row.locator('[data-testid=affiliation]', { hasText: '流入党员' }).waitFor()
    assert.equal(await row.getAttribute('data-state'), 'present')
    await context.close()

    // the administrator opens the member's page: the activity names the host branch
    const home = await newPage(browser, server.base, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await login(home.page, 'admin')
    await home.page.goto(`/members/${mobile.id}`)
    await home.page.getByRole('tab', { name: '组织生活' }).click()
    const item = home.page.locator('[data-testid=member-activity]', { hasText: '流入党员参加主题党日' })
    await item.locator('[data-testid=member-activity-org]', { hasText: host.org_name }).waitFor()
    assert.match(await item.innerText(), /出席/)
    await shot(home.page, 'member-activities-phone')
    await home.context.close()
  })
})
