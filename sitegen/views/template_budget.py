"""A budget of work for each page a theme renders: a template from a pull request cannot hang or exhaust a build.

A site's theme arrives in pull requests and ``sitegen check`` renders it in
CI. Jinja's sandbox keeps a template from running code, but not from
working without end: nested loops kept ``check`` busy past the job's
timeout, ``"x" * 10**9`` took gigabytes, ``range(10**9)`` and a macro that
calls itself ended in tracebacks. Each page's render gets a budget:

- steps: every attribute read, call, filter and loop turn over ``range``
  counts one; a page may take :attr:`Limits.steps` of them;
- time: :attr:`Limits.seconds` per page, checked as steps are counted;
- text: a string (or list) a template makes by ``*``, ``+``, ``~``, ``%``
  or a filter may hold :attr:`Limits.chars`, and all it makes together
  (its output included) ten times that; a number a filter or method is
  given to pad or repeat by is refused past it before anything is made, as
  is ``**`` past :attr:`Limits.bits`.

Running past any of them, past Python's recursion limit or out of memory
raises :class:`TemplateWorkExceeded`, a template error: the build reports it
at the theme file and line it happened in, in one line, like any other.
The figures are far above what any real page takes: the busiest page of a
site of 10,000 incidents (its front page) takes under 8,000 steps and
makes 170,000 characters.
"""

from __future__ import annotations

import functools
import operator
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from types import BuiltinMethodType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment, SecurityError


@dataclass(frozen=True)
class Limits:
    steps: int = 20_000_000
    seconds: float = 60.0
    chars: int = 5_000_000
    bits: int = 100_000
    """The largest integer ``**`` may make, in bits (30,000 decimal digits)."""


LIMITS = Limits()
"""The budget of every page; the tests make it small."""
CHECK_TIME_EVERY = 4096
"""Steps between two looks at the clock: reading it costs more than counting."""
SIZED = (str, bytes, list, tuple)


class TemplateWorkExceeded(SecurityError):
    """A template worked past its page's budget; the message says what to change."""


class Budget:
    """What one page's render has spent.

    Steps are counted down in rounds of CHECK_TIME_EVERY (``left``), and
    the totals and the clock looked at between rounds: counting is on the
    path of every attribute a template reads, so it must cost next to nothing.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = 0
        self.left = CHECK_TIME_EVERY
        self.made = 0
        self.ends = time.monotonic() + limits.seconds

    def step(self) -> None:
        self.left -= 1
        if self.left < 0:
            self.next_round()

    def next_round(self) -> None:
        """Count a round of steps done, and stop the render if it has gone past a limit."""
        self.steps += CHECK_TIME_EVERY - self.left
        self.left = CHECK_TIME_EVERY
        if self.steps > self.limits.steps:
            raise TemplateWorkExceeded(
                f"the template did more than {self.limits.steps:,} steps (loop turns, reads and calls) for one page: "
                "a loop too many or too large? Loop over the site's records, not over range()"
            )
        if time.monotonic() > self.ends:
            raise TemplateWorkExceeded(
                f"the template worked more than {self.limits.seconds:g} s on one page: a loop too many or too large?"
            )

    def make(self, size: int) -> None:
        """Count a string or list of ``size`` about to be made."""
        if size > self.limits.chars:
            raise TemplateWorkExceeded(
                f"the template makes a text or list of {size:,} characters or items, more than "
                f"{self.limits.chars:,}: is a '*' or a filter's width too large?"
            )
        self.made += size
        if self.made > 10 * self.limits.chars:
            raise self.overflow()

    def overflow(self) -> TemplateWorkExceeded:
        return TemplateWorkExceeded(
            f"the template made more than {10 * self.limits.chars:,} characters of text for one page"
        )


class _Current(threading.local):
    """The budget of the page this thread renders; outside a render (compiling a template), one without end."""

    def __init__(self) -> None:
        self.budget = Budget(Limits(steps=sys.maxsize, seconds=float("inf")))
        """A constant folded as a template compiles is still refused past the size limits."""
        self.rendering = False


_current = _Current()


def _budget() -> Budget:
    return _current.budget


class BudgetedTemplate(jinja2.Template):
    """A template whose render has a budget, and whose runaway recursion or memory is a template error."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if _current.rendering:  # an include or import, within the page's render and its budget
            return super().render(*args, **kwargs)
        outside = _current.budget
        _current.budget, _current.rendering = Budget(LIMITS), True
        try:
            return super().render(*args, **kwargs)
        except RecursionError as exc:
            message = "the template calls itself without end (a macro, include or extends that never stops)"
            raise TemplateWorkExceeded(message).with_traceback(exc.__traceback__) from None
        except MemoryError as exc:
            message = "the template ran out of memory: does it make a very large text or list?"
            raise TemplateWorkExceeded(message).with_traceback(exc.__traceback__) from None
        finally:
            _current.budget, _current.rendering = outside, False


