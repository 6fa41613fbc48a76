import { test, expect, Browser } from "@playwright/test";
import { phoneCountingTransfers, signIn } from "./session";

/**
 * What a user's first visit to an area transfers, on a phone with an empty
 * cache: the page, its stylesheet, script, the main WASM module and the
 * chunks of the area's pages (app::areas; docs/performance.md, "WASM
 * bundle"). The sign-in happens in another context, so nothing is cached.
 */
async function firstVisit(browser: Browser, user: string, path: string) {
  const signedIn = await signIn(browser, user);
  const state = await signedIn.context().storageState();
  await signedIn.context().close();
  const { ctx, page, urls, total: transferred } = await phoneCountingTransfers(browser, { storageState: state });
  await page.goto(path, { waitUntil: "networkidle" });
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await page.waitForLoadState("networkidle");
  const total = await transferred();
  const wasm = urls.filter((u) => u.endsWith(".wasm")).length;
  console.log(`first visit to ${path} as ${user}: ${urls.length} requests (${wasm} WASM), ${total} bytes transferred`);
  await ctx.close();
  return { total, urls };
}

test("a first visit to each signed-in area stays within the bundle's weight", async ({ browser }) => {
  const portal = await firstVisit(browser, "qiye1", "/portal");
  const workspace = await firstVisit(browser, "nanhu", "/enterprises");
  const targets = await firstVisit(browser, "admin", "/targets");
  const admin = await firstVisit(browser, "admin", "/admin/users");
  // Each downloads its own area's pages and no other's.
  const areas = (v: { urls: string[] }) =>
    [...new Set(v.urls.map((u) => /split_([a-z]+)_area/.exec(u)?.[1]).filter((a) => a))].sort();
  expect(areas(portal)).toEqual(["portal"]);
  expect(areas(workspace)).toEqual(["workspace"]);
  expect(areas(targets)).toEqual(["targets"]);
  expect(areas(admin)).toEqual(["admin"]);
  // The figures the issue asks for are recorded in docs/performance.md;
  // this guards against the module growing back: 2.2 MB before the views
  // were erased (session 15), 1.16–1.2 MB before the split by area
  // (session 18), 0.68–0.8 MB before the files were sent precompressed
  // (brotli at quality 11, session 19), 0.57–0.67 MB since.
  for (const { total } of [portal, workspace, targets, admin]) {
    expect(total).toBeLessThan(720_000);
  }
});
