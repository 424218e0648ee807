"""The shapes of ``data/api_<env>.json`` and ``data/calls_<env>.json`` (written by
``data/dump_api.py``), as far as ``api_tables`` reads them.

A record with ``same_as`` stands for the record at that key (the same object, first found
there): it holds nothing else, but for a module, which keeps its access fields.
"""

from __future__ import annotations

from typing import Any, TypedDict


class ModuleRecord(TypedDict, total=False):
    attribute: bool  # reached as an attribute of its parent
    importable: bool  # by ``import path`` or ``from parent import name``
    resolves_to: str | None  # the module's __name__
    names: list[str]
    submodules: list[str]  # a package's modules on disk
    same_as: str


class ApiTable(TypedDict):
    modules: dict[str, ModuleRecord]


class OutcomeRecord(TypedDict, total=False):
    ok: bool
    error: str
    warnings: list[str]
    value: Any  # the result when a plain literal


class MethodsRecord(TypedDict, total=False):
    methods: dict[str, str | None]  # name -> signature (self left out); None: not inspectable
    attributes: list[str]
    same_as: str


class KeywordTrials(TypedDict, total=False):
    baseline: OutcomeRecord
    keywords: dict[str, OutcomeRecord]  # keyword -> constructing the class with it
    same_as: str


class LegacyRecord(TypedDict, total=False):
    kind: str
    preprocessor: str | None
    value_conversions: dict[str, list[list[Any]]]  # Keras 1 keyword -> [old value, new value]s
    conversions: list[list[str]]  # [Keras 1 keyword, Keras 2 keyword]s
    allowed_positional_args: list[str] | None
    same_as: str


class CallsTable(TypedDict, total=False):
    signatures: dict[str, str | None]  # dotted callable -> signature; None: not inspectable
    methods: dict[str, MethodsRecord]  # dotted class ->
    keywords: dict[str, KeywordTrials]  # dotted class ->
    probes: dict[str, OutcomeRecord]
    # Only in the source env's (TF 1.12, Keras 2.2.4):
    homes: dict[str, list[str]]  # per-file name -> its public names
    legacy_interfaces: dict[str, LegacyRecord]  # dotted callable ->
