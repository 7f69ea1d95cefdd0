"""The live trainer in a real JupyterLab: Play trains in the background while the kernel answers
cells, Pause stops it, knobs on the page reach Python, a clicked neuron shows its Value graph."""

from __future__ import annotations

import time

import pytest

from .harness import load_scale

pytestmark = pytest.mark.browser

SETUP = "from micrograd_widgets import TrainerWidget\nw = TrainerWidget(seed=0)\nw"


def open_tall(lab, cells: list[str]):
    """The notebook in a page tall enough to show the whole trainer (for the screenshots)."""
    page = lab.run_notebook(cells)
    page.set_viewport_size({"width": 1280, "height": 1700})
    return page


def overflowing(trainer) -> list[str]:
    """Elements of the trainer whose right edge pokes out of its box (cut off in the notebook)."""
    return trainer.evaluate(
        """root => {
            const right = root.getBoundingClientRect().right + 0.5;
            return [...root.querySelectorAll('*')]
                .filter((n) => {
                    const b = n.getBoundingClientRect();
                    return b.width > 0 && b.right > right;
                })
                .map((n) => `${n.tagName.toLowerCase()}.${n.getAttribute('class') || ''}`);
        }"""
    )


def step_of(trainer) -> int:
    return int(trainer.locator("[data-field='step']").inner_text().replace(",", ""))


def test_play_trains_while_the_kernel_answers_and_pause_stops(lab):
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    assert lab.cell_errors(page) == []
    assert step_of(trainer) == 0
    # the first picture: heatmap drawn, network with 2-16-16-1 neurons (33 clickable)
    assert trainer.locator("g[data-neuron]").count() == 33
    assert overflowing(trainer) == []  # curves and map keep their right border in the notebook
    status = trainer.locator("[data-field='status']")
    assert "Press Play" in status.inner_text()  # a first-time user is told what to do
    lab.screenshot(page, "trainer_start", trainer)

    trainer.locator("[data-action='play']").click()
    page.wait_for_function(
        "root => Number(root.querySelector('[data-field=\"step\"]').textContent) >= 3",
        arg=trainer.element_handle(), timeout=20_000,
    )
    before = step_of(trainer)
    started = time.monotonic()
    out = lab.run_cell(page, "print(6 * 7)")
    answered = time.monotonic() - started
    assert out.strip() == "42"
    # free, not blocked until Pause: about a second on an idle machine, stretched with the load
    bound = 1.0 * load_scale()
    assert answered < bound, f"the kernel took {answered:.2f}s (> {bound:.1f}s) while training"
    page.wait_for_function(
        "([root, k]) => Number(root.querySelector('[data-field=\"step\"]').textContent) > k",
        arg=[trainer.element_handle(), before], timeout=10_000,
    )
    assert trainer.get_attribute("data-playing") == "true"
    assert "steps/s" in trainer.locator("[data-field='rate']").inner_text()
    page.wait_for_timeout(1500)  # let the boundary move a little for the picture
    lab.screenshot(page, "trainer_playing", trainer)

    trainer.locator("[data-action='pause']").click()
    page.wait_for_function("root => root.dataset.playing === 'false'", arg=trainer.element_handle())
    stopped = step_of(trainer)
    page.wait_for_timeout(800)
    assert step_of(trainer) == stopped
    assert trainer.locator("[data-action='play']").is_visible()
    # the page's count is Python's count, and no training thread is left
    out = lab.run_cell(
        page,
        "import threading\nprint(w.step_count, w.is_playing, "
        "sum(t.name == 'micrograd-trainer' for t in threading.enumerate()))",
    )
    assert out.split() == [str(stopped), "False", "0"]
    assert lab.cell_errors(page) == []
    lab.close(page)


