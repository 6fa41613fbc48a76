import { expect, test } from "@playwright/test";
import { signIn } from "./session";

// Pages a role cannot use are not rendered to it: the same not-found page
// as any unknown address.
test("an enterprise opening the officials' pages finds nothing", async ({ browser }) => {
  const page = await signIn(browser, "qiye1");
  for (const path of ["/import", "/admin/disclosure", "/enterprises", "/measures/ledger"]) {
    await page.goto(path);
    await expect(page.getByText("页面不存在。")).toBeVisible();
    await expect(page.locator("form[enctype='multipart/form-data']")).toHaveCount(0);
  }
});

test("the browser's icon is there", async ({ request }) => {
  const r = await request.get("/favicon.ico");
  expect(r.ok()).toBeTruthy();
  expect(r.headers()["content-type"]).toContain("svg");
});

// The county overview names its cohorts in words, in both languages.
test("the county overview shows cohorts by name, not by code", async ({ browser }) => {
  const page = await signIn(browser, "nanhu");
  await page.goto("/overview");
  const table = page.getByTestId("cutoffs");
  await expect(table).toContainText("规上");
  await expect(table).not.toContainText("above:");
  await page.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: page.url() }]);
  await page.reload();
  await expect(table).toContainText("Above-size");
  await expect(page.locator("body")).not.toContainText("above:");
});
