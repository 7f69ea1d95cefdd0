// The script of a page written by save_html (inlined there as a module): renders its widgets.
import { renderPage } from "./offline";

void renderPage(document);