def test_knobs_reach_python_and_a_neuron_shows_its_graph(lab):
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    # learning rate slider (log scale): position 60 of 100 is 1e-4 * 10**3 = 0.1
    trainer.locator("[data-field='learning-rate']").evaluate(
        "s => { s.value = '60'; s.dispatchEvent(new Event('input', { bubbles: true })); }"
    )
    trainer.locator("[data-field='full-batch']").uncheck()
    trainer.locator("[data-field='batch-size']").evaluate(
        "s => { s.value = '8'; s.dispatchEvent(new Event('input', { bubbles: true })); }"
    )
    trainer.locator("[data-action='step']").click()
    page.wait_for_function(
        "root => root.querySelector('[data-field=\"step\"]').textContent === '1'",
        arg=trainer.element_handle(),
    )
    out = lab.run_cell(page, "print(w.learning_rate, w.batch_size, w.history[-1]['batch_size'])")
    assert out.split() == ["0.1", "8", "8"]

    # a dataset button resets the model and says so
    trainer.locator("[data-dataset='circles']").click()
    page.wait_for_function(
        "root => root.querySelector('[data-field=\"status\"]').textContent.includes('reset')",
        arg=trainer.element_handle(),
    )
    assert step_of(trainer) == 0

    # click neuron 3 of layer 1: its Value graph (the shared graph view) appears
    trainer.locator("g[data-neuron='1:3']").click()
    panel = trainer.locator("[data-field='neuron']")
    panel.locator("[data-node]").first.wait_for()
    assert "layer 1, neuron 3" in panel.inner_text()
    labels = panel.evaluate(
        "p => [...p.querySelectorAll('[data-node] text')].map(t => t.textContent)"
    )
    # 16 inputs: the weighted sum starts folded into one Σ box; a click opens it (Python re-sends)
    assert "layer0[0]" in labels and "layer1[3]" in labels and "w0" not in labels
    assert trainer.locator("g[data-neuron='1:3'][data-selected='true']").count() == 1
    page.mouse.move(0, 0)
    lab.screenshot(page, "trainer_neuron", trainer)
    panel.locator("[data-group]").first.click()
    page.wait_for_function(
        "p => [...p.querySelectorAll('[data-node] text')].some(t => t.textContent === 'w0')",
        arg=panel.element_handle(),
    )
    assert panel.locator("[data-group]").count() == 0
    assert lab.cell_errors(page) == []
    lab.close(page)


def test_too_high_a_learning_rate_from_the_page_pauses_with_a_message_by_the_controls(lab):
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    trainer.locator("[data-field='learning-rate']").evaluate(  # the slider's top: 10
        "s => { s.value = s.max; s.dispatchEvent(new Event('input', { bubbles: true })); }"
    )
    trainer.locator("[data-action='play']").click()
    page.wait_for_function(
        "root => root.querySelector('[data-field=\"status\"]').dataset.kind === 'error'",
        arg=trainer.element_handle(), timeout=20_000,
    )
    status = trainer.locator("[data-field='status']")
    assert "diverged" in status.inner_text() and "Lower the learning rate" in status.inner_text()
    assert trainer.get_attribute("data-playing") == "false"
    # the message is next to the controls, above the plots, not below the fold
    status_top = status.bounding_box()["y"]
    assert status_top < trainer.locator("canvas.mgw-heatmap").bounding_box()["y"]
    assert status_top < trainer.locator("[data-action='play']").bounding_box()["y"] + 200
    lab.screenshot(page, "trainer_diverged", trainer)
    out = lab.run_cell(page, "print(w.learning_rate, w.is_playing, w.run.diverged is not None)")
    assert out.split() == ["10.0", "False", "True"]
    lab.close(page)


def test_presentation_mode_hides_chosen_controls(lab):
    page = open_tall(lab, [
        "from micrograd_widgets import TrainerWidget\n"
        "w = TrainerWidget('spiral', hidden=(8, 8, 8), activation='tanh', presentation=True)\nw",
        "w.step(40); None",
    ])
    trainer = lab.wait_ready(page, "trainer")
    assert "mgw-present" in trainer.get_attribute("class")
    for control in ("size", "split", "l2", "loss"):
        assert not trainer.locator(f"[data-control='{control}']").first.is_visible()
    assert trainer.locator("[data-control='learning_rate']").is_visible()
    page.wait_for_function(
        "root => root.querySelector('[data-field=\"step\"]').textContent === '40'",
        arg=trainer.element_handle(),
    )
    lab.screenshot(page, "trainer_presentation", trainer)
    lab.close(page)


