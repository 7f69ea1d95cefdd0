import { afterEach, describe, expect, it, vi } from "vitest";
import { detectMode, watchTheme } from "./theme";

const body = () => document.body;

afterEach(() => {
  for (const a of ["data-jp-theme-light", "data-jp-theme-name", "data-theme", "data-vscode-theme-kind", "class"]) {
    body().removeAttribute(a);
  }
  document.documentElement.removeAttribute("data-theme");
  vi.unstubAllGlobals();
});

describe("which theme the page is in", () => {
  it("asks JupyterLab first, whatever the system prefers", () => {
    body().dataset.jpThemeLight = "false";
    expect(detectMode(document, () => false)).toBe("dark");
    body().dataset.jpThemeLight = "true";
    expect(detectMode(document, () => true)).toBe("light");
  });
  it("reads VS Code's and marimo's marks", () => {
    body().dataset.vscodeThemeKind = "vscode-high-contrast";
    expect(detectMode(document, () => false)).toBe("dark");
    body().removeAttribute("data-vscode-theme-kind");
    body().dataset.theme = "dark"; // marimo: body[data-theme] and class "dark dark-theme"
    expect(detectMode(document, () => false)).toBe("dark");
    body().removeAttribute("data-theme");
    body().className = "dark-theme";
    expect(detectMode(document, () => false)).toBe("dark");
    body().className = "light-theme";
    expect(detectMode(document, () => true)).toBe("light");
  });
  it("falls back to prefers-color-scheme (the saved page)", () => {
    expect(detectMode(document, () => true)).toBe("dark");
    expect(detectMode(document, () => false)).toBe("light");
    vi.stubGlobal("matchMedia", (q: string) => ({ matches: q === "(prefers-color-scheme: dark)" }));
    expect(detectMode()).toBe("dark");
  });
});

describe("following the theme", () => {
  const flush = () => new Promise((resolve) => setTimeout(resolve, 30));

  it("marks the root, puts the palette in it, and calls back when JupyterLab switches theme", async () => {
    body().dataset.jpThemeLight = "true";
    body().dataset.jpThemeName = "JupyterLab Light";
    const root = document.createElement("div");
    document.body.append(root);
    const seen: string[] = [];
    const watch = watchTheme(root, (mode) => seen.push(mode));
    expect(root.dataset.mgwTheme).toBe("light");
    expect(root.querySelector("style")?.textContent).toContain("--mgw-bg");
    body().dataset.jpThemeLight = "false";
    body().dataset.jpThemeName = "JupyterLab Dark";
    await flush();
    expect(root.dataset.mgwTheme).toBe("dark");
    expect(seen).toEqual(["dark"]);
    // another class on <body> (JupyterLab sets some while dragging) is not a new theme
    body().classList.add("lm-mod-override-cursor");
    await flush();
    expect(seen).toEqual(["dark"]);
    // a dark theme of another name has other colours: canvases redraw
    body().dataset.jpThemeName = "JupyterLab Dark High Contrast";
    await flush();
    expect(seen).toEqual(["dark", "dark"]);
    watch.destroy();
    body().dataset.jpThemeLight = "true";
    await flush();
    expect(seen).toEqual(["dark", "dark"]); // disconnected
    expect(root.dataset.mgwTheme).toBe("dark");
    root.remove();
  });

  it("listens to the system's preference and stops listening on destroy", () => {
    const listeners = new Set<() => void>();
    vi.stubGlobal("matchMedia", () => ({
      matches: false,
      addEventListener: (_: string, f: () => void) => listeners.add(f),
      removeEventListener: (_: string, f: () => void) => listeners.delete(f),
    }));
    const root = document.createElement("div");
    const watch = watchTheme(root);
    expect(listeners.size).toBe(1);
    watch.destroy();
    expect(listeners.size).toBe(0);
  });
});
