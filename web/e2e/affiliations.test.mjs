// Browser test of second affiliations (临时党支部 / 流动党员 at the host): on a branch's page an
// administrator adds a member of another branch as a 流动党员 and ends the affiliation, at 360 px.
// Needs the same as app.test.mjs: web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser
let admin

before(async () => ({ server, browser, admin } = await startSuite()))
after(() => stopSuite({ server, browser }))

describe('second affiliations', () => {
  test('an administrator adds a 流动党员 at a host branch and ends it, at 360 px', async () => {
    const branches = (await admin.get('/api/v1/orgs?kind=branch&page_size=20')).items.filter((o) => o.direct_members > 0)
    const [host, home] = branches
    const member = (await admin.get(`/api/v1/members?org=${home.id}&subtree=false&page_size=1&sort=name`)).items[0]
    const { context, page } = await newPage(browser, server.base, { viewport: { width: 360, height: 740 } })
    await login(page, 'admin')
    await page.goto(`/orgs/${host.id}`)
    const panel = page.locator('[data-testid=affiliations]')
    await panel.waitFor()
    assert.equal(await panel.locator('[data-testid=affiliation-item]').count(), 0)
    await page.click('[data-testid=affiliation-add]')
    const dialog = page.locator('[data-testid=affiliation-dialog]')
    await dialog.waitFor()
    // no member, no date: the messages are at the fields, in Chinese
    await page.click('[data-testid=affiliation-save]')
    await dialog.locator('.el-form-item__error', { hasText: '开始日期' }).waitFor()
    await page.locator('[data-testid=affiliation-member]').click()
    await page.keyboard.type(member.name)
    await page.locator('.el-select-dropdown__item:visible', { hasText: member.name }).first().click()
    const from = dialog.locator('[data-testid=affiliation-from] input')
    const today = cstDate(Date.now())
    await from.fill(today)
    await from.press('Enter')
    await page.click('[data-testid=affiliation-save]')
    await dialog.waitFor({ state: 'hidden' })
    const item = panel.locator('[data-testid=affiliation-item]', { hasText: member.name })
    await item.waitFor()
    assert.match(await item.innerText(), /流入地/)
    assert.match(await item.innerText(), new RegExp(`所在党支部：${home.name}`))
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360 + 1), 'no horizontal scroll at 360 px')
    const box = await panel.boundingBox()
    assert.ok(box && box.x + box.width <= 360 + 1, `the panel fits at 360 px: ${JSON.stringify(box)}`)
    await shot(page, 'affiliations-360')
    // The member's page shows the second affiliation too.
    const listed = (await admin.get(`/api/v1/members/${member.id}/affiliations`)).items
    assert.equal(listed.length, 1)
    assert.equal(listed[0].org_id, host.id)
    // Ending: the first day no longer there, after the start.
    await item.locator('[data-testid=affiliation-end]').click()
    const end = page.locator('[data-testid=affiliation-end-dialog]')
    await end.waitFor()
    const to = end.locator('[data-testid=affiliation-to] input')
    const tomorrow = cstDate(Date.now() + 86400_000)
    await to.fill(tomorrow)
    await to.press('Enter')
    await page.click('[data-testid=affiliation-end-save]')
    await end.waitFor({ state: 'hidden' })
    // an end in the future keeps it current until then, marked with its end
    await panel.locator('[data-testid=affiliation-item]', { hasText: member.name }).filter({ hasNotText: '至今' }).waitFor()
    const ended = (await admin.get(`/api/v1/members/${member.id}/affiliations?all=true`)).items
    assert.equal(ended[0].to_date, tomorrow)
    assert.equal(ended[0].can_end, false)
    await page.goto(`/members/${member.id}`)
    await page.click('#tab-life') // the member's 组织生活 tab
    await page.locator('[data-testid=affiliations] [data-testid=affiliation-item]', { hasText: host.name }).waitFor()
    await shot(page, 'member-affiliations-360')
    await context.close()
  })
})
