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
  await page.goto("/login");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  // Attached, not visible: on a phone the menu is closed.
  await expect(page.getByTestId("whoami")).toBeAttached();
  return page;
}
