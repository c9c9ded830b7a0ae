// Browser tests of 党员积分 on a phone (360 px): a street publishes the example scheme, a member
// claims an item in three taps, the branch secretary approves it in a batch, and the member's
// page shows the new total with the entry. Needs web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, axeCheck, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startSuite()))
after(() => stopSuite({ server, browser }))

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

/** The page fits the screen: nothing wider than 360 px. */
async function fits(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(w <= 360, `page is ${w} px wide`)
}

describe('member points', () => {
  test('a member claims in three taps; the secretary approves in a batch; the total follows', async () => {
    const year = cstDate(Date.now()).slice(0, 4)
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const example = await (await street.call('/api/v1/points/schemes/example')).text()
    const text = example.replace(/^year: \d+$/m, `year: ${year}`).replace(/^effective_from: \d{4}-/m, `effective_from: ${year}-`)
    const pub = await street.call(`/api/v1/orgs/${streetId}/points/schemes`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: text })
    assert.equal(pub.status, 201, await pub.text())

    const member = await apiSession(server.base, 'dangyuan')
    const memberId = (await member.get('/api/v1/me')).user.member_id
    const before = await member.get(`/api/v1/members/${memberId}/points?year=${year}`)
    const item = before.claimable[0]
    assert.ok(item, 'the member has an item to claim')

    const { context, page } = await newPage(browser, server.base, phone)
    await login(page, 'dangyuan')
    await page.goto('/points/my')
    const total = page.locator('[data-testid=points-total]')
    await total.waitFor()
    assert.equal((await total.innerText()).trim(), String(before.total))
    await fits(page)
    await axeCheck(page)
    // 1 open, 2 pick the item, 3 submit (the date is today)
    await page.click('[data-testid=points-claim]')
    await page.locator(`[data-testid=points-claim-form] [data-item="${item.code}"]`).click()
    await shot(page, 'points-claim-phone')
    await page.click('[data-testid=points-claim-submit]')
    await page.locator('[data-testid=points-claims] [data-state=pending]').first().waitFor()
    await fits(page)
    await context.close()

    const sec = await newPage(browser, server.base, phone)
    await login(sec.page, 'zhibu')
    await sec.page.goto('/points/inbox')
    await sec.page.locator('[data-testid=points-inbox-item]').first().waitFor()
    await fits(sec.page)
    await axeCheck(sec.page)
    await sec.page.click('[data-testid=points-select-all]')
    await sec.page.click('[data-testid=points-approve-selected]')
    await sec.page.locator('[data-testid=points-inbox-none]').waitFor()
    await shot(sec.page, 'points-inbox-phone')
    await sec.context.close()

    const again = await newPage(browser, server.base, phone)
    await login(again.page, 'dangyuan')
    await again.page.goto('/points/my')
    await again.page.locator('[data-testid=points-entries] li').first().waitFor()
    assert.equal((await again.page.locator('[data-testid=points-total]').innerText()).trim(), String(before.total + item.points))
    assert.match(await again.page.locator('[data-testid=points-entries]').innerText(), new RegExp(item.name))
    await shot(again.page, 'points-my-phone')
    await again.context.close()
  })

  test('a returned claim is corrected and sent again from the phone', async () => {
    const year = cstDate(Date.now()).slice(0, 4)
    const member = await apiSession(server.base, 'dangyuan')
    const memberId = (await member.get('/api/v1/me')).user.member_id
    const item = (await member.get(`/api/v1/members/${memberId}/points?year=${year}`)).claimable[0]
    const filed = await member.call('/api/v1/points/claims', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ item: item.code, event_date: cstDate(Date.now()), note: '帮扶' }) })
    const claim = await filed.json()
    assert.equal(filed.status, 201, JSON.stringify(claim))
    const sec = await apiSession(server.base, 'zhibu')
    const ret = await sec.call('/api/v1/points/claims/decide', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: [claim.id], action: 'return', reason: '请写明服务对象和时长' }) })
    assert.equal(ret.status, 200, JSON.stringify(await ret.json()))

    const { context, page } = await newPage(browser, server.base, phone)
    await login(page, 'dangyuan')
    await page.goto('/points/my')
    const returned = page.locator('[data-testid=points-claims] li[data-state=returned]', { hasText: '请写明服务对象和时长' })
    await returned.waitFor()
    await returned.locator('[data-testid=points-resubmit]').click()
    await page.getByLabel('说明（选填）').fill('为独居老人代购，2 小时')
    await shot(page, 'points-resubmit-phone')
    await fits(page)
    await page.click('[data-testid=points-claim-submit]')
    await page.locator('[data-testid=points-claims] li[data-state=pending]', { hasText: item.name }).first().waitFor()
    await context.close()
    const inbox = await sec.get(`/api/v1/orgs/${claim.org_id}/points/claims`)
    const again = inbox.items.find((c) => c.id === claim.id)
    assert.equal(again?.note, '为独居老人代购，2 小时')
    assert.equal(again?.reason, '')
  })
})