def test_rerunning_the_cell_while_playing_stops_the_old_trainer(lab):
    """The re-run replaces the view; the old widget, still in memory, must not train on unseen."""
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    trainer.locator("[data-action='play']").click()
    page.wait_for_function(
        "root => Number(root.querySelector('[data-field=\"step\"]').textContent) >= 2",
        arg=trainer.element_handle(), timeout=20_000,
    )
    lab.run_cell(page, "old = w")
    # the first cell again (as a user would, Shift+Enter): a new trainer replaces the old view
    page.evaluate(
        """async () => {
            const app = window.jupyterapp;
            const nb = app.shell.currentWidget.content;
            nb.activeCellIndex = 0;
            await app.commands.execute('notebook:run-cell');
        }"""
    )
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.content.widgets[0]"
                           ".node.querySelector('.jp-InputPrompt').textContent.includes('[3]')")
    lab.wait_ready(page, "trainer")
    assert page.locator("[data-mgw='trainer']").count() == 1
    out = lab.run_cell(
        page,
        "import threading, time\ntime.sleep(0.5)\nprint(old is not w, old.is_playing, "
        "old._view_count, sum(t.name == 'micrograd-trainer' for t in threading.enumerate()))",
    )
    assert out.split() == ["True", "False", "0", "0"]
    assert lab.cell_errors(page) == []
    lab.close(page)


def wait_step_above(page, trainer, k: int, timeout: float = 20_000) -> None:
    page.wait_for_function(
        "([root, k]) => Number(root.querySelector('[data-field=\"step\"]')"
        ".textContent.replace(/,/g, '')) > k",
        arg=[trainer.element_handle(), k], timeout=timeout,
    )


def test_switching_engine_while_playing_keeps_counting_and_shows_the_speed(lab):
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    engine = trainer.locator("[data-field='engine']")
    assert engine.inner_text() == "micrograd"
    trainer.locator("[data-action='play']").click()
    wait_step_above(page, trainer, 2)
    speed = trainer.locator("[data-field='speed']")
    page.wait_for_function(
        "el => el.textContent.includes('steps/s') && el.textContent.includes('epochs/s')",
        arg=speed.element_handle(),
    )
    slow = float(lab.run_cell(page, "print(w.steps_per_second)"))
    assert slow > 0

    trainer.locator("[data-setting='engine'] [data-value='numpy']").click()
    page.wait_for_function("el => el.textContent === 'numpy'", arg=engine.element_handle())
    switched = step_of(trainer)
    assert switched >= 3  # the count goes on from where it was, not from 0
    wait_step_above(page, trainer, switched + 50)
    assert trainer.get_attribute("data-playing") == "true"
    assert trainer.locator(
        "[data-setting='engine'] [data-value='numpy'][aria-checked='true']"
    ).count() == 1
    # the speed beside the counter is the numpy engine's now: wait until the page shows a rate
    # above micrograd's (the Python side measures it over the last second or so)
    page.wait_for_function(
        "([el, slow]) => { const m = el.textContent.replace(/,/g, '').match(/([0-9.]+) steps\\/s/);"
        " return m !== null && Number(m[1]) > 3 * slow; }",
        arg=[speed.element_handle(), slow], timeout=20_000,
    )
    assert "epochs/s" in speed.inner_text()
    # the longer numbers still fit: nothing pokes out of the counter or the widget
    counter = trainer.locator(".mgw-counter").bounding_box()
    box = speed.bounding_box()
    assert box["x"] + box["width"] <= counter["x"] + counter["width"] + 0.5
    assert overflowing(trainer) == []
    lab.screenshot(page, "trainer_numpy", trainer)

    trainer.locator("[data-action='pause']").click()
    page.wait_for_function("root => root.dataset.playing === 'false'", arg=trainer.element_handle())
    stopped = step_of(trainer)
    # Python's history is one unbroken run: every step from 1 to the page's count, no restart
    out = lab.run_cell(
        page,
        "import threading\nsteps = [h['step'] for h in w.history]\n"
        "print(w.engine, w.step_count, steps[0], steps[-1], steps == sorted(set(steps)), "
        "sum(t.name == 'micrograd-trainer' for t in threading.enumerate()))",
    )
    assert out.split() == ["numpy", str(stopped), "1", str(stopped), "True", "0"]
    assert lab.cell_errors(page) == []
    lab.close(page)


