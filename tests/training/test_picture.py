"""The trainer's static pictures: the page's colours (js/trainer/plot.ts scoreColor, restated
here by hand), NaN grey in the PNG as on the page, the PNG's size and points."""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image

from micrograd_widgets.training import TrainingRun
from micrograd_widgets.training.picture import score_colors, snapshot_png


def test_score_colours_are_the_pages():
    grid = np.array([[0.0, float("nan"), 10.0, -10.0, 0.5]])
    rgb = score_colors(grid)[0].tolist()
    assert rgb[0] == [255, 255, 255]  # the boundary is white
    assert rgb[1] == [160, 160, 160]  # NaN is grey, as on the page
    t = math.tanh(10.0) * 0.6
    assert rgb[2] == [round(255 + (c - 255) * t) for c in (29, 78, 216)]  # +1 blue
    assert rgb[3] == [round(255 + (c - 255) * t) for c in (234, 88, 12)]  # -1 orange
    t = math.tanh(0.5) * 0.6
    assert rgb[4] == [round(255 + (c - 255) * t) for c in (29, 78, 216)]


def test_png_shows_nan_scores_grey_and_the_points():
    run = TrainingRun.from_dataset("moons", n=40, test_fraction=0.25, hidden=(4,))
    img = np.asarray(Image.open(io.BytesIO(snapshot_png(run, 50, scale=2))).convert("RGB"))
    assert img.shape == (100, 100, 3)
    colours = {tuple(c) for c in img.reshape(-1, 3).tolist()}
    assert (0, 0, 0) in colours and (255, 255, 255) in colours  # test and train rims
    assert (29, 78, 216) in colours and (234, 88, 12) in colours  # the points' fill
    run.model.layers[-1].neurons[0].b.data = float("nan")
    img = np.asarray(Image.open(io.BytesIO(snapshot_png(run, 50, scale=2))).convert("RGB"))
    assert img[0, 0].tolist() == [160, 160, 160]  # a corner, away from every point
