// The script of a page written by save_html (inlined there as a module): renders its widgets.
import { renderPage } from "../lib/offline";

void renderPage(document);
