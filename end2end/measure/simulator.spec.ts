import { expect, test } from "@playwright/test";
import { signIn } from "../tests/session";

// The policy simulator on the year in collection: time to grade the whole
// city in Chromium (the page's own figure: parsing and grading, in the
// WASM engine), and the click-to-matrix time including the download.
test("simulate the demo city", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/admin/rules?year=2021");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  let bytes = 0;
  page.on("response", async (r) => {
    if (r.url().endsWith("/api/rules_simulation")) {
      bytes = Number(r.headers()["content-length"] ?? 0) || (await r.body()).length;
    }
  });
  for (let i = 0; i < 5; i++) {
    const start = Date.now();
    await page.getByTestId("simulate").click();
    const summary = page.getByTestId("simulation-summary");
    await expect(summary).toBeVisible();
    const wall = Date.now() - start;
    const text = (await summary.textContent())!;
    const ms = Number(text.match(/用时 (\d+) 毫秒/)![1]);
    const n = text.match(/(\d+) 家企业/)![1];
    console.log(`run ${i + 1}: ${n} enterprises graded in ${ms} ms in the page; ${wall} ms click to matrix; ${bytes} bytes transferred`);
  }
});
