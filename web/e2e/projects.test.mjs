// Browser tests of 书记抓党建重点突破项目: a branch secretary proposes a project on a phone (360 px; a
// missing field is named by the server), the street approves it from its overview (counts from the
// server's rollups, drill-down), the secretary reports a milestone done with evidence, and the street
// evaluates it with a grade and carries it over to next year. Needs web/dist built, the binary
// built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, axeCheck, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startSuite()))
after(() => stopSuite({ server, browser }))

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }
const desktop = { viewport: { width: 1366, height: 768 } }

/** The page fits the screen: nothing wider than 360 px. */
async function fits(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(w <= 360, `page is ${w} px wide`)
}

/** An el-input's own input or textarea, wherever element-plus puts the test id. */
const field = (id) => `:is(input, textarea)[data-testid=${id}], [data-testid=${id}] :is(input, textarea)`

async function pickDate(page, sel, day) {
  const input = page.locator(sel)
  await input.fill(day)
  await input.press('Enter')
}

describe('projects', () => {
  test('proposed on a phone, approved by the street, reported, evaluated and carried over', async () => {
    const today = cstDate(Date.now())
    const year = Number(today.slice(0, 4))
    const title = `软弱涣散整顿 ${Date.now() % 100000}`
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const before = (await street.get(`/api/v1/orgs/${streetId}/projects?year=${year}`)).counts

    // The secretary proposes on a phone from the org page's link.
    const b = await newPage(browser, server.base, phone)
    await login(b.page, 'zhibu')
    const branchId = (await (await apiSession(server.base, 'zhibu')).get('/api/v1/me')).scope[0].id
    await b.page.goto(`/orgs/${branchId}`)
    await b.page.click('[data-testid=org-projects]')
    await b.page.locator('[data-testid=project-propose]').click()
    await b.page.fill(field('project-problem'), '组织生活不规范，党员参与率低')
    await b.page.fill(field('project-goal'), '年内组织生活规范率 100%')
    await b.page.fill(field('project-measures'), '书记包联、按月督导')
    await b.page.fill(field('project-responsible'), '支部书记')
    await b.page.fill(field('project-m-title-0'), '制定整改方案')
    await pickDate(b.page, '#project-m-due-0', today)
    // No title: refused by the server, naming the field; nothing saved.
    await b.page.click('[data-testid=project-save]')
    await b.page.locator('[data-testid=project-dialog] .el-form-item__error').first().waitFor()
    assert.match(await b.page.locator('[data-testid=project-dialog]').innerText(), /项目名称：不能为空/)
    await fits(b.page)
    await shot(b.page, 'projects-propose-phone')
    await b.page.fill(field('project-title'), title)
    await b.page.click('[data-testid=project-m-add]')
    await b.page.fill(field('project-m-title-1'), '验收销号')
    await pickDate(b.page, '#project-m-due-1', `${year}-12-31`)
    await b.page.click('[data-testid=project-save]')
    await b.page.locator('[data-testid=project-title-h]', { hasText: title }).waitFor()
    assert.equal((await b.page.locator('[data-testid=project-state]').innerText()).trim(), '待立项')
    assert.equal(await b.page.locator('[data-testid=project-approve]').count(), 0, 'the secretary cannot approve their own')
    const projectId = Number(new URL(b.page.url()).pathname.split('/').pop())
    await fits(b.page)
    await axeCheck(b.page)

    // The street: one more proposed in its counts, the drill-down, then approves.
    const s = await newPage(browser, server.base, desktop)
    await login(s.page, 'jiedao')
    await s.page.goto(`/projects?org=${streetId}`)
    await s.page.locator('[data-testid=project-count-proposed]').waitFor()
    assert.match(await s.page.locator('[data-testid=project-count-proposed]').innerText(), new RegExp(`${before.by_state.proposed + 1}$`))
    await s.page.locator('[data-testid=project-children] li').first().waitFor()
    await shot(s.page, 'projects-overview-desktop')
    await s.page.locator('[data-testid=project-row]', { hasText: title }).locator('a').click()
    await s.page.click('[data-testid=project-approve]')
    await s.page.click('[data-testid=project-decide-ok]')
    await s.page.locator('[data-testid=project-state]', { hasText: '已立项' }).waitFor()
    await s.page.locator('[data-testid=project-decide-dialog]').waitFor({ state: 'hidden' })
    await shot(s.page, 'projects-project-desktop')
    await axeCheck(s.page)

    // The secretary reports the first milestone done, with a note and a link.
    await b.page.reload()
    await b.page.click('[data-testid=project-progress-1]')
    await b.page.fill(field('project-note'), '方案已经支委会讨论通过')
    await b.page.fill(field('project-link'), 'https://example.org/plan')
    await b.page.click('[data-testid=project-progress-ok]')
    await b.page.locator('[data-testid=project-milestone]').first().locator('text=已完成').waitFor()
    await fits(b.page)
    await shot(b.page, 'projects-project-phone')
    await b.context.close()

    // The street evaluates: no grade is refused naming it; then 较好 and carried over.
    await s.page.reload()
    await s.page.click('[data-testid=project-evaluate]')
    await s.page.fill(field('project-comment'), '方案落实，尚未全部完成')
    await s.page.click('[data-testid=project-decide-ok]')
    await s.page.locator('[data-testid=project-decide-dialog] .el-form-item__error').first().waitFor()
    assert.match(await s.page.locator('[data-testid=project-decide-dialog]').innerText(), /评价等次/)
    await s.page.locator('[data-testid=project-grade-choice] label', { hasText: '较好' }).click()
    await s.page.click('[data-testid=project-carry]')
    await s.page.click('[data-testid=project-decide-ok]')
    await s.page.locator('[data-testid=project-state]', { hasText: '结转下年' }).waitFor()
    await s.page.click('[data-testid=project-carried-to]')
    await s.page.locator('[data-testid=project-state]', { hasText: '待立项' }).waitFor()
    assert.equal(await s.page.locator('[data-testid=project-milestone]').count(), 1, 'only the milestone not done is carried')
    await s.context.close()

    // The street's overview on a phone.
    const v = await newPage(browser, server.base, phone)
    await login(v.page, 'jiedao')
    await v.page.goto(`/tasks`)
    await v.page.click('[data-testid=tasks-projects]')
    await v.page.locator('[data-testid=project-count-carried]').waitFor()
    await v.page.locator('[data-testid=project-export]').waitFor()
    await fits(v.page)
    await shot(v.page, 'projects-overview-phone')
    await axeCheck(v.page)
    await v.context.close()

    const p = await street.get(`/api/v1/projects/${projectId}`)
    assert.equal(p.state, 'carried')
    assert.equal(p.grade_name, '较好')
    const next = await street.get(`/api/v1/projects/${p.carried_to}`)
    assert.equal(next.year, year + 1)
    assert.equal(next.carried_from, projectId)
    const after = (await street.get(`/api/v1/orgs/${streetId}/projects?year=${year}`)).counts
    assert.equal(after.by_state.carried, before.by_state.carried + 1)
    assert.equal(after.total, before.total + 1)
    const xlsx = await street.call(`/api/v1/orgs/${streetId}/projects/export?year=${year}`)
    assert.equal(xlsx.status, 200)
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/)
  })
})
