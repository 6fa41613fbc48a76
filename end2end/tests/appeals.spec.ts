import { test, expect } from "@playwright/test";
import { signIn as signInAs } from "./session";

const phone = {
  locale: "zh-CN",
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
};

const signIn = (browser: Parameters<typeof signInAs>[0], user: string, password = "muyi2020") =>
  signInAs(browser, user, password, phone);

const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

test("on a phone, an enterprise given an account appeals with a PDF, the tax bureau accepts, and the enterprise sees its new class", async ({ browser }) => {
  // The county official picks its best class-C enterprise and opens an account for it.
  const county = await signIn(browser, "nanhu");
  await county.goto("/enterprises?year=2020&scale=above&class=C&sort=score_desc");
  await expect(county.locator("header[data-hydrated='true']")).toHaveCount(1);
  const first = county.locator("[data-testid=enterprises] tbody tr").first();
  const href = (await first.locator("a").first().getAttribute("href"))!;
  const uscc = href.split("/")[2];
  await county.goto(`/accounts/enterprises?q=${uscc}`);
  await expect(county.locator("header[data-hydrated='true']")).toHaveCount(1);
  await county.locator(`[data-create='${uscc}']`).click();
  await expect(county.getByTestId("issued")).toBeVisible();
  const username = (await county.getByTestId("issued-username").innerText()).trim();
  const otp = (await county.getByTestId("issued-password").innerText()).trim();
  expect(username).toBe(uscc.toLowerCase());

  // First login: the one-time password must be changed before anything else.
  const firm = await signIn(browser, username, otp);
  await expect(firm).toHaveURL(/\/account/);
  await expect(firm.getByTestId("must-change")).toBeVisible();
  await firm.getByLabel("原密码").fill(otp);
  await firm.getByLabel(/^新密码（至少 10 个字符/).fill("firm-secret-2026");
  await firm.getByLabel("再次输入新密码").fill("firm-secret-2026");
  await firm.getByTestId("change-password").click();
  await expect(firm.getByTestId("password-result")).toContainText("密码已修改");

  // My evaluation (a light page, no WASM): class C, and what tax would
  // reach B (the engine, on the server).
  await firm.goto("/portal");
  await expect(firm.getByTestId("my-class")).toHaveText("C");
  await expect(firm.getByTestId("consequences")).toContainText("城镇土地使用税");
  const taxLever = firm.locator("[data-lever='tax_wan'] [data-needed]");
  const needed = (await taxLever.getAttribute("data-needed"))!;
  expect(Number(needed)).toBeGreaterThan(0);
  // Trying it in the sandbox projects class B; so does typing the figure
  // into the sandbox's form.
  await firm.locator("[data-try='tax_wan']").click();
  await expect(firm).toHaveURL(/tax_wan=/);
  await expect(firm.getByTestId("sandbox-class")).toHaveText("B");
  await expect(firm.locator("input[data-sandbox='tax_wan']")).toHaveValue(needed);
  await firm.goto("/portal");
  await expect(firm.getByTestId("sandbox-class")).toHaveText("C");
  await firm.locator("input[data-sandbox='tax_wan']").fill(needed);
  await firm.getByTestId("sandbox-submit").click();
  await expect(firm.getByTestId("sandbox-class")).toHaveText("B");

  // The appeal, with a PDF as evidence.
  await firm.getByTestId("appeal-link").click();
  await expect(firm.getByTestId("appeal-form")).toBeVisible();
  await firm.locator("select[data-item='0']").selectOption("tax_wan");
  await firm.locator("input[data-claimed='0']").fill(needed);
  await firm.getByTestId("explanation").fill("年度汇算清缴补缴税款未计入实缴税金，附完税证明。");
  await firm.getByTestId("evidence").setInputFiles({ name: "完税证明.pdf", mimeType: "application/pdf", buffer: PDF });
  await firm.getByTestId("file-appeal").click();
  await expect(firm).toHaveURL(/\/appeals\/\d+/);
  const receipt = (await firm.getByTestId("receipt").innerText()).trim();
  expect(receipt).toMatch(/^SS2020-\d{6}$/);
  await expect(firm.locator("[data-testid=appeal-status] [data-status]")).toHaveAttribute("data-status", "filed");

  // The tax bureau's queue: the item is theirs; they see the evidence and the projection, and accept.
  const tax = await signIn(browser, "tax");
  // A light page: the queue and the decision are plain HTML and forms.
  await tax.goto("/appeals?status=filed");
  await tax.getByRole("link", { name: receipt }).click();
  await expect(tax.getByTestId("projected-class")).toHaveText("B");
  const evidence = tax.getByTestId("evidence-list").getByRole("link");
  await expect(evidence).toHaveText("完税证明.pdf");
  const res = await tax.request.get((await evidence.getAttribute("href"))!);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  await tax.getByTestId("decide-form").locator("input[name=reason]").fill("与金税系统核对一致");
  await tax.getByTestId("accept").click();
  await expect(tax.locator("[data-testid=appeal-status] [data-status]")).toHaveAttribute("data-status", "corrected");
  await expect(tax.getByTestId("outcome")).toContainText("C → B");

  // The enterprise sees its new class, the outcome and the notices.
  await firm.goto("/portal");
  await expect(firm.getByTestId("my-class")).toHaveText("B");
  await expect(firm.getByTestId("my-appeal-status")).toHaveText("已更正");
  await firm.goto("/notices");
  await expect(firm.getByTestId("notices")).toContainText("已办结");
  // And in English (the light page's language link).
  await firm.goto("/portal");
  await firm.getByTestId("lang-switch").click();
  await expect(firm.getByTestId("sandbox")).toContainText("What would change my class");
});

test("an enterprise downloads nothing it may not see: another enterprise's appeal is not found", async ({ browser }) => {
  const q1 = await signIn(browser, "qiye1");
  await q1.goto("/appeals");
  const rows = q1.locator("[data-testid=queue] tbody tr");
  await expect(rows).toHaveCount(1);
  // qiye2's appeal (the demo's accepted one) by its id: not found.
  const own = (await rows.first().locator("a").getAttribute("href"))!;
  const other = own === "/appeals/2" ? "/appeals/1" : "/appeals/2";
  await q1.goto(other);
  await expect(q1.getByRole("alert").filter({ hasText: "未找到" })).toBeVisible();
});
