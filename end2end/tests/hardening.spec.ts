import { test, expect, Page } from "@playwright/test";
import { signIn } from "./session";

/** Console messages about the Content-Security-Policy, collected. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test("pages hydrate under the nonce policy without a violation; printing still works", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  const violations = cspViolations(page);
  for (const path of ["/enterprises", "/admin/rules", "/account", "/targets/bulletin"]) {
    await page.goto(path);
    await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  }
  // The bulletin's print button calls the browser's print (no inline handler).
  await page.evaluate(() => {
    (window as any).printed = 0;
    window.print = () => { (window as any).printed += 1; };
  });
  await page.getByRole("button", { name: "打印" }).click();
  expect(await page.evaluate(() => (window as any).printed)).toBe(1);
  // A light page runs no script at all, and still shows its content.
  for (const path of ["/disclosure", "/", "/targets", "/admin/users"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
  }
  expect(violations).toEqual([]);
});

test("signing out everywhere ends the other device's session too", async ({ browser }) => {
  const desk = await signIn(browser, "pinghu");
  const phone = await signIn(browser, "pinghu", "muyi2020", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto("/account");
  await expect(phone.locator("header[data-hydrated='true']")).toHaveCount(1);
  await phone.getByTestId("sign-out-everywhere").getByRole("button").click();
  await expect(phone).toHaveURL(/\/login/);
  // The desk's next page finds itself signed out.
  await desk.goto("/account");
  await expect(desk.getByText("请先登录").or(desk.locator("a[href='/login']")).first()).toBeVisible();
  await expect(desk.getByTestId("whoami")).toHaveCount(0);
});
