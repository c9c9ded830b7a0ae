// Browser tests of 任务落实: a street issues a task to every branch from the page, a branch
// secretary accepts and submits it on a phone (360 px) from the landing card, the street verifies
// it from its own card, and the task page's figures follow (the server's rollups). Needs web/dist
// built, the binary built after it, Chromium.
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

describe('tasks', () => {
  test('issued to every branch, accepted and submitted on a phone, verified by the street; the figures follow', async () => {
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const due = cstDate(Date.now() + 20 * 86400_000)
    const title = `党建引领基层治理 ${Date.now() % 100000}`

    // The street issues from the page.
    const s = await newPage(browser, server.base, desktop)
    await login(s.page, 'jiedao')
    await s.page.goto('/tasks')
    await s.page.locator('[data-testid=task-issue]').click()
    await s.page.fill('#task-title', title)
    // A missing due date is refused by the server, naming the field.
    await s.page.locator('[data-testid=task-to] label').nth(1).click()
    await s.page.click('[data-testid=task-issue-ok]')
    await s.page.locator('[data-testid=task-dialog] .el-form-item__error').first().waitFor()
    assert.match(await s.page.locator('[data-testid=task-dialog]').innerText(), /完成时限/)
    const dateInput = s.page.locator('#task-due')
    await dateInput.fill(due)
    await dateInput.press('Enter')
    await s.page.click('[data-testid=task-issue-ok]')
    await s.page.locator('[data-testid=task-title-h]').waitFor()
    assert.equal((await s.page.locator('[data-testid=task-title-h]').innerText()).trim(), title)
    const taskId = Number(new URL(s.page.url()).pathname.split('/').pop())
    const t0 = await street.get(`/api/v1/tasks/${taskId}`)
    assert.ok(t0.figures.total > 1, `assignments: ${t0.figures.total}`)
    assert.equal((await s.page.locator('[data-testid=fig-total]').innerText()).trim(), t0.figures.total.toLocaleString('zh-CN'))
    await s.page.locator('[data-testid=task-children] li').first().waitFor()
    await shot(s.page, 'tasks-task-desktop')
    await axeCheck(s.page)
    const xlsx = await street.call(`/api/v1/tasks/${taskId}/export?org=${streetId}`)
    assert.equal(xlsx.status, 200)
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/)
    await s.context.close()

    // The branch secretary, on a phone: accept, then submit with a note, from the landing card.
    const b = await newPage(browser, server.base, phone)
    await login(b.page, 'zhibu')
    await b.page.goto('/')
    const row = b.page.locator('[data-testid=tasks-card-todo]', { hasText: title })
    await row.waitFor()
    await fits(b.page)
    await shot(b.page, 'tasks-card-phone')
    await row.locator('[data-action=accept]').click()
    // the card reloads after a move: wait for the accepted row, so the dialog opens on the new list
    await b.page.locator('[data-testid=tasks-card-todo][data-state=accepted]', { hasText: title }).waitFor()
    await b.page.waitForLoadState('networkidle')
    await row.locator('[data-action=submit]').click()
    await b.page.fill('#task-text', '已召开专题会议，形成工作方案')
    await b.page.click('[data-testid=task-text-ok]')
    await row.waitFor({ state: 'detached' })
    await axeCheck(b.page)
    await b.context.close()

    // The street verifies from its card; the task page shows one done.
    const v = await newPage(browser, server.base, phone)
    await login(v.page, 'jiedao')
    await v.page.goto('/')
    const sub = v.page.locator('[data-testid=tasks-card-verify]', { hasText: title })
    await sub.waitFor()
    assert.match(await sub.innerText(), /专题会议/)
    await fits(v.page)
    await sub.locator('[data-action=verify]').click()
    await sub.waitFor({ state: 'detached' })
    await v.page.goto(`/tasks/${taskId}`)
    await v.page.locator('[data-testid=fig-done]', { hasText: /^1$/ }).waitFor()
    // Drilled down to the branch: its assignment, verified.
    const branchId = (await (await apiSession(server.base, 'zhibu')).get('/api/v1/me')).scope[0].id
    await v.page.goto(`/tasks/${taskId}?org=${branchId}`)
    await v.page.locator('[data-testid=assignment-row][data-state=verified]').waitFor()
    assert.equal((await v.page.locator('[data-testid=fig-rate]').innerText()).trim(), '100.0%')
    await fits(v.page)
    await shot(v.page, 'tasks-task-phone')
    await v.page.goto('/tasks')
    await v.page.locator('[data-testid=task-row]', { hasText: title }).waitFor()
    await fits(v.page)
    await shot(v.page, 'tasks-list-phone')
    await v.page.click('[data-testid=task-issue]')
    await v.page.locator('#task-title').waitFor()
    await fits(v.page)
    await shot(v.page, 'tasks-issue-phone')
    await v.context.close()

    const t1 = await street.get(`/api/v1/tasks/${taskId}`)
    assert.equal(t1.figures.done, 1)
    assert.equal(t1.figures.total, t0.figures.total)
  })
})
