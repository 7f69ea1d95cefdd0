"""A scalar autograd engine: micrograd's `Value`, built to be read and fast enough to train with.

Same interface and graph shapes as micrograd 0.1.0 (so lecture code runs unchanged), with:

- each op records its *local derivatives* when it runs (forward value and derivative side by
  side), so backward() is one loop of the chain rule: `child.grad += local * out.grad`;
- an iterative topological sort: no recursion limit, deterministic order;
- `label` and `_group` on every node, for drawing the graph;
- no reference cycles: an op's output refers to its operands, never back, so a graph is freed by
  reference counting alone the moment it is dropped. Python's cyclic garbage collector has
  nothing to find in it, yet it scans every fresh Value as it ages: `gc_paused()` keeps it out of
  a training step (the trainer's step uses it; see its docstring).
"""

from __future__ import annotations

import gc
import math
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import ContextDecorator
from contextvars import ContextVar
from numbers import Integral, Real

# The name scope new Values are tagged with (see `name_scope`); nn sets it for its modules.
# A ContextVar rather than a plain global: a model training in a background thread must not
# tag (or leave its scope on) the Values the notebook's main thread makes meanwhile.
_scope: ContextVar[str | None] = ContextVar("micrograd_widgets_scope", default=None)
_current_scope = _scope.get