class BudgetedRange:
    """``range()`` for templates: each turn of a loop over it is a step; too large a range is refused at once."""

    def __call__(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        budget = _budget()
        if len(numbers) > budget.limits.steps:
            raise TemplateWorkExceeded(
                f"range() of {len(numbers):,} numbers is more than a page may loop over ({budget.limits.steps:,})"
            )
        return self._counted(numbers, budget)

    @staticmethod
    def _counted(numbers: range, budget: Budget) -> Iterator[int]:
        for number in numbers:
            budget.step()
            yield number


def _product(left: Any, right: Any) -> Any:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, SIZED) and isinstance(times, int):
            _budget().make(len(sequence) * max(times, 0))
    return operator.mul(left, right)


def _sum(left: Any, right: Any) -> Any:
    if isinstance(left, SIZED) and isinstance(right, SIZED):
        _budget().make(len(left) + len(right))
    return operator.add(left, right)


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        bits = abs(left).bit_length() * right
        if bits > _budget().limits.bits:
            raise TemplateWorkExceeded(f"the template raises a number to a power of {bits:,} bits: too large")
    return operator.pow(left, right)


def _format(left: Any, right: Any) -> Any:
    result = operator.mod(left, right)
    if isinstance(result, SIZED):
        _budget().make(len(result))
    return result


BINOPS: dict[str, Callable[[Any, Any], Any]] = {"*": _product, "+": _sum, "**": _power, "%": _format}
"""The operators a template's work is counted in; the others make nothing larger than their operands."""


WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "format"})
"""The filters that make text as wide as a number they are given."""


def check_widths(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a number to pad or repeat by past the text limit, before anything is made."""
    limit = _budget().limits.chars
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > limit:
            raise TemplateWorkExceeded(f"the template asks for a text {value:,} wide: more than {limit:,}")


def budgeted_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter ``function`` counted as a step, its widths checked, and what it makes counted."""

    @functools.wraps(function)  # keeps Jinja's pass_context / pass_environment marker
    def counted(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.step()
        if name in WIDTH_FILTERS:
            check_widths(args, kwargs)
        result = function(*args, **kwargs)
        if isinstance(result, SIZED):
            budget.make(len(result))
        return result

    return counted


class BudgetedCodeGenerator(CodeGenerator):
    """Jinja's compiler, with each ``~`` (which no sandbox hook sees) counted as text made."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        self.write("environment.made_text(")
        super().visit_Concat(node, frame)
        self.write(")")


def made_text(text: str) -> str:
    """``text``, joined by ``~``, counted as made: doubling a text in a loop stops at the budget."""
    _budget().make(len(text))
    return text


def concat(pieces: Iterable[str]) -> str:
    """A page's output (or a macro's, or a captured block's), counted as made before it is joined.

    A loop that outputs one large text a million times makes nothing new
    until the pieces are joined: counted here, the join never happens.
    """
    budget = _budget()
    if isinstance(pieces, list):  # a macro's or a captured block's, already made
        budget.made += sum(map(len, pieces))
        if budget.made > 10 * budget.limits.chars:
            raise budget.overflow()
        return "".join(pieces)
    room = 10 * budget.limits.chars - budget.made
    parts, size = [], 0
    for piece in pieces:  # counted as they come: each escaped output is a new string
        size += len(piece)
        if size > room:
            error = budget.overflow()
            if isinstance(pieces, Generator):  # raised where the template output it, to name its line
                pieces.throw(error)
            raise error
        parts.append(piece)
    budget.made += size
    return "".join(parts)


class BudgetedSandbox:
    """What a sandboxed environment adds to count its templates' work; mix it in before Jinja's sandbox.

    Its hooks call the sandbox's own by name rather than through ``super()``:
    they are on the path of every attribute read and call of a render.
    """

    template_class: type[jinja2.Template] = BudgetedTemplate
    code_generator_class: type[CodeGenerator] = BudgetedCodeGenerator
    intercepted_binops = frozenset(BINOPS)
    concat = staticmethod(concat)
    made_text = staticmethod(made_text)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        _budget().step()
        return BINOPS[operator](left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        budget = _current.budget  # step() written out: this is the path of every attribute read
        budget.left -= 1
        if budget.left < 0:
            budget.next_round()
        return SandboxedEnvironment.getattr(self, obj, attribute)  # type: ignore[arg-type]

    def getitem(self, obj: Any, argument: Any) -> Any:
        _budget().step()
        return super().getitem(obj, argument)  # type: ignore[misc]

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget = _current.budget  # step() written out, as in getattr
        budget.left -= 1
        if budget.left < 0:
            budget.next_round()
        if type(__obj) is BuiltinMethodType and isinstance(__obj.__self__, str):  # "x".center(10**9), .zfill()
            check_widths(args, kwargs)
        return SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)  # type: ignore[arg-type]


def budget_environment(env: jinja2.Environment) -> None:
    """Count the work of ``env``'s filters and its ``range``: call once its filters are all set."""
    env.globals["range"] = BudgetedRange()
    env.filters.update({name: budgeted_filter(name, function) for name, function in env.filters.items()})
