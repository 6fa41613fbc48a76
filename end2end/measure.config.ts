import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// Measurements for docs/performance.md, not tests: run by hand against a
// release server with the full demo city (see that file for the command).
export default defineConfig({ ...base, testDir: "./measure", timeout: 300_000 });
