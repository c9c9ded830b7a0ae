// Browser tests of issue 12 points 2 and 3: each role lands on its own work. The branch secretary
// records a 主题党日 held today from 本月待办 on a phone in ≤ 5 actions and ≤ 30 s; the level above
// accepts or returns (with a reason) from its 待审核 inbox; a member's 我的 and the sign-in page.
// Needs the same as app.test.mjs: web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { OUT, apiSession, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser
let admin

before(async () => ({ server, browser, admin } = await startSuite()))
after(() => stopSuite({ server, browser }))

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }
const post = (s, p, body) => s.call(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
/** The answer's JSON, or a failure naming the status and body when it is not `status`. */
async function expect(res, status) {
  const text = await res.text()
  assert.equal(res.status, status, text)
  return JSON.parse(text)
}

describe('each role lands on its own work', () => {
  let recorded // the 主题党日 the secretary records

  test('the branch secretary records a 主题党日 held today from 本月待办 in ≤ 5 actions on a phone', async () => {
    const zhibu = await apiSession(server.base, 'zhibu')
    const me = await zhibu.get('/api/v1/me')
    const branch = me.scope[0]
    const today = cstDate(Date.now())
    // a standing exemption, carried over into the new record's attendance
    const roster = (await admin.get(`/api/v1/members?org=${branch.id}&subtree=true&page_size=200`)).items
    const exempt = roster.find((m) => m.id !== me.user.member_id)
    const ex = await post(admin, '/api/v1/exemptions', { member_id: exempt.id, reason: '长期外出务工', from_date: '2026-01-01', to_date: '' })
    await expect(ex, 201)
    const already = (await zhibu.get(`/api/v1/activities?org=${branch.id}&kind=theme_day&from=${today}`)).items
    assert.equal(already.filter((a) => a.starts_at.slice(0, 10) === today).length, 0, 'no 主题党日 today yet (the submit would ask to confirm)')

    const { context, page } = await newPage(browser, server.base, PHONE)
    await login(page, 'zhibu')
    // the landing: 本月待办 with the due 主题党日, the branch's own figures, no district-level checks
    const todo = page.locator('[data-testid=todo-card]')
    await todo.locator('[data-testid=todo-rule][data-rule="theme_day.month"]').waitFor()
    await page.locator('[data-testid=branch-figures]').waitFor()
    const text = await page.locator('main, body').first().innerText()
    assert.doesNotMatch(text, /未配备书记/, 'a district-level check on the secretary’s landing')
    await shot(page, 'record-landing-phone')

    let actions = 0
    const click = async (loc) => {
      actions++
      await loc.click()
    }
    const t0 = Date.now()
    // 1: 记录 on the due 主题党日
    await click(todo.locator('[data-testid=todo-record][data-kind=theme_day]'))
    const sheet = page.locator('[data-testid=record-sheet]')
    await sheet.locator('[data-testid=quick-row]').first().waitFor()
    assert.equal(await sheet.locator('[data-testid=record-kinds] [data-kind=theme_day] input').isChecked(), true, 'the kind is filled in')
    // 2: a topic chip (the branch's recent topics / the month's theme)
    const chip = sheet.locator('[data-testid=topic-chip]').first()
    const topic = (await chip.innerText()).replace(/^★\s*/, '').trim()
    await click(chip)
    // attendance: all present, the exemption carried over and not tappable
    const exRow = sheet.locator(`[data-testid=quick-row][data-member-id="${exempt.id}"]`)
    assert.equal(await exRow.getAttribute('data-state'), 'exempt')
    assert.equal(await exRow.isDisabled(), true)
    const rows = sheet.locator('[data-testid=quick-row]')
    const n = await rows.count()
    assert.ok(n >= 20, `the roster (${n})`)
    const heights = await rows.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))
    assert.ok(Math.max(...heights) <= 48, `a member row is ${Math.max(...heights)} px`)
    const listHeight = await sheet.locator('[data-testid=quick-attendance] .tiles').evaluate((e) => e.getBoundingClientRect().height)
    assert.ok(listHeight < 800, `${n} members take ${listHeight} px`)
    const onLeave = roster.find((m) => m.id !== exempt.id && m.id !== me.user.member_id)
    // 3: one tap on a name: 出席 → 请假
    const leaveRow = sheet.locator(`[data-testid=quick-row][data-member-id="${onLeave.id}"]`)
    await click(leaveRow)
    assert.equal(await leaveRow.getAttribute('data-state'), 'leave')
    // 4: the reason is a chip
    await click(sheet.locator(`[data-testid=leave-reason][data-member-id="${onLeave.id}"] [data-testid=reason-chip]`).nth(1))
    await shot(page, 'record-sheet-phone')
    // 5: 保存并报送
    await click(sheet.locator('[data-testid=record-submit]'))
    await page.waitForURL(/\/activities\/\d+$/)
    await page.locator('[data-testid=activity-state]', { hasText: '已报送' }).waitFor()
    const seconds = (Date.now() - t0) / 1000
    await shot(page, 'record-submitted-phone')
    console.log(`# 主题党日 recorded and submitted in ${actions} actions, ${seconds.toFixed(1)} s`)
    fs.mkdirSync(OUT, { recursive: true })
    fs.writeFileSync(path.join(OUT, 'record-flow.json'), JSON.stringify({ actions, seconds }))
    assert.ok(actions <= 5, `${actions} actions`)
    assert.ok(seconds <= 30, `${seconds} s`)

    // the record, via the API: submitted, a 主题党日 today, all present but one on leave (with its reason) and the exempted
    const id = Number(new URL(page.url()).pathname.split('/').pop())
    const a = await admin.get(`/api/v1/activities/${id}`)
    assert.equal(a.state, 'submitted')
    assert.deepEqual(a.kinds, ['theme_day'])
    assert.equal(a.topic, topic)
    assert.equal(cstDate(Date.parse(a.starts_at)), today)
    const att = await admin.get(`/api/v1/activities/${id}/attendance`)
    const by = Object.fromEntries(att.items.map((i) => [i.member_id, i]))
    assert.equal(by[onLeave.id].state, 'leave')
    assert.equal(by[onLeave.id].reason, '病假')
    assert.equal(by[exempt.id].state, 'exempt')
    assert.equal(att.absent, 0)
    assert.equal(att.leave, 1)
    const others = att.items.filter((i) => i.member_id !== onLeave.id)
    assert.deepEqual(others.filter((i) => i.state !== 'present' && i.state !== 'exempt'), [], 'everyone else present or exempted')
    assert.equal(att.present, others.filter((i) => i.state === 'present').length)
    recorded = a
    await context.close()
  })

  test('保存并报送 asks to confirm a second 主题党日 the same day (a guard, not skipped)', async () => {
    assert.ok(recorded, 'the first test recorded one')
    const { context, page } = await newPage(browser, server.base, PHONE)
    await login(page, 'zhibu')
    await page.locator('[data-testid=record-new]').click()
    const sheet = page.locator('[data-testid=record-sheet]')
    await sheet.locator('[data-testid=quick-row]').first().waitFor()
    await sheet.locator('[data-testid=record-kinds] [data-kind=theme_day]').click()
    await sheet.locator('[data-testid=record-topic]').fill('同日第二次主题党日')
    // a leave without a reason is refused at the row before anything is sent
    await sheet.locator('[data-testid=quick-row]:not([disabled])').first().click()
    await sheet.locator('[data-testid=record-submit]').click()
    await sheet.locator('[data-testid=record-error]').waitFor()
    await sheet.locator('[data-testid=reason-input]').fill('家中有事')
    await sheet.locator('[data-testid=record-submit]').click()
    const box = page.locator('.submit-confirm')
    await box.waitFor()
    assert.match(await box.locator('[data-testid=submit-warnings]').innerText(), /主题党日|同一天|same/)
    await shot(page, 'record-confirm-phone')
    await box.locator('.el-button--primary').click()
    await page.locator('[data-testid=activity-state]', { hasText: '已报送' }).waitFor()
    await context.close()
  })

  test('the level above accepts with one tap and returns with a reason from its 待审核 inbox', async () => {
    assert.ok(recorded)
    for (const [size, name] of [[{ viewport: { width: 1366, height: 768 } }, 'desktop'], [PHONE, 'phone']]) {
      const { context, page } = await newPage(browser, server.base, size)
      await login(page, 'shequ')
      const inbox = page.locator('[data-testid=review-inbox]')
      await inbox.locator('[data-testid=inbox-item]').first().waitFor()
      await shot(page, `record-inbox-${name}`)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      if (name === 'phone') assert.ok(overflow <= 0, `the inbox overflows by ${overflow} px`)
      await context.close()
    }
    const { context, page } = await newPage(browser, server.base, { viewport: { width: 1366, height: 768 } })
    await login(page, 'shequ')
    const inbox = page.locator('[data-testid=review-inbox]')
    const item = inbox.locator(`[data-testid=inbox-item][data-id="${recorded.id}"]`)
    await item.waitFor()
    await item.locator('[data-testid=inbox-accept]').click()
    await item.waitFor({ state: 'detached' })
    assert.equal((await admin.get(`/api/v1/activities/${recorded.id}`)).state, 'accepted')
    // 退回 needs a reason
    const other = inbox.locator('[data-testid=inbox-item]').first()
    const otherId = Number(await other.getAttribute('data-id'))
    await other.locator('[data-testid=inbox-return]').click()
    await other.locator('[data-testid=inbox-return-confirm]').click()
    await other.locator('[role=alert]').waitFor()
    assert.equal((await admin.get(`/api/v1/activities/${otherId}`)).state, 'submitted', 'returned without a reason')
    await other.locator('[data-testid=inbox-return-reason]').fill('缺少会议记录')
    await other.locator('[data-testid=inbox-return-confirm]').click()
    await inbox.locator(`[data-testid=inbox-item][data-id="${otherId}"]`).waitFor({ state: 'detached' })
    const back = await admin.get(`/api/v1/activities/${otherId}`)
    assert.equal(back.state, 'returned')
    assert.equal(back.review_comment, '缺少会议记录')
    await context.close()
  })

  test('a member’s 我的: coming meetings, participation, 党龄; the sign-in page names the meeting and ends on 我的', async () => {
    const dy = await apiSession(server.base, 'dangyuan')
    const me = await dy.get('/api/v1/me')
    const member = await admin.get(`/api/v1/members/${me.user.member_id}`)
    // a meeting starting in 10 minutes (sign-in is open from shortly before the start)
    const starts = new Date(Date.now() + 10 * 60_000)
    const res = await post(admin, '/api/v1/activities', { org_id: member.org_id, kinds: ['branch_general_meeting'], topic: '学习党章党规', starts_at: starts.toISOString(), place: '社区党群服务中心三楼', host: '', recorder: '', speaker: '', minutes: '', resolutions: '', held: false })
    const act = await expect(res, 201)
    const code = await expect(await post(admin, `/api/v1/activities/${act.id}/checkin-code`, {}), 201)

    const { context, page } = await newPage(browser, server.base, PHONE)
    await login(page, 'dangyuan')
    assert.equal(new URL(page.url()).pathname, '/my')
    const up = page.locator('[data-testid=my-upcoming-item]', { hasText: '学习党章党规' })
    await up.waitFor()
    await page.locator('[data-testid=my-participation]').waitFor()
    const ageText = await page.locator('[data-testid=my-party-age]').innerText()
    assert.match(ageText, /\d+ 年|预备党员/)
    await shot(page, 'record-my-phone')
    await up.locator('[data-testid=my-checkin]').click()
    await page.waitForURL(/\/checkin\?activity=/)
    const info = page.locator('[data-testid=checkin-info]')
    assert.equal(await info.locator('[data-testid=checkin-topic]').innerText(), '学习党章党规')
    assert.match(await info.locator('[data-testid=checkin-place]').innerText(), /三楼/)
    assert.doesNotMatch(await page.locator('[data-testid=checkin-page]').innerText(), /活动编号/)
    await page.fill('[data-testid=checkin-input]', code.code)
    await shot(page, 'record-checkin-phone')
    await page.click('[data-testid=checkin-confirm]')
    await page.waitForURL((u) => u.pathname === '/my' && u.searchParams.get('signed') === String(act.id))
    assert.match(await page.locator('[data-testid=my-signed]').innerText(), /已签到.*学习党章党规/)
    const att = await admin.get(`/api/v1/activities/${act.id}/attendance`)
    assert.equal(att.items.find((i) => i.member_id === me.user.member_id)?.state, 'present')
    await context.close()
  })

  test('the secretary’s own 我的 does not tell them to contact the secretary', async () => {
    const { context, page } = await newPage(browser, server.base, PHONE)
    await login(page, 'zhibu')
    await page.goto('/my')
    await page.locator('[data-testid=my-record]').waitFor()
    await page.locator('[data-testid=my-figures]').waitFor()
    assert.doesNotMatch(await page.locator('body').innerText(), /联系支部书记|请联系支部/)
    await shot(page, 'record-my-secretary-phone')
    await context.close()
  })
})
