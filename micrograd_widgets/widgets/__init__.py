"""One anywidget class per widget: traits and wiring only, the math lives elsewhere."""