def test_a_learning_rate_set_while_playing_is_the_next_steps_rate(lab):
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    trainer.locator("[data-action='play']").click()
    wait_step_above(page, trainer, 1)
    # the slider: 20 positions per decade from 1e-4, in steps of 0.2; 0.0123 is at
    # 20 * log10(0.0123 / 1e-4) = 41.80
    slider = trainer.locator("[data-field='learning-rate']")
    slider.evaluate(
        "s => { s.value = '41.8'; s.dispatchEvent(new Event('input', { bubbles: true })); }"
    )
    page.wait_for_function(
        "root => root.querySelector('[data-control=\"learning_rate\"] output')"
        ".textContent === '0.0123'",
        arg=trainer.element_handle(),
    )
    changed = step_of(trainer)
    wait_step_above(page, trainer, changed + 2)
    trainer.locator("[data-action='pause']").click()
    page.wait_for_function("root => root.dataset.playing === 'false'", arg=trainer.element_handle())
    # rates before the change are the default's (1.0, decaying slowly); the first step after it
    # uses exactly what the slider sent, with no decay applied yet
    out = lab.run_cell(
        page,
        "rates = [h['learning_rate'] for h in w.history]\n"
        "first = next(r for r in rates if r < 0.5)\n"
        "print(w.learning_rate, repr(first), rates.index(first) > 0)",
    )
    assert out.split() == ["0.0123", "0.0123", "True"]
    assert lab.cell_errors(page) == []
    lab.close(page)


def test_a_setting_too_costly_for_micrograd_offers_the_numpy_engine(lab):
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    button = trainer.locator("[data-action='use-numpy']")
    assert not button.is_visible()
    # 1000 points through (16, 16): about 2 s a micrograd step, past the envelope's second
    trainer.locator("input[aria-label='Number of points']").evaluate(
        "s => { s.value = s.max; s.dispatchEvent(new Event('change', { bubbles: true })); }"
    )
    status = trainer.locator("[data-field='status']")
    page.wait_for_function("el => el.dataset.kind === 'cost'", arg=status.element_handle())
    assert "micrograd" in status.inner_text() and "numpy" in status.inner_text()
    button.wait_for(state="visible")
    # refused: the setting is put back, on the page and in Python
    page.wait_for_function(
        "root => root.querySelector('[data-control=\"size\"] output').textContent === '100'",
        arg=trainer.element_handle(),
    )
    assert lab.run_cell(page, "print(w.n, w.engine)").split() == ["100", "micrograd"]
    lab.screenshot(page, "trainer_cost", trainer)

    button.click()
    page.wait_for_function(
        "root => root.querySelector('[data-field=\"engine\"]').textContent === 'numpy'",
        arg=trainer.element_handle(),
    )
    page.wait_for_function(
        "root => root.querySelector('[data-control=\"size\"] output').textContent === '1000'",
        arg=trainer.element_handle(),
    )
    button.wait_for(state="hidden")
    assert lab.run_cell(page, "print(w.n, w.engine, len(w.X) + len(w.X_test))").split() == [
        "1000", "numpy", "1000",
    ]
    trainer.locator("[data-action='step']").click()
    page.wait_for_function(
        "root => root.querySelector('[data-field=\"step\"]').textContent === '1'",
        arg=trainer.element_handle(),
    )
    assert lab.cell_errors(page) == []
    lab.close(page)


# ---- issue 13: one screen on a projector, and what TF Playground shows ------------------------

CIRCLES = "from micrograd_widgets import TrainerWidget\nw = TrainerWidget(dataset='circles'{})\nw"


def boxes(trainer) -> dict:
    """Viewport boxes of the trainer, Play, the network and the map (after scrolling to it)."""
    return trainer.evaluate(
        """root => { root.scrollIntoView(); const b = (n) => { const r = n.getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom]; };
            return { root: b(root), play: b(root.querySelector('[data-action=play]')),
                     net: b(root.querySelector('svg.mgw-network')),
                     map: b(root.querySelector('[data-field=map]')) }; }"""
    )


