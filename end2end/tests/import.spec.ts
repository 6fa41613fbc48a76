import { test, expect } from "@playwright/test";

test("an official imports a sheet: errors first, then preview, commit and progress", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("用户名").fill("nanhu");
  await page.getByLabel("密码").fill("muyi2020");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("whoami")).toBeVisible();

  // The county's own export is the starting sheet.
  const exported = await (await page.request.get("/export/2020-records.csv")).text();
  const lines = exported.replace(/^\uFEFF/, "").trim().split("\n");
  const header = lines[0].split(",");
  const taxCol = header.indexOf("tax_wan");
  const row = lines[1].split(",");

  await page.goto("/import");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  const bad = [...row];
  bad[taxCol] = "1,5";
  await page.getByTestId("import-file").setInputFiles({
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${lines[0]}\n${bad.map((c) => (c.includes(",") ? `"${c}"` : c)).join(",")}\n`),
  });
  await page.getByRole("button", { name: "校验并预览" }).click();
  await expect(page.getByTestId("import-errors")).toContainText("未导入任何数据");
  await expect(page.getByTestId("import-errors")).toContainText("实缴税金");
  // The same report in English: the reasons too, not only the headings.
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("import-errors")).toContainText("nothing was imported");
  await expect(page.getByTestId("import-errors")).toContainText('"1,5" is not a number');
  await expect(page.getByTestId("import-errors")).not.toContainText("不是数字");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("import-errors")).toContainText("不是数字");

  const good = [...row];
  good[taxCol] = "0";
  await page.getByTestId("import-file").setInputFiles({
    name: "tax.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${lines[0]}\n${good.join(",")}\n`),
  });
  await page.getByRole("button", { name: "校验并预览" }).click();
  await expect(page.getByTestId("import-ok")).toContainText("校验通过");
  await page.getByTestId("import-commit").click();
  await expect(page.getByTestId("import-progress")).toBeVisible();
  await expect(page.getByTestId("import-done")).toContainText("更新 1 条");
});
