import { expect, test } from "@playwright/test";
import { signIn } from "./session";

// The administrator reaches the sign-off matrix from the publication page:
// every county and department, confirmed before the demo's windows opened,
// with who confirmed (a person's name) and when, in both languages.
test("the sign-off matrix names each party, who confirmed and when", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/admin/disclosure");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await page.getByTestId("year-tabs").getByText("核实上报").click();
  await expect(page).toHaveURL(/\/signoff/);
  await page.getByTestId("signoff-years").getByText("2019 年度").click();
  const matrix = page.getByTestId("signoff-matrix");
  await expect(matrix.locator("tbody tr")).toHaveCount(13);
  await expect(page.getByTestId("signoff-summary")).toContainText("已开始公示");
  const nanhu = page.getByTestId("signoff-nanhu");
  await expect(nanhu).toContainText("南湖区");
  await expect(nanhu).toContainText("已确认");
  await expect(nanhu).toContainText("南湖区经办人");
  await expect(page.getByTestId("signoff-tax")).toContainText("税务部门数据员");
  await expect(page.getByTestId("signoff-confirm")).toHaveCount(0);
  await page.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: new URL("/", page.url()).href }]);
  await page.reload();
  await expect(page.getByTestId("signoff-tax")).toContainText("Tax bureau");
  await expect(page.getByTestId("signoff-tax")).toContainText("confirmed");
});