def spilled(trainer) -> list[str]:
    """Elements that poke out of their column (overlapping the next one), 1 px tolerance."""
    return trainer.evaluate(
        """root => [...root.querySelectorAll('.mgw-main > *')].flatMap((col) => {
            const c = col.getBoundingClientRect();
            return [...col.querySelectorAll('*')].filter((n) => {
                const b = n.getBoundingClientRect();
                return b.width > 0
                    && (b.left < c.left - 1 || b.right > c.right + 1);
            }).map((n) => `${col.className} > ${n.tagName.toLowerCase()}`
                         + `.${n.getAttribute('class') || ''}`);
        })"""
    )


@pytest.mark.parametrize("presentation", [False, True])
def test_play_network_and_map_fit_one_screen_at_1024x768(lab, presentation):
    """A teacher's projector: JupyterLab at 1024x768 with its file browser open, as it starts."""
    small = type(lab)(lab.server, lab.browser, viewport={"width": 1024, "height": 768})
    small._count = lab._count + 100 + int(presentation)
    page = small.run_notebook([CIRCLES.format(f", presentation={presentation}")])
    trainer = small.wait_ready(page, "trainer")
    page.wait_for_function("root => root.dataset.layout === 'narrow'", arg=trainer.element_handle())
    b = boxes(trainer)
    for name in ("play", "net", "map"):
        left, top, right, bottom = b[name]
        assert 0 <= left and right <= 1024 and 0 <= top and bottom <= 768, (name, b)
    height = b["root"][3] - b["root"][1]
    assert height <= 670, f"the trainer is {height:.0f} px tall at 1024x768"
    assert overflowing(trainer) == []
    bad = spilled(trainer)
    assert bad == [], "; ".join(bad)
    small.screenshot(page, f"trainer_1024{'_presentation' if presentation else ''}")
    small.close(page)


@pytest.mark.parametrize("width", [1280, 720])
def test_nothing_clipped_or_overlapping_at_1280_and_a_720_column(lab, width):
    """1280: a laptop; 720: a narrow notebook column like marimo's (the file browser folded)."""
    small = type(lab)(lab.server, lab.browser, viewport={"width": width, "height": 900})
    small._count = lab._count + 200 + width
    page = small.run_notebook([CIRCLES.format("")])
    trainer = small.wait_ready(page, "trainer")
    if width == 720:
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    page.wait_for_function(
        "([root, want]) => root.dataset.layout === want",
        arg=[trainer.element_handle(), "medium" if width == 1280 else "narrow"],
    )
    assert overflowing(trainer) == []
    bad = spilled(trainer)
    assert bad == [], "; ".join(bad)
    b = boxes(trainer)
    assert b["net"][2] <= b["map"][0]  # the network and the map side by side, not on top
    small.screenshot(page, f"trainer_{width}")
    small.close(page)


def _has_issue13_traits() -> bool:
    from micrograd_widgets.widgets.trainer import TrainerWidget

    names = set(TrainerWidget.class_trait_names())
    return {"neuron_maps", "features", "show_test"} <= names


issue13 = pytest.mark.skipif(
    not _has_issue13_traits(),
    reason="the Python side of issue 13 (neuron_maps, features, pens, set_weight) is not merged",
)

# each thumbnail's pixels summed: a signature that changes when a neuron's map does
THUMBS = """root => [...root.querySelectorAll("[data-neuron] [data-field='neuron-map']")]
    .map((c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] * 3 + d[i + 2]; return s; })
    .join()"""


