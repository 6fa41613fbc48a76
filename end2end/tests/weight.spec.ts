import { test, expect, Browser } from "@playwright/test";
import { phoneCountingTransfers, signIn } from "./session";

/**
 * What a user's first visit to an area transfers, on a phone with an empty
 * cache: the page, its stylesheet, and where the page runs the app, its
 * script, the main WASM module and the chunks of the area's pages
 * (app::areas; docs/performance.md, "WASM bundle"). The sign-in happens in
 * another context, so nothing is cached.
 */
async function firstVisit(browser: Browser, user: string, path: string, light: boolean) {
  const signedIn = await signIn(browser, user);
  const state = await signedIn.context().storageState();
  await signedIn.context().close();
  const { ctx, page, urls, total: transferred } = await phoneCountingTransfers(browser, { storageState: state });
  await page.goto(path, { waitUntil: "networkidle" });
  await expect(page.getByTestId("whoami")).toBeAttached();
  if (!light) await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await page.waitForLoadState("networkidle");
  const total = await transferred();
  const wasm = urls.filter((u) => u.endsWith(".wasm")).length;
  console.log(`first visit to ${path} as ${user}: ${urls.length} requests (${wasm} WASM), ${total} bytes transferred`);
  await ctx.close();
  return { total, urls };
}

const scripts = (v: { urls: string[] }) => v.urls.filter((u) => /\.(wasm|js)$/.test(new URL(u).pathname));
// The areas whose chunks a visit fetched.
const areas = (v: { urls: string[] }) =>
  [...new Set(v.urls.map((u) => /split_([a-z]+)_area/.exec(u)?.[1]).filter((a) => a))].sort();

test("a first visit to each signed-in area stays within the bundle's weight", async ({ browser }) => {
  test.setTimeout(120_000);
  // Light pages (app::light): the enterprise's evaluation, the targets'
  // dashboard, the accounts' list and the appeals' queue download no script.
  const portal = await firstVisit(browser, "qiye1", "/portal", true);
  const targets = await firstVisit(browser, "admin", "/targets", true);
  const admin = await firstVisit(browser, "admin", "/admin/users", true);
  const appeals = await firstVisit(browser, "tax", "/appeals", true);
  for (const v of [portal, targets, admin, appeals]) expect(scripts(v)).toEqual([]);
  expect(portal.total).toBeLessThan(400_000);
  expect(targets.total).toBeLessThan(450_000);
  expect(admin.total).toBeLessThan(450_000);
  // Pages that run the app: each downloads its own area's pages and no
  // other's. The figures are recorded in docs/performance.md; this guards
  // against the module growing back: 2.2 MB before the views were erased
  // (session 15), 1.16–1.2 MB before the split by area (session 18),
  // 0.68–0.8 MB before the files were sent precompressed (session 19).
  const workspace = await firstVisit(browser, "nanhu", "/enterprises", false);
  const rules = await firstVisit(browser, "admin", "/admin/rules", false);
  const bulletin = await firstVisit(browser, "admin", "/targets/bulletin", false);
  const appeal = await firstVisit(browser, "qiye1", "/portal/2020/appeal", false);
  expect(areas(workspace)).toEqual(["workspace"]);
  expect(areas(rules)).toEqual(["admin"]);
  expect(areas(bulletin)).toEqual(["targets"]);
  expect(areas(appeal)).toEqual(["portal"]);
  for (const { total } of [workspace, rules, bulletin, appeal]) {
    expect(total).toBeLessThan(720_000);
  }
});
