"""What every pass reads: the bank, the registry, the environment, and facts derived once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from actionbank.functions.registry import FunctionRegistry
from actionbank.references import Reference, ReferenceSyntaxError, is_reference, parse_reference
from actionbank.schedule.earliest_start import Precedence, precedence
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.spec.bank import ActionBank, Edge, Node, Scope
from actionbank.spec.environment import Environment

if TYPE_CHECKING:
    from actionbank.passes.dataflow import Dataflow

__all__ = ["CompileContext", "ReferenceSite", "reference_strings"]


Path = tuple[str | int, ...]


def _collect_references(value: dict[str, Any] | list[Any], path: Path, found: list[tuple[Path, str]]) -> None:
    # Hot on large banks: plain recursion over containers only, no generators.
    pairs = value.items() if type(value) is dict else enumerate(value)
    for key, item in pairs:
        kind = type(item)
        if kind is str:
            first = item[:1]
            if (first == "e" or first.isspace()) and is_reference(item):
                found.append(((*path, key), item))
        elif kind is dict or kind is list:
            _collect_references(item, (*path, key), found)


def _holds_reference(value: dict[str, Any] | list[Any]) -> bool:
    """Whether a reference string is anywhere inside ``value``: :func:`_collect_references`
    without building a path per container (hot: most kwargs hold none, and are walked once)."""
    item: Any
    for item in value.values() if type(value) is dict else value:
        kind = type(item)
        if kind is str:
            first = item[:1]
            if (first == "e" or first.isspace()) and is_reference(item):
                return True
        elif (kind is dict or kind is list) and _holds_reference(item):
            return True
    return False


def reference_strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """``(pointer, text)`` of every reference string inside ``value``, in document order."""
    if isinstance(value, str):
        if is_reference(value):
            yield pointer, value
        return
    if not isinstance(value, dict | list):
        return
    found: list[tuple[Path, str]] = []
    _collect_references(value, (), found)
    for path, text in found:
        yield jp.join(pointer, *path), text


@dataclass(frozen=True, slots=True)
class ReferenceSite:
    """One reference string in some kwargs: parsed, or the reason it is not valid."""

    owner: Node | Edge
    pointer: str
    text: str
    reference: Reference | None
    error: ReferenceSyntaxError | None


@dataclass(frozen=True)
class CompileContext:
    bank: ActionBank
    registry: FunctionRegistry
    environment: Environment
    allow_unknown_functions: bool = False
    document: SourceDocument | None = None

    def where(self, pointer: str) -> str:
        """``file:line:col`` of ``pointer`` for messages that cite several places."""
        if self.document is None:
            return pointer or "/"
        position = self.document.locate(pointer)
        if position is None:
            return self.document.path
        return f"{self.document.path}:{position[0]}:{position[1]}"

    @cached_property
    def scopes(self) -> Mapping[str, Scope]:
        return {s.name: s for s in self.bank.scopes}

    @cached_property
    def nodes_by_label(self) -> Mapping[str, Node]:
        """First node with each label (duplicates are reported by the names pass)."""
        found: dict[str, Node] = {}
        for node in self.bank.nodes:
            found.setdefault(node.label, node)
        return found

    @cached_property
    def edges_by_label(self) -> Mapping[str, Edge]:
        found: dict[str, Edge] = {}
        for edge in self.bank.edges:
            found.setdefault(edge.label, edge)
        return found

    @cached_property
    def edges_by_scope(self) -> Mapping[str, tuple[Edge, ...]]:
        grouped: dict[str, list[Edge]] = {}
        for edge in self.bank.edges:
            grouped.setdefault(edge.scope, []).append(edge)
        return {scope: tuple(edges) for scope, edges in grouped.items()}

    @cached_property
    def scheduled_edges(self) -> tuple[Edge, ...]:
        """Edges of the declared scopes, scope by scope, first of each label."""
        first = self.edges_by_label
        return tuple(e for s in self.bank.scopes for e in self.edges_by_scope.get(s.name, ()) if first[e.label] is e)

    @cached_property
    def depends_on(self) -> Mapping[str, tuple[str, ...]]:
        return {rule.edge: rule.depends_on for rule in self.bank.sync}

    @cached_property
    def precedence(self) -> Precedence:
        """Scope order plus sync over :attr:`scheduled_edges`, with a topological order."""
        return precedence(self.scheduled_edges, self.depends_on)

    @cached_property
    def provided_keys(self) -> Mapping[str, str]:
        """Keys that exist before any node runs → where they come from."""
        keys: dict[str, str] = dict(self.environment.keys)
        for key in self.bank.misc.environment_keys:
            keys.setdefault(key, "misc.environment_keys")
        for scope in self.bank.scopes:
            if scope.init_key:
                keys.setdefault(scope.init_key, f"the init of scope {scope.name!r}")
        return keys

    @cached_property
    def references(self) -> tuple[ReferenceSite, ...]:
        """Every reference string in node and edge kwargs, parsed once (none to look for when
        the document's text cannot hold "env", as in banks that name keys only)."""
        if self.document is not None and not self.document.may_hold("env"):
            return ()
        sites: list[ReferenceSite] = []
        owners: list[Node | Edge] = [*self.bank.nodes, *self.bank.edges]
        for owner in owners:
            kwargs: Any = owner.kwargs
            base = owner.pointer + "/kwargs"
            strings: Iterable[tuple[str, str]]
            if type(kwargs) is dict or type(kwargs) is list:
                # Hot: reference_strings' walk without its generator, once per node and edge,
                # and paths are only built in the kwargs that hold a reference.
                if not _holds_reference(kwargs):
                    continue
                found: list[tuple[Path, str]] = []
                _collect_references(kwargs, (), found)
                strings = [(jp.join(base, *path), text) for path, text in found]
            else:
                strings = reference_strings(kwargs, base)
            for pointer, text in strings:
                try:
                    sites.append(ReferenceSite(owner, pointer, text, parse_reference(text), None))
                except ReferenceSyntaxError as error:
                    sites.append(ReferenceSite(owner, pointer, text, None, error))
        return tuple(sites)

    @cached_property
    def dataflow(self) -> Dataflow:
        from actionbank.passes.dataflow import analyze  # the dataflow pass owns key extraction

        return analyze(self)

    @cached_property
    def known_keys(self) -> frozenset[str]:
        """Every name an edge may use: node labels, written keys and provided keys."""
        written = {key for flow in self.dataflow.flows for key, _ in flow.writes}
        return frozenset(written | set(self.nodes_by_label) | set(self.provided_keys))
