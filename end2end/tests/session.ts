import { expect, Browser, BrowserContextOptions, Page } from "@playwright/test";

/** A new browser context signed in as `user` (Chinese; a phone when the options say so). */
export async function signIn(
  browser: Browser,
  user: string,
  password = "muyi2020",
  options: BrowserContextOptions = {},
): Promise<Page> {
  const ctx = await browser.newContext({ locale: "zh-CN", ...options });
  const page = await ctx.newPage();
  // A light page (app::light): a plain form the server answers.
  await page.goto("/login");
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  // Attached, not visible: on a phone the menu is closed.
  await expect(page.getByTestId("whoami")).toBeAttached();
  return page;
}

/** A phone with an empty cache (signed in when `storageState` says so), and
 * what its page transfers from now on: the addresses, and the bytes on the
 * wire (headers and bodies) once `total()` is awaited. */
export async function phoneCountingTransfers(browser: Browser, options: BrowserContextOptions = {}) {
  const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 }, isMobile: true, ...options });
  const page = await ctx.newPage();
  const sizes: Promise<number>[] = [];
  const urls: string[] = [];
  page.on("requestfinished", (req) => {
    urls.push(req.url());
    sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  const total = async () => (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  return { ctx, page, urls, total };
}
