// Minimal graph view: lists the traced Values. Replaced by the layered drawing (issue 3).
import { RenderProps, setState, showError } from "../lib/model";

interface NodeData {
  id: string;
  label: string;
  data: number;
  grad: number;
  op: string;
}

function render({ model, el }: RenderProps) {
  const root = document.createElement("div");
  root.dataset.mgw = "graph";
  setState(root, "loading");
  el.replaceChildren(root);
  const draw = () => {
    try {
      const nodes = (model.get("graph")?.nodes ?? []) as NodeData[];
      const list = document.createElement("ul");
      for (const n of nodes) {
        const item = document.createElement("li");
        item.dataset.node = n.id;
        item.textContent = `${n.label} | data ${n.data.toFixed(4)} | grad ${n.grad.toFixed(4)}`;
        list.append(item);
      }
      root.replaceChildren(list);
      setState(root, "ready");
    } catch (error) {
      showError(root, error);
    }
  };
  draw();
  model.on("change:graph", draw);
  return () => model.off("change:graph", draw);
}

export default { render };
