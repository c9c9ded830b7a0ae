// Browser tests of the points year end on a phone (360 px) and a desktop (1366 px): the branch
// secretary computes the year from 积分审核, adjusts a rating (refused without a reason), accepts
// the rest and starts the 公示; the member opens 我的年度星级 from 我的积分, objects to their rating
// on the branch's notice and appeals an entry; the secretary answers the objection and cannot
// confirm inside the window; the street (the level above) changes the entry on appeal.
// Needs web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, axeCheck, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startSuite()))
after(() => stopSuite({ server, browser }))

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }
const desktop = { viewport: { width: 1366, height: 768 } }

/** The page fits the screen: nothing wider than width. */
async function fits(page, width = 360) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(w <= width, `page is ${w} px wide`)
}

describe('points year end', () => {
  test('compute, review with a reason, 公示, objection, answer, no early confirm, appeal decided above', async () => {
    const year = Number(cstDate(Date.now()).slice(0, 4))
    const member = await apiSession(server.base, 'dangyuan')
    const memberId = (await member.get('/api/v1/me')).user.member_id
    const points = await member.get(`/api/v1/members/${memberId}/points?year=${year}`)

    // The secretary: 积分审核 → 年度评星 → compute.
    const sec = await newPage(browser, server.base, phone)
    await login(sec.page, 'zhibu')
    await sec.page.goto('/points/inbox')
    await sec.page.click('[data-testid=link-yearend]')
    await sec.page.click('[data-testid=yearend-compute]')
    const mine = sec.page.locator(`[data-testid=yearend-rating][data-member="${memberId}"]`)
    await mine.waitFor()
    assert.match(await sec.page.locator('[data-testid=yearend-unreviewed]').innerText(), /未评定/)
    await fits(sec.page)
    await axeCheck(sec.page)
    // An adjustment without a reason is refused with the field's message; with one it is kept.
    await mine.locator('[data-testid=yearend-adjust]').click()
    await sec.page.locator('[data-testid=yearend-stars-select]').click()
    await sec.page.locator('.el-select-dropdown__item:visible').first().click() // the highest level
    await sec.page.click('[data-testid=yearend-form-submit]')
    assert.match(await sec.page.locator('[data-testid=yearend-form-error]').innerText(), /理由/)
    await sec.page.fill('textarea[data-testid=yearend-form-text], [data-testid=yearend-form-text] textarea', '全年带头参加志愿服务')
    await sec.page.click('[data-testid=yearend-form-submit]')
    await mine.locator('[data-testid=yearend-reason]').waitFor()
    assert.match(await mine.innerText(), /全年带头参加志愿服务/)
    assert.match(await mine.locator('[data-testid=yearend-stars]').innerText(), /★★★★★/)
    await sec.page.click('[data-testid=yearend-accept-all]')
    await sec.page.locator('[data-testid=yearend-unreviewed]').waitFor({ state: 'detached' })
    await shot(sec.page, 'yearend-review-phone')
    await sec.page.click('[data-testid=yearend-start]')
    await sec.page.locator('[data-testid=yearend-publicity]').waitFor()
    assert.match(await sec.page.locator('[data-testid=yearend-publicity]').innerText(), /5 个工作日/)
    await fits(sec.page)
    await shot(sec.page, 'yearend-publicity-phone')

    // The member: 我的积分 → 我的年度星级 → the branch's notice → object to their own rating.
    const m = await newPage(browser, server.base, phone)
    await login(m.page, 'dangyuan')
    await m.page.goto('/points/my')
    await m.page.click('[data-testid=link-my-rating]')
    await m.page.locator('[data-testid=rating-stars]').waitFor()
    assert.match(await m.page.locator('[data-testid=rating-stars]').innerText(), /★★★★★/)
    await fits(m.page)
    await axeCheck(m.page)
    await m.page.click('[data-testid=rating-publicity]')
    const own = m.page.locator(`[data-testid=yearend-rating][data-member="${memberId}"]`)
    await own.locator('[data-testid=yearend-object]').click()
    await m.page.fill('textarea[data-testid=yearend-form-text], [data-testid=yearend-form-text] textarea', '我的积分里少算了一次组织生活')
    await m.page.click('[data-testid=yearend-form-submit]')
    await m.page.locator('[data-testid=yearend-objection][data-state=open]').waitFor()
    await fits(m.page)
    await shot(m.page, 'yearend-member-publicity-phone')
    // An appeal of an entry of their ledger, from 我的年度星级.
    if (points.entries.length) {
      await m.page.goto('/points/rating')
      await m.page.locator('[data-testid=entry-appeal]').first().click()
      await m.page.fill('textarea[data-testid=appeal-text], [data-testid=appeal-text] textarea', '这次活动我是请假的')
      await m.page.click('[data-testid=appeal-submit]')
      await m.page.locator('[data-testid=rating-appeals] [data-state=open]').waitFor()
      await shot(m.page, 'yearend-my-rating-phone')
    }
    await m.context.close()

    // The secretary answers; confirming inside the window is refused with the day it ends.
    await sec.page.reload()
    await sec.page.click('[data-testid=yearend-answer]')
    await sec.page.fill('.inline textarea', '经核对，该次活动记录为请假，积分无误')
    await sec.page.click('[data-testid=yearend-answer-submit]')
    await sec.page.locator('[data-testid=yearend-objection][data-state=dismissed]').waitFor()
    await sec.page.click('[data-testid=yearend-confirm]')
    await sec.page.locator('.el-message--error', { hasText: '才结束' }).waitFor()
    await sec.context.close()

    // The street decides the appeal on a desktop: a change is a reversal and a new entry.
    if (points.entries.length) {
      const st = await newPage(browser, server.base, desktop)
      await login(st.page, 'jiedao')
      await st.page.goto('/points/appeals')
      await st.page.locator('[data-testid=appeal-item]').first().waitFor()
      await fits(st.page, 1366)
      await axeCheck(st.page)
      await st.page.click('[data-testid=appeal-open]')
      await st.page.click('[data-testid=appeal-change]')
      await st.page.fill('input[data-testid=appeal-points], [data-testid=appeal-points] input', '0')
      await st.page.fill('textarea[data-testid=appeal-answer], [data-testid=appeal-answer] textarea', '请假属实，不计该次积分')
      await shot(st.page, 'yearend-appeals-desktop')
      await st.page.click('[data-testid=appeal-decide]')
      await st.page.locator('[data-testid=appeals-none]').waitFor()
      // The branch's year end as the street sees it on a desktop: the 公示 and the subtree's figures.
      const branchId = (await (await apiSession(server.base, 'zhibu')).get('/api/v1/me')).scope[0].id
      await st.page.goto(`/points/yearend?org=${branchId}&year=${year}`)
      await st.page.locator('[data-testid=yearend-publicity]').waitFor()
      await fits(st.page, 1366)
      await shot(st.page, 'yearend-desktop')
      await st.context.close()
      const after = await member.get(`/api/v1/members/${memberId}/points?year=${year}`)
      assert.equal(after.total, points.total - points.entries.find((e) => !e.reverses_id && !e.reversed_by).applied)
      assert.ok(after.entries.some((e) => e.reverses_id && /申诉改正/.test(e.reason)))
    }
  })
})
