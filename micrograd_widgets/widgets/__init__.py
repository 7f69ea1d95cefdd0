"""One anywidget class per widget: traits, a thread where one trains, and wiring; no math.

graph.py (GraphWidget, draw), backprop.py (BackpropWidget, animate_backward), trainer.py
(TrainerWidget); the built JS they load is in ../static. Imports training, graph, nn, engine.
"""