class Value:
    """stores a single scalar value and its gradient"""

    # out = op(a, b) keeps its operands a, b (b is None for one-operand ops, both None for a
    # leaf) and their local derivatives da = d(out)/d(a), db = d(out)/d(b), computed in the op.
    # `_custom` holds a backward function assigned by hand (micrograd style, else None), which
    # backward() calls instead of the chain rule from _da/_db. `_mark`: the last topological
    # search that reached this node (see _topo). __weakref__ as micrograd's.
    __slots__ = (
        "data", "grad", "_op", "label", "_group", "_a", "_b", "_da", "_db", "_custom", "_mark",
        "__weakref__",
    )

    def __init__(
        self, data: float, _children: Iterable[Value] = (), _op: str = "", label: str = ""
    ) -> None:
        if type(data) is not float and type(data) is not int:
            data = _number(data, "Value(data)")
        self.data = data
        self.grad = 0
        self._op = _op  # the op that produced this node, for graphviz / debugging / etc
        self.label = label
        self._group = _current_scope()  # the name scope this node was made in (None outside any)
        # A node built by hand has children but no known local derivatives: they count as 0.
        self._a, self._b = _two_children(_children) if _children else (None, None)
        self._da = self._db = 0
        self._custom = None
        self._mark = None

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The distinct children (micrograd keeps a set; this is a tuple in operand order)."""
        a, b = self._a, self._b
        if a is None:
            return ()
        return (a,) if b is None or b is a else (a, b)

    # ---- ops: each computes its output and its local derivative(s) d(out)/d(operand) ----

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return _result(self.data + other.data, "+", self, 1, other, 1)

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return _result(self.data * other.data, "*", self, other.data, other, self.data)

    def __pow__(self, other: float) -> Value:
        if type(other) is not int and type(other) is not float:
            if isinstance(other, Value):
                raise TypeError(
                    "x ** y with a Value y: only int/float exponents are supported "
                    "(for a Value exponent write (y * x.log()).exp())"
                )
            other = _number(other, "exponent")
        x = self.data
        try:
            local = other * x ** (other - 1)
        except ZeroDivisionError:  # at 0: 0 ** p with 0 < p < 1 has an infinite slope, 0 ** 0
            local = 0 if other == 0 else math.inf  # a flat one (both as in PyTorch)
        return _result(_power(x, other), f"**{other}", self, local)

    def __rpow__(self, other: float) -> Value:  # other ** self, for a number other >= 0
        base = _number(other, "base of ** (base ** Value)")
        if base < 0:
            raise ValueError(f"base ** Value needs a base >= 0, got {base!r} (complex result)")
        out = _power(base, self.data)
        return _result(out, f"{base}**", self, out * math.log(base) if base > 0 else 0.0)

    def relu(self) -> Value:
        x = self.data
        return _result(0 if x < 0 else x, "ReLU", self, x > 0)

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return _result(t, "tanh", self, 1 - t * t)

    def exp(self) -> Value:
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data!r}) is too large for a float") from None
        return _result(e, "exp", self, e)

    def log(self) -> Value:
        x = self.data
        if x <= 0:
            raise ValueError(f"log needs a positive number, got {x!r}")
        return _result(math.log(x), "log", self, 1 / x)

    def sigmoid(self) -> Value:
        x = self.data
        if x >= 0:
            s = 1 / (1 + math.exp(-x))
        else:  # same value, without overflowing exp(-x) for very negative x
            e = math.exp(x)
            s = e / (1 + e)
        return _result(s, "sigmoid", self, s * (1 - s))

    def sin(self) -> Value:
        x = self.data
        if not math.isfinite(x):
            raise ValueError(f"sin needs a finite number, got {x!r}")
        return _result(math.sin(x), "sin", self, math.cos(x))

    # ---- backpropagation ----

    def _chain_rule(self) -> None:
        """The chain rule at this node: pass self.grad on to each operand, times d(self)/d(it)."""
        if self._a is not None:
            self._a.grad += self._da * self.grad
        if self._b is not None:
            self._b.grad += self._db * self.grad

    @property
    def _backward(self) -> Callable[[], None]:
        """This node's step of backward(), as micrograd's `out._backward()`.

        Code written for micrograd may assign its own (`out._backward = closure`, or a subclass
        defining `_backward`); backward() then calls each node's, as micrograd does.
        """
        return self._chain_rule if self._custom is None else self._custom

    @_backward.setter
    def _backward(self, function: Callable[[], None]) -> None:
        if not callable(function):
            raise TypeError(f"_backward must be a function of no arguments, got {function!r}")
        self._custom = function

    def __init_subclass__(cls, **kwargs: object) -> None:
        global _subclass_backward
        super().__init_subclass__(**kwargs)
        if "_backward" in cls.__dict__:  # a subclass with its own method: call every node's
            _subclass_backward = True

    def backward(self) -> None:
        """Fill in d(self)/d(node) for every node self depends on (accumulating into .grad)."""
        topo = self._topo()
        self.grad = 1
        if _subclass_backward:
            for v in reversed(topo):
                v._backward()
            return
        # go one variable at a time and apply the chain rule: each node's _backward(), inlined
        for v in reversed(topo):
            if v._custom is not None:  # a _backward written by hand, as in the lecture
                v._custom()
                continue
            a = v._a
            if a is not None:
                g = v.grad
                a.grad += v._da * g
                b = v._b
                if b is not None:
                    b.grad += v._db * g

    def _topo(self) -> list[Value]:
        """All nodes self depends on, children before parents: a depth-first search.

        Iterative (no recursion limit), first operand first. Each node reached is marked with
        this search's own token (`_mark`): cheaper than a set of the nodes seen. A lock keeps
        two threads' searches from mixing their marks on the nodes they share (parameters).
        """
        seen = object()  # this search's token
        topo: list[Value] = []
        path: list[Value] = []  # the nodes on the way down from self to v
        v = self
        with _search_lock:
            self._mark = seen
            while True:
                a = v._a
                if a is not None and a._mark is not seen:  # go down into the first operand
                    a._mark = seen
                    path.append(v)
                    v = a
                    continue
                b = v._b
                if b is not None and b._mark is not seen:  # then the second
                    b._mark = seen
                    ba, bb = b._a, b._b
                    if (ba is None or ba._mark is seen) and (bb is None or bb._mark is seen):
                        topo.append(b)  # its operands are listed already (a weight * an input)
                    else:
                        path.append(v)
                        v = b
                        continue
                topo.append(v)  # all its children are in topo: v can follow
                if not path:
                    return topo
                v = path.pop()  # back up to its parent

    # ---- everything else is built from the ops above (as in micrograd) ----

    def __neg__(self) -> Value:  # -self
        return self * -1

    def __radd__(self, other: float) -> Value:  # other + self
        return self + other

    def __sub__(self, other: Value | float) -> Value:  # self - other
        return self + (-other)

    def __rsub__(self, other: float) -> Value:  # other - self
        return other + (-self)

    def __rmul__(self, other: float) -> Value:  # other * self
        return self * other

    def __truediv__(self, other: Value | float) -> Value:  # self / other
        return self * other**-1

    def __rtruediv__(self, other: float) -> Value:  # other / self
        return other * self**-1

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"


_new = object.__new__
# Set once a subclass of Value defines its own _backward method: from then on backward() calls
# every node's _backward() instead of the inlined chain rule (slower, but what that code expects).
_subclass_backward = False
# One topological search at a time: each marks the nodes it reaches (Value._topo). A process
# forked while another thread searches gets a lock of its own, not one held forever.
_search_lock = threading.Lock()


def _new_search_lock() -> None:
    global _search_lock
    _search_lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # (POSIX)
    os.register_at_fork(after_in_child=_new_search_lock)


def _result(
    data: float, op: str, a: Value, da: float, b: Value | None = None, db: float = 0
) -> Value:
    """An op's output node, out = op(a, b), made without Value()'s argument checks (hot path)."""
    out = _new(Value)
    out.data = data
    out.grad = 0
    out._op = op
    out.label = ""
    out._group = _current_scope()
    out._a = a
    out._b = b
    out._da = da
    out._db = db
    out._custom = None
    out._mark = None
    return out


def _weighted_sum(
    b: Value, ws: list[Value], xs: Sequence[Value | float], group: str | None
) -> Value:
    """b + w0*x0 + w1*x1 + ...: the nodes `sum((wi*xi for wi, xi in zip(ws, xs)), b)` makes in
    micrograd (a number xi becomes a Value leaf, then a * and a + per term, in that order),
    with the same numbers, made inline and tagged with `group`: a neuron's sum is most of a
    forward pass. The neuron has checked that len(xs) == len(ws)."""
    act = b
    for wi, xi in zip(ws, xs):  # noqa: B905 (lengths checked; a keyword makes zip() slower)
        if not isinstance(xi, Value):
            xi = Value(xi)
            xi._group = group
        w, x = wi.data, xi.data
        wx = _new(Value)  # wx = wi * xi, as _result makes it
        wx.data = w * x
        wx.grad = 0
        wx._op = "*"
        wx.label = ""
        wx._group = group
        wx._a = wi
        wx._b = xi
        wx._da = x
        wx._db = w
        wx._custom = None
        wx._mark = None
        total = _new(Value)  # act + wx
        total.data = act.data + wx.data
        total.grad = 0
        total._op = "+"
        total.label = ""
        total._group = group
        total._a = act
        total._b = wx
        total._da = 1
        total._db = 1
        total._custom = None
        total._mark = None
        act = total
    return act


def _two_children(children: Iterable[Value]) -> tuple[Value | None, Value | None]:
    ch = tuple(children)
    if len(ch) > 2 or not all(isinstance(c, Value) for c in ch):
        raise ValueError(f"_children must be at most 2 Values (as an op makes), got {ch!r}")
    return (ch + (None, None))[:2]  # type: ignore[return-value]


def _number(x: object, what: str) -> int | float:
    """x as a plain int or float, or a TypeError naming `what` (numpy scalars, bools are fine)."""
    if isinstance(x, Integral):  # int, bool, numpy integers: bool becomes 0/1 like in arithmetic
        return int(x)
    if isinstance(x, Real):  # float subclasses such as numpy.float64, fractions
        return float(x)
    if not isinstance(x, (str, bytes, complex)) and hasattr(x, "__float__"):
        try:  # numpy.bool_, 0-d arrays: numbers that do not say so
            return float(x)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{what} must be an int or float, got {type(x).__name__}: {x!r}")


def _power(x: float, p: float) -> float:
    try:
        out = x**p
    except OverflowError:
        raise OverflowError(f"{x!r} ** {p!r} is too large for a float") from None
    if type(out) is complex:
        raise ValueError(f"{x!r} ** {p!r} is not a real number (negative base, fractional power)")
    return out


class name_scope:
    """`with name_scope("layer0"):` tags the Values made inside with `_group == "layer0"`.

    Scopes nest ("outer/inner"); the graph widget uses groups to fold big graphs.
    """

    __slots__ = ("name", "_token")

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"name_scope(name) needs a non-empty str, got {name!r}")
        self.name = name

    def __enter__(self) -> str:
        outer = _scope.get()
        scope = self.name if outer is None else f"{outer}/{self.name}"
        self._token = _scope.set(scope)
        return scope

    def __exit__(self, *exc: object) -> None:
        _scope.reset(self._token)


def current_scope() -> str | None:
    """The group new Values get right now (None outside any name_scope)."""
    return _scope.get()


# ---- the cyclic garbage collector, out of a training step ----

_pause_lock = threading.Lock()
_pauses = 0  # gc_paused blocks open right now, in all threads
_threshold_before = 0  # gc's first threshold when the outermost of them opened


class gc_paused(ContextDecorator):
    """`with gc_paused():` runs a block (one training step) without automatic cyclic collection.

    A step makes tens of thousands of Values and frees them all by reference counting when its
    graph is dropped; meanwhile the collector scans them again and again as they age, about
    half of a step's time. Inside the block it does not run; at the end it is as before, even
    after an exception. Use one block per step, not around a whole loop: garbage with reference
    cycles (e.g. hand-written `out._backward` closures that refer to `out`) waits for the block
    to end before it can be collected.

        for k in range(100):
            with gc_paused():
                total_loss, acc = loss()
                model.zero_grad()
                total_loss.backward()
                ...

    Also a decorator (`@gc_paused()`). How: the collector's first threshold is set to 0, which
    pauses automatic collection (gc.set_threshold's documented meaning), and put back after.
    gc.isenabled() and gc.disable()/gc.enable() stay yours: a collector you turned off stays
    off, and gc.collect() still collects. The collector is process-wide, so a block running in
    one thread (the trainer's) pauses it for all: blocks are counted, and only the last one to
    end puts the threshold back (two trainers stepping at once do not resume it early); a
    threshold set with gc.set_threshold() meanwhile is kept. Nothing changes at import.
    """

    def __enter__(self) -> gc_paused:
        global _pauses, _threshold_before
        with _pause_lock:
            if _pauses == 0:
                _threshold_before = gc.get_threshold()[0]
                gc.set_threshold(0)
            _pauses += 1
        return self

    def __exit__(self, *exc: object) -> None:
        global _pauses
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and gc.get_threshold()[0] == 0:  # (else: set by someone meanwhile)
                gc.set_threshold(_threshold_before)
