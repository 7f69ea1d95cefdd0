"""A PyTorch autograd graph as the same plain data as a Value graph, torch imported only when a
tensor arrives, and nothing of the user's touched (no .grad filled, the graph not consumed).

read.py walks grad_fn / next_functions into trace()'s nodes and edges; values.py works out each
node's data and grad (autograd.grad with hooks, saved tensors, replays); ops.py names ops the
way micrograd does and replays the ones it knows; modules.py folds by module (model=);
frames.py records torch's backward for the player. Imports graph's own modules only.
"""
