import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["js/**/*.test.ts"],
    environment: "jsdom",
    testTimeout: 30_000, // jsdom renders of the whole trainer take ~5 s on a busy 2-core machine
  },
});
