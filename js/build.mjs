// Bundles every js/widgets/<name>.ts into micrograd_widgets/static/<name>.js (one ESM per widget),
// and js/common/page.ts, the script of the pages save_html writes, into static/page.js.
// No source maps in the shipped build: they would embed local paths in the wheel.
import { build, context, transform } from "esbuild";
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";

const widgetsDir = "js/widgets";
const entryPoints = readdirSync(widgetsDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => ({ in: join(widgetsDir, f), out: basename(f, ".ts") }))
  .concat([{ in: "js/common/page.ts", out: "page" }]);

// `import css from "./x.css"` gives the file's text, minified: a view puts it in its own <style>.
function cssText() {
  return {
    name: "css-text",
    setup(b) {
      b.onLoad({ filter: /\.css$/ }, async (args) => {
        const { code } = await transform(await readFile(args.path, "utf8"), { loader: "css", minify: true });
        return { contents: code, loader: "text" };
      });
    },
  };
}

const options = {
  entryPoints,
  outdir: "micrograd_widgets/static",
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  legalComments: "none",
  plugins: [cssText()],
  logLevel: "info",
};

if (process.argv.includes("--watch")) {
  const ctx = await context({ ...options, minify: false, sourcemap: "inline" });
  await ctx.watch();
} else {
  await build(options);
}
