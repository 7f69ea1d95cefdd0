// esbuild bundles a .css file as its text (loader { ".css": "text" } in js/build.mjs): a view puts
// it in its own <style>, so the widget needs no stylesheet from the notebook's page.
declare module "*.css" {
  const text: string;
  export default text;
}