@issue13
def test_neuron_thumbnails_train_live_and_hovering_one_shows_it_on_the_map(lab):
    page = open_tall(lab, [
        "from micrograd_widgets import TrainerWidget\n"
        "w = TrainerWidget(seed=0, engine='numpy', hidden=(6, 4))\nw"
    ])
    trainer = lab.wait_ready(page, "trainer")
    keys = trainer.evaluate(
        "root => [...root.querySelectorAll('[data-neuron]')]"
        ".filter((g) => g.querySelector(\"[data-field='neuron-map']\"))"
        ".map((g) => g.dataset.neuron)"
    )
    assert keys == [f"0:{i}" for i in range(6)] + [f"1:{i}" for i in range(4)]
    page.wait_for_function(
        f"root => ({THUMBS})(root).split(',').some((s) => s !== '0')", arg=trainer.element_handle()
    )
    before = trainer.evaluate(THUMBS)
    trainer.locator("[data-action='play']").click()
    page.wait_for_function(f"([root, b]) => ({THUMBS})(root) !== b",
                           arg=[trainer.element_handle(), before], timeout=20_000)
    trainer.locator("[data-action='pause']").click()
    page.wait_for_function("root => root.dataset.playing === 'false'", arg=trainer.element_handle())
    the_map = trainer.locator("[data-field='map']")
    trainer.locator("g[data-neuron='0:2']").hover()
    page.wait_for_function("m => m.dataset.showing === '0:2'", arg=the_map.element_handle())
    lab.screenshot(page, "trainer_neuron_hover", trainer)
    page.mouse.move(0, 0)
    page.wait_for_function("m => m.dataset.showing === 'output'", arg=the_map.element_handle())
    assert lab.cell_errors(page) == []
    lab.close(page)


@issue13
def test_a_feature_toggle_rebuilds_the_input_layer(lab):
    page = open_tall(lab, [SETUP])
    trainer = lab.wait_ready(page, "trainer")
    square = trainer.locator("[data-feature='x1^2']")
    assert square.get_attribute("aria-pressed") == "false"
    square.click()
    page.wait_for_function(
        "root => [...root.querySelectorAll('svg.mgw-network text')]"
        ".map((t) => t.textContent).join() === 'x1,x2,x1^2,out'",
        arg=trainer.element_handle(),
    )
    assert square.get_attribute("aria-pressed") == "true"
    out = lab.run_cell(
        page, "print(list(w.features), w.layer_sizes[0], len(w.model.layers[0].neurons[0].w))"
    )
    assert out.split() == ["['x1',", "'x2',", "'x1^2']", "3", "3"]
    lab.close(page)


@issue13
def test_three_pen_clicks_add_three_points_in_python(lab):
    page = open_tall(lab, [
        "from micrograd_widgets import TrainerWidget\nw = TrainerWidget(seed=0, test_fraction=0)\nw"
    ])
    trainer = lab.wait_ready(page, "trainer")
    n0 = int(lab.run_cell(page, "print(len(w.X))"))
    the_map = trainer.locator("[data-field='map']")
    drawn = int(the_map.get_attribute("data-points"))
    trainer.locator("[data-pen='+1']").click()
    box = the_map.bounding_box()
    for fx, fy in ((0.2, 0.2), (0.5, 0.8), (0.8, 0.4)):
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    page.wait_for_function("([m, k]) => Number(m.dataset.points) === k",
                           arg=[the_map.element_handle(), drawn + 3], timeout=20_000)
    out = lab.run_cell(page, "print(len(w.X), w.dataset, sorted(set(w.y[-3:].tolist())))")
    assert out.split()[:2] == [str(n0 + 3), "custom"]
    assert out.split("custom")[1].strip() == "[1]"
    lab.close(page)


@issue13
def test_a_weight_typed_on_the_page_changes_the_model_in_the_kernel(lab):
    page = open_tall(lab, [
        "from micrograd_widgets import TrainerWidget\nw = TrainerWidget(seed=0, hidden=(4,))\nw"
    ])
    trainer = lab.wait_ready(page, "trainer")
    edge = trainer.locator("line.mgw-hit").first  # layer 0, neuron 0, from x1
    edge.dispatch_event("mouseover")
    tip = trainer.locator("[data-field='weight-tip']")
    tip.wait_for(state="visible")
    assert tip.inner_text().startswith("layer 0, neuron 0: w0 (from x1) = ")
    edge.dispatch_event("click")
    box = tip.locator("input")
    box.fill("0.625")
    box.press("Enter")
    # the kernel handles the page's message before the next cell (one shell channel, in order)
    out = lab.run_cell(page, "print(w.model.layers[0].neurons[0].w[0].data)")
    assert out.strip() == "0.625"
    page.wait_for_function(
        "root => { const t = root.querySelector('[data-field=weight-tip]'); return t.hidden; }",
        arg=trainer.element_handle(),
    )
    assert lab.cell_errors(page) == []
    lab.close(page)
